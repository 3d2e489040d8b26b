// Pure helpers (no I/O) shared by scripts/package-desktop.mjs and
// scripts/start.mjs, tested in test/electron/start-script.test.ts.
//
// The desktop app runs from a staged folder (dist/desktop-app) with its own
// package.json and node_modules, whose native modules are built for
// Electron's ABI. The repository's node_modules keeps the Node build that the
// tests and the server load, and is never rebuilt for Electron.

/** The staged app's only run-time dependencies: everything else is bundled into main.cjs. */
export const STAGE_DEPENDENCIES = ['keytar', 'better-sqlite3'];

/** The compiled addons that must exist in the staged copy (relative to the staged folder). */
export const STAGE_NATIVE_BINARIES = [
  'node_modules/keytar/build/Release/keytar.node',
  'node_modules/better-sqlite3/build/Release/better_sqlite3.node',
];

/** Written into the staged folder after a successful rebuild for Electron (not packaged: see electron-builder.yml `files`). */
export const STAMP_FILE = '.tab-stage.json';

/** The staged folder's package.json, from the repository's. */
export function stagePackageJson(rootPkg) {
  const dependencies = {};
  for (const name of STAGE_DEPENDENCIES) {
    const range = rootPkg.dependencies?.[name];
    if (typeof range !== 'string') throw new Error(`package.json has no dependency "${name}"`);
    dependencies[name] = range;
  }
  return {
    name: 'tab-desktop',
    productName: 'TAB',
    version: rootPkg.version,
    description: rootPkg.description,
    author: 'TAB',
    license: 'UNLICENSED',
    private: true,
    main: 'dist/electron/main.cjs',
    // Only what main.cjs requires at run time (everything else is bundled).
    dependencies,
  };
}

/** What the staged native modules were built for; a staged copy is reusable only for the same stamp. */
export function stageStamp({ electronVersion, platform, arch, dependencies }) {
  return { electronVersion, platform, arch, dependencies: { ...dependencies } };
}

/**
 * Whether the staged copy can be launched as it is, or needs `npm install`
 * plus a rebuild for Electron first.
 * @param previous the stamp read from the staged folder (null when missing or unreadable)
 * @param expected `stageStamp(...)` for this Electron, platform, arch and dependencies
 * @param nativeBinariesPresent whether every STAGE_NATIVE_BINARIES file exists
 * @returns {{ upToDate: boolean, reason: string }}
 */
export function stageStatus(previous, expected, { nativeBinariesPresent }) {
  if (!previous || typeof previous !== 'object') return { upToDate: false, reason: 'not staged yet' };
  if (!nativeBinariesPresent) return { upToDate: false, reason: 'the native modules are missing' };
  for (const key of ['electronVersion', 'platform', 'arch']) {
    if (previous[key] !== expected[key]) {
      return { upToDate: false, reason: `built for ${key} ${String(previous[key])}, now ${String(expected[key])}` };
    }
  }
  const before = previous.dependencies ?? {};
  const names = new Set([...Object.keys(before), ...Object.keys(expected.dependencies)]);
  for (const name of [...names].sort()) {
    if (before[name] !== expected.dependencies[name]) {
      return { upToDate: false, reason: `dependency ${name} changed (${String(before[name])} → ${String(expected.dependencies[name])})` };
    }
  }
  return { upToDate: true, reason: `up to date for Electron ${expected.electronVersion}` };
}

/**
 * scripts/package-desktop.mjs's arguments: its own flags, the rest for electron-builder.
 * `--stage-only`: stage and rebuild for Electron, no installers (what `npm start` uses).
 * `--no-renderer-build`: the caller has just built dist/renderer.
 */
export function parsePackageArgs(argv) {
  const own = new Set(['--stage-only', '--no-renderer-build']);
  return {
    stageOnly: argv.includes('--stage-only'),
    buildRenderer: !argv.includes('--no-renderer-build'),
    builderArgs: argv.filter((arg) => !own.has(arg)),
  };
}

/**
 * What `npm start` does after the server is up. Staging (which may run
 * `npm install` and download Electron headers) happens only when `stage` is true.
 * @param electronBinary the Electron executable's path, or null when it is not installed
 * @returns {{ stage: boolean, message: string | null }}
 */
export function desktopPlan({ electronBinary, noDesktop }) {
  if (noDesktop) {
    return { stage: false, message: 'TAB_NO_DESKTOP=1, so the desktop app is not opened.' };
  }
  if (!electronBinary) {
    return { stage: false, message: 'The Electron binary is not installed on this machine, so the desktop app cannot open here.' };
  }
  return { stage: true, message: null };
}
