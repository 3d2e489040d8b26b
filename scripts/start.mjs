#!/usr/bin/env node
// `npm start`: build the web client, start the local server with the demo firm,
// then open the desktop app pointed at it. Where the Electron binary is not
// installed (our CI machines), say so plainly and print the web address.
//
// - The server's request log goes to a file beside its database
//   (data/tab-server.log); only warnings reach this terminal, so the banner
//   with the demo users stays on screen.
// - No `.cmd` is spawned without a shell (Windows refuses that): npm runs as
//   `node npm-cli.js`, the server as `node --import tsx`, Electron directly.
// - Ctrl+C, the app's window closing, or the server ending stop everything:
//   each child's whole process tree (scripts/process-tree.mjs).
//
// The desktop app runs from the staged copy dist/desktop-app (its own
// node_modules, keytar and better-sqlite3 rebuilt for Electron's ABI by
// `scripts/package-desktop.mjs --stage-only`), never from the repository,
// whose node_modules keeps the Node build the tests and the server load.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { desktopPlan, installedElectronBinary } from './desktop-stage.mjs';
import { killTree, npmCommand, serverCommand, treeSpawnOptions } from './process-tree.mjs';

const require = createRequire(import.meta.url);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const stage = join(root, 'dist', 'desktop-app');
const port = process.env.TAB_PORT ?? '4000';
const dbFile = resolve(root, process.env.TAB_DB ?? join('data', 'tab.sqlite'));
const logFile = join(dirname(dbFile), 'tab-server.log');
const shownLog = relative(root, logFile).startsWith('..') ? logFile : relative(root, logFile);
const npm = npmCommand({ platform: process.platform, execPath: process.execPath, npmExecPath: process.env.npm_execpath });

function fail(message) {
  console.error(`\nnpm start: ${message}`);
  process.exit(1);
}

function runNpm(args, label) {
  console.log(`\n== ${label}`);
  const result = spawnSync(npm.command, [...npm.args, ...args], { stdio: 'inherit', cwd: root, shell: npm.shell });
  if (result.error) fail(`could not run npm (${result.error.message}).`);
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function electronBinary() {
  let electronDir;
  try {
    electronDir = dirname(require.resolve('electron/package.json'));
  } catch {
    return null;
  }
  const readText = (path) => {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return null;
    }
  };
  return installedElectronBinary({ electronDir, env: process.env, exists: existsSync, readText, join });
}

const binary = electronBinary();
const plan = desktopPlan({ electronBinary: binary, noDesktop: process.env.TAB_NO_DESKTOP === '1' });

runNpm(['run', '--silent', 'build:renderer'], 'Building the web client');

// Before the server starts (so its output is never held up behind a blocked pipe).
// Only where Electron can run: staging may `npm ci` into dist/desktop-app and download Electron headers.
let staged = false;
if (plan.stage) {
  console.log('\n== Staging the desktop app (dist/desktop-app, native modules for Electron)');
  const result = spawnSync(process.execPath, [join(root, 'scripts', 'package-desktop.mjs'), '--stage-only', '--no-renderer-build'], { stdio: 'inherit', cwd: root });
  staged = result.status === 0;
}

mkdirSync(dirname(logFile), { recursive: true });
const serverCmd = serverCommand({ execPath: process.execPath, port, logFile });
const server = spawn(serverCmd.command, [...serverCmd.args, '--db', dbFile], {
  cwd: root,
  stdio: ['ignore', 'pipe', 'inherit'],
  ...treeSpawnOptions(process.platform),
});
server.on('error', (error) => fail(`could not start the server (${error.message}).`));

let app = null;
let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  killTree(app, 'SIGTERM');
  // SIGINT, as Ctrl+C would: the server closes its streams and the database cleanly (Windows: taskkill /T /F).
  killTree(server, 'SIGINT');
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
process.on('SIGHUP', stop);
process.on('exit', () => {
  killTree(app, 'SIGKILL');
  killTree(server, 'SIGKILL');
});
server.on('exit', (code, signal) => {
  if (!stopping && code !== 0) console.error(`\nThe server stopped (${signal ?? `exit code ${code}`}); see ${shownLog}.`);
  stop();
  process.exit(stopping ? 0 : (code ?? 1));
});

let started = false;
server.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  const match = /TAB server listening on (\S+)/.exec(String(chunk));
  if (match && !started) {
    started = true;
    console.log(`Request log: ${shownLog} (only warnings are shown here).`);
    openDesktop(match[1]);
  }
});

function openDesktop(url) {
  const webOnly = (reason) =>
    console.log(`\n${reason}\nOpen the web client instead: ${url}\n(Sign in with one of the demo users above. Ctrl+C stops the server.)`);
  if (plan.message) return webOnly(plan.message);
  if (!staged) return webOnly('The desktop app could not be staged (see above).');
  console.log(`\n== Opening the desktop app (server ${url}); the web client is at ${url} too.`);
  app = spawn(binary, [stage], { stdio: 'inherit', env: { ...process.env, TAB_SERVER_URL: url }, ...treeSpawnOptions(process.platform) });
  app.on('error', (error) => webOnly(`The desktop app could not start (${error.message}).`));
  app.on('exit', stop);
}
