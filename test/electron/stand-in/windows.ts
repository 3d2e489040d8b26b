import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import vm from 'node:vm';

/**
 * The stand-in's windows and their renderer side (see electron.ts): loading a
 * window fetches its URL through the registered protocol handler (200 with a
 * CSP, or the run fails), then runs the preload in a fresh V8 context whose
 * `require` knows only 'electron' — what a sandboxed preload may load — with
 * contextBridge and ipcRenderer wired to ipcMain's handlers and
 * webContents.send through structured clones, like the real pipe.
 */

export interface WindowContext {
  afterReady(what: string): void;
  fail(rule: string, detail: string): never;
  onEvent(kind: string, detail: unknown): void;
  app: EventEmitter;
  protocolHandlers: Map<string, (request: Request) => Response | Promise<Response>>;
  ipcHandlers: Map<string, (event: unknown, ...args: unknown[]) => unknown>;
  defaultSession(): unknown;
}

const clone = <T>(value: T): T => (value === undefined ? value : structuredClone(value));

export function createWindowStandIns(ctx: WindowContext) {
  const windows: StandInWindow[] = [];
  let nextId = 1;

  class StandInWebContents extends EventEmitter {
    readonly id = nextId++;
    destroyed = false;
    url = '';
    readonly rendererListeners = new Map<string, Set<(event: unknown, payload: unknown) => void>>();
    bridge: Record<string, (...args: unknown[]) => unknown> | null = null;
    windowOpenHandler: unknown = null;
    readonly session = ctx.defaultSession();

    isDestroyed() {
      return this.destroyed;
    }
    send(channel: string, payload: unknown) {
      if (this.destroyed) throw new Error('Object has been destroyed');
      ctx.onEvent('push', { channel, payload: clone(payload) });
      for (const listener of [...(this.rendererListeners.get(channel) ?? [])]) listener({ sender: null }, clone(payload));
    }
    setWindowOpenHandler(handler: unknown) {
      this.windowOpenHandler = handler;
    }
    replaceMisspelling(word: string) {
      ctx.onEvent('replace-misspelling', word);
    }
    reload() {
      ctx.onEvent('reload', this.id);
    }
  }

  class StandInWindow extends EventEmitter {
    static getAllWindows() {
      return windows.filter((w) => !w.destroyed);
    }
    readonly webContents: StandInWebContents;
    readonly options: Record<string, unknown>;
    destroyed = false;
    visible = false;
    focused = false;
    maximized = false;
    minimized = false;
    bounds: { x: number; y: number; width: number; height: number };

    constructor(windowOptions: Record<string, unknown>) {
      super();
      ctx.afterReady('new BrowserWindow()');
      this.options = windowOptions;
      const prefs = windowOptions.webPreferences as Record<string, unknown>;
      if (prefs?.sandbox !== true || prefs?.contextIsolation !== true || prefs?.nodeIntegration !== false) ctx.fail('web-preferences', JSON.stringify(prefs));
      this.bounds = { x: Number(windowOptions.x ?? 0), y: Number(windowOptions.y ?? 0), width: Number(windowOptions.width ?? 800), height: Number(windowOptions.height ?? 600) };
      this.webContents = new StandInWebContents();
      windows.push(this);
      ctx.app.emit('web-contents-created', {}, this.webContents);
      ctx.onEvent('window-created', { options: clone({ ...windowOptions, webPreferences: { ...prefs } }) });
    }
    async loadURL(url: string) {
      this.webContents.url = url;
      const scheme = new URL(url).protocol.replace(/:$/, '');
      const handler = ctx.protocolHandlers.get(scheme);
      if (!handler) ctx.fail('load', `no handler for ${scheme}: when loading ${url}`);
      const response = await handler!(new Request(url));
      const csp = response.headers.get('content-security-policy');
      ctx.onEvent('page-loaded', { url, status: response.status, csp, length: (await response.arrayBuffer()).byteLength });
      if (response.status !== 200 || !csp) ctx.fail('load', `${url} answered ${response.status} without a CSP`);
      this.runPreload(String((this.options.webPreferences as { preload: string }).preload));
      setImmediate(() => this.emit('ready-to-show'));
    }
    /** The preload in a fresh V8 context: a sandboxed preload's `require` knows only 'electron'. */
    private runPreload(file: string) {
      const contents = this.webContents;
      const frame = { url: contents.url, parent: null };
      const rendererElectron = {
        contextBridge: {
          exposeInMainWorld(name: string, api: Record<string, (...args: unknown[]) => unknown>) {
            if (name !== 'tab') ctx.fail('context-bridge', `exposed as ${name}`);
            contents.bridge = api;
          },
        },
        ipcRenderer: {
          async invoke(channel: string, ...args: unknown[]) {
            const handler = ctx.ipcHandlers.get(channel);
            if (!handler) throw new Error(`Error invoking remote method '${channel}': No handler registered for '${channel}'`);
            return clone(await handler({ senderFrame: frame, sender: contents }, ...args.map(clone)));
          },
          on(channel: string, listener: (event: unknown, payload: unknown) => void) {
            if (!contents.rendererListeners.has(channel)) contents.rendererListeners.set(channel, new Set());
            contents.rendererListeners.get(channel)!.add(listener);
          },
          removeListener(channel: string, listener: (event: unknown, payload: unknown) => void) {
            contents.rendererListeners.get(channel)?.delete(listener);
          },
        },
      };
      const sandboxRequire = (id: string) => {
        if (id === 'electron') return rendererElectron;
        return ctx.fail('preload-require', `a sandboxed preload cannot require "${id}"`);
      };
      const code = readFileSync(file, 'utf8');
      const context = vm.createContext({ console });
      const wrapper = vm.runInContext(`(function (exports, require, module, __filename, __dirname) {${code}\n})`, context, { filename: file }) as (...args: unknown[]) => void;
      const module = { exports: {} };
      wrapper(module.exports, sandboxRequire, module, file, join(file, '..'));
    }
    show() {
      this.visible = true;
      this.focused = true;
      ctx.onEvent('window-shown', { id: this.webContents.id, bounds: this.bounds, at: performance.now() });
    }
    focus() {
      this.focused = true;
    }
    blur() {
      this.focused = false;
    }
    isVisible() {
      return this.visible;
    }
    isFocused() {
      return this.focused;
    }
    isDestroyed() {
      return this.destroyed;
    }
    isMinimized() {
      return this.minimized;
    }
    restore() {
      this.minimized = false;
    }
    maximize() {
      this.maximized = true;
    }
    isMaximized() {
      return this.maximized;
    }
    isFullScreen() {
      return false;
    }
    getNormalBounds() {
      return { ...this.bounds };
    }
    getBounds() {
      return { ...this.bounds };
    }
    reload() {
      this.webContents.reload();
    }
    close() {
      this.emit('close', { preventDefault() {} });
      this.destroyed = true;
      this.webContents.destroyed = true;
      this.emit('closed');
      if (StandInWindow.getAllWindows().length === 0) ctx.app.emit('window-all-closed');
    }
  }

  return { BrowserWindow: StandInWindow, windows: () => StandInWindow.getAllWindows() };
}
