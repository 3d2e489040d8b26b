import { describe, expect, it } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { HttpRequest } from '../../../../shared/api/client.js';
import { thisWeek } from '../../../../shared/time/periods.js';
import { ana, fakeBackend, renderSignedIn } from '../../../test-support/fake-backend.js';
import { acme, makeEntry } from '../../../test-support/time.js';
import { EntriesPage } from './EntriesPage.js';

const query = (request: HttpRequest) => Object.fromEntries(new URL(request.path, 'http://x').searchParams);

describe('EntriesPage in the profile’s time zone', () => {
  it('asks for the week as the profile’s zone counts it (the dashboard’s week), and pages week by week', async () => {
    const zone = 'Pacific/Auckland';
    const seen: Record<string, string>[] = [];
    const entry = makeEntry({ start: new Date(thisWeek(Date.now(), zone).from + 3_600_000).toISOString(), end: null, description: 'Monday 1 am in Auckland' });
    const fake = fakeBackend({
      'GET /api/v1/entries': (request) => {
        seen.push(query(request));
        return { entries: seen.length === 1 ? [{ ...entry, end: new Date(Date.parse(entry.start) + 1_800_000).toISOString() }] : [], truncated: false };
      },
      'GET /api/v1/clients': () => ({ clients: [acme] }),
      'GET /api/v1/dashboard': () => ({ timeZone: zone, today: '', hoursToday: 0, hoursThisWeek: 0, billableHoursThisWeek: 0, billableShareThisWeek: 0, perDay: [], unbilledScope: 'own', unbilledAmounts: [], runningTimer: null }),
    });
    renderSignedIn(<EntriesPage />, { backend: fake.backend, user: { ...ana, timeZone: zone } });
    const week = thisWeek(Date.now(), zone);
    await waitFor(() => expect(seen).toHaveLength(1));
    expect(seen[0]).toEqual({ from: new Date(week.from).toISOString(), to: new Date(week.to).toISOString(), userId: ana.id });
    // Shown at 01:00, the Auckland time, whatever this computer's zone.
    const row = await screen.findByTestId('entry-row');
    expect(row).toHaveTextContent(/01:00\s?(AM)?–01:30/);
    await userEvent.setup().click(screen.getByRole('button', { name: 'Previous week' }));
    await waitFor(() => expect(seen).toHaveLength(2));
    expect(Date.parse(seen[1]!.to!)).toBe(week.from);
    expect(screen.getByRole('button', { name: 'This week' })).toBeInTheDocument();
  });
});
