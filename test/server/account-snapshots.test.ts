import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type StoreOptions } from '../../server/store/open-store.js';
import type { SessionListing, SessionState } from '../../server/sessions/session-records.js';
import { secretHash } from '../../server/security/secrets.js';
import { DAY_MS, MINUTE_MS } from '../../server/platform/clock.js';
import { startTestServer } from '../support/test-server.js';
import { call, signIn } from '../support/api.js';
import { freshDatabase, onPostgres, otherConnection } from '../support/test-store.js';

/**
 * The store keeps what authentication and the sessions list read about an
 * account in memory while the account's version (migration 4, moved by
 * triggers) is unchanged. These tests prove that it never answers anything the
 * database would not: against a second store on its own connection that reads
 * SQL every time, after random writes made through the store and behind its
 * back (another connection, another process), with the clock moving both ways.
 */

const dirs: string[] = [];
const drops: (() => Promise<void>)[] = [];
/** A fresh database (SQLite file, or PostgreSQL database in the `postgres` project) for one run. */
const tempDatabase = async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tab-snapshots-'));
  dirs.push(dir);
  const { location, drop } = await freshDatabase(dir);
  drops.push(drop);
  return location;
};
afterAll(async () => {
  for (const drop of drops) await drop();
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
});

const STATE_KEYS = [
  'id', 'userId', 'workspaceId', 'createdAt', 'lastSeenAt', 'expiresAt', 'idleTimeoutMs', 'revokedAt', 'revokeReason', 'expiryNoticedAt',
  'lastIp', 'baselineCountryCode', 'browserFamily', 'osFamily',
] as const;
const LISTING_KEYS = [
  'id', 'clientKind', 'label', 'browser', 'os', 'ip', 'lastIp', 'locationCity', 'locationRegion', 'locationCountry', 'locationCountryCode', 'createdAt', 'lastSeenAt',
] as const;
const PLACES = [
  { lastIp: '193.136.0.1', location: { city: 'Lisbon', region: 'Lisbon', country: 'Portugal', countryCode: 'PT' } },
  { lastIp: '8.8.8.8', location: { city: null, region: 'California', country: 'United States', countryCode: 'US' } },
  { lastIp: '10.0.0.9', location: null },
];
const pick = <T extends object>(row: T, keys: readonly string[]) => Object.fromEntries(keys.map((k) => [k, (row as Record<string, unknown>)[k]]));

const T0 = Date.parse('2026-06-01T09:00:00Z');

async function firm(file: string, snapshots: StoreOptions) {
  const store = await openStore(file, snapshots);
  const workspace = await store.createWorkspace({ name: 'Snapshot firm', now: T0 });
  const users = [];
  for (const name of ['ana', 'ben', 'cy']) {
    users.push(await store.createUser({ workspaceId: workspace.id, email: `${name}@snap.test`, name, role: 'accountant', passwordHash: 'scrypt$unused', now: T0 }));
  }
  return { store, workspace, users };
}

type Op =
  | { kind: 'signIn'; user: number; raw: boolean; idleMinutes: number; limit: number | null }
  | { kind: 'revoke'; session: number; raw: boolean }
  | { kind: 'revokeOthers'; user: number; except: number | null }
  | { kind: 'disable' | 'enable'; user: number; raw: boolean }
  | { kind: 'touch'; session: number; place: number | null }
  | { kind: 'move'; session: number; place: number; raw: boolean }
  | { kind: 'rawUserEdit'; user: number; column: 'role' | 'name' | 'time_zone' }
  | { kind: 'rawSessionDelete'; session: number }
  | { kind: 'rawSessionEdit'; session: number }
  | { kind: 'tick'; ms: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('signIn' as const), user: fc.nat(2), raw: fc.boolean(), idleMinutes: fc.constantFrom(30, 24 * 60, 7 * 24 * 60), limit: fc.option(fc.integer({ min: 1, max: 4 })) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('revoke' as const), session: fc.nat(30), raw: fc.boolean() }) },
  fc.record({ kind: fc.constant('revokeOthers' as const), user: fc.nat(2), except: fc.option(fc.nat(30)) }),
  fc.record({ kind: fc.constantFrom('disable' as const, 'enable' as const), user: fc.nat(2), raw: fc.boolean() }),
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('touch' as const), session: fc.nat(30), place: fc.option(fc.nat(2)) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('move' as const), session: fc.nat(30), place: fc.nat(2), raw: fc.boolean() }) },
  fc.record({ kind: fc.constant('rawUserEdit' as const), user: fc.nat(2), column: fc.constantFrom('role' as const, 'name' as const, 'time_zone' as const) }),
  fc.record({ kind: fc.constant('rawSessionDelete' as const), session: fc.nat(30) }),
  fc.record({ kind: fc.constant('rawSessionEdit' as const), session: fc.nat(30) }),
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('tick' as const),
      // Across the 30-minute idle timeout and a minute back: a session that had expired when last read is live again.
      ms: fc.oneof(fc.integer({ min: 0, max: 2 * DAY_MS }), fc.integer({ min: -10 * MINUTE_MS, max: 0 }), fc.constantFrom(MINUTE_MS, 31 * MINUTE_MS, -2 * MINUTE_MS)),
    }),
  },
);

describe('account snapshots', () => {
  it('answer exactly what SQL answers, after random writes through the store and behind its back, with the clock moving both ways', async () => {
    await fc.assert(
      // Small limits, so that eviction and "too many sessions to keep" are exercised too.
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 40 }), fc.record({ maxSessions: fc.integer({ min: 1, max: 6 }), maxUsers: fc.integer({ min: 1, max: 4 }) }), async (ops, limits) => {
        const file = await tempDatabase();
        const { store, workspace, users } = await firm(file, { accountSnapshots: limits });
        const reference = await openStore(file, { accountSnapshots: false });
        const other = await otherConnection(file); // another writer, as the admin CLI or a script would be
        const sessions: { id: string; userId: string; cookie: string }[] = [];
        let now = T0;
        const sessionAt = (i: number) => sessions[i % Math.max(1, sessions.length)];
        const audit = { workspaceId: workspace.id, type: 'session_revoked' as const, at: now };

        const compare = async () => {
          for (const s of sessions) {
            for (const by of [{ id: s.id, userId: s.userId }, { cookieHash: secretHash(s.cookie) }, { id: s.id, userId: users[(users.findIndex((u) => u.id === s.userId) + 1) % 3]!.id }]) {
              const [got, want] = [await store.findSessionWithUser(by, now), await reference.findSessionWithUser(by, now)];
              expect(got && { session: pick(got.session, STATE_KEYS), user: got.user }).toEqual(want && { session: pick(want.session, STATE_KEYS), user: want.user });
            }
          }
          for (const u of users) {
            const want = (await reference.listActiveSessions(u.id, now)).map((r) => pick(r, LISTING_KEYS));
            expect((await store.listActiveSessions(u.id, now)).map((r: SessionListing) => pick(r, LISTING_KEYS))).toEqual(want);
            // As a request does it: authenticate, then list as of that read.
            const mine = sessions.find((s) => s.userId === u.id);
            const read = mine && (await store.findSessionWithUser({ id: mine.id, userId: u.id }, now));
            const asOf = (await store.listActiveSessions(u.id, now, read?.accountVersion ?? null)).map((r) => pick(r, LISTING_KEYS));
            expect(asOf).toEqual(want);
            // A version that is not the one kept (an older read) never answers.
            expect((await store.listActiveSessions(u.id, now, -1)).map((r) => pick(r, LISTING_KEYS))).toEqual(want);
          }
        };

        try {
          await compare();
          for (const op of ops) {
            switch (op.kind) {
              case 'signIn': {
                const user = users[op.user]!;
                const s = { id: randomUUID(), userId: user.id, cookie: `cookie-${sessions.length}-${randomUUID()}` };
                const input = {
                  id: s.id, userId: user.id, workspaceId: workspace.id, cookieHash: secretHash(s.cookie), clientKind: 'web' as const,
                  label: `Chrome ${sessions.length}, macOS`, browser: 'Chrome', os: 'macOS', userAgent: 'test', ip: '10.0.0.1',
                  createdAt: now, expiresAt: now + 30 * DAY_MS, idleTimeoutMs: op.idleMinutes * MINUTE_MS,
                };
                if (op.raw) {
                  await other.run(`INSERT INTO device_sessions (id, user_id, workspace_id, cookie_hash, client_kind, label, browser, os, user_agent, ip,
                    created_at, last_seen_at, expires_at, idle_timeout_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
                    input.id, input.userId, input.workspaceId, input.cookieHash, input.clientKind, input.label, input.browser, input.os, input.userAgent, input.ip,
                    input.createdAt, input.createdAt, input.expiresAt, input.idleTimeoutMs);
                } else {
                  await store.createSession(input, op.limit, { ...audit, type: 'sign_in', at: now });
                }
                sessions.push(s);
                break;
              }
              case 'revoke': {
                const s = sessionAt(op.session);
                if (!s) break;
                if (op.raw) await other.run(`UPDATE device_sessions SET revoked_at = ?, revoke_reason = 'revoked_by_admin' WHERE id = ? AND revoked_at IS NULL`, now, s.id);
                else await store.revokeSession(s.id, { at: now, by: null, reason: 'revoked_by_user' }, { ...audit, at: now });
                break;
              }
              case 'revokeOthers': {
                const except = op.except === null ? null : (sessionAt(op.except)?.id ?? null);
                await store.revokeUserSessions(users[op.user]!.id, except, { at: now, by: null, reason: 'revoked_by_user' }, now, { ...audit, at: now });
                break;
              }
              case 'disable':
              case 'enable': {
                const user = users[op.user]!;
                if (op.raw) await other.run(`UPDATE users SET disabled_at = ? WHERE id = ?`, op.kind === 'disable' ? now : null, user.id);
                else if (op.kind === 'disable') await store.disableUser(user.id, now, null, { ...audit, type: 'member_disabled', at: now });
                else await store.enableUser(user.id, { ...audit, type: 'member_enabled', at: now });
                break;
              }
              case 'touch': {
                const s = sessionAt(op.session);
                if (s) await store.touchSession(s.id, now, op.place === null ? undefined : PLACES[op.place]);
                break;
              }
              case 'move': {
                // Where a session is and its baseline: written by the store (compare-and-set) or by a script.
                const s = sessionAt(op.session);
                if (!s) break;
                const place = PLACES[op.place]!;
                const baseline = { baselineCountryCode: place.location?.countryCode ?? null, browserFamily: 'Firefox', osFamily: 'Linux' };
                if (op.raw) {
                  await other.run(`UPDATE device_sessions SET last_ip = ?, location_city = ?, location_country_code = ?, baseline_country_code = ?, os_family = ? WHERE id = ?`,
                    place.lastIp, place.location?.city ?? null, place.location?.countryCode ?? null, baseline.baselineCountryCode, 'Windows', s.id);
                } else {
                  const current = await reference.findSessionById(s.id);
                  if (current) await store.moveSessionBaseline(s.id, current, { ...baseline, ...place }, [{ ...audit, type: 'session_ip_changed', at: now }]);
                }
                break;
              }
              case 'rawUserEdit': {
                const value = { role: 'manager', name: `Renamed ${now}`, time_zone: 'Europe/Lisbon' }[op.column];
                await other.run(`UPDATE users SET ${op.column} = ? WHERE id = ?`, value, users[op.user]!.id);
                break;
              }
              case 'rawSessionDelete': {
                const s = sessionAt(op.session);
                if (s) await other.run(`DELETE FROM device_sessions WHERE id = ?`, s.id);
                break;
              }
              case 'rawSessionEdit': {
                const s = sessionAt(op.session);
                if (s) await other.run(`UPDATE device_sessions SET label = label || '!', expires_at = expires_at - ? WHERE id = ?`, DAY_MS, s.id);
                break;
              }
              case 'tick':
                now += op.ms;
                break;
            }
            await compare();
          }
        } finally {
          await other.close();
          await reference.close();
          await store.close();
        }
      }),
      {
        // Each run is a fresh database: a file on SQLite, a copied template on PostgreSQL (slower, so fewer runs).
        numRuns: onPostgres ? 25 : 100,
        examples: [
          // Read again after the idle timeout (the edit moves the version), then the clock set back: the session is live again.
          [
            [
              { kind: 'signIn', user: 0, raw: false, idleMinutes: 30, limit: null },
              { kind: 'tick', ms: 31 * MINUTE_MS },
              { kind: 'rawUserEdit', user: 0, column: 'name' },
              { kind: 'tick', ms: -2 * MINUTE_MS },
            ],
            { maxSessions: 6, maxUsers: 4 },
          ],
          // A revocation behind the store's back, then the same session listed as of an earlier read.
          [[{ kind: 'signIn', user: 1, raw: true, idleMinutes: 30, limit: null }, { kind: 'signIn', user: 1, raw: false, idleMinutes: 30, limit: 2 }, { kind: 'revoke', session: 0, raw: true }], { maxSessions: 6, maxUsers: 4 }],
        ],
      },
    );
  }, 120_000);

  it('moves a user’s version on every kind of write to the user or any of their sessions, whichever columns it touches', async () => {
    const file = await tempDatabase();
    const { store, workspace, users } = await firm(file, {});
    const ana = users[0]!;
    const db = await otherConnection(file);
    try {
      const versionOf = async (userId: string) => ((await db.run(`SELECT version FROM account_versions WHERE user_id = ?`, userId)) as { version: number }[])[0]!.version;
      const version = () => versionOf(ana.id);
      const id = randomUUID();
      let before = await version();
      await store.createSession(
        { id, userId: ana.id, workspaceId: workspace.id, cookieHash: secretHash('c'), clientKind: 'desktop', label: 'PC', browser: null, os: null, userAgent: 'x', ip: '::1', createdAt: T0, expiresAt: T0 + DAY_MS, idleTimeoutMs: DAY_MS },
        null,
        { workspaceId: workspace.id, type: 'sign_in', at: T0 },
      );
      expect(await version()).toBeGreaterThan(before);
      const columns = async (table: string) =>
        ((await db.run(onPostgres ? `SELECT column_name AS name FROM information_schema.columns WHERE table_name = ?` : `SELECT name FROM pragma_table_info(?)`, table)) as { name: string }[])
          .map((c) => c.name)
          .filter((c) => c !== 'id');
      for (const column of await columns('device_sessions')) {
        before = await version();
        await db.run(`UPDATE device_sessions SET ${column} = ${column} WHERE id = ?`, id);
        expect(await version(), `device_sessions.${column}`).toBeGreaterThan(before);
      }
      for (const column of await columns('users')) {
        before = await version();
        await db.run(`UPDATE users SET ${column} = ${column} WHERE id = ?`, ana.id);
        expect(await version(), `users.${column}`).toBeGreaterThan(before);
      }
      // Other users' versions did not move.
      expect(await versionOf(users[1]!.id)).toBe(1);
      expect(await versionOf(users[2]!.id)).toBe(1);
      // A session moved to another owner (no TAB code does it; a hand-made fix might) moves both owners
      // (PostgreSQL: the statement trigger takes the new rows, migration 18's row trigger the old owner).
      before = await version();
      await db.run(`UPDATE device_sessions SET user_id = ? WHERE id = ?`, users[1]!.id, id);
      expect(await version()).toBeGreaterThan(before);
      expect(await versionOf(users[1]!.id)).toBeGreaterThan(1);
      // Naming the owner column without changing it moves that owner only, once.
      const benBefore = await versionOf(users[1]!.id);
      await db.run(`UPDATE device_sessions SET user_id = user_id WHERE id = ?`, id);
      expect(await versionOf(users[1]!.id)).toBe(benBefore + 1);
      await db.run(`UPDATE device_sessions SET user_id = ? WHERE id = ?`, ana.id, id);
      before = await version();
      await db.run(`DELETE FROM device_sessions WHERE id = ?`, id);
      expect(await version()).toBeGreaterThan(before);
      expect(await versionOf(users[2]!.id)).toBe(1);
    } finally {
      await db.close();
      await store.close();
    }
  });

  it('hands out frozen rows: a caller cannot change what the next request reads', async () => {
    const file = await tempDatabase();
    const { store, workspace, users } = await firm(file, {});
    const id = randomUUID();
    await store.createSession(
      { id, userId: users[0]!.id, workspaceId: workspace.id, cookieHash: secretHash('f'), clientKind: 'web', label: 'Firefox 120, Linux', browser: 'Firefox 120', os: 'Linux', userAgent: 'x', ip: '::1', createdAt: T0, expiresAt: T0 + DAY_MS, idleTimeoutMs: DAY_MS },
      null,
      { workspaceId: workspace.id, type: 'sign_in', at: T0 },
    );
    try {
      const found = (await store.findSessionWithUser({ id, userId: users[0]!.id }, T0))!;
      expect(found.accountVersion).toEqual(expect.any(Number));
      expect(() => ((found.session as SessionState).revokedAt = T0)).toThrow(TypeError);
      expect(() => ((found.user as { role: string }).role = 'admin')).toThrow(TypeError);
      expect((await store.findSessionWithUser({ id, userId: users[0]!.id }, T0))!.session.revokedAt).toBeNull();
    } finally {
      await store.close();
    }
  });
});

/** One statement (`?` placeholders) run by a separate OS process on the database: better-sqlite3 on a file, pg on a URL. */
function writeFromAnotherProcess(location: string, text: string, ...params: string[]) {
  const script = location.startsWith('postgres')
    ? `const pg = require('pg'); const c = new pg.Client(process.argv[1]); let n = 0;
       c.connect().then(() => c.query(process.argv[2].replace(/\\?/g, () => '$' + ++n), process.argv.slice(3))).then(() => c.end());`
    : `const db = require('better-sqlite3')(process.argv[1]); db.pragma('busy_timeout = 5000'); db.prepare(process.argv[2]).run(...process.argv.slice(3));`;
  execFileSync(process.execPath, ['-e', script, location, text, ...params]);
}

describe('revocation behind the running server’s back', () => {
  it('while the server is busy with the session (version reads shared on PostgreSQL), every request after the revocation’s answer is refused', async () => {
    const server = await startTestServer();
    try {
      const keeper = await signIn(server.url, 'ana@demo.test');
      const busy = await signIn(server.url, 'ana@demo.test', { client: 'desktop', deviceName: 'Busy laptop' });
      let revocationAnswered = false;
      let stop = false;
      const late: { status: number; body: any }[] = [];
      const loop = async (headers: Record<string, string>) => {
        while (!stop) {
          const sentAfter = revocationAnswered;
          const answer = await call(server.url, 'GET', '/api/v1/sessions', { headers });
          if (sentAfter) late.push(answer);
        }
      };
      const loops = [...Array.from({ length: 6 }, () => loop(busy.auth)), loop({ cookie: `tab_session=${busy.cookie}` })];
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect((await call(server.url, 'DELETE', `/api/v1/sessions/${busy.session.id}`, { headers: keeper.auth })).status).toBe(204);
      revocationAnswered = true;
      while (late.length < 60) await new Promise((resolve) => setTimeout(resolve, 10));
      stop = true;
      await Promise.all(loops);
      expect(late.filter((r) => r.status !== 401)).toEqual([]);
      expect(late.every((r) => r.body.error.code === 'session_revoked' && r.body.error.reason === 'revoked_by_user')).toBe(true);
    } finally {
      await server.close();
    }
  });

  it('another process revoking a session, or disabling its user, is refused on the very next request', async () => {
    const server = await startTestServer();
    try {
      const keeper = await signIn(server.url, 'ana@demo.test');
      const lost = await signIn(server.url, 'ana@demo.test', { client: 'desktop', deviceName: 'Lost laptop' });
      // Warm: both sessions have been read, listed and kept.
      for (let i = 0; i < 3; i++) {
        expect((await call(server.url, 'GET', '/api/v1/sessions', { headers: keeper.auth })).body.sessions).toHaveLength(2);
        expect((await call(server.url, 'GET', '/api/v1/me', { headers: lost.auth })).status).toBe(200);
        expect((await call(server.url, 'GET', '/api/v1/me', { headers: { cookie: `tab_session=${lost.cookie}` } })).status).toBe(200);
      }
      // A separate OS process writes the revocation straight into the database.
      writeFromAnotherProcess(server.dbLocation, "UPDATE device_sessions SET revoked_at = 1, revoke_reason = 'revoked_by_admin' WHERE id = ?", lost.session.id);

      for (const headers of [lost.auth, { cookie: `tab_session=${lost.cookie}` }]) {
        const refused = await call(server.url, 'GET', '/api/v1/me', { headers });
        expect(refused.status).toBe(401);
        expect(refused.body.error).toMatchObject({ code: 'session_revoked', reason: 'revoked_by_admin' });
      }
      const list = await call(server.url, 'GET', '/api/v1/sessions', { headers: keeper.auth });
      expect(list.body.sessions.map((s: { id: string }) => s.id)).toEqual([keeper.session.id]);

      writeFromAnotherProcess(server.dbLocation, "UPDATE users SET disabled_at = 1 WHERE email = 'ana@demo.test'");
      const disabled = await call(server.url, 'GET', '/api/v1/sessions', { headers: keeper.auth });
      expect(disabled.status).toBe(401);
      expect(disabled.body.error).toMatchObject({ code: 'session_revoked', reason: 'member_disabled' });
    } finally {
      await server.close();
    }
  });
});
