import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SPAWN_TEST_TIMEOUT, spawnServer, type ServerProcess } from '../support/server-process.js';
import { call, signIn, type SignedIn } from '../support/api.js';
import { openEventStream } from '../support/event-stream.js';
import { clusterAdmin, freshDatabase } from '../support/test-store.js';

/**
 * Live events across servers (server/events/bus-event-hub.ts over
 * server/store/postgres/notify-bus.ts): two real server processes on one
 * PostgreSQL database. A revocation answered by A reaches the event stream B
 * holds; any other event type crosses the same way; B's listening connection
 * killed with pg_terminate_backend comes back and its streams re-check their
 * sessions; A killed with -9 right after answering a revocation loses
 * nothing, and B keeps serving.
 */
const dir = mkdtempSync(join(tmpdir(), 'tab-event-bus-'));
let url: string;
let drop: () => Promise<void>;
let a: ServerProcess;
let b: ServerProcess;
/** The generous bound for "arrives at once" on a loaded machine (the bench measures the real figure). */
const SOON_MS = 3000;

const databaseName = () => new URL(url).pathname.slice(1);

beforeAll(async () => {
  ({ location: url, drop } = await freshDatabase(dir));
  a = await spawnServer(['--db', url, '--seed-demo']);
  b = await spawnServer(['--db', url]);
}, SPAWN_TEST_TIMEOUT);

afterAll(async () => {
  await clusterAdmin().query(`ALTER DATABASE ${databaseName()} ALLOW_CONNECTIONS true`).catch(() => {});
  for (const server of [a, b]) {
    server?.child.kill('SIGKILL');
    await server?.exited;
  }
  await drop();
  rmSync(dir, { recursive: true, force: true });
});

const revoke = (by: SignedIn, victim: SignedIn, on: ServerProcess) => call(on.url, 'DELETE', `/api/v1/sessions/${victim.session.id}`, { headers: by.auth });

describe('events across two servers on one PostgreSQL database', () => {
  it('a revocation answered by A reaches the stream B holds, at once; other event types cross the same way', async () => {
    const keeper = await signIn(a.url, 'ana@demo.test');
    const victim = await signIn(a.url, 'ana@demo.test', { client: 'desktop', deviceName: 'Lost laptop' });
    const keeperStream = await openEventStream(b.url, keeper.auth);
    const victimStream = await openEventStream(b.url, victim.auth);
    expect(victimStream.status).toBe(200);

    // A new sign-in on A: B's streams of the same user hear session.created.
    const created = keeperStream.next('session.created', SOON_MS);
    const third = await signIn(a.url, 'ana@demo.test');
    expect((await created).data.session.id).toBe(third.session.id);

    const revoked = victimStream.next('session.revoked', SOON_MS);
    const sentAt = performance.now();
    expect((await revoke(keeper, victim, a)).status).toBe(204);
    const event = await revoked;
    expect(event.data).toEqual({ type: 'session.revoked', sessionId: victim.session.id, reason: 'revoked_by_user' });
    expect(event.at - sentAt).toBeLessThan(SOON_MS);
    await victimStream.ended; // B ended the revoked device's stream
    keeperStream.close();
  });

  it('B’s listening connection killed: it comes back, and its streams (one opened meanwhile too) re-check their sessions', async () => {
    const keeper = await signIn(a.url, 'ben@demo.test');
    const early = await signIn(a.url, 'ben@demo.test');
    const late = await signIn(a.url, 'ben@demo.test');
    const earlyStream = await openEventStream(b.url, early.auth);
    expect((await call(b.url, 'GET', '/api/v1/me', { headers: late.auth })).status).toBe(200); // B's pool is warm
    const earlyRevoked = earlyStream.next('session.revoked', 30_000);

    // Keep B's listener from coming back at once: no new connections to the database for now.
    const admin = clusterAdmin();
    await admin.query(`ALTER DATABASE ${databaseName()} ALLOW_CONNECTIONS false`);
    const killed = await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = $2`, [
      databaseName(),
      `tab-event-listener:${b.child.pid}`,
    ]);
    expect(killed.rowCount).toBe(1);
    // A stream opened while B cannot hear, and two revocations B's listener misses.
    const lateStream = await openEventStream(b.url, late.auth);
    expect(lateStream.status).toBe(200);
    const lateRevoked = lateStream.next('session.revoked', 30_000);
    expect((await revoke(keeper, early, a)).status).toBe(204);
    expect((await revoke(keeper, late, a)).status).toBe(204);
    await new Promise((r) => setTimeout(r, 500));
    expect(earlyStream.events.filter((e) => e.type === 'session.revoked')).toEqual([]); // B really missed them

    await admin.query(`ALTER DATABASE ${databaseName()} ALLOW_CONNECTIONS true`);
    const [e1, e2] = await Promise.all([earlyRevoked, lateRevoked]);
    expect(e1.data).toMatchObject({ sessionId: early.session.id, reason: 'revoked_by_user' });
    expect(e2.data).toMatchObject({ sessionId: late.session.id, reason: 'revoked_by_user' });
    // Listening again: the next revocation arrives by the bus.
    const again = await signIn(a.url, 'ben@demo.test');
    const againStream = await openEventStream(b.url, again.auth);
    const againRevoked = againStream.next('session.revoked', SOON_MS);
    expect((await revoke(keeper, again, a)).status).toBe(204);
    expect((await againRevoked).data.sessionId).toBe(again.session.id);
    expect(b.output()).toMatch(/tab-event-listener connection was lost; reconnecting/);
  }, 60_000);

  it('A killed with -9 right after answering a revocation: B’s stream still hears it, and B keeps serving', async () => {
    const keeper = await signIn(a.url, 'manager@demo.test');
    const victim = await signIn(a.url, 'manager@demo.test');
    const victimStream = await openEventStream(b.url, victim.auth);
    const revoked = victimStream.next('session.revoked', SOON_MS);
    expect((await revoke(keeper, victim, a)).status).toBe(204);
    a.child.kill('SIGKILL');
    expect((await revoked).data).toMatchObject({ sessionId: victim.session.id, reason: 'revoked_by_user' });
    await a.exited;
    // Nothing lost, and B goes on: the revocation holds there, the keeper works, new sign-ins work.
    expect((await call(b.url, 'GET', '/api/v1/me', { headers: victim.auth })).status).toBe(401);
    expect((await call(b.url, 'GET', '/api/v1/me', { headers: keeper.auth })).status).toBe(200);
    expect((await signIn(b.url, 'manager@demo.test')).session.id).toBeTruthy();
  });
});
