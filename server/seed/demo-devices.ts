import { randomUUID } from 'node:crypto';
import { DAY_MS, MINUTE_MS } from '../platform/clock.js';
import { hashPassword } from '../security/password.js';
import { randomSecret, secretHash } from '../security/secrets.js';
import { describeDevice } from '../sessions/device-label.js';
import type { StoredUser, TabStore } from '../store/types.js';

/**
 * The demo firm's people beyond their time (server/seed/demo-firm.ts): Ana's
 * three signed-in devices and Chloe's invitation. Written through the store
 * as sign-in and invitation write them; the secrets are thrown away, so no
 * seeded session or link can ever be used.
 */

export const DEMO_INVITEE = { email: 'chloe@demo.test', name: 'Chloe Chen', role: 'accountant' as const };

/** Ana's devices; the addresses are from the documentation ranges (RFC 5737), so they are nobody's. */
const LONDON = { city: 'London', region: 'England', country: 'United Kingdom', countryCode: 'GB' };
const ANA_DEVICES = [
  {
    clientKind: 'desktop' as const,
    deviceName: 'Ana’s MacBook Pro',
    userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) TAB/0.1.0 Chrome/140.0.0.0 Electron/45.0.0 Safari/537.36',
    ip: '203.0.113.24',
    signedInAgo: 9 * DAY_MS,
    seenAgo: 2 * MINUTE_MS,
  },
  {
    clientKind: 'web' as const,
    userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.5 Mobile/15E148 Safari/604.1',
    ip: '198.51.100.77',
    signedInAgo: 3 * DAY_MS,
    seenAgo: 5 * 60 * MINUTE_MS,
  },
  {
    clientKind: 'web' as const,
    userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36',
    ip: '203.0.113.91',
    signedInAgo: 26 * 60 * MINUTE_MS,
    seenAgo: 40 * MINUTE_MS,
  },
];

/** Ana on her desktop, her phone and a browser: sessions nobody can use (their cookies are thrown away), to show and revoke. */
export async function signInDevices(store: TabStore, ana: StoredUser, now: number): Promise<void> {
  const policy = await store.getSessionPolicy(ana.workspaceId);
  for (const device of ANA_DEVICES) {
    const createdAt = now - device.signedInAgo;
    const id = randomUUID();
    const described = describeDevice(device.clientKind, device.userAgent, 'deviceName' in device ? device.deviceName : undefined);
    await store.createSession(
      {
        id,
        userId: ana.id,
        workspaceId: ana.workspaceId,
        cookieHash: secretHash(randomSecret()),
        clientKind: device.clientKind,
        ...described,
        userAgent: device.userAgent,
        ip: device.ip,
        createdAt,
        expiresAt: createdAt + policy.absoluteTimeoutDays * DAY_MS,
        idleTimeoutMs: policy.inactivityTimeoutMinutes * MINUTE_MS,
        location: LONDON,
      },
      policy.maxConcurrentSessions,
      {
        workspaceId: ana.workspaceId,
        type: 'sign_in',
        at: createdAt,
        actorUserId: ana.id,
        targetUserId: ana.id,
        sessionId: id,
        ip: device.ip,
        detail: { method: 'password', client: device.clientKind, label: described.label, location: LONDON },
      },
    );
    await store.touchSession(id, now - device.seenAgo, { lastIp: device.ip, location: LONDON });
  }
}

/** One invitation waiting: its link is not kept anywhere (an admin makes a new one from Members to hand it over). */
export async function inviteChloe(store: TabStore, admin: StoredUser, now: number): Promise<void> {
  const at = now - 2 * DAY_MS;
  await store.inviteMember(
    {
      workspaceId: admin.workspaceId,
      ...DEMO_INVITEE,
      passwordHash: await hashPassword(randomSecret()),
      now: at,
      link: { id: randomUUID(), kind: 'invitation', tokenHash: secretHash(randomSecret()), createdBy: admin.id, createdAt: at, expiresAt: at + 7 * DAY_MS },
    },
    {
      workspaceId: admin.workspaceId,
      type: 'member_invited',
      at,
      actorUserId: admin.id,
      detail: { ...DEMO_INVITEE, expiresAt: new Date(at + 7 * DAY_MS).toISOString() },
    },
  );
}
