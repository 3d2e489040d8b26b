import { describe, expect, it } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { admin, fakeBackend, manager, renderSignedIn } from '../../../test-support/fake-backend.js';
import { useRouter } from '../../../router/router.js';
import { MemberSessionsPage } from './MemberSessionsPage.js';
import { makeMember } from '../../../test-support/members.js';

const member = makeMember;
const members = [
  member('u-ana', 'Ana Accountant'),
  member('u-new', 'Nia New', { status: 'invited', invitedAt: '2026-11-30T10:00:00.000Z', invitationExpiresAt: '2026-12-07T10:00:00.000Z' }),
];

function Address() {
  return <output data-testid="address">{useRouter().path}</output>;
}

const render = (userId: string, user = manager) => {
  // The other panels (two-factor, tokens) answer "not found" here: only the member list and sessions matter to this test.
  const fake = fakeBackend({
    'GET /api/v1/admin/members': () => ({ members }),
    [`GET /api/v1/admin/members/${userId}/sessions`]: () => ({ sessions: [] }),
  });
  renderSignedIn(
    <>
      <Address />
      <MemberSessionsPage userId={userId} />
    </>,
    { backend: fake.backend, user, path: `/team/members/${userId}` },
  );
};

describe('a member’s page', () => {
  it('links managers to the member’s timesheet (their waiting week, else this week), beside their devices', async () => {
    render('u-ana');
    const link = await screen.findByRole('link', { name: 'View Ana Accountant’s timesheet' });
    expect(link).toHaveAttribute('href', '/team/timesheets/u-ana');
    const user = userEvent.setup();
    await user.hover(link);
    await user.click(link);
    await waitFor(() => expect(screen.getByTestId('address')).toHaveTextContent('/team/timesheets/u-ana'));
  });

  it('offers admins the same link, and none for an invitation not yet accepted (no time to show)', async () => {
    render('u-ana', admin);
    expect(await screen.findByRole('link', { name: 'View Ana Accountant’s timesheet' })).toBeInTheDocument();
    document.body.innerHTML = '';
    render('u-new', admin);
    await screen.findByRole('heading', { name: 'Nia New', level: 1 });
    expect(screen.queryByTestId('member-timesheet')).toBeNull();
  });
});
