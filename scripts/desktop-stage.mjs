// Pure helpers (no I/O) shared by scripts/package-desktop.mjs and
// scripts/start.mjs, tested in test/electron/start-script.test.ts.
//
// The desktop app runs from a staged folder (dist/desktop-app) with its own
// package.json and node_modules, whose native modules are built for
// Electron's ABI. The repository's node_modules keeps the Node build that the
// tests and the server load, and is never rebuilt for Electron.

/**
 * The staged app's only run-time dependencies: everything else is bundled into
 * main.cjs. keytar and better-sqlite3 are native; electron-updater is loaded
 * only by packaged builds with an update feed.
 */
export const STAGE_DEPENDENCIES = ['keytar', 'better-sqlite3', 'electron-updater'];

/** The compiled addons that must exist in the staged copy (relative to the staged folder). */
export const STAGE_NATIVE_BINARIES = [
  'node_modules/keytar/build/Release/keytar.node',
  'node_modules/better-sqlite3/build/Release/better_sqlite3.node',
];

/** Written into the staged folder after a successful rebuild for Electron (not packaged: see electron-builder.yml `files`). */
export const STAMP_FILE = '.tab-stage.json';

/** The version the root lockfile pins for a top-level package. */
export function lockedVersion(rootLock, name) {
  const version = rootLock?.packages?.[`node_modules/${name}`]?.version;
  if (typeof version !== 'string') throw new Error(`package-lock.json pins no version of "${name}" (run npm install at the repository root)`);
  return version;
}

/**
 * The staged folder's package.json: its dependencies pinned to the exact
 * versions the root lockfile holds (the versions the tests ran against).
 */
export function stagePackageJson(rootPkg, rootLock) {
  const dependencies = {};
  for (const name of STAGE_DEPENDENCIES) {
    const declared = rootPkg.dependencies?.[name] ?? rootPkg.optionalDependencies?.[name] ?? rootPkg.devDependencies?.[name];
    if (typeof declared !== 'string') throw new Error(`package.json has no dependency "${name}"`);
    dependencies[name] = lockedVersion(rootLock, name);
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

/** The folder a lockfile path's package is installed in ('' for the root). */
function parentOf(path) {
  const at = path.lastIndexOf('/node_modules/');
  return at === -1 ? '' : path.slice(0, at);
}

/** Where Node's resolution finds `name` from the package at `from`, in the lockfile's tree. */
function resolveIn(packages, from, name) {
  for (let dir = from; ; dir = parentOf(dir)) {
    const candidate = dir === '' ? `node_modules/${name}` : `${dir}/node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (dir === '') return null;
  }
}

const LOCK_FIELDS = ['version', 'resolved', 'integrity', 'license', 'engines', 'os', 'cpu', 'bin', 'hasInstallScript', 'dependencies', 'optionalDependencies', 'peerDependencies', 'peerDependenciesMeta'];

/**
 * The staged app's package-lock.json, derived from the root one: the
 * dependencies of `manifest` and everything they need, at the very versions
 * and places (hoisting) the root lockfile has, so `npm ci` in the staged
 * folder installs exactly what the repository tested. Flags are recomputed
 * for the smaller tree (nothing is dev; optional only where reached only
 * through optional dependencies).
 */
export function stageLockfile(rootLock, manifest) {
  const packages = rootLock?.packages;
  if (!packages) throw new Error('package-lock.json has no "packages" (lockfileVersion 2 or later is needed)');
  const required = new Map();
  const queue = Object.keys(manifest.dependencies).map((name) => ({ from: '', name, optional: false }));
  while (queue.length > 0) {
    const { from, name, optional } = queue.shift();
    const path = resolveIn(packages, from, name);
    if (!path) {
      if (optional) continue;
      throw new Error(`package-lock.json cannot resolve "${name}" needed by ${from || 'the staged app'}`);
    }
    const seenOptional = required.get(path);
    if (seenOptional !== undefined && (seenOptional === false || optional)) continue;
    required.set(path, optional);
    const entry = packages[path];
    for (const dep of Object.keys(entry.dependencies ?? {})) queue.push({ from: path, name: dep, optional });
    for (const dep of Object.keys(entry.optionalDependencies ?? {})) queue.push({ from: path, name: dep, optional: true });
    for (const dep of Object.keys(entry.peerDependencies ?? {})) {
      const peerOptional = Boolean(entry.peerDependenciesMeta?.[dep]?.optional);
      queue.push({ from: path, name: dep, optional: optional || peerOptional });
    }
  }
  const out = {
    name: manifest.name,
    version: manifest.version,
    lockfileVersion: 3,
    requires: true,
    packages: { '': { name: manifest.name, version: manifest.version, license: manifest.license, dependencies: { ...manifest.dependencies } } },
  };
  for (const path of [...required.keys()].sort()) {
    const source = packages[path];
    const entry = {};
    for (const field of LOCK_FIELDS) if (source[field] !== undefined) entry[field] = source[field];
    if (required.get(path)) entry.optional = true;
    out.packages[path] = entry;
  }
  return out;
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
 * `npm ci` and download Electron headers) happens only when `stage` is true.
 * @param electronBinary the Electron executable's path, or null when it is not installed
 * @returns {{ stage: boolean, message: string | null }}
 */
export function desktopPlan({ electronBinary, noDesktop }) {
  if (noDesktop) {
    return { stage: false, message: 'TAB_NO_DESKTOP=1, so the desktop app is not opened.' };
  }
  if (!electronBinary) {
    return {
      stage: false,
      message:
        'The Electron binary is not installed on this machine, so the desktop app cannot open here ' +
        '(install it with `npx install-electron --no`; see "Desktop development" in README.md).',
    };
  }
  return { stage: true, message: null };
}

/**
 * The Electron executable the `electron` npm package has downloaded, or null.
 * Read from its files (`path.txt`, `dist/`), never with require('electron'):
 * since Electron 42 that require downloads the binary when it is missing,
 * which must not happen behind the back of `npm start` or a test.
 * @param {{ electronDir: string, env: Record<string, string | undefined>, exists: (path: string) => boolean, readText: (path: string) => string | null, join: (...parts: string[]) => string }} io
 */
export function installedElectronBinary({ electronDir, env, exists, readText, join }) {
  const relative = readText(join(electronDir, 'path.txt'))?.trim() || null;
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    const path = join(env.ELECTRON_OVERRIDE_DIST_PATH, relative ?? 'electron');
    return exists(path) ? path : null;
  }
  if (!relative) return null;
  const path = join(electronDir, 'dist', relative);
  return exists(path) ? path : null;
}
