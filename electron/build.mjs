#!/usr/bin/env node
// `npm run build:electron`: bundles the main process and the preload with
// esbuild into dist/electron (CommonJS: a sandboxed preload must be CJS, and
// the root package.json is "type": "module", hence .cjs). Native and Electron
// modules stay external: they are loaded at run time from node_modules (in the
// packaged app, the copies electron-builder rebuilt for Electron's ABI).
import { build } from 'esbuild';
import { cpSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// `--outdir <dir>`: elsewhere than dist/electron (the stand-in tests build their own copy, next to a dist/renderer link).
const at = process.argv.indexOf('--outdir');
const outdir = at === -1 ? resolve(root, 'dist/electron') : resolve(process.argv[at + 1]);
const production = process.env.NODE_ENV === 'production';

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node22',
  sourcemap: production ? false : 'linked',
  legalComments: 'none',
  logLevel: 'info',
  // electron-updater is loaded only in packaged builds with a feed (and itself requires electron).
  external: ['electron', 'keytar', 'better-sqlite3', 'electron-updater'],
  outExtension: { '.js': '.cjs' },
  outdir,
};

await build({ ...common, entryPoints: { main: resolve(root, 'electron/main.ts') } });
await build({ ...common, entryPoints: { preload: resolve(root, 'electron/preload/preload.ts') } });
// The tray / menu-bar icons (made by scripts/make-icon.mjs), next to main.cjs.
cpSync(resolve(root, 'electron/assets'), resolve(outdir, 'assets'), { recursive: true });
console.log(`desktop main and preload bundled to ${outdir}`);
