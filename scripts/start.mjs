#!/usr/bin/env node
// `npm start`: build the web client, start the local server with the demo firm,
// then open the desktop app pointed at it. Where the Electron binary is not
// installed (our CI machines), say so plainly and print the web address.
//
// The desktop app runs from the staged copy dist/desktop-app (its own
// node_modules, keytar and better-sqlite3 rebuilt for Electron's ABI by
// `scripts/package-desktop.mjs --stage-only`), never from the repository,
// whose node_modules keeps the Node build the tests and the server load.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { desktopPlan } from './desktop-stage.mjs';

const require = createRequire(import.meta.url);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const stage = join(root, 'dist', 'desktop-app');
const port = process.env.TAB_PORT ?? '4000';
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(args, label) {
  console.log(`\n== ${label}`);
  const result = spawnSync(npm, args, { stdio: 'inherit', cwd: root });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function electronBinary() {
  try {
    const path = require('electron'); // the npm package answers the binary's path
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();
const plan = desktopPlan({ electronBinary: binary, noDesktop: process.env.TAB_NO_DESKTOP === '1' });

run(['run', '--silent', 'build:renderer'], 'Building the web client');

// Before the server starts (so its output is never held up behind a blocked pipe).
// Only where Electron can run: staging may `npm install` into dist/desktop-app and download Electron headers.
let staged = false;
if (plan.stage) {
  console.log('\n== Staging the desktop app (dist/desktop-app, native modules for Electron)');
  const result = spawnSync(process.execPath, [join(root, 'scripts', 'package-desktop.mjs'), '--stage-only', '--no-renderer-build'], {
    stdio: 'inherit',
    cwd: root,
  });
  staged = result.status === 0;
}

// In its own process group (POSIX), so that stopping reaches the server itself and
// not only npm: signalling npm alone left the server running (orphaned) after start.mjs exited.
const posix = process.platform !== 'win32';
const server = spawn(npm, ['run', '--silent', 'server', '--', '--port', port, '--seed-demo'], {
  cwd: root,
  stdio: ['ignore', 'pipe', 'inherit'],
  detached: posix,
});
let app = null;
let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  if (app && app.exitCode === null && app.signalCode === null) app.kill('SIGTERM');
  if (server.exitCode !== null || server.signalCode !== null) return;
  try {
    if (posix) process.kill(-server.pid, 'SIGINT'); // as Ctrl+C would: the server shuts down cleanly
    else server.kill('SIGTERM');
  } catch {
    // already gone
  }
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
process.on('SIGHUP', stop);
server.on('exit', (code) => process.exit(code ?? 0));

let started = false;
server.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  const match = /TAB server listening on (\S+)/.exec(String(chunk));
  if (match && !started) {
    started = true;
    openDesktop(match[1]);
  }
});

function openDesktop(url) {
  const webOnly = (reason) =>
    console.log(`\n${reason}\nOpen the web client instead: ${url}\n(Sign in with one of the demo users above. Ctrl+C stops the server.)`);
  if (plan.message) return webOnly(plan.message);
  if (!staged) return webOnly('The desktop app could not be staged (see above).');
  console.log(`\n== Opening the desktop app (server ${url}); the web client is at ${url} too.`);
  app = spawn(binary, [stage], { stdio: 'inherit', env: { ...process.env, TAB_SERVER_URL: url } });
  app.on('exit', stop);
}
