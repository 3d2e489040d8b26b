/**
 * The desktop's offline-safe time queue (electron/time-queue/) against the real
 * in-process server: a crash mid-timer, the server down for a batch of writes,
 * and one refused entry that does not block the others.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { copyDatabase, createClientAsAdmin, manualClock, openQueue, serverEntries, signInWorker, tempDir, type Worker } from './support/time.js';
import { timeDbPath } from '../../electron/time-queue/local-schema.js';
import { TimeStore } from '../../electron/time-queue/local-store.js';
import type { HttpRequest } from '../../shared/api/client.js';
import type { TimeEntry } from '../../shared/api/time.js';

const HOUR = 3_600_000;
const MINUTE = 60_000;
const around = (ms: number) => ({ from: new Date(ms - 3 * 86_400_000).toISOString(), to: new Date(ms + 86_400_000).toISOString() });
const open: TimeStore[] = [];
const track = <T extends { store: TimeStore }>(q: T): T => {
  open.push(q.store);
  return q;
};

let server: TestServer;
let ana: Worker;

beforeAll(async () => {
  server = await startTestServer();
  ana = await signInWorker(server.url);
});

afterAll(async () => {
  for (const store of open) store.close();
  await server.close();
});

describe('local store', () => {
  it('keeps one database per server and user, in WAL mode, and refuses another owner', () => {
    const dir = tempDir();
    const a = timeDbPath(dir, 'http://127.0.0.1:4000', 'user-a');
    expect(a).toMatch(/[/\\]time[/\\][0-9a-f]{64}\.sqlite$/);
    expect(timeDbPath(dir, 'http://127.0.0.1:4000', 'user-b')).not.toBe(a);
    expect(timeDbPath(dir, 'https://tab.example.com', 'user-a')).not.toBe(a);
    const store = new TimeStore({ dataDir: dir, origin: 'http://127.0.0.1:4000', userId: 'user-a' });
    store.timerStart({ clientId: randomUUID(), description: 'x', billable: true });
    expect(existsSync(`${store.file}-wal`)).toBe(true);
    store.close();
  });

  it('writes locally first: start stops the running timer, in one step, and both are queued in order', () => {
    const clock = manualClock(Date.parse('2026-03-02T09:00:00Z'));
    const store = new TimeStore({ dataDir: tempDir(), origin: 'http://x.test', userId: 'u1', now: clock.now });
    const first = store.timerStart({ clientId: randomUUID(), description: 'first', billable: true });
    clock.advance(30 * MINUTE);
    const second = store.timerStart({ clientId: randomUUID(), description: 'second', billable: false });
    expect(store.runningTimer()).toEqual(second);
    expect(store.entry(first.id)).toMatchObject({ start: '2026-03-02T09:00:00.000Z', end: '2026-03-02T09:30:00.000Z' });
    expect(store.queue().map((q) => [q.operation, q.entryId])).toEqual([
      ['timer-start', first.id],
      ['timer-stop', first.id],
      ['timer-start', second.id],
    ]);
    // Idempotent on the id: the same start again changes nothing.
    expect(store.timerStart({ id: second.id, clientId: second.clientId, description: 'second', billable: false })).toEqual(second);
    expect(store.queue()).toHaveLength(3);
    // A stop in the same millisecond still ends strictly after the start.
    const stopped = store.timerStop();
    expect(Date.parse(stopped.end!)).toBeGreaterThan(Date.parse(stopped.start));
    expect(() => store.timerStop()).toThrow(/No timer is running/);
    store.close();
  });
});

describe('killed mid-timer', () => {
  for (const syncedBeforeCrash of [false, true]) {
    it(`${syncedBeforeCrash ? 'after the start synced' : 'before anything synced'}: reopen, stop, sync → exactly one correct entry`, async () => {
      const client = await createClientAsAdmin(server.url);
      const startMs = Date.now() - 2 * HOUR;
      const clock = manualClock(startMs);
      const dirA = tempDir();
      const first = track(openQueue(dirA, server.url, ana, clock.now));
      const started = first.store.timerStart({ clientId: client.id, description: 'Year-end close', billable: true });
      if (syncedBeforeCrash) {
        await first.syncer.flush();
        expect(first.store.pendingCount()).toBe(0);
      }
      // The crash: nothing closed, nothing checkpointed; the files are copied as they are on disk.
      const dirB = tempDir();
      copyDatabase(first.store.file, dirB);

      clock.set(startMs + 90 * MINUTE);
      const second = track(openQueue(dirB, server.url, ana, clock.now));
      expect(second.store.runningTimer()).toMatchObject({ id: started.id, start: started.start, end: null });
      const stopped = second.store.timerStop();
      await second.syncer.flush();

      expect(second.store.queue()).toEqual([]);
      expect(second.store.runningTimer()).toBeNull();
      const mine = (await serverEntries(server.url, ana, around(startMs))).filter((e) => e.clientId === client.id);
      expect(mine).toHaveLength(1);
      expect(mine[0]).toMatchObject({
        id: started.id,
        description: 'Year-end close',
        billable: true,
        start: new Date(startMs).toISOString(),
        end: new Date(startMs + 90 * MINUTE).toISOString(),
        hourlyRateCents: 12_000,
        currency: 'EUR',
        billedAt: null,
      });
      expect(stopped.end).toBe(mine[0]!.end);
      // The local copy is now the server's (priced) entry.
      expect(second.store.entry(started.id)).toMatchObject({ hourlyRateCents: 12_000, currency: 'EUR' });
      const dashboard = await (await fetch(`${server.url}/api/v1/dashboard`, { headers: { authorization: `Bearer ${ana.token}` } })).json();
      expect(dashboard.runningTimer).toBeNull();
    });
  }

  it('the dropped instance and a new one on the same folder agree (the queue is on disk before the call returns)', async () => {
    const client = await createClientAsAdmin(server.url);
    const dir = tempDir();
    const dropped = track(openQueue(dir, server.url, ana));
    const started = dropped.store.timerStart({ clientId: client.id, description: 'dropped', billable: false });
    const again = track(openQueue(dir, server.url, ana));
    expect(again.store.queue().map((q) => q.entryId)).toEqual([started.id]);
    again.store.timerStop({ id: started.id });
    await again.syncer.flush();
    const mine = (await serverEntries(server.url, ana, around(Date.now()))).filter((e) => e.clientId === client.id);
    expect(mine.map((e) => e.id)).toEqual([started.id]);
    expect(mine[0]!.end).not.toBeNull();
  });
});

describe('server down for a batch of writes', () => {
  it('keeps everything queued while unreachable, then syncs every write exactly once, in order', async () => {
    const dir = tempDir('tab-server-');
    const first = await startTestServer({ dir });
    const client = await createClientAsAdmin(first.url);
    const worker = await signInWorker(first.url);
    const sent: string[] = [];
    const recording: Worker = {
      ...worker,
      send: async (request: HttpRequest) => {
        const answer = await worker.send(request);
        sent.push(`${request.method} ${request.path} ${(request.body as { id?: string } | undefined)?.id ?? ''}`.trim());
        return answer;
      },
    };
    await first.close();

    const base = Date.now() - 10 * HOUR;
    const clock = manualClock(base);
    const q = track(openQueue(tempDir(), first.url, recording, clock.now));
    const expected = new Map<string, Partial<TimeEntry>>();
    const N = 6;
    let toDelete = '';
    let toUpdate = '';
    for (let i = 0; i < N; i++) {
      const timer = q.store.timerStart({ clientId: client.id, description: `timer ${i}`, billable: i % 2 === 0 });
      clock.advance(20 * MINUTE);
      const stopped = q.store.timerStop();
      expected.set(timer.id, { description: `timer ${i}`, start: timer.start, end: stopped.end, billable: i % 2 === 0 });
      clock.advance(5 * MINUTE);
      const id = randomUUID();
      const start = new Date(clock.now()).toISOString();
      const end = new Date(clock.now() + 30 * MINUTE).toISOString();
      q.store.saveEntry({ id, clientId: client.id, description: `manual ${i}`, start, end, billable: true });
      expected.set(id, { description: `manual ${i}`, start, end, billable: true });
      clock.advance(35 * MINUTE);
      if (i === 1) toDelete = id;
      if (i === 2) toUpdate = id;
    }
    const updated = { ...expected.get(toUpdate)! };
    q.store.saveEntry({ id: toUpdate, clientId: client.id, description: 'manual 2 (corrected)', start: updated.start!, end: updated.end!, billable: false });
    expected.set(toUpdate, { ...updated, description: 'manual 2 (corrected)', billable: false });
    q.store.deleteEntry(toDelete);
    expected.delete(toDelete);
    const queuedOrder = q.store.queue().map((row) => `${row.operation} ${row.entryId}`);
    expect(queuedOrder).toHaveLength(N * 3 + 2);

    await q.syncer.flush();
    expect(q.syncer.online).toBe(false);
    expect(q.store.pendingCount()).toBe(N * 3 + 2);
    expect(q.store.queue()[0]!.attempts).toBeGreaterThan(0);
    expect(q.store.queue().every((row) => row.refused === null)).toBe(true);

    const second = await startTestServer({ dir, seed: false });
    try {
      worker.baseUrl.current = second.url;
      await q.syncer.flush();
      expect(q.store.queue()).toEqual([]);
      expect(q.syncer.online).toBe(true);
      const onServer = (await serverEntries(second.url, worker, around(base))).filter((e) => e.clientId === client.id);
      expect(onServer.map((e) => e.id).sort()).toEqual([...expected.keys()].sort());
      for (const entry of onServer) expect(entry).toMatchObject(expected.get(entry.id)!);
      // In order: the calls follow the queue (leaving out the PATCH that puts a timer's local start or end back,
      // since the server stamps its own clock on a late sync); a second save of a synced entry is a PATCH.
      const timerIds = new Set(queuedOrder.filter((line) => line.startsWith('timer')).map((line) => line.split(' ')[1]));
      const calls = sent.filter((line) => !line.startsWith('GET') && !(line.startsWith('PATCH') && timerIds.has(line.split('/').pop())));
      const saved = new Set<string>();
      const asQueued = queuedOrder.map((line) => {
        const [operation, id] = line.split(' ');
        if (operation === 'timer-start') return `POST /api/v1/timer/start ${id}`;
        if (operation === 'timer-stop') return `POST /api/v1/timer/stop ${id}`;
        if (operation === 'save') {
          if (saved.has(id!)) return `PATCH /api/v1/entries/${id}`;
          saved.add(id!);
          return `POST /api/v1/entries ${id}`;
        }
        return `DELETE /api/v1/entries/${id}`;
      });
      expect(sent.filter((line) => line.startsWith('PATCH') && timerIds.has(line.split('/').pop())).length).toBe(N * 2);
      expect(calls).toEqual(asQueued);
      // A replayed sync (the same writes again) changes nothing on the server.
      const before = JSON.stringify(onServer);
      q.store.saveEntry({ id: toUpdate, clientId: client.id, description: 'manual 2 (corrected)', start: updated.start!, end: updated.end!, billable: false });
      await q.syncer.flush();
      const after = (await serverEntries(second.url, worker, around(base))).filter((e) => e.clientId === client.id);
      expect(after).toHaveLength(onServer.length);
      expect(JSON.stringify(after)).toBe(before);
    } finally {
      await second.close();
    }
  });
});

describe('a refused write', () => {
  it('is kept and marked, the others sync; fixing it or discarding it clears it', async () => {
    const client = await createClientAsAdmin(server.url);
    const q = track(openQueue(tempDir(), server.url, ana));
    const base = Date.now() - 5 * HOUR;
    const at = (m: number) => new Date(base + m * MINUTE).toISOString();
    const good1 = randomUUID();
    const unknownClient = randomUUID();
    const wrongClient = randomUUID();
    const backwards = randomUUID();
    const good2 = randomUUID();
    q.store.saveEntry({ id: good1, clientId: client.id, description: 'good 1', start: at(0), end: at(30), billable: true });
    // What only the server can judge (is this client mine?) is queued, and refused there.
    q.store.saveEntry({ id: unknownClient, clientId: randomUUID(), description: 'unknown client', start: at(30), end: at(60), billable: true });
    q.store.saveEntry({ id: wrongClient, clientId: randomUUID(), description: 'wrong client', start: at(60), end: at(90), billable: true });
    // What the shared rule says is refused at once, never queued to be refused later.
    expect(() => q.store.saveEntry({ id: backwards, clientId: client.id, description: 'backwards', start: at(120), end: at(90), billable: true })).toThrow(
      expect.objectContaining({ code: 'invalid_range', message: expect.stringMatching(/after/) }),
    );
    q.store.saveEntry({ id: good2, clientId: client.id, description: 'good 2', start: at(120), end: at(150), billable: false });

    await q.syncer.flush();
    const status = q.store.status(q.syncer.online);
    expect(status.online).toBe(true);
    expect(status.queue.map((w) => [w.entryId, w.refused?.code])).toEqual([
      [unknownClient, 'not_found'],
      [wrongClient, 'not_found'],
    ]);
    expect(status.queue[1]!.entry).toMatchObject({ description: 'wrong client' });
    let onServer = (await serverEntries(server.url, ana, around(base))).filter((e) => e.clientId === client.id);
    expect(onServer.map((e) => e.id).sort()).toEqual([good1, good2].sort());

    // The person fixes one (a new save of the same id replaces the refused write)…
    q.store.saveEntry({ id: wrongClient, clientId: client.id, description: 'wrong client, fixed', start: at(60), end: at(90), billable: true });
    // …and discards the other.
    expect(q.store.discardRefused(unknownClient)).toBe(1);
    expect(q.store.entry(unknownClient)).toBeNull();
    expect(q.store.discardRefused(unknownClient)).toBe(0);
    await q.syncer.flush();
    expect(q.store.queue()).toEqual([]);
    onServer = (await serverEntries(server.url, ana, around(base))).filter((e) => e.clientId === client.id);
    expect(onServer.map((e) => e.id).sort()).toEqual([good1, wrongClient, good2].sort());
    expect(onServer.find((e) => e.id === wrongClient)).toMatchObject({ start: at(60), end: at(90), description: 'wrong client, fixed' });
  });

  it('an edit of an entry the server has goes as PATCH; deleting it twice is fine', async () => {
    const client = await createClientAsAdmin(server.url);
    const q = track(openQueue(tempDir(), server.url, ana));
    const base = Date.now() - 7 * HOUR;
    const id = randomUUID();
    const entry = { id, clientId: client.id, description: 'draft', start: new Date(base).toISOString(), end: new Date(base + HOUR).toISOString(), billable: true };
    q.store.saveEntry(entry);
    await q.syncer.flush();
    expect(q.store.isOnServer(id)).toBe(true);
    q.store.saveEntry({ ...entry, description: 'final', hourlyRateCents: 9_000 });
    await q.syncer.flush();
    let onServer = (await serverEntries(server.url, ana, around(base))).filter((e) => e.clientId === client.id);
    expect(onServer).toEqual([expect.objectContaining({ id, description: 'final', hourlyRateCents: 9_000 })]);
    q.store.deleteEntry(id);
    q.store.deleteEntry(id);
    await q.syncer.flush();
    expect(q.store.queue()).toEqual([]);
    onServer = (await serverEntries(server.url, ana, around(base))).filter((e) => e.clientId === client.id);
    expect(onServer).toEqual([]);
  });
});
