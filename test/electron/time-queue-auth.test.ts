/**
 * The time queue driven by the auth controller (as main wires them), with the
 * OS keychain under scripts/with-keyring.sh: a revocation signs out but keeps
 * the unsynced writes; the same user signing in again drains them; another
 * user of the computer never sees them. Plus the IPC handlers of the time
 * channels over the real service.
 */
import type { SignedInView } from '../../shared/ipc/contract.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { RestartableServer, type RunningServer } from './support/server.js';
import { createTestDesktop, testKeychain, type TestDesktop } from './support/desktop.js';
import { createClientAsAdmin, serverEntries, tempDir, type Worker } from './support/time.js';
import { TimeService } from '../../electron/time-queue/time-service.js';
import { timeDbPath } from '../../electron/time-queue/local-schema.js';
import { TimeStore } from '../../electron/time-queue/local-store.js';
import { keychainAccounts, KEYCHAIN_SERVICE } from '../../electron/credential-store.js';
import type { SyncStatus } from '../../shared/ipc/contract.js';
import { ipcCaller } from './support/ipc.js';
import { signIn as webSignIn } from '../support/api.js';

const PASSWORD = 'demo-pass-2026';
const keychain = testKeychain();
if (!keychain.real) console.log(`[time-queue-auth] using an in-memory keytar: ${keychain.skipReason}`);

let server: RestartableServer;
let running: RunningServer;
const cleanups: (() => void)[] = [];

async function forgetKeychain() {
  await keychain.keytar.deletePassword(KEYCHAIN_SERVICE, keychainAccounts(server.url).jwt).catch(() => false);
  await keychain.keytar.deletePassword(KEYCHAIN_SERVICE, keychainAccounts(server.url).cookie).catch(() => false);
}

/** A desktop as main wires it, on a fresh data folder and an empty keychain (no earlier test's sign-in restored). */
async function desktopWithTime(dataDir = tempDir('tab-desktop-data-')): Promise<{ d: TestDesktop; time: TimeService; pushes: SyncStatus[] }> {
  await forgetKeychain();
  const d = createTestDesktop({ serverUrl: server.url, keytar: keychain.keytar, dataDir });
  const time = new TimeService({ dataDir, auth: d.controller, log: process.env.DEBUG_TIME ? { log: (l, m, f) => console.log(l, m, JSON.stringify(f)) } : undefined, backoff: { initialMs: 50, maxMs: 200 }, pushDelayMs: 5 });
  const pushes: SyncStatus[] = [];
  time.onSyncChanged((status) => pushes.push(status));
  time.attach();
  cleanups.push(() => {
    d.controller.dispose();
    time.dispose();
  });
  return { d, time, pushes };
}

async function until<T>(what: string, read: () => T | Promise<T>, ok: (value: T) => boolean, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

beforeAll(async () => {
  server = new RestartableServer();
  running = await server.start();
});

afterAll(async () => {
  for (const cleanup of cleanups) cleanup();
  await forgetKeychain();
  await server.dispose();
});

describe('time queue and sign-in state', () => {
  it('a revocation keeps the queue; another user never sees it; the same user signing in again drains it', async () => {
    const client = await createClientAsAdmin(server.url);
    const { d, time, pushes } = await desktopWithTime();
    await d.controller.start();
    const signedIn = (await d.controller.signIn({ email: 'ana@demo.test', password: PASSWORD })) as SignedInView;
    const anaId = signedIn.user.id;
    expect(time.getSyncStatus()).toMatchObject({ queue: [], online: true });

    // Revoked without an event: the queue's first call is what finds out (401).
    await running.deps.store.revokeSession(
      signedIn.session.id,
      { at: Date.now(), by: null, reason: 'revoked_by_admin' },
      { workspaceId: signedIn.user.workspaceId, type: 'session_revoked', at: Date.now(), sessionId: signedIn.session.id },
    );
    const base = Date.now() - 3 * 3_600_000;
    const manualId = randomUUID();
    const timer = time.timerStart({ clientId: client.id, description: 'while revoked', billable: true });
    const manual = time.saveEntry({
      id: manualId,
      clientId: client.id,
      description: 'manual while revoked',
      start: new Date(base).toISOString(),
      end: new Date(base + 3_600_000).toISOString(),
      billable: false,
    });
    expect(timer.end).toBeNull();
    expect(manual.id).toBe(manualId);
    expect(await d.waitForState((s) => s.status === 'signed-out')).toMatchObject({ reason: 'revoked_by_admin' });
    // Signed out: nothing shown, nothing writable, but the file is still there with both writes.
    expect(time.getSyncStatus().queue).toEqual([]);
    expect(() => time.timerStart({ clientId: client.id, description: 'x', billable: true })).toThrow(expect.objectContaining({ status: 401 }));
    const anaFile = timeDbPath(d.dataDir, server.url, anaId);
    expect(existsSync(anaFile)).toBe(true);
    const peek = new TimeStore({ dataDir: d.dataDir, origin: server.url, userId: anaId });
    expect(peek.queue().map((q) => q.operation)).toEqual(['timer-start', 'save']);
    peek.close();

    // Another user of this computer: their own (empty) queue, never Ana's.
    const ben = (await d.controller.signIn({ email: 'ben@demo.test', password: PASSWORD })) as SignedInView;
    expect(time.getSyncStatus()).toMatchObject({ queue: [], runningTimer: null });
    expect(time.currentStore!.file).not.toBe(anaFile);
    expect(() => time.discardQueuedWrite({ entryId: manualId })).toThrow(expect.objectContaining({ code: 'not_found' }));
    await d.controller.signOut();

    // Ana again: the queue drains.
    await d.controller.signIn({ email: 'ana@demo.test', password: PASSWORD });
    await until('the queue to drain', () => time.getSyncStatus(), (s) => s.queue.length === 0 && s.runningTimer?.currency === 'EUR');
    const anaWorker = { token: (await webSignIn(server.url, 'ana@demo.test')).token } as Worker;
    const onServer = (await serverEntries(server.url, anaWorker, { from: new Date(base - 86_400_000).toISOString(), to: new Date(Date.now() + 86_400_000).toISOString() })).filter(
      (e) => e.clientId === client.id,
    );
    expect(onServer.map((e) => e.id).sort()).toEqual([manualId, timer.id].sort());
    expect(onServer.find((e) => e.id === manualId)).toMatchObject({ description: 'manual while revoked', billable: false });
    // The renderer was pushed the changes, and never anything of another user.
    expect(pushes.length).toBeGreaterThan(0);
    expect(pushes.at(-1)).toMatchObject({ queue: [], online: true });
    expect(JSON.stringify(pushes)).not.toContain(ben.user.id);
    expect(time.timerStop({}).end).not.toBeNull();
    await time.flush();
    expect(time.getSyncStatus()).toMatchObject({ queue: [], runningTimer: null });
  });

  it('offline (server down): writes still land locally and return at once; back online they sync', async () => {
    const client = await createClientAsAdmin(server.url);
    const { d, time } = await desktopWithTime();
    await d.controller.start();
    await d.controller.signIn({ email: 'ana@demo.test', password: PASSWORD });
    await running.stop();
    try {
      const t0 = performance.now();
      const start = time.timerStart({ clientId: client.id, description: 'on the train', billable: true });
      expect(performance.now() - t0).toBeLessThan(200);
      expect(start.end).toBeNull();
      await d.waitForState((s) => s.status === 'offline');
      expect(time.getSyncStatus()).toMatchObject({ online: false, queue: [{ operation: 'timer-start', refused: null, entry: { description: 'on the train' } }] });
      const stop = time.timerStop({});
      expect(stop).toMatchObject({ end: expect.any(String) });
      expect(time.getSyncStatus().queue).toHaveLength(2);
      expect(time.getSyncStatus().runningTimer).toBeNull();
    } finally {
      running = await server.start();
    }
    await d.waitForState((s) => s.status === 'signed-in', 10_000);
    await until('the queue to drain', () => time.getSyncStatus(), (s) => s.queue.length === 0 && s.online, 10_000);
  });
});

describe('IPC handlers of the time channels', () => {
  it('validate strictly (the server’s schemas) and go through the service', async () => {
    const client = await createClientAsAdmin(server.url);
    const { d, time } = await desktopWithTime();
    const call = ipcCaller({ controller: d.controller, time });
    await d.controller.start();
    expect(await call('timerStart', { clientId: client.id, description: 'x', billable: true })).toMatchObject({ ok: false, error: { status: 401 } });
    await d.controller.signIn({ email: 'ana@demo.test', password: PASSWORD });

    const invalid = { ok: false, error: { status: 400, code: 'invalid_request' } };
    expect(await call('timerStart', { clientId: 'nope', description: 'x', billable: true })).toMatchObject(invalid);
    expect(await call('timerStart', { clientId: client.id, description: 'x', billable: 'yes' })).toMatchObject(invalid);
    expect(await call('timerStart', { clientId: client.id, description: 'x'.repeat(2001), billable: true })).toMatchObject(invalid);
    expect(await call('timerStart', { clientId: client.id, description: 'x', billable: true, userId: 'someone' })).toMatchObject(invalid);
    expect(await call('timerStart')).toMatchObject(invalid);
    expect(await call('timerStart', { clientId: client.id, description: 'x', billable: true }, 'extra')).toMatchObject(invalid);
    expect(await call('timerStop', { id: 'not-a-uuid' })).toMatchObject(invalid);
    expect(await call('timerStop', 'now')).toMatchObject(invalid);
    const entry = { id: randomUUID(), clientId: client.id, description: 'x', start: '2026-03-02T09:00:00Z', end: '2026-03-02T10:00:00+01:00', billable: true };
    // End before start: the server's rule (shared), answered by the local queue before the server sees it.
    expect(await call('saveEntry', entry)).toMatchObject({ ok: false, error: { status: 400, code: 'invalid_range' } });
    expect(await call('saveEntry', { ...entry, end: '2026-04-03T10:00:00Z' })).toMatchObject({ ok: false, error: { status: 400, code: 'invalid_range' } });
    expect(await call('saveEntry', { ...entry, start: '1999-12-31T09:00:00Z', end: null })).toMatchObject(invalid);
    expect(await call('saveEntry', { ...entry, start: '2026-03-02 09:00' })).toMatchObject(invalid);
    expect(await call('saveEntry', { ...entry, start: '2026-02-30T09:00:00Z' })).toMatchObject(invalid);
    expect(await call('saveEntry', { ...entry, end: undefined })).toMatchObject(invalid);
    expect(await call('saveEntry', { ...entry, end: '2026-03-02T11:00:00Z', hourlyRateCents: 1.5 })).toMatchObject(invalid);
    expect(await call('saveEntry', { ...entry, end: '2026-03-02T11:00:00Z', hourlyRateCents: -1 })).toMatchObject(invalid);
    expect(await call('deleteEntry', { id: 'x' })).toMatchObject(invalid);
    expect(await call('discardQueuedWrite', { id: randomUUID() })).toMatchObject(invalid);
    expect(await call('getSyncStatus', 'x')).toMatchObject(invalid);
    await expect(call.from({ senderFrame: { url: 'https://evil.example/', parent: null } })('timerStart', { clientId: client.id, description: 'x', billable: true })).rejects.toThrow(/refused/);
    expect(time.getSyncStatus().queue).toEqual([]);

    const id = randomUUID().toUpperCase();
    const started = await call('timerStart', { id, clientId: client.id.toUpperCase(), description: 'via IPC', billable: true });
    expect(started).toMatchObject({ ok: true, value: { id: id.toLowerCase(), clientId: client.id, end: null } });
    expect(await call('timerStop', {})).toMatchObject({ ok: true, value: { id: id.toLowerCase() } });
    expect(await call('timerStop', {})).toMatchObject({ ok: false, error: { status: 404, code: 'not_found' } });
    const saved = await call('saveEntry', { ...entry, end: '2026-03-02T11:00:00Z', clientId: randomUUID() });
    expect(saved).toMatchObject({ ok: true });
    await time.flush();
    const status = (await call('getSyncStatus')) as { ok: true; value: SyncStatus };
    expect(status.value.queue).toEqual([expect.objectContaining({ entryId: entry.id, refused: expect.objectContaining({ code: 'not_found' }) })]);
    expect(await call('discardQueuedWrite', { entryId: entry.id })).toEqual({ ok: true, value: null });
    expect(await call('deleteEntry', { id: id.toLowerCase() })).toEqual({ ok: true, value: null });
    await time.flush();
    expect(time.getSyncStatus().queue).toEqual([]);
  });
});
