import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { HttpRequest } from '../../../../shared/api/client.js';
import { admin, fakeBackend, renderSignedIn } from '../../../test-support/fake-backend.js';
import { AuditLogPage } from './AuditLogPage.js';

const event = {
  id: '7',
  type: 'member_role_changed',
  at: '2026-11-23T09:30:00.000Z',
  actorUserId: 'u-admin',
  actorName: 'Alex Admin',
  targetUserId: 'u-ana',
  targetName: 'Ana Accountant',
  sessionId: 's1',
  session: { label: 'Chrome 120, macOS', clientKind: 'web', ip: '203.0.113.7' },
  ip: '203.0.113.7',
  detail: { from: 'accountant', to: 'manager' },
};

describe('Security › Audit log', () => {
  it('reads in sentences with device labels, and asks for the days of the reader’s zone', async () => {
    const queries: Record<string, string>[] = [];
    const fake = fakeBackend({
      'GET /api/v1/admin/members': () => ({ members: [] }),
      'GET /api/v1/admin/audit-events': (request: HttpRequest) => {
        queries.push(Object.fromEntries(new URL(request.path, 'http://x').searchParams));
        return { events: [event], nextBefore: null };
      },
    });
    renderSignedIn(<AuditLogPage />, { backend: fake.backend, user: { ...admin, timeZone: 'Europe/Berlin' } });
    const row = await screen.findByTestId('audit-row');
    expect(within(row).getByText('Alex Admin changed Ana Accountant’s role from accountant to manager')).toBeInTheDocument();
    expect(row).toHaveTextContent('Changed a role');
    expect(row).toHaveTextContent('Chrome 120, macOS');
    expect(row).not.toHaveTextContent('{');
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('From'), '2026-11-02');
    await user.type(screen.getByLabelText('To (inclusive)'), '2026-11-03');
    await user.selectOptions(screen.getByLabelText('Event'), 'member_role_changed');
    await waitFor(() => expect(queries.at(-1)).toEqual({ from: '2026-11-01T23:00:00.000Z', to: '2026-11-03T23:00:00.000Z', type: 'member_role_changed', limit: '50' }));
    const csv = screen.getByRole('link', { name: 'Download CSV' });
    expect(csv.getAttribute('href')).toBe('/api/v1/admin/audit-events.csv?from=2026-11-01T23%3A00%3A00.000Z&to=2026-11-03T23%3A00%3A00.000Z&type=member_role_changed');
  });
});
