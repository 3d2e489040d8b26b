import { describe, expect, it, vi } from 'vitest';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { User } from '../../../shared/api/auth.js';
import { RouterProvider, useRouter } from '../../router/router.js';
import { parseRoute } from '../../router/routes.js';
import { admin, ana, manager } from '../../test-support/fake-backend.js';
import { AppHeader } from './AppHeader.js';

function Harness({ user, onSignOut }: { user: User; onSignOut(): void }) {
  const { path } = useRouter();
  return (
    <>
      <AppHeader user={user} onSignOut={onSignOut} route={parseRoute(path)} />
      <p data-testid="path">{path}</p>
    </>
  );
}

function renderHeader(user: User, path = '/') {
  const onSignOut = vi.fn();
  render(
    <RouterProvider initialPath={path}>
      <Harness user={user} onSignOut={onSignOut} />
    </RouterProvider>,
  );
  return { onSignOut, bar: screen.getByRole('navigation', { name: 'TAB' }), side: screen.getByRole('navigation', { name: 'Menu', hidden: true }) };
}

const linkNames = (nav: HTMLElement) => within(nav).queryAllByRole('link', { hidden: true }).map((a) => a.textContent);

describe('AppHeader: navigation by role', () => {
  it.each([
    [ana, ['Dashboard', 'Entries', 'My week', 'Clients']],
    [manager, ['Dashboard', 'Entries', 'My week', 'Clients', 'Reports', 'Billing', 'Team']],
    [admin, ['Dashboard', 'Entries', 'My week', 'Clients', 'Reports', 'Billing', 'Team', 'Security', 'Settings']],
  ])('offers the pages of the role in the bar (%#)', (user, expected) => {
    const { bar } = renderHeader(user);
    expect(linkNames(bar)).toEqual(expected);
  });

  it('Team opens Members, so a member’s devices are two clicks from the top bar; Security opens the session policy', async () => {
    const { bar } = renderHeader(admin);
    const user = userEvent.setup();
    await user.click(within(bar).getByRole('link', { name: 'Team' }));
    expect(screen.getByTestId('path')).toHaveTextContent('/team/members');
    expect(within(bar).getByRole('link', { name: 'Team' })).toHaveAttribute('aria-current', 'page');
    await user.click(within(bar).getByRole('link', { name: 'Security' }));
    expect(screen.getByTestId('path')).toHaveTextContent('/security/session-policy');
  });

  it('marks the section current on any of its pages', () => {
    const { bar } = renderHeader(manager, '/team/members/u-ana');
    expect(within(bar).getByRole('link', { name: 'Team' })).toHaveAttribute('aria-current', 'page');
    expect(within(bar).getByRole('link', { name: 'Dashboard' })).not.toHaveAttribute('aria-current');
  });

  it('on small screens, the menu button opens a side menu with every page, sections unfolded, and a choice closes it', async () => {
    const { side } = renderHeader(admin);
    const user = userEvent.setup();
    const button = screen.getByRole('button', { name: 'Open menu' });
    expect(button).toHaveAttribute('aria-expanded', 'false');
    await user.click(button);
    expect(screen.getByRole('button', { name: 'Close menu' })).toHaveAttribute('aria-expanded', 'true');
    expect(side).toHaveClass('cds--side-nav--expanded');
    expect(linkNames(side)).toEqual(['Dashboard', 'Entries', 'My week', 'Clients', 'Reports', 'Invoices', 'Work in progress', 'Set-up', 'Members', 'Timesheets', 'Session policy', 'Audit log', 'Workspace']);
    expect(within(side).getByRole('button', { name: 'Team' })).toHaveAttribute('aria-expanded', 'true');
    await user.click(within(side).getByRole('link', { name: 'Audit log' }));
    expect(screen.getByTestId('path')).toHaveTextContent('/security/audit-log');
    expect(side).not.toHaveClass('cds--side-nav--expanded');
    expect(screen.getByRole('button', { name: 'Open menu' })).toBeInTheDocument();
  });

  // jsdom never lays the floating menu out, so it stays `visibility: hidden`: hence `hidden: true`.
  it('keeps Profile and Sign out in the avatar menu, and nothing else', async () => {
    const { onSignOut } = renderHeader(admin);
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: /^User menu/ }));
    expect((await screen.findAllByRole('menuitem', { hidden: true })).map((m) => m.textContent)).toEqual(['Profile', 'Sign out']);
    await user.click(screen.getAllByRole('menuitem', { hidden: true })[0]!);
    expect(screen.getByTestId('path')).toHaveTextContent('/profile');
    await user.click(screen.getByRole('button', { name: /^User menu/ }));
    await user.click((await screen.findAllByRole('menuitem', { hidden: true }))[1]!);
    expect(onSignOut).toHaveBeenCalledTimes(1);
  });
});
