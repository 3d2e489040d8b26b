/** The pure decisions of `npm start` and `scripts/package-desktop.mjs --stage-only` (scripts/desktop-stage.mjs). No network, no Electron. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  STAGE_DEPENDENCIES,
  STAGE_NATIVE_BINARIES,
  desktopPlan,
  parsePackageArgs,
  stagePackageJson,
  stageStamp,
  stageStatus,
} from '../../scripts/desktop-stage.mjs';

const root = join(import.meta.dirname, '..', '..');
const rootPkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

const stamp = stageStamp({
  electronVersion: '39.8.10',
  platform: 'linux',
  arch: 'x64',
  dependencies: { keytar: '^7.9.0', 'better-sqlite3': '^12.9.0' },
});

describe('desktopPlan (npm start)', () => {
  it('without the Electron binary: no staging, a plain message', () => {
    const plan = desktopPlan({ electronBinary: null, noDesktop: false });
    expect(plan.stage).toBe(false);
    expect(plan.message).toMatch(/Electron binary is not installed/);
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
    expect(stageStatus({ ...stamp, electronVersion: '39.8.9' }, stamp, present)).toMatchObject({
      upToDate: false,
      reason: expect.stringContaining('39.8.9'),
    });
    expect(stageStatus({ ...stamp, platform: 'darwin' }, stamp, present).upToDate).toBe(false);
    expect(stageStatus({ ...stamp, arch: 'arm64' }, stamp, present).upToDate).toBe(false);
  });

  it('a dependency range changed, was added or removed', () => {
    expect(stageStatus({ ...stamp, dependencies: { ...stamp.dependencies, 'better-sqlite3': '^11.0.0' } }, stamp, present)).toMatchObject({
      upToDate: false,
      reason: expect.stringContaining('better-sqlite3'),
    });
    expect(stageStatus({ ...stamp, dependencies: { keytar: '^7.9.0' } }, stamp, present).upToDate).toBe(false);
    expect(stageStatus({ ...stamp, dependencies: { ...stamp.dependencies, extra: '1' } }, stamp, present).upToDate).toBe(false);
    expect(stageStatus({ ...stamp, dependencies: undefined }, stamp, present).upToDate).toBe(false);
  });
});

describe('the staged package.json', () => {
  it('main is the bundled main; keytar and better-sqlite3 are its only dependencies, with the repo ranges', () => {
    const manifest = stagePackageJson(rootPkg);
    expect(manifest.main).toBe('dist/electron/main.cjs');
    expect(manifest.productName).toBe('TAB');
    expect(manifest.version).toBe(rootPkg.version);
    expect(Object.keys(manifest.dependencies).sort()).toEqual([...STAGE_DEPENDENCIES].sort());
    for (const name of STAGE_DEPENDENCIES) expect(manifest.dependencies[name]).toBe(rootPkg.dependencies[name]);
    expect(manifest).not.toHaveProperty('devDependencies');
    expect(manifest).not.toHaveProperty('scripts');
  });

  it('refuses a root package.json without one of them', () => {
    expect(() => stagePackageJson({ ...rootPkg, dependencies: { keytar: '^7.9.0' } })).toThrow(/better-sqlite3/);
  });

  it('an addon is checked for every staged native module', () => {
    for (const name of STAGE_DEPENDENCIES) expect(STAGE_NATIVE_BINARIES.some((file) => file.startsWith(`node_modules/${name}/`))).toBe(true);
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
