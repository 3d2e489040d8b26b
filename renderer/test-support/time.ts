import type { Client, TimeEntry } from '../../shared/api/time.js';

export const acme: Client = {
  id: '11111111-1111-4111-8111-111111111111',
  name: 'Acme Ltd',
  hourlyRateCents: 12000,
  currency: 'EUR',
  archived: false,
  rounding: { incrementMinutes: 1, mode: 'nearest', scope: 'entry' },
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

export const globex: Client = { ...acme, id: '22222222-2222-4222-8222-222222222222', name: 'Globex', currency: 'USD', hourlyRateCents: 9000 };
export const oldCo: Client = { ...acme, id: '33333333-3333-4333-8333-333333333333', name: 'Old Co', archived: true };

let n = 0;
export function makeEntry(overrides: Partial<TimeEntry> = {}): TimeEntry {
  n++;
  return {
    id: `aaaaaaaa-aaaa-4aaa-8aaa-${String(n).padStart(12, '0')}`,
    userId: 'u-ana',
    clientId: acme.id,
    matterId: null,
    activityId: null,
    description: 'Year-end close',
    start: '2026-11-23T09:00:00.000Z',
    end: '2026-11-23T10:30:00.000Z',
    billable: true,
    hourlyRateCents: 12000,
    currency: 'EUR',
    billedAt: null,
    createdAt: '2026-11-23T10:30:00.000Z',
    updatedAt: '2026-11-23T10:30:00.000Z',
    ...overrides,
  };
}
