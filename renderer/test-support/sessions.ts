import type { Session } from '../../shared/api/sessions.js';

/** A session as the API lists it; override what the test is about. */
export function makeSession(overrides: Partial<Session> = {}): Session {
  const now = Date.now();
  return {
    id: overrides.id ?? `s-${Math.random().toString(36).slice(2, 10)}`,
    clientKind: 'web',
    label: 'Chrome 120, macOS',
    labelSource: 'user-agent',
    browser: 'Chrome 120',
    os: 'macOS',
    ip: '203.0.113.7',
    lastIp: overrides.ip ?? '203.0.113.7',
    location: null,
    createdAt: new Date(now - 3 * 3_600_000).toISOString(),
    lastSeenAt: new Date(now - 5 * 60_000).toISOString(),
    isCurrent: false,
    ...overrides,
  };
}
