#!/usr/bin/env node
// `npm start`: build the web client, start the local server with the demo firm,
// then open the desktop app pointed at it. Where the Electron binary is not
// installed (our CI machines), say so plainly and print the web address.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';

const require = createRequire(import.meta.url);
const port = process.env.TAB_PORT ?? '4000';
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(args, label) {
  console.log(`\n== ${label}`);
  const result = spawnSync(npm, args, { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

run(['run', '--silent', 'build:renderer'], 'Building the web client');

const server = spawn(npm, ['run', '--silent', 'server', '--', '--port', port, '--seed-demo'], { stdio: ['ignore', 'pipe', 'inherit'] });
const stop = () => server.kill('SIGTERM');
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
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

function electronBinary() {
  try {
    const path = require('electron'); // the npm package answers the binary's path
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

function openDesktop(url) {
  const binary = electronBinary();
  if (!binary || process.env.TAB_NO_DESKTOP === '1') {
    console.log(
      `\nThe Electron binary is not installed on this machine, so the desktop app cannot open here.\n` +
        `Open the web client instead: ${url}\n(Sign in with one of the demo users above. Ctrl+C stops the server.)`,
    );
    return;
  }
  const build = spawnSync(npm, ['run', '--silent', 'build:electron'], { stdio: 'inherit' });
  if (build.status !== 0) {
    console.log(`\nThe desktop app could not be built. Open the web client instead: ${url}`);
    return;
  }
  console.log(`\n== Opening the desktop app (server ${url}); the web client is at ${url} too.`);
  const app = spawn(binary, ['.'], { stdio: 'inherit', env: { ...process.env, TAB_SERVER_URL: url } });
  app.on('exit', stop);
}
