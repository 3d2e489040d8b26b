import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { SPAWN_TEST_TIMEOUT, spawnServer, type ServerProcess } from '../support/server-process.js';
import { call, signIn } from '../support/api.js';
import { freshDatabase } from '../support/test-store.js';
import { typeParsers } from '../../server/store/postgres/open.js';

/**
 * Two real server processes on one PostgreSQL database, as behind a load
 * balancer: what one server writes, the other's next request sees; the
 * session limit holds across both; they share the JWT key kept in the database.
 */
const dir = mkdtempSync(join(tmpdir(), 'tab-two-servers-'));
let url: string;
let drop: () => Promise<void>;
let a: ServerProcess;
let b: ServerProcess;

beforeAll(async () => {
  ({ location: url, drop } = await freshDatabase(dir));
  // Started together: both migrate-check and create the shared key at once; only one of each can win.
  [a, b] = await Promise.all([spawnServer(['--db', url, '--seed-demo']), spawnServer(['--db', url])]);
}, SPAWN_TEST_TIMEOUT);

afterAll(async () => {
  for (const server of [a, b]) {
    server?.child.kill('SIGTERM');
    await server?.exited;
  }
  await drop();
  rmSync(dir, { recursive: true, force: true });
});

async function liveSessionsOf(email: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url, types: typeParsers });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string }>(
      `SELECT s.id FROM device_sessions s JOIN users u ON u.id = s.user_id WHERE u.email = $1 AND s.revoked_at IS NULL`,
      [email],
    );
    return rows.map((r) => r.id);
  } finally {
    await client.end();
  }
}

describe('two servers on one PostgreSQL database', () => {
  it('sign in on A, revoke on B: A’s very next request is 401 session_revoked; a token from A works on B (one shared key)', async () => {
    // Ben: the demo firm (--seed-demo) signs Ana in on three devices of her own.
    const onA = await signIn(a.url, 'ben@demo.test', { client: 'desktop', deviceName: 'Lost laptop' });
    const keeper = await signIn(b.url, 'ben@demo.test');
    // Warm A's kept account read, and prove B takes A's token.
    expect((await call(a.url, 'GET', '/api/v1/sessions', { headers: onA.auth })).body.sessions).toHaveLength(2);
    expect((await call(b.url, 'GET', '/api/v1/me', { headers: onA.auth })).status).toBe(200);

    expect((await call(b.url, 'DELETE', `/api/v1/sessions/${onA.session.id}`, { headers: keeper.auth })).status).toBe(204);

    for (const headers of [onA.auth, { cookie: `tab_session=${onA.cookie}` }]) {
      const refused = await call(a.url, 'GET', '/api/v1/me', { headers });
      expect(refused.status).toBe(401);
      expect(refused.body.error).toMatchObject({ code: 'session_revoked', reason: 'revoked_by_user' });
    }
    expect((await call(a.url, 'GET', '/api/v1/sessions', { headers: keeper.auth })).body.sessions.map((s: { id: string }) => s.id)).toEqual([keeper.session.id]);
  });

  it('while A is busy (its version reads share statements), a revocation answered by B is refused by every request A gets after it', async () => {
    const victim = await signIn(a.url, 'ana@demo.test', { client: 'desktop', deviceName: 'Busy laptop' });
    const keeper = await signIn(b.url, 'ana@demo.test');
    const bystander = await signIn(a.url, 'admin@demo.test');
    let revocationAnswered = false;
    let stop = false;
    const late: { status: number; body: any }[] = [];
    const bystanders: number[] = [];
    // Eight clients keep A busy with the victim's token, four with another user's: at any moment statements are in flight.
    const victimLoop = async () => {
      while (!stop) {
        const sentAfter = revocationAnswered;
        const answer = await call(a.url, 'GET', '/api/v1/me', { headers: victim.auth });
        if (sentAfter) late.push(answer);
      }
    };
    const bystanderLoop = async () => {
      while (!stop) bystanders.push((await call(a.url, 'GET', '/api/v1/sessions', { headers: bystander.auth })).status);
    };
    const loops = [...Array.from({ length: 8 }, victimLoop), ...Array.from({ length: 4 }, bystanderLoop)];
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await call(b.url, 'DELETE', `/api/v1/sessions/${victim.session.id}`, { headers: keeper.auth })).status).toBe(204);
    revocationAnswered = true;
    while (late.length < 80) await new Promise((resolve) => setTimeout(resolve, 10));
    stop = true;
    await Promise.all(loops);

    expect(late.filter((r) => r.status !== 401)).toEqual([]);
    expect(late.every((r) => r.body.error.code === 'session_revoked' && r.body.error.reason === 'revoked_by_user')).toBe(true);
    expect(bystanders.length).toBeGreaterThan(10);
    expect(bystanders.every((status) => status === 200)).toBe(true);
  }, 60_000);

  it('50 parallel sign-ins of one member spread over both, with maxConcurrentSessions 3: exactly 3 stay live, and they work on both', async () => {
    const admin = await signIn(a.url, 'admin@demo.test');
    const policy = { inactivityTimeoutMinutes: 10080, absoluteTimeoutDays: 30, maxConcurrentSessions: 3 };
    expect((await call(b.url, 'PUT', '/api/v1/admin/session-policy', { headers: admin.auth, body: policy })).status).toBe(200);

    // All 50 at once. Every sign-in is first reserved as an attempt under its email (issue #10: parallel attempts all
    // count, 10 per email), so those beyond the reservations in flight are refused with 429 before their password is
    // checked; the ones that get through are signed in, and the device limit holds whatever the interleaving.
    const attempts = await Promise.all(
      Array.from({ length: 50 }, (_, i) => signIn(i % 2 ? a.url : b.url, 'manager@demo.test').then((r) => ({ ok: true as const, r }), (e: Error) => ({ ok: false as const, e }))),
    );
    const refused = attempts.filter((x) => !x.ok).map((x) => (x as { e: Error }).e.message);
    expect(refused.every((m) => /failed: 429 .*too_many_attempts/.test(m)), refused.join('\n')).toBe(true);
    const results = attempts.flatMap((x) => (x.ok ? [x.r] : []));
    expect(results.length).toBeGreaterThanOrEqual(3);
    const live = await liveSessionsOf('manager@demo.test');
    expect(live).toHaveLength(3);
    for (const server of [a, b]) {
      const answers = await Promise.all(results.map((r) => call(server.url, 'GET', '/api/v1/me', { headers: r.auth })));
      expect(answers.filter((r) => r.status === 200)).toHaveLength(3);
      expect(answers.filter((r) => r.status === 401).every((r) => r.body.error.reason === 'session_limit')).toBe(true);
    }
  }, 60_000);
});

describe('a PostgreSQL URL that does not work', () => {
  it.each([
    ['postgres://tab@127.0.0.1:1/nowhere', /^TAB server could not start: Cannot use the PostgreSQL database at postgres:\/\/tab@127\.0\.0\.1:1\/nowhere: .*ECONNREFUSED/],
    ['postgres://', /^TAB server could not start: "postgres:\/\/" is not a PostgreSQL URL: use postgres:\/\/user\[:password\]@host\[:port\]\/database\.$/],
  ])('%s stops the server at start with one clear line', async (bad, message) => {
    const started = spawnServer(['--db', bad]);
    const error = await started.then(() => null, (e: Error) => e);
    expect(error?.message).toMatch(/server exited early/);
    const output = error!.message.replace(/^server exited early:\n/, '').trim();
    expect(output.split('\n')).toHaveLength(1);
    expect(output).toMatch(message);
  });

  it('never prints the password of the URL', async () => {
    const error = await spawnServer(['--db', 'postgres://tab:s3cret-pw@127.0.0.1:1/nowhere']).then(() => null, (e: Error) => e);
    expect(error?.message).toMatch(/could not start/);
    expect(error?.message).not.toContain('s3cret-pw');
  });
});
