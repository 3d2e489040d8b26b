// How the npm scripts start and stop child processes on every OS (pure helpers
// plus two thin runners), tested with the platform injected in
// test/electron/process-tree.test.ts.
//
// - Windows refuses to spawn a .cmd/.bat without a shell since Node 20.12.2
//   (EINVAL, CVE-2024-27980): npm is run as `node <npm-cli.js>` instead of
//   `npm.cmd`, and the server as `node --import tsx …`, so no shell is needed.
// - Stopping ends the whole tree: on POSIX the child leads its own process
//   group and the group gets the signal; on Windows `taskkill /T /F` ends the
//   child and everything it started (Windows has no signals to forward).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { posix, win32 } from 'node:path';

/**
 * How to run npm without a shell: `node <npm-cli.js> …`.
 * @param {{ platform: NodeJS.Platform, execPath: string, npmExecPath?: string, exists?: (path: string) => boolean }} input
 * @returns {{ command: string, args: string[], shell: boolean }}
 */
export function npmCommand({ platform, execPath, npmExecPath, exists = existsSync }) {
  const path = platform === 'win32' ? win32 : posix;
  // Run through `npm run`/`npm start`, npm says where its CLI is.
  if (npmExecPath && /npm-cli\.c?js$/.test(npmExecPath)) return { command: execPath, args: [npmExecPath], shell: false };
  const candidates =
    platform === 'win32'
      ? [path.join(path.dirname(execPath), 'node_modules', 'npm', 'bin', 'npm-cli.js')]
      : [path.join(path.dirname(execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js'), path.join(path.dirname(execPath), 'node_modules', 'npm', 'bin', 'npm-cli.js')];
  const cli = candidates.find((candidate) => exists(candidate));
  if (cli) return { command: execPath, args: [cli], shell: false };
  // Last resort: npm from PATH. On Windows that is npm.cmd, which needs a shell (fixed arguments only).
  return platform === 'win32' ? { command: 'npm.cmd', args: [], shell: true } : { command: 'npm', args: [], shell: false };
}

/**
 * spawn() options for a child whose whole tree must be stoppable: on POSIX its
 * own process group (detached), on Windows no new console window.
 * @param {NodeJS.Platform} platform
 */
export function treeSpawnOptions(platform) {
  return platform === 'win32' ? { detached: false, windowsHide: true } : { detached: true };
}

/**
 * How to stop a child and everything it started.
 * @param {{ platform: NodeJS.Platform, pid: number, signal?: NodeJS.Signals }} input
 * @returns {{ kind: 'signal-group', pid: number, signal: NodeJS.Signals } | { kind: 'command', command: string, args: string[] }}
 */
export function treeKillPlan({ platform, pid, signal = 'SIGTERM' }) {
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`not a process id: ${pid}`);
  if (platform === 'win32') return { kind: 'command', command: 'taskkill', args: ['/pid', String(pid), '/T', '/F'] };
  return { kind: 'signal-group', pid: -pid, signal };
}

/** Stops `child` and its descendants (see treeKillPlan). Never throws: a tree already gone is stopped. */
export function killTree(child, signal = 'SIGTERM', platform = process.platform) {
  if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
  const plan = treeKillPlan({ platform, pid: child.pid, signal });
  try {
    if (plan.kind === 'command') spawnSync(plan.command, plan.args, { stdio: 'ignore', windowsHide: true });
    else process.kill(plan.pid, plan.signal);
  } catch {
    // already gone
  }
}

/**
 * The local server, as one process: Node with tsx's loader, not the tsx CLI
 * (which would start a second Node and leave it running when only the first is stopped).
 * @param {{ execPath: string, port: string, logFile: string }} input
 */
export function serverCommand({ execPath, port, logFile }) {
  return { command: execPath, args: ['--import', 'tsx', 'server/cli/main.ts', '--port', port, '--seed-demo', '--log-file', logFile] };
}
