/** `--log-file`: the request log goes to a file, the terminal keeps the banner and shows warnings only (what `npm start` uses). */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SPAWN_TEST_TIMEOUT, spawnServer, type ServerProcess } from '../support/server-process.js';
import { consoleLine, fileLogStream } from '../../server/cli/log-file.js';
import { parseServerArgs } from '../../server/cli/args.js';

const dir = mkdtempSync(join(tmpdir(), 'tab-log-file-'));
let server: ServerProcess | null = null;

afterAll(async () => {
  if (server) {
    server.child.kill('SIGINT');
    await server.exited;
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('server --log-file', () => {
  it('is a flag of the server CLI', () => {
    expect(parseServerArgs(['--log-file', 'data/x.log'], {}).logFile).toBe('data/x.log');
    expect(parseServerArgs([], {}).logFile).toBeUndefined();
  });

  it('requests go to the file; the terminal keeps the demo banner and the address', async () => {
    const logFile = join(dir, 'logs', 'tab-server.log');
    server = await spawnServer(['--db', join(dir, 'tab.sqlite'), '--seed-demo', '--log-file', logFile], { TAB_LOG_LEVEL: 'info' });
    for (let i = 0; i < 3; i++) await fetch(`${server.url}/api/v1/me`);
    server.child.kill('SIGINT');
    await server.exited;
    const terminal = server.output();
    server = null;
    expect(terminal).toContain('ana@demo.test');
    expect(terminal).toMatch(/TAB server listening on http/);
    expect(terminal).not.toContain('incoming request');
    expect(terminal).not.toContain('/api/v1/me');
    const lines = readFileSync(logFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { msg: string; req?: { url: string } });
    expect(lines.filter((l) => l.req?.url === '/api/v1/me')).toHaveLength(3);
  }, SPAWN_TEST_TIMEOUT);

  it('warnings and errors are printed, briefly; info is not', async () => {
    expect(consoleLine(JSON.stringify({ level: 30, msg: 'incoming request' }))).toBeNull();
    expect(consoleLine(JSON.stringify({ level: 40, msg: 'slow write' }))).toBe('[warn] slow write');
    expect(consoleLine(JSON.stringify({ level: 50, msg: 'request failed', err: { message: 'boom' } }))).toBe('[error] request failed — boom');
    const printed: string[] = [];
    const file = join(dir, 'direct.log');
    const stream = fileLogStream(file, (line) => printed.push(line));
    await new Promise<void>((r) => stream.write(`${JSON.stringify({ level: 30, msg: 'a' })}\n${JSON.stringify({ level: 40, msg: 'b' })}\n`, () => r()));
    await new Promise<void>((r) => stream.end(r));
    expect(printed).toEqual(['[warn] b']);
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(2);
  });
});
