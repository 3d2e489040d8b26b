#!/usr/bin/env node
// `postinstall`: downloads the Electron binary, as installing `electron` did
// before Electron 42 (which dropped its own postinstall for a download on first
// use). Skipped with ELECTRON_SKIP_BINARY_DOWNLOAD=1 (machines that cannot
// download it, like our CI), and where `electron` is not installed at all
// (`npm ci --omit=dev` for a server). A failed download never fails the
// install: the server and the web client do not need Electron.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const installer = join(root, 'node_modules', 'electron', 'install.js');
const skip = process.env.ELECTRON_SKIP_BINARY_DOWNLOAD;

if (skip && skip !== '0' && skip !== 'false') {
  console.log('Electron binary not downloaded (ELECTRON_SKIP_BINARY_DOWNLOAD is set): the desktop app will not open on this machine.');
} else if (existsSync(installer)) {
  const result = spawnSync(process.execPath, [installer], { stdio: 'inherit', cwd: dirname(installer) });
  if (result.status !== 0) {
    console.warn('\nThe Electron binary could not be downloaded; the server and the web client work without it.');
    console.warn('Try again later with `npx install-electron --no` (see "Desktop development" in README.md).');
  }
}
