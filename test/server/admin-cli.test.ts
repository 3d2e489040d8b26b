import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startTestServer } from '../support/test-server.js';
import { call } from '../support/api.js';
import { freshDatabase } from '../support/test-store.js';

const dir = mkdtempSync(join(tmpdir(), 'tab-cli-'));
/** The SQLite file, or a fresh PostgreSQL database: `--db` takes either. */
let db: string;
let drop: () => Promise<void>;
beforeAll(async () => {
  ({ location: db, drop } = await freshDatabase(dir));
});
afterAll(async () => {
  await drop();
  rmSync(dir, { recursive: true, force: true });
});

function admin(args: string[], stdin?: string) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'server/cli/admin.ts', ...args, '--db', db], {
    cwd: resolve(import.meta.dirname, '../..'),
    input: stdin,
    encoding: 'utf8',
  });
  return { status: r.status, out: r.stdout + r.stderr };
}

describe('admin CLI (npm run admin)', () => {
  it('creates a firm’s first user, lists users, resets a password; the server then signs them in', async () => {
    expect(admin(['list-users']).out).toMatch(/No users yet/);
    const created = admin(['create-user', '--email', 'Boss@Firm.example', '--name', 'Pat Boss', '--role', 'admin', '--workspace', 'Firm', '--password-stdin'], 'first-long-password\n');
    expect(created.status).toBe(0);
    expect(created.out).toMatch(/Created boss@firm\.example \(admin\) in "Firm"/);
    expect(admin(['list-users']).out).toMatch(/boss@firm\.example\s+admin\s+Firm\s+active/);
    expect(admin(['reset-password', '--email', 'boss@firm.example', '--password-stdin'], 'second-long-password').status).toBe(0);

    const server = await startTestServer({ dir, seed: false, dbLocation: db });
    try {
      const old = await call(server.url, 'POST', '/api/v1/auth/login', { body: { email: 'boss@firm.example', password: 'first-long-password' } });
      expect(old.status).toBe(401);
      const ok = await call(server.url, 'POST', '/api/v1/auth/login', { body: { email: 'boss@firm.example', password: 'second-long-password' } });
      expect(ok.status).toBe(200);
      expect(ok.body.user).toMatchObject({ role: 'admin', name: 'Pat Boss' });
    } finally {
      await server.close();
    }
    // Four CLI processes and a server start: generous on a loaded machine.
  }, 90_000);

  it.each([
    [['create-user', '--email', 'x@y.z', '--name', 'X', '--role', 'owner', '--workspace', 'W', '--password', 'long-enough-pw'], /--role must be one of/],
    [['create-user', '--email', 'x@y.z', '--name', 'X', '--role', 'admin', '--workspace', 'W', '--password', 'short'], /at least 10 characters/],
    [['create-user', '--email', 'boss@firm.example', '--name', 'X', '--role', 'admin', '--workspace', 'W', '--password', 'long-enough-pw'], /exists already/],
    [['reset-password', '--email', 'ghost@firm.example', '--password', 'long-enough-pw'], /No user has the email/],
    [['frobnicate'], /Unknown command/],
    [['list-users', '--bogus'], /Unknown option/],
  ])('refuses %j with a clear message and exit code 2', (args, message) => {
    const r = admin(args as string[]);
    expect(r.status).toBe(2);
    expect(r.out).toMatch(message);
  });
});
