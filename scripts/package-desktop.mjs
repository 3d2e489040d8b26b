#!/usr/bin/env node
// Builds the desktop installers (see electron-builder.yml): renderer + main
// bundles, then a staged app folder (dist/desktop-app) so that the native
// modules are rebuilt for Electron's ABI there and never in the repo's
// node_modules (which the tests use with Node's ABI). The staged folder gets
// its own package.json (dependencies pinned to the root lockfile's versions)
// and a package-lock.json derived from the root one, installed with `npm ci`.
// Arguments: `--mac`, `--win`, `--linux` (default: this platform), `--dir`
// (unpacked, no installer). Signing, notarization and the update feed come from
// the environment (scripts/signing.mjs).
//
// `--stage-only` (used by `npm start` where the Electron binary is installed):
// stage dist/desktop-app and rebuild its keytar and better-sqlite3 for this
// Electron with @electron/rebuild, without building installers; the install
// and rebuild are skipped while the staged copy is up to date (same Electron,
// platform, arch and pinned versions; see scripts/desktop-stage.mjs).
// `--no-renderer-build`: dist/renderer was just built by the caller.
//
// No `.cmd` is spawned (Windows refuses them without a shell): npm runs as
// `node npm-cli.js`, electron-builder through its JavaScript API.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import {
  STAGE_DEPENDENCIES,
  STAGE_NATIVE_BINARIES,
  STAMP_FILE,
  parsePackageArgs,
  stageLockfile,
  stagePackageJson,
  stageStamp,
  stageStatus,
} from './desktop-stage.mjs';
import { npmCommand } from './process-tree.mjs';
import { publishPlan, signingPlan } from './signing.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const stage = join(root, 'dist', 'desktop-app');
const options = parsePackageArgs(process.argv.slice(2));
const npm = npmCommand({ platform: process.platform, execPath: process.execPath, npmExecPath: process.env.npm_execpath });

function run(command, args, runOptions = {}) {
  console.log(`\n$ ${[command, ...args].join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: root, shell: false, ...runOptions });
  if (result.error) {
    console.error(`Could not run ${command}: ${result.error.message}`);
    process.exit(1);
  }
  if (result.status !== 0) process.exit(result.status ?? 1);
}
const runNpm = (args, runOptions = {}) => run(npm.command, [...npm.args, ...args], { shell: npm.shell, ...runOptions });

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
}

/** dist/electron and dist/renderer (fresh copies), package.json and package-lock.json; node_modules is left as it is. */
function copyApp(manifest, lockfile) {
  rmSync(join(stage, 'dist'), { recursive: true, force: true });
  mkdirSync(join(stage, 'dist'), { recursive: true });
  cpSync(join(root, 'dist', 'electron'), join(stage, 'dist', 'electron'), { recursive: true });
  cpSync(join(root, 'dist', 'renderer'), join(stage, 'dist', 'renderer'), { recursive: true });
  writeFileSync(join(stage, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(join(stage, 'package-lock.json'), `${JSON.stringify(lockfile, null, 2)}\n`);
}

// --ignore-scripts: no Node-ABI build in the staged folder; the Electron build comes next.
const ciArgs = ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'];

async function stageForRun(manifest, lockfile) {
  const electronPkg = readJson(createRequire(import.meta.url).resolve('electron/package.json'));
  if (!electronPkg?.version) throw new Error('cannot read the installed Electron version (node_modules/electron/package.json)');
  const electronVersion = electronPkg.version;

  mkdirSync(stage, { recursive: true });
  copyApp(manifest, lockfile);

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
  runNpm(ciArgs, { cwd: stage });

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
    onlyModules: STAGE_DEPENDENCIES.filter((name) => STAGE_NATIVE_BINARIES.some((file) => file.startsWith(`node_modules/${name}/`))),
    mode: 'sequential',
  });
  if (!nativeBinariesPresent()) throw new Error(`the rebuild did not produce ${STAGE_NATIVE_BINARIES.join(', ')}`);
  writeFileSync(stampPath, `${JSON.stringify(expected, null, 2)}\n`);
  console.log(`Staged desktop app rebuilt for Electron ${electronVersion}.`);
}

/** electron-builder.yml plus what the environment says about signing and the update feed, per platform built. */
function builderConfig(platforms) {
  const config = parseYaml(readFileSync(join(root, 'electron-builder.yml'), 'utf8'));
  const notes = [];
  for (const platform of platforms) {
    const signing = signingPlan({ platform, env: process.env });
    notes.push(...signing.notes);
    for (const [key, value] of Object.entries(signing.config)) config[key] = { ...(config[key] ?? {}), ...value };
    const publish = publishPlan({ env: process.env, signed: signing.signed, platform });
    if (publish.note) notes.push(publish.note);
    if (publish.publish) config[platform] = { ...(config[platform] ?? {}), publish: publish.publish };
  }
  return { config, notes };
}

function platformsOf(args) {
  const picked = [['--mac', 'mac'], ['-m', 'mac'], ['--win', 'win'], ['-w', 'win'], ['--linux', 'linux'], ['-l', 'linux']]
    .filter(([flag]) => args.includes(flag))
    .map(([, platform]) => platform);
  if (picked.length > 0) return [...new Set(picked)];
  return [process.platform === 'darwin' ? 'mac' : process.platform === 'win32' ? 'win' : 'linux'];
}

if (options.buildRenderer) runNpm(['run', '--silent', 'build:renderer']);
// A run from the staged copy keeps the source maps; installers are built for production.
runNpm(['run', '--silent', 'build:electron'], options.stageOnly ? {} : { env: { ...process.env, NODE_ENV: 'production' } });

const rootLock = readJson(join(root, 'package-lock.json'));
const manifest = stagePackageJson(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')), rootLock);
const lockfile = stageLockfile(rootLock, manifest);

if (options.stageOnly) {
  try {
    await stageForRun(manifest, lockfile);
  } catch (error) {
    console.error(`\nCould not stage the desktop app: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
} else {
  if (!existsSync(join(root, 'build', 'icon.png'))) run(process.execPath, ['scripts/make-icon.mjs']);
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(stage, { recursive: true });
  copyApp(manifest, lockfile);
  runNpm(ciArgs, { cwd: stage });
  const platforms = platformsOf(options.builderArgs);
  const { config, notes } = builderConfig(platforms);
  for (const note of notes) console.warn(`note: ${note}`);
  // electron-builder rebuilds keytar and better-sqlite3 for Electron (npmRebuild), signs, notarizes.
  const { build } = await import('electron-builder');
  await build({
    config,
    publish: 'never',
    dir: options.builderArgs.includes('--dir'),
    ...Object.fromEntries(platforms.map((platform) => [platform, []])),
  });
}
