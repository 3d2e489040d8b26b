/** How the npm scripts spawn and stop processes: Windows paths with the platform injected, and a real tree kill here. */
import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { killTree, npmCommand, serverCommand, treeKillPlan, treeSpawnOptions } from '../../scripts/process-tree.mjs';

const root = join(import.meta.dirname, '..', '..');

describe('npmCommand: npm without a shell-less .cmd spawn', () => {
  it('Windows: node + npm-cli.js next to node.exe, never npm.cmd without a shell', () => {
    const cli = 'C:\\Program Files\\nodejs\\node_modules\\npm\\bin\\npm-cli.js';
    const command = npmCommand({ platform: 'win32', execPath: 'C:\\Program Files\\nodejs\\node.exe', exists: (p) => p === cli });
    expect(command).toEqual({ command: 'C:\\Program Files\\nodejs\\node.exe', args: [cli], shell: false });
  });

  it('Windows, run through npm: the npm_execpath npm gives', () => {
    const viaNpm = 'C:\\Users\\ana\\AppData\\Roaming\\nvm\\v22\\node_modules\\npm\\bin\\npm-cli.js';
    expect(npmCommand({ platform: 'win32', execPath: 'C:\\node\\node.exe', npmExecPath: viaNpm, exists: () => false })).toEqual({
      command: 'C:\\node\\node.exe',
      args: [viaNpm],
      shell: false,
    });
  });

  it('Windows without a findable npm-cli.js: npm.cmd, but only with a shell (Node ≥ 20.12.2 refuses it otherwise)', () => {
    expect(npmCommand({ platform: 'win32', execPath: 'C:\\node\\node.exe', exists: () => false })).toEqual({ command: 'npm.cmd', args: [], shell: true });
  });

  it('macOS/Linux: npm-cli.js under ../lib/node_modules, else npm from PATH (no shell either way)', () => {
    const cli = '/usr/local/lib/node_modules/npm/bin/npm-cli.js';
    expect(npmCommand({ platform: 'darwin', execPath: '/usr/local/bin/node', exists: (p) => p === cli })).toEqual({ command: '/usr/local/bin/node', args: [cli], shell: false });
    expect(npmCommand({ platform: 'linux', execPath: '/usr/bin/node', exists: () => false })).toEqual({ command: 'npm', args: [], shell: false });
  });

  it('a yarn or pnpm npm_execpath is not taken for npm', () => {
    expect(npmCommand({ platform: 'linux', execPath: '/usr/bin/node', npmExecPath: '/usr/lib/node_modules/pnpm/bin/pnpm.cjs', exists: () => false }).command).toBe('npm');
  });

  it('here, it really runs npm', () => {
    const npm = npmCommand({ platform: process.platform, execPath: process.execPath, npmExecPath: process.env.npm_execpath });
    const result = spawnSync(npm.command, [...npm.args, '--version'], { encoding: 'utf8', shell: npm.shell });
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('the scripts spawn no npm.cmd or npx.cmd of their own', () => {
    for (const file of ['scripts/start.mjs', 'scripts/package-desktop.mjs']) {
      const text = readFileSync(join(root, file), 'utf8');
      expect(text, file).not.toMatch(/['"]np[mx]\.cmd['"]/);
      expect(text, file).not.toMatch(/shell:\s*true/);
    }
  });
});

describe('stopping a whole tree', () => {
  it('Windows: taskkill /T /F on the child; POSIX: the signal to its process group', () => {
    expect(treeKillPlan({ platform: 'win32', pid: 4242 })).toEqual({ kind: 'command', command: 'taskkill', args: ['/pid', '4242', '/T', '/F'] });
    expect(treeKillPlan({ platform: 'darwin', pid: 4242, signal: 'SIGINT' })).toEqual({ kind: 'signal-group', pid: -4242, signal: 'SIGINT' });
    expect(treeKillPlan({ platform: 'linux', pid: 7 })).toEqual({ kind: 'signal-group', pid: -7, signal: 'SIGTERM' });
    expect(() => treeKillPlan({ platform: 'linux', pid: 0 })).toThrow();
  });

  it('children lead their own group on POSIX (so the group can be signalled), and open no console on Windows', () => {
    expect(treeSpawnOptions('linux')).toEqual({ detached: true });
    expect(treeSpawnOptions('darwin')).toEqual({ detached: true });
    expect(treeSpawnOptions('win32')).toEqual({ detached: false, windowsHide: true });
  });

  it('the server is one Node process (tsx as a loader, not the tsx CLI, which would start a second one)', () => {
    const command = serverCommand({ execPath: '/usr/bin/node', port: '4000', logFile: 'data/tab-server.log' });
    expect(command.command).toBe('/usr/bin/node');
    expect(command.args.slice(0, 3)).toEqual(['--import', 'tsx', 'server/cli/main.ts']);
    expect(command.args).toEqual(expect.arrayContaining(['--log-file', 'data/tab-server.log', '--seed-demo']));
  });

  it.skipIf(process.platform === 'win32')('here: a child and the grandchild it started both end', async () => {
    // The child starts a grandchild and prints its pid; killing only the child would leave the grandchild running.
    const child = spawn(
      process.execPath,
      ['-e', "const c = require('child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' }); console.log(c.pid); setInterval(() => {}, 1000);"],
      { stdio: ['ignore', 'pipe', 'ignore'], ...treeSpawnOptions(process.platform) },
    );
    const grandchild = await new Promise<number>((resolve) => child.stdout!.once('data', (d) => resolve(Number(String(d).trim()))));
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    expect(alive(grandchild)).toBe(true);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    killTree(child, 'SIGTERM');
    await exited;
    const deadline = Date.now() + 5000;
    while (alive(grandchild) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(alive(grandchild)).toBe(false);
  });
});
