import { randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { call, signIn } from '../../support/api.js';
import { createServerClient } from '../../../electron/server-client.js';
import { TimeStore } from '../../../electron/time-queue/local-store.js';
import { TimeSyncer } from '../../../electron/time-queue/syncer.js';
import type { HttpRequest } from '../../../shared/api/client.js';
import type { TimeEntry } from '../../../shared/api/time.js';

export const tempDir = (prefix = 'tab-time-') => mkdtempSync(join(tmpdir(), prefix));

/** A client of the demo firm, created through the API by admin@demo.test. */
export async function createClientAsAdmin(url: string, name = `Client ${randomUUID().slice(0, 8)}`, hourlyRateCents = 12_000): Promise<{ id: string; name: string }> {
  const admin = await signIn(url, 'admin@demo.test');
  const res = await call(url, 'POST', '/api/v1/clients', { headers: admin.auth, body: { name, hourlyRateCents, currency: 'EUR' } });
  if (res.status !== 201 && res.status !== 200) throw new Error(`client creation failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; name: string };
}

export interface Worker {
  userId: string;
  token: string;
  /** Where the syncer sends: changeable, for a server that comes back on another port. */
  baseUrl: { current: string };
  send: (request: HttpRequest) => Promise<unknown>;
}

/** ana@demo.test (or another) signed in as a desktop client, with a `send` like main's server client. */
export async function signInWorker(url: string, email = 'ana@demo.test'): Promise<Worker> {
  const login = await signIn(url, email, { client: 'desktop', deviceName: 'Test laptop' });
  const baseUrl = { current: url };
  return {
    userId: login.user.id,
    token: login.token,
    baseUrl,
    send: (request) => createServerClient({ baseUrl: baseUrl.current, token: () => login.token, timeoutMs: 3000 }).send(request),
  };
}

/** The queue module as main uses it, on a data folder, without the auth controller in the way. */
export function openQueue(dataDir: string, origin: string, worker: Worker, now?: () => number): { store: TimeStore; syncer: TimeSyncer } {
  const store = new TimeStore({ dataDir, origin, userId: worker.userId, now });
  const syncer = new TimeSyncer({ store, send: worker.send, backoff: { initialMs: 50, maxMs: 200 } });
  return { store, syncer };
}

/** A crash snapshot: the database file with its WAL, copied while the instance is still open. */
export function copyDatabase(file: string, toDataDir: string): void {
  mkdirSync(join(toDataDir, 'time'), { recursive: true });
  for (const suffix of ['', '-wal', '-shm']) {
    if (existsSync(file + suffix)) copyFileSync(file + suffix, join(toDataDir, 'time', basename(file) + suffix));
  }
}

export async function serverEntries(url: string, worker: Worker, range: { from: string; to: string }): Promise<TimeEntry[]> {
  const res = await call(url, 'GET', `/api/v1/entries?from=${encodeURIComponent(range.from)}&to=${encodeURIComponent(range.to)}&limit=5000`, {
    headers: { authorization: `Bearer ${worker.token}` },
  });
  if (res.status !== 200) throw new Error(`list failed: ${res.status} ${JSON.stringify(res.body)}`);
  return (res.body as { entries: TimeEntry[] }).entries;
}

/** A settable clock for the local store (the server keeps its own). */
export function manualClock(startMs: number): { now: () => number; set: (ms: number) => void; advance: (ms: number) => void } {
  let current = startMs;
  return { now: () => current, set: (ms) => void (current = ms), advance: (ms) => void (current += ms) };
}
