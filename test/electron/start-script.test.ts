/**
 * The decisions of `npm start` and `scripts/package-desktop.mjs` (scripts/desktop-stage.mjs):
 * pure, plus one real `npm ci` of the staged app from its derived lockfile. No Electron.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  STAGE_DEPENDENCIES,
  STAGE_NATIVE_BINARIES,
  desktopPlan,
  installedElectronBinary,
  lockedVersion,
  parsePackageArgs,
  stageLockfile,
  stagePackageJson,
  stageStamp,
  stageStatus,
} from '../../scripts/desktop-stage.mjs';
import { npmCommand } from '../../scripts/process-tree.mjs';

const root = join(import.meta.dirname, '..', '..');
const rootPkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const rootLock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));

const stamp = stageStamp({
  electronVersion: '45.5.0',
  platform: 'linux',
  arch: 'x64',
  dependencies: { keytar: '7.9.0', 'better-sqlite3': '12.11.1', 'electron-updater': '6.8.10' },
});

describe('desktopPlan (npm start)', () => {
  it('without the Electron binary: no staging, a plain message that says how to get it', () => {
    const plan = desktopPlan({ electronBinary: null, noDesktop: false });
    expect(plan.stage).toBe(false);
    expect(plan.message).toMatch(/Electron binary is not installed/);
    expect(plan.message).toMatch(/npx install-electron --no/);
  });

  it('TAB_NO_DESKTOP=1: no staging even with the binary', () => {
    expect(desktopPlan({ electronBinary: '/x/electron', noDesktop: true })).toMatchObject({ stage: false });
  });

  it('with the binary: stage, then open', () => {
    expect(desktopPlan({ electronBinary: '/x/electron', noDesktop: false })).toEqual({ stage: true, message: null });
  });
});

describe('stageStatus (is dist/desktop-app up to date for this Electron?)', () => {
  const present = { nativeBinariesPresent: true };

  it('same stamp and the addons present: up to date', () => {
    expect(stageStatus(structuredClone(stamp), stamp, present)).toMatchObject({ upToDate: true });
  });

  it('never staged, or an unreadable stamp', () => {
    expect(stageStatus(null, stamp, present)).toEqual({ upToDate: false, reason: 'not staged yet' });
    expect(stageStatus('garbage', stamp, present).upToDate).toBe(false);
  });

  it('the addons were deleted', () => {
    expect(stageStatus(stamp, stamp, { nativeBinariesPresent: false })).toMatchObject({ upToDate: false, reason: expect.stringMatching(/missing/) });
  });

  it('another Electron version, platform or arch', () => {
    expect(stageStatus({ ...stamp, electronVersion: '45.4.1' }, stamp, present)).toMatchObject({
      upToDate: false,
      reason: expect.stringContaining('45.4.1'),
    });
    expect(stageStatus({ ...stamp, platform: 'darwin' }, stamp, present).upToDate).toBe(false);
    expect(stageStatus({ ...stamp, arch: 'arm64' }, stamp, present).upToDate).toBe(false);
  });

  it('a pinned dependency version changed, was added or removed', () => {
    expect(stageStatus({ ...stamp, dependencies: { ...stamp.dependencies, 'better-sqlite3': '11.0.0' } }, stamp, present)).toMatchObject({
      upToDate: false,
      reason: expect.stringContaining('better-sqlite3'),
    });
    expect(stageStatus({ ...stamp, dependencies: { keytar: '7.9.0' } }, stamp, present).upToDate).toBe(false);
    expect(stageStatus({ ...stamp, dependencies: { ...stamp.dependencies, extra: '1' } }, stamp, present).upToDate).toBe(false);
    expect(stageStatus({ ...stamp, dependencies: undefined }, stamp, present).upToDate).toBe(false);
  });
});

describe('the staged package.json and its lockfile', () => {
  it('main is the bundled main; keytar, better-sqlite3 and electron-updater are its only dependencies, pinned to the root lockfile', () => {
    const manifest = stagePackageJson(rootPkg, rootLock);
    expect(manifest.main).toBe('dist/electron/main.cjs');
    expect(manifest.productName).toBe('TAB');
    expect(manifest.version).toBe(rootPkg.version);
    expect(Object.keys(manifest.dependencies).sort()).toEqual([...STAGE_DEPENDENCIES].sort());
    for (const name of STAGE_DEPENDENCIES) {
      expect(manifest.dependencies[name]).toBe(rootLock.packages[`node_modules/${name}`].version);
      expect(manifest.dependencies[name]).toMatch(/^\d+\.\d+\.\d+$/);
    }
    expect(manifest).not.toHaveProperty('devDependencies');
    expect(manifest).not.toHaveProperty('scripts');
  });

  it('keytar is optional for server and web installs, but a pinned dependency of the desktop app', () => {
    expect(rootPkg.dependencies).not.toHaveProperty('keytar');
    expect(rootPkg.optionalDependencies).toHaveProperty('keytar');
    expect(stagePackageJson(rootPkg, rootLock).dependencies.keytar).toBe(lockedVersion(rootLock, 'keytar'));
  });

  it('refuses a root package.json or lockfile without one of them', () => {
    expect(() => stagePackageJson({ ...rootPkg, dependencies: {}, optionalDependencies: {}, devDependencies: {} }, rootLock)).toThrow(/keytar|better-sqlite3/);
    const lock = structuredClone(rootLock);
    delete lock.packages['node_modules/better-sqlite3'];
    expect(() => stagePackageJson(rootPkg, lock)).toThrow(/better-sqlite3/);
  });

  it('an addon is checked for every staged native module', () => {
    for (const name of ['keytar', 'better-sqlite3']) expect(STAGE_NATIVE_BINARIES.some((file) => file.startsWith(`node_modules/${name}/`))).toBe(true);
  });

  it('the derived lockfile holds exactly the dependency closure, at the root lockfile’s versions and places', () => {
    const manifest = stagePackageJson(rootPkg, rootLock);
    const lock = stageLockfile(rootLock, manifest);
    expect(lock.lockfileVersion).toBe(3);
    expect(lock.packages['']).toMatchObject({ name: 'tab-desktop', dependencies: manifest.dependencies });
    const paths = Object.keys(lock.packages).filter((p) => p !== '');
    for (const name of STAGE_DEPENDENCIES) expect(paths).toContain(`node_modules/${name}`);
    for (const path of paths) {
      const entry = lock.packages[path]!;
      expect(entry.version, path).toBe(rootLock.packages[path].version);
      expect(entry.integrity, path).toBe(rootLock.packages[path].integrity);
      expect(entry).not.toHaveProperty('dev');
    }
    // Nothing of the server, the renderer or the build tools.
    for (const name of ['fastify', 'react', 'electron', 'electron-builder', 'vite', 'typescript']) expect(paths).not.toContain(`node_modules/${name}`);
    // Every dependency of every package resolves inside the derived tree (Node's lookup: nested first, then up).
    for (const path of paths) {
      for (const dep of Object.keys(lock.packages[path]!.dependencies ?? {})) {
        const candidates = [];
        for (let dir = path; ; ) {
          candidates.push(`${dir}/node_modules/${dep}`);
          const at = dir.lastIndexOf('/node_modules/');
          if (at === -1) break;
          dir = dir.slice(0, at);
        }
        candidates.push(`node_modules/${dep}`);
        expect(candidates.some((c) => lock.packages[c]), `${path} → ${dep}`).toBe(true);
      }
    }
  });

  it('a missing package in the root lockfile is an error, not a silently smaller app', () => {
    const lock = structuredClone(rootLock);
    delete lock.packages['node_modules/node-addon-api'];
    expect(() => stageLockfile(lock, stagePackageJson(rootPkg, rootLock))).toThrow(/node-addon-api/);
  });

  it('`npm ci` installs the staged app from it, and `npm ls` finds the tree complete', { timeout: 120_000 }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'tab-stage-'));
    const manifest = stagePackageJson(rootPkg, rootLock);
    writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest));
    writeFileSync(join(dir, 'package-lock.json'), JSON.stringify(stageLockfile(rootLock, manifest)));
    const npm = npmCommand({ platform: process.platform, execPath: process.execPath, npmExecPath: process.env.npm_execpath });
    const run = (args: string[]) => execFileSync(npm.command, [...npm.args, ...args], { cwd: dir, encoding: 'utf8', shell: npm.shell, stdio: ['ignore', 'pipe', 'pipe'] });
    // --ignore-scripts: no native build here (the staging rebuilds for Electron); --prefer-offline: the root install's cache.
    run(['ci', '--omit=dev', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund']);
    const tree = JSON.parse(run(['ls', '--all', '--json'])) as { dependencies: Record<string, { version: string }>; problems?: string[] };
    expect(tree.problems ?? []).toEqual([]);
    for (const name of STAGE_DEPENDENCIES) expect(tree.dependencies[name]?.version).toBe(manifest.dependencies[name]);
  });
});

describe('installedElectronBinary (never require("electron"), which downloads it since Electron 42)', () => {
  const io = (files: Record<string, string>, env: Record<string, string> = {}) => ({
    electronDir: '/r/node_modules/electron',
    env,
    exists: (path: string) => path in files,
    readText: (path: string) => files[path] ?? null,
    join: (...parts: string[]) => parts.join('/'),
  });

  it('answers dist/<path.txt> when it exists', () => {
    expect(installedElectronBinary(io({ '/r/node_modules/electron/path.txt': 'electron', '/r/node_modules/electron/dist/electron': '' }))).toBe('/r/node_modules/electron/dist/electron');
    expect(
      installedElectronBinary(io({ '/r/node_modules/electron/path.txt': 'Electron.app/Contents/MacOS/Electron', '/r/node_modules/electron/dist/Electron.app/Contents/MacOS/Electron': '' })),
    ).toMatch(/MacOS\/Electron$/);
  });

  it('null when never downloaded (no path.txt), or when the binary is gone', () => {
    expect(installedElectronBinary(io({}))).toBeNull();
    expect(installedElectronBinary(io({ '/r/node_modules/electron/path.txt': 'electron.exe' }))).toBeNull();
  });

  it('honours ELECTRON_OVERRIDE_DIST_PATH', () => {
    expect(installedElectronBinary(io({ '/opt/e/electron': '' }, { ELECTRON_OVERRIDE_DIST_PATH: '/opt/e' }))).toBe('/opt/e/electron');
    expect(installedElectronBinary(io({}, { ELECTRON_OVERRIDE_DIST_PATH: '/opt/e' }))).toBeNull();
  });

  it('here (ELECTRON_SKIP_BINARY_DOWNLOAD installs) it finds none, without trying to download', () => {
    const electronDir = join(root, 'node_modules', 'electron');
    const found = installedElectronBinary({
      electronDir,
      env: process.env,
      exists: (p: string) => {
        try {
          readFileSync(p);
          return true;
        } catch {
          return false;
        }
      },
      readText: (p: string) => {
        try {
          return readFileSync(p, 'utf8');
        } catch {
          return null;
        }
      },
      join,
    });
    if (process.env.CI === 'true') expect(found).toBeNull();
    else expect(found === null || typeof found === 'string').toBe(true);
  });
});

describe('postinstall (scripts/install-electron.mjs)', () => {
  it('skips the download with ELECTRON_SKIP_BINARY_DOWNLOAD, and never fails the install', () => {
    const run = (env: Record<string, string>) =>
      execFileSync(process.execPath, [join(root, 'scripts', 'install-electron.mjs')], { encoding: 'utf8', env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    expect(run({ ELECTRON_SKIP_BINARY_DOWNLOAD: '1' })).toMatch(/not downloaded \(ELECTRON_SKIP_BINARY_DOWNLOAD is set\)/);
    expect(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts.postinstall).toBe('node scripts/install-electron.mjs');
  });
});

describe('parsePackageArgs', () => {
  it('installers: everything goes to electron-builder', () => {
    expect(parsePackageArgs(['--linux'])).toEqual({ stageOnly: false, buildRenderer: true, builderArgs: ['--linux'] });
  });

  it('--stage-only and --no-renderer-build are not passed on', () => {
    expect(parsePackageArgs(['--stage-only', '--no-renderer-build'])).toEqual({ stageOnly: true, buildRenderer: false, builderArgs: [] });
  });
});
