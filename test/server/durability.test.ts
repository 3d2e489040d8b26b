import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer } from '../support/test-server.js';
import { SPAWN_TEST_TIMEOUT, spawnServer } from '../support/server-process.js';
import { call, signIn } from '../support/api.js';
import { jwtKeyPath } from '../../server/security/jwt-secret.js';
import { freshDatabase, onPostgres } from '../support/test-store.js';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'tab-durable-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('durability', () => {
  it('a restart on the same file finds every session and revocation intact, and the same JWT still works', async () => {
    const dir = tempDir();
    const first = await startTestServer({ dir });
    const a = await signIn(first.url, 'ana@demo.test');
    const b = await signIn(first.url, 'ana@demo.test', { client: 'desktop', deviceName: 'Office PC' });
    const c = await signIn(first.url, 'ana@demo.test');
    expect((await call(first.url, 'DELETE', `/api/v1/sessions/${c.session.id}`, { headers: a.auth })).status).toBe(204);
    const listBefore = (await call(first.url, 'GET', '/api/v1/sessions', { headers: a.auth })).body.sessions;
    await first.close();

    const second = await startTestServer({ dir, seed: false });
    try {
      const listAfter = await call(second.url, 'GET', '/api/v1/sessions', { headers: a.auth });
      expect(listAfter.status).toBe(200);
      expect(listAfter.body.sessions.map((s: { id: string; label: string }) => [s.id, s.label])).toEqual(listBefore.map((s: { id: string; label: string }) => [s.id, s.label]));
      expect((await call(second.url, 'GET', '/api/v1/me', { headers: b.auth })).status).toBe(200);
      expect((await call(second.url, 'GET', '/api/v1/me', { headers: { cookie: `tab_session=${b.cookie}` } })).status).toBe(200);
      const revoked = await call(second.url, 'GET', '/api/v1/me', { headers: c.auth });
      expect(revoked.status).toBe(401);
      expect(revoked.body.error.code).toBe('session_revoked');
    } finally {
      await second.close();
    }
  });

  it('kill -9 right after a revoke response: after a restart the revocation is still there', async () => {
    const dir = tempDir();
    const { location: db } = await freshDatabase(dir);
    const first = await spawnServer(['--db', db, '--seed-demo']);
    const keeper = await signIn(first.url, 'ben@demo.test');
    const victim = await signIn(first.url, 'ben@demo.test');
    const res = await call(first.url, 'DELETE', `/api/v1/sessions/${victim.session.id}`, { headers: keeper.auth });
    expect(res.status).toBe(204);
    first.child.kill('SIGKILL');
    await first.exited;

    const second = await spawnServer(['--db', db]);
    try {
      const after = await call(second.url, 'GET', '/api/v1/me', { headers: victim.auth });
      expect(after.status).toBe(401);
      expect(after.body.error).toMatchObject({ code: 'session_revoked', reason: 'revoked_by_user' });
      expect((await call(second.url, 'GET', '/api/v1/me', { headers: keeper.auth })).status).toBe(200);
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
    // Two server processes started one after the other: generous on a loaded machine.
  }, 90_000);

  // SQLite only (the WAL file): not registered on the PostgreSQL run, so that run's skips are only ones that mean something.
  const itOnSqlite = onPostgres ? () => undefined : it;

  itOnSqlite('SIGTERM closes the server and the database cleanly (exit 0, WAL checkpointed away)', async () => {
    const dir = tempDir();
    const db = join(dir, 'tab.sqlite');
    const server = await spawnServer(['--db', db, '--seed-demo']);
    await signIn(server.url, 'ana@demo.test');
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    // better-sqlite3 checkpoints and removes the WAL when the last connection closes.
    expect(() => statSync(`${db}-wal`)).toThrow();
    expect(statSync(jwtKeyPath(db)).mode & 0o777).toBe(0o600);
  }, SPAWN_TEST_TIMEOUT);

  it('refuses a bad --port with a clear message and exit code 2', async () => {
    await expect(spawnServer(['--port', 'abc'])).rejects.toThrow(/--port must be a number/);
  });
});
