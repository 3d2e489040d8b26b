import type { User } from '../../../../shared/api/auth.js';
import { paths } from '../../../router/routes.js';
import { useLinkHandler } from '../../../router/router.js';
import './AdminNav.scss';

type Section = 'members' | 'security' | 'audit';

function NavLink({ to, current, children }: { to: string; current: boolean; children: string }) {
  const onClick = useLinkHandler(to);
  return (
    <li>
      <a href={to} onClick={onClick} aria-current={current ? 'page' : undefined} className="tab-admin-nav__link">
        {children}
      </a>
    </li>
  );
}

/** The admin area's own navigation, under the header; the audit log is for admins only. */
export function AdminNav({ user, current }: { user: User; current: Section }) {
  return (
    <nav aria-label="Admin" className="tab-admin-nav">
      <ul>
        <NavLink to={paths.members} current={current === 'members'}>
          Members
        </NavLink>
        <NavLink to={paths.security} current={current === 'security'}>
          Workspace security
        </NavLink>
        {user.role === 'admin' && (
          <NavLink to={paths.audit} current={current === 'audit'}>
            Audit log
          </NavLink>
        )}
      </ul>
    </nav>
  );
}
