import { useSignedIn } from '../../auth/auth-context.js';
import { sectionOf } from '../../router/navigation.js';
import { parseRoute } from '../../router/routes.js';
import { useLinkHandler, useRouter } from '../../router/router.js';
import './SectionNav.scss';

function TabLink({ to, current, children }: { to: string; current: boolean; children: string }) {
  const onClick = useLinkHandler(to);
  return (
    <li>
      <a href={to} onClick={onClick} aria-current={current ? 'page' : undefined} className="tab-section-nav__link">
        {children}
      </a>
    </li>
  );
}

/** The pages of the section the current page belongs to (Team, Security), as tabs under its title. */
export function SectionNav() {
  const { user } = useSignedIn();
  const route = parseRoute(useRouter().path);
  const section = sectionOf(user, route);
  if (!section?.children) return null;
  return (
    <nav aria-label={section.label} className="tab-section-nav">
      <ul>
        {section.children.map((page) => (
          <TabLink key={page.id} to={page.to} current={page.matches(route)}>
            {page.label}
          </TabLink>
        ))}
      </ul>
    </nav>
  );
}
