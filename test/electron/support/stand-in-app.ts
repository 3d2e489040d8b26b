import { fork, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IpcResult } from '../../../shared/ipc/contract.js';

const root = join(import.meta.dirname, '..', '..', '..');

/**
 * Builds main.cjs and preload.cjs (electron/build.mjs) into a folder of this
 * test's own under dist/ (so parallel test files never write the same files),
 * beside a link to the built renderer, as in the packaged app. Answers main.cjs.
 */
export function buildMainForStandIn(): { main: string; dispose: () => void } {
  const dir = mkdtempSync(join(root, 'dist', 'stand-in-'));
  execFileSync(process.execPath, [join(root, 'electron', 'build.mjs'), '--outdir', join(dir, 'electron')], { stdio: 'pipe' });
  const renderer = join(root, 'dist', 'renderer');
  if (!existsSync(join(renderer, 'index.html'))) throw new Error('dist/renderer is not built (run `npm run build:renderer`)');
  symlinkSync(renderer, join(dir, 'renderer'), 'junction');
  return { main: join(dir, 'electron', 'main.cjs'), dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface StandInEvent {
  kind: string;
  detail: unknown;
  at: number;
  index: number;
}

export interface StandInState {
  violations: Array<{ rule: string; detail: string }>;
  sandbox: boolean;
  schemes: Array<{ scheme: string; privileges: Record<string, boolean> }>;
  ipcChannels: string[];
  permissionHandlers: { request: boolean; check: boolean };
  crashReporter: { options: { uploadToServer: boolean; submitURL: string }; beforeReady: boolean } | null;
  singleInstanceLockAt: string | null;
  userData: string;
  windows: number;
  window: { bounds: { x: number; y: number; width: number; height: number }; url: string; options: { minWidth: number; minHeight: number }; bridgeKeys: string[] } | null;
  tray: { title: string; tooltip: string; menu: Array<{ label: string | null; enabled: boolean }> } | null;
  notifications: Array<{ title: string; body: string }>;
  openStreams: number;
}

/** The built main process running in a Node child with the stand-in `electron` (test/electron/stand-in/host.ts). */
export class StandInApp {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  readonly output: string[] = [];
  readonly crashes: string[] = [];
  /** Main-process start to the window's show(), in ms. */
  shownMs: number | null = null;
  private shown: Promise<number>;
  readonly exited: Promise<number | null>;

  constructor(readonly child: ChildProcess, readonly appData: string) {
    let markShown!: (ms: number) => void;
    this.shown = new Promise((r) => (markShown = r));
    child.on('message', (message: { type: string; id?: number; ok?: boolean; value?: unknown; error?: string; ms?: number }) => {
      if (message.type === 'window-shown' && this.shownMs === null) {
        this.shownMs = message.ms!;
        markShown(message.ms!);
      } else if (message.type === 'crash') this.crashes.push(message.error!);
      else if (message.type === 'reply') {
        const waiter = this.pending.get(message.id!);
        this.pending.delete(message.id!);
        if (message.ok) waiter?.resolve(message.value);
        else waiter?.reject(new Error(message.error));
      }
    });
    child.stdout?.on('data', (c) => this.output.push(String(c)));
    child.stderr?.on('data', (c) => this.output.push(String(c)));
    this.exited = new Promise((r) => child.on('exit', (code) => r(code)));
  }

  /** Resolves with the start-to-shown time once the window is shown. */
  windowShown(timeoutMs = 30_000): Promise<number> {
    return Promise.race([
      this.shown,
      new Promise<number>((_, reject) => setTimeout(() => reject(new Error(`the window was not shown:\n${this.output.join('')}\n${this.crashes.join('\n')}`)), timeoutMs)),
    ]);
  }

  send<T = unknown>(command: Record<string, unknown>): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.child.send({ id, command });
    });
  }

  /** `window.tab.<method>(...args)` in the window, through the preload's bridge. */
  bridge<T = unknown>(method: string, ...args: unknown[]): Promise<IpcResult<T>> {
    return this.send({ op: 'bridge', method, args });
  }

  /** The value of a bridge call that must succeed. */
  async value<T = unknown>(method: string, ...args: unknown[]): Promise<T> {
    const result = await this.bridge<T>(method, ...args);
    if (!result.ok) throw new Error(`window.tab.${method} failed: ${JSON.stringify(result.error)}`);
    return result.value;
  }

  state(): Promise<StandInState> {
    return this.send({ op: 'state' });
  }

  events(since = 0): Promise<StandInEvent[]> {
    return this.send({ op: 'events', since });
  }

  /** Resolves after main's tick has run `n` more times (it reads the idle counter on every tick). */
  async ticks(n = 3): Promise<void> {
    const from = await this.send<number>({ op: 'count', kind: 'idle-read' });
    await this.until(`${n} ticks`, () => this.send<number>({ op: 'count', kind: 'idle-read' }), (count) => count >= from + n);
  }

  /** Polls until `read` answers something `ok` accepts ("arrives at all, soon": generous bounds, no sleeps to tune). */
  async until<T>(what: string, read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let last: T | undefined;
    for (;;) {
      last = await read();
      if (ok(last)) return last;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last).slice(0, 2000)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** The pushes the renderer received on `channel` so far. */
  async pushes<T = unknown>(channel: string): Promise<T[]> {
    return (await this.events()).filter((e) => e.kind === 'push' && (e.detail as { channel: string }).channel === channel).map((e) => (e.detail as { payload: T }).payload);
  }

  async quit(): Promise<number | null> {
    if (this.child.exitCode !== null) return this.child.exitCode;
    await this.send({ op: 'quit' }).catch(() => undefined);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }
}

export interface LaunchOptions {
  main: string;
  serverUrl: string;
  /** The app-data folder (a new temp one by default; pass the same one to "relaunch"). */
  appData?: string;
  /** Pretend to run on another OS (process.platform). */
  platform?: NodeJS.Platform;
  env?: Record<string, string>;
}

export function launchStandIn(options: LaunchOptions): StandInApp {
  const appData = options.appData ?? mkdtempSync(join(tmpdir(), 'tab-stand-in-'));
  mkdirSync(appData, { recursive: true });
  const child = fork(join(root, 'test', 'electron', 'stand-in', 'host.ts'), [], {
    cwd: root,
    execArgv: ['--import', 'tsx', '--expose-gc'],
    serialization: 'advanced',
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env: {
      ...process.env,
      TAB_STAND_IN_MAIN: options.main,
      TAB_STAND_IN_APPDATA: appData,
      ...(options.platform ? { TAB_STAND_IN_PLATFORM: options.platform } : {}),
      TAB_SERVER_URL: options.serverUrl,
      TAB_DESKTOP_TICK_MS: '100',
      ...options.env,
    },
  });
  return new StandInApp(child, appData);
}
