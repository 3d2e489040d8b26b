#!/usr/bin/env node
// Builds the desktop installers (see electron-builder.yml): renderer + main
// bundles, then a staged app folder (dist/desktop-app) so that
// electron-builder's native-module rebuild for Electron's ABI happens there and
// never touches the repo's node_modules (which the tests use with Node's ABI).
// Extra arguments go to electron-builder, e.g. `--linux`, `--mac`, `--win`.
//
// `--stage-only` (used by `npm start` where the Electron binary is installed):
// stage dist/desktop-app and rebuild its keytar and better-sqlite3 for this
// Electron with @electron/rebuild, without building installers; the install
// and rebuild are skipped while the staged copy is up to date (same Electron,
// platform, arch and dependency ranges; see scripts/desktop-stage.mjs).
// `--no-renderer-build`: dist/renderer was just built by the caller.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  STAGE_DEPENDENCIES,
  STAGE_NATIVE_BINARIES,
  STAMP_FILE,
  parsePackageArgs,
  stagePackageJson,
  stageStamp,
  stageStatus,
} from './desktop-stage.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const stage = join(root, 'dist', 'desktop-app');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const options = parsePackageArgs(process.argv.slice(2));

function run(cmd, args, runOptions = {}) {
  console.log(`\n$ ${cmd} ${args.join(' ')}`);
  const result = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...runOptions });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
}

/** dist/electron and dist/renderer (fresh copies) and package.json; node_modules is left as it is. */
function copyApp(manifest) {
  rmSync(join(stage, 'dist'), { recursive: true, force: true });
  mkdirSync(join(stage, 'dist'), { recursive: true });
  cpSync(join(root, 'dist', 'electron'), join(stage, 'dist', 'electron'), { recursive: true });
  cpSync(join(root, 'dist', 'renderer'), join(stage, 'dist', 'renderer'), { recursive: true });
  writeFileSync(join(stage, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
}

// --ignore-scripts: no Node-ABI build in the staged folder; the Electron build comes next.
const installArgs = ['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'];

async function stageForRun(manifest) {
  const electronPkg = readJson(createRequire(import.meta.url).resolve('electron/package.json'));
  if (!electronPkg?.version) throw new Error('cannot read the installed Electron version (node_modules/electron/package.json)');
  const electronVersion = electronPkg.version;

  mkdirSync(stage, { recursive: true });
  copyApp(manifest);

  const stampPath = join(stage, STAMP_FILE);
  const expected = stageStamp({ electronVersion, platform: process.platform, arch: process.arch, dependencies: manifest.dependencies });
  const nativeBinariesPresent = () => STAGE_NATIVE_BINARIES.every((file) => existsSync(join(stage, file)));
  const status = stageStatus(readJson(stampPath), expected, { nativeBinariesPresent: nativeBinariesPresent() });
  if (status.upToDate) {
    console.log(`\nStaged desktop app ${stage}: ${status.reason}, no rebuild.`);
    return;
  }
  console.log(`\nStaged desktop app ${stage}: ${status.reason}; installing and rebuilding native modules for Electron ${electronVersion}.`);
  rmSync(stampPath, { force: true });
  run(npm, installArgs, { cwd: stage });

  // node-gyp must fetch Electron's headers: a nodedir (npm config, e.g. one pointing at the local Node
  // headers for offline builds) would make it build against Node's ABI again.
  delete process.env.npm_config_nodedir;
  delete process.env.NPM_CONFIG_NODEDIR;
  const { rebuild } = await import('@electron/rebuild'); // electron-builder's own rebuilder (a dependency of app-builder-lib)
  await rebuild({
    buildPath: stage,
    // Without it, the module search walks up the folders: keep it inside the staged copy, never the repo's node_modules.
    projectRootPath: stage,
    electronVersion,
    onlyModules: [...STAGE_DEPENDENCIES],
    mode: 'sequential',
  });
  if (!nativeBinariesPresent()) throw new Error(`the rebuild did not produce ${STAGE_NATIVE_BINARIES.join(', ')}`);
  writeFileSync(stampPath, `${JSON.stringify(expected, null, 2)}\n`);
  console.log(`Staged desktop app rebuilt for Electron ${electronVersion}.`);
}

if (options.buildRenderer) run(npm, ['run', '--silent', 'build:renderer']);
// A run from the staged copy keeps the source maps; installers are built for production.
run(npm, ['run', '--silent', 'build:electron'], options.stageOnly ? {} : { env: { ...process.env, NODE_ENV: 'production' } });

const manifest = stagePackageJson(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')));

if (options.stageOnly) {
  try {
    await stageForRun(manifest);
  } catch (error) {
    console.error(`\nCould not stage the desktop app: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
} else {
  if (!existsSync(join(root, 'build', 'icon.png'))) run(process.execPath, ['scripts/make-icon.mjs']);
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(stage, { recursive: true });
  copyApp(manifest);
  run(npm, installArgs, { cwd: stage });
  // electron-builder rebuilds keytar and better-sqlite3 for Electron (npmRebuild).
  run(npx, ['electron-builder', '--config', 'electron-builder.yml', '--publish', 'never', ...options.builderArgs]);
}
