import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { HttpRequest } from '../../../../shared/api/client.js';
import { civilPlusDays, thisWeek } from '../../../../shared/time/periods.js';
import { fakeBackend, manager, renderSignedIn } from '../../../test-support/fake-backend.js';
import { parseRoute } from '../../../router/routes.js';
import { useRouter } from '../../../router/router.js';
import { TimesheetsPage } from './TimesheetsPage.js';
import { makeMember } from '../../../test-support/members.js';

const person = makeMember;
const members = [person('u-admin', 'Alex Admin', { role: 'admin' }), person('u-ana', 'Ana Accountant'), person('u-ben', 'Ben Accountant'), person('u-manager', 'Max Manager', { role: 'manager' })];
const names = Object.fromEntries(members.map((m) => [m.id, m.name]));
const weekOfMember = (id: string, monday: string) => ({
  member: { id, name: names[id] ?? id },
  monday,
  timeZone: 'UTC',
  days: Array.from({ length: 7 }, (_, i) => civilPlusDays(monday, i)),
  rows: [],
  dayTotals: [0, 0, 0, 0, 0, 0, 0],
  totalMs: 0,
  billableMs: 0,
  timerRunning: false,
  approval: { status: 'submitted', submittedAt: `${monday}T18:00:00.000Z`, approvedAt: null, approvedBy: null, changedAfterApprovalAt: null, canReopen: false },
  entries: [],
});
const queued = (id: string, monday: string, submittedAt: string) => ({ member: { id, name: names[id] }, monday, submittedAt, changedAfterApprovalAt: null });

/** The page as the app shows it: its member and week come from the address. */
function Routed() {
  const { path } = useRouter();
  const route = parseRoute(path);
  return (
    <>
      <output data-testid="address">{path}</output>
      {route.page === 'timesheets' && <TimesheetsPage memberId={route.memberId} monday={route.monday} />}
    </>
  );
}

function setUp(queue: unknown[], path = '/team/timesheets') {
  const asked: string[] = [];
  const fake = fakeBackend({
    'GET /api/v1/admin/members': () => ({ members }),
    'GET /api/v1/clients': () => ({ clients: [] }),
    'GET /api/v1/timesheets/queue': () => ({ weeks: queue }),
  });
  // Any member's week: answered for the member and Monday asked.
  fake.send.mockImplementation(async (request: HttpRequest) => {
    const week = /^\/api\/v1\/timesheets\/([^/]+)\/weeks\/([^/]+)$/.exec(request.path);
    if (week) {
      asked.push(`${decodeURIComponent(week[1]!)} ${week[2]}`);
      return weekOfMember(decodeURIComponent(week[1]!), week[2]!);
    }
    return fake.responses[`${request.method} ${request.path.split('?')[0]}`]!(request);
  });
  renderSignedIn(<Routed />, { backend: fake.backend, user: manager, path });
  const address = () => screen.getByTestId('address').textContent;
  return { asked, address };
}

describe('Team › Timesheets: the address and what the page opens on', () => {
  it('opens on the oldest week waiting for approval, writes it into the address, and never loads another week first', async () => {
    const { asked, address } = setUp([queued('u-ben', '2026-11-16', '2026-11-21T10:00:00.000Z'), queued('u-ana', '2026-11-09', '2026-11-14T10:00:00.000Z')]);
    await waitFor(() => expect(address()).toBe('/team/timesheets/u-ana/2026-11-09'));
    await screen.findByRole('heading', { name: /^Ana Accountant, week:/ });
    expect(asked).toEqual(['u-ana 2026-11-09']);
    expect(screen.getByLabelText('Member')).toHaveValue('u-ana');
    // Each waiting week is a link to its own address (open in a new tab, copy, share).
    const links = screen.getAllByTestId('queue-item');
    expect(links.map((a) => a.getAttribute('href'))).toEqual(['/team/timesheets/u-ben/2026-11-16', '/team/timesheets/u-ana/2026-11-09']);
    expect(links[1]).toHaveAttribute('aria-current', 'page');
    await userEvent.setup().click(links[0]!);
    await waitFor(() => expect(address()).toBe('/team/timesheets/u-ben/2026-11-16'));
    await screen.findByRole('heading', { name: /^Ben Accountant, week:/ });
  });

  it('with nothing waiting, opens the first other member on this week, as before', async () => {
    const { asked, address } = setUp([]);
    const monday = thisWeek(Date.now(), 'UTC').monday;
    await waitFor(() => expect(address()).toBe(`/team/timesheets/u-admin/${monday}`));
    await screen.findByRole('heading', { name: /^Alex Admin, this week:/ });
    expect(asked).toEqual([`u-admin ${monday}`]);
    expect(screen.getByText('No week waits for approval.')).toBeInTheDocument();
  });

  it('a deep link shows that member and week; a day moves to its Monday; changing member or week changes the address', async () => {
    const { asked, address } = setUp([queued('u-ana', '2026-11-09', '2026-11-14T10:00:00.000Z')], '/team/timesheets/u-ben/2026-10-07');
    await waitFor(() => expect(address()).toBe('/team/timesheets/u-ben/2026-10-05'));
    await screen.findByRole('heading', { name: /^Ben Accountant, week:/ });
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Previous week' }));
    await waitFor(() => expect(address()).toBe('/team/timesheets/u-ben/2026-09-28'));
    await user.selectOptions(screen.getByLabelText('Member'), 'u-ana');
    await waitFor(() => expect(address()).toBe('/team/timesheets/u-ana/2026-09-28'));
    await screen.findByRole('heading', { name: /^Ana Accountant, week:/ });
    expect(asked).toEqual(['u-ben 2026-10-05', 'u-ben 2026-09-28', 'u-ana 2026-09-28']);
  });

  it('a member without a week (the member page’s link) opens their waiting week; an unknown member is said, not shown', async () => {
    const first = setUp([queued('u-ben', '2026-11-02', '2026-11-07T10:00:00.000Z'), queued('u-ana', '2026-11-09', '2026-11-14T10:00:00.000Z')], '/team/timesheets/u-ana');
    await waitFor(() => expect(first.address()).toBe('/team/timesheets/u-ana/2026-11-09'));
    await screen.findByRole('heading', { name: /^Ana Accountant, week:/ });
    document.body.innerHTML = '';

    const second = setUp([], '/team/timesheets/u-gone/2026-11-09');
    const notice = await screen.findByText('No such member');
    expect(within(notice.closest('[role]') ?? document.body).getByText(/not in this workspace/)).toBeInTheDocument();
    expect(screen.getByLabelText('Member')).toHaveValue('');
    // Asked for at once (a deep link does not wait for the member list), but not shown once the list says no such member.
    await waitFor(() => expect(screen.getByRole('heading', { level: 2, name: /week:/ }).textContent).toMatch(/^week:/));
    expect(screen.queryByTestId('week-table')).toBeNull();
    await userEvent.setup().selectOptions(screen.getByLabelText('Member'), 'u-ben');
    await waitFor(() => expect(second.address()).toBe('/team/timesheets/u-ben/2026-11-09'));
    await waitFor(() => expect(screen.queryByText('No such member')).toBeNull());
  });
});
