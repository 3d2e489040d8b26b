#!/usr/bin/env node
// Builds the desktop installers (see electron-builder.yml): renderer + main
// bundles, then a staged app folder (dist/desktop-app) so that
// electron-builder's native-module rebuild for Electron's ABI happens there and
// never touches the repo's node_modules (which the tests use with Node's ABI).
// Extra arguments go to electron-builder, e.g. `--linux`, `--mac`, `--win`.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const stage = join(root, 'dist', 'desktop-app');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

function run(cmd, args, options = {}) {
  console.log(`\n$ ${cmd} ${args.join(' ')}`);
  const result = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...options });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

run(npm, ['run', '--silent', 'build:renderer']);
run(npm, ['run', '--silent', 'build:electron'], { env: { ...process.env, NODE_ENV: 'production' } });
if (!existsSync(join(root, 'build', 'icon.png'))) run(process.execPath, ['scripts/make-icon.mjs']);

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
rmSync(stage, { recursive: true, force: true });
mkdirSync(join(stage, 'dist'), { recursive: true });
cpSync(join(root, 'dist', 'electron'), join(stage, 'dist', 'electron'), { recursive: true });
cpSync(join(root, 'dist', 'renderer'), join(stage, 'dist', 'renderer'), { recursive: true });
writeFileSync(
  join(stage, 'package.json'),
  JSON.stringify(
    {
      name: 'tab-desktop',
      productName: 'TAB',
      version: pkg.version,
      description: pkg.description,
      author: 'TAB',
      license: 'UNLICENSED',
      private: true,
      main: 'dist/electron/main.cjs',
      // Only what main.cjs requires at run time (everything else is bundled).
      dependencies: { keytar: pkg.dependencies.keytar, 'better-sqlite3': pkg.dependencies['better-sqlite3'] },
    },
    null,
    2,
  ),
);
// --ignore-scripts: no Node-ABI build here; electron-builder rebuilds keytar and better-sqlite3 for Electron next.
run(npm, ['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: stage });
run(npx, ['electron-builder', '--config', 'electron-builder.yml', '--publish', 'never', ...process.argv.slice(2)]);
