/**
 * The desktop's main process in plain Node: the stand-in `electron` is
 * installed as the module `require('electron')` answers, then the built
 * dist/electron/main.cjs is loaded, and the app is made ready on the next
 * turn (as Electron does after the main script's first run). A parent process
 * (test/electron/support/stand-in-app.ts) drives it over the IPC channel of
 * child_process.fork: the renderer's `window.tab` calls, power events, the
 * idle counter, tray clicks, and reads back what the app did.
 *
 * Environment: TAB_STAND_IN_MAIN (main.cjs path), TAB_STAND_IN_APPDATA,
 * TAB_STAND_IN_PLATFORM (pretend to be another OS), plus main's own
 * (TAB_SERVER_URL, TAB_DESKTOP_TICK_MS).
 */
import Module, { createRequire } from 'node:module';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createElectronStandIn } from './electron.js';

const startedAt = performance.now();
const send = (message: unknown) => process.send?.(message);

if (process.env.TAB_STAND_IN_PLATFORM) Object.defineProperty(process, 'platform', { value: process.env.TAB_STAND_IN_PLATFORM });

let idleSeconds = 0;
let savePath: string | null = null;
const appData = process.env.TAB_STAND_IN_APPDATA!;
mkdirSync(join(appData, 'Downloads'), { recursive: true });

// Main's clock (Date.now) can be moved by the test; captured by main at load, so installed first.
const realNow = Date.now.bind(Date);
let clockOffset = 0;
Date.now = () => realNow() + clockOffset;

const events: Array<{ kind: string; detail: unknown; at: number }> = [];
/** Frequent events (main's tick reading the idle counter) are only counted, not kept. */
const counts = new Map<string, number>();
const COUNTED_ONLY = new Set(['idle-read']);
const electron = createElectronStandIn({
  appData,
  downloads: join(appData, 'Downloads'),
  savePath: () => savePath,
  idleSeconds: () => idleSeconds,
  workArea: { x: 0, y: 0, width: 1366, height: 728 },
  onEvent: (kind, detail) => {
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
    if (COUNTED_ONLY.has(kind)) return;
    events.push({ kind, detail, at: performance.now() });
    if (kind === 'window-shown') send({ type: 'window-shown', ms: performance.now() - startedAt });
    if (kind === 'quit') setTimeout(() => process.exit(0), 50);
  },
});

// `require('electron')` from main.cjs (and anything it loads) answers the stand-in.
const resolve = (Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string })._resolveFilename;
(Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string })._resolveFilename = function (request: string, ...rest: unknown[]) {
  return request === 'electron' ? 'stand-in:electron' : resolve.call(this, request, ...rest);
};
const cache = (Module as unknown as { _cache: Record<string, unknown> })._cache;
cache['stand-in:electron'] = { id: 'stand-in:electron', filename: 'stand-in:electron', loaded: true, exports: electron.module };

process.on('uncaughtException', (error) => send({ type: 'crash', error: error.stack ?? String(error) }));

const mainWindow = () => electron.windows().at(-1) ?? null;

type Command =
  | { op: 'bridge'; method: string; args: unknown[] }
  | { op: 'events'; since?: number }
  | { op: 'count'; kind: string }
  | { op: 'state' }
  | { op: 'fetch-app'; url: string }
  | { op: 'power'; event: string }
  | { op: 'idle'; seconds: number }
  | { op: 'clock'; offsetMs: number }
  | { op: 'save-path'; path: string | null }
  | { op: 'tray-click'; label: string }
  | { op: 'inject-sse'; text: string }
  | { op: 'close-window' }
  | { op: 'blur' }
  | { op: 'second-instance' }
  | { op: 'memory' }
  | { op: 'quit' };

async function run(command: Command): Promise<unknown> {
  switch (command.op) {
    case 'bridge': {
      const bridge = mainWindow()?.webContents.bridge;
      if (!bridge) throw new Error('no window with a bridge');
      const fn = bridge[command.method];
      if (typeof fn !== 'function') throw new Error(`window.tab.${command.method} is not a function`);
      return structuredClone(await fn(...command.args));
    }
    case 'events':
      return events.slice(command.since ?? 0).map((e, i) => ({ ...e, index: (command.since ?? 0) + i }));
    case 'count':
      return counts.get(command.kind) ?? 0;
    case 'state': {
      const window = mainWindow();
      return {
        violations: electron.violations,
        sandbox: electron.state.sandbox,
        schemes: electron.state.schemes,
        ipcChannels: [...electron.state.ipcHandlers.keys()],
        permissionHandlers: electron.state.permissionHandlers,
        crashReporter: electron.state.crashReporter,
        singleInstanceLockAt: electron.state.singleInstanceLockAt,
        userData: electron.module.app.getPath('userData'),
        windows: electron.windows().length,
        window: window ? { bounds: window.bounds, url: window.webContents.url, options: { minWidth: window.options.minWidth, minHeight: window.options.minHeight }, bridgeKeys: Object.keys(window.webContents.bridge ?? {}) } : null,
        tray: electron.trays.filter((t) => !t.destroyed).map((t) => ({ title: t.title, tooltip: t.tooltip, menu: t.menu.map((i) => ({ label: i.label ?? null, enabled: i.enabled ?? true })) }))[0] ?? null,
        notifications: electron.notifications.map((n) => n.notice),
        openStreams: electron.eventStreams.controllers.size,
      };
    }
    case 'fetch-app': {
      const handler = electron.state.protocolHandlers.get('app');
      if (!handler) throw new Error('app:// is not handled');
      const response = await handler(new Request(command.url));
      const body = await response.text();
      return { status: response.status, csp: response.headers.get('content-security-policy'), contentType: response.headers.get('content-type'), body: body.slice(0, 4000) };
    }
    case 'power':
      electron.power(command.event);
      return null;
    case 'idle':
      idleSeconds = command.seconds;
      return null;
    case 'clock':
      clockOffset = command.offsetMs;
      return null;
    case 'save-path':
      savePath = command.path;
      return null;
    case 'tray-click':
      electron.trays.find((t) => !t.destroyed)!.click(command.label);
      return null;
    case 'inject-sse':
      return electron.eventStreams.inject(command.text);
    case 'close-window':
      mainWindow()?.close();
      return null;
    case 'blur':
      mainWindow()?.blur();
      return null;
    case 'second-instance':
      electron.module.app.emit('second-instance', {}, [], process.cwd());
      return null;
    case 'memory':
      globalThis.gc?.();
      return process.memoryUsage();
    case 'quit':
      electron.module.app.quit();
      return null;
  }
}

process.on('message', (message: { id: number; command: Command }) => {
  run(message.command).then(
    (value) => send({ type: 'reply', id: message.id, ok: true, value }),
    (error: unknown) => send({ type: 'reply', id: message.id, ok: false, error: error instanceof Error ? error.message : String(error) }),
  );
});

createRequire(import.meta.url)(process.env.TAB_STAND_IN_MAIN!);
setImmediate(() => electron.makeReady());
send({ type: 'loaded', ms: performance.now() - startedAt });
