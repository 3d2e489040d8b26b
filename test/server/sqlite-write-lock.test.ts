import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { call, signIn } from '../support/api.js';

const repoRoot = resolve(import.meta.dirname, '../..');

/**
 * Another OS process takes SQLite's write lock (BEGIN IMMEDIATE, as the admin
 * CLI or a script on the same file could) and keeps it for `ms`. Resolves once
 * the lock is held; `released` resolves when the process has committed and exited.
 */
async function holdWriteLock(file: string, ms: number) {
  const script = `const db = require('better-sqlite3')(process.argv[1]);
    db.exec('BEGIN IMMEDIATE');
    db.prepare('UPDATE workspaces SET name = name').run();
    console.log('held');
    setTimeout(() => { db.exec('COMMIT'); db.close(); }, Number(process.argv[2]));`;
  const child = spawn(process.execPath, ['-e', script, file, String(ms)], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
  const released = new Promise<number>((r) => child.on('exit', () => r(performance.now())));
  await new Promise<void>((r, reject) => {
    child.stdout.on('data', (chunk) => String(chunk).includes('held') && r());
    child.on('exit', (code) => reject(new Error(`the lock holder exited early (${code})`)));
  });
  return { heldAt: performance.now(), released };
}

/** Polls /healthz (and, through the store, an authenticated read) until `until` resolves; answers each poll's latency and status. */
async function pollWhile(server: TestServer, auth: Record<string, string>, until: Promise<unknown>) {
  let done = false;
  void until.then(() => (done = true));
  const polls: { path: string; status: number; ms: number }[] = [];
  while (!done) {
    for (const [path, headers] of [['/healthz', {}], ['/api/v1/sessions', auth]] as const) {
      const started = performance.now();
      const res = await call(server.url, 'GET', path, { headers });
      polls.push({ path, status: res.status, ms: performance.now() - started });
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return polls;
}

describe('another process holding the SQLite write lock', () => {
  it('never freezes the server; a write waits for the lock (7 s) and completes after it; past 10 s it answers 503 server_busy, never 500', async () => {
    const [short, long] = await Promise.all([startTestServer(), startTestServer()]);
    try {
      const [a, b] = await Promise.all([signIn(short.url, 'ana@demo.test'), signIn(long.url, 'ana@demo.test')]);
      const [shortHold, longHold] = await Promise.all([holdWriteLock(short.dbFile, 7_000), holdWriteLock(long.dbFile, 12_000)]);

      const writes = Promise.all([
        (async () => {
          const res = await call(short.url, 'PATCH', '/api/v1/me', { body: { timeZone: 'Europe/Lisbon' }, headers: a.auth });
          return { res, at: performance.now() };
        })(),
        (async () => {
          const started = performance.now();
          const res = await call(long.url, 'PATCH', '/api/v1/me', { body: { timeZone: 'Europe/Lisbon' }, headers: b.auth });
          return { res, waitedMs: performance.now() - started };
        })(),
      ]);
      const [shortPolls, longPolls] = await Promise.all([pollWhile(short, a.auth, shortHold.released), pollWhile(long, b.auth, longHold.released)]);
      const [shortWrite, longWrite] = await writes;

      for (const polls of [shortPolls, longPolls]) {
        expect(polls.length).toBeGreaterThan(20);
        expect(polls.every((p) => p.status === 200)).toBe(true);
        // Answered throughout, never held up anywhere near the lock's length (generous: this machine is shared).
        expect(Math.max(...polls.map((p) => p.ms))).toBeLessThan(1_500);
      }

      // Done after the holder committed, and as asked.
      expect(shortWrite.res.status).toBe(200);
      expect(shortWrite.at).toBeGreaterThanOrEqual((await shortHold.released) - 1_000);
      expect((await call(short.url, 'GET', '/api/v1/me', { headers: a.auth })).body.user.timeZone).toBe('Europe/Lisbon');

      expect(longWrite.res.status).toBe(503);
      expect(longWrite.res.body.error.code).toBe('server_busy');
      expect(Number(longWrite.res.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(longWrite.waitedMs).toBeGreaterThan(9_000);
      // Nothing was half-written, and once the lock is gone writes work again.
      expect((await call(long.url, 'GET', '/api/v1/me', { headers: b.auth })).body.user.timeZone).toBe('UTC');
      expect((await call(long.url, 'PATCH', '/api/v1/me', { body: { timeZone: 'Europe/Lisbon' }, headers: b.auth })).status).toBe(200);
    } finally {
      await Promise.all([short.close(), long.close()]);
    }
  }, 60_000);
});
