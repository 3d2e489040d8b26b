/**
 * A stand-in for the `electron` module, for running the built main.cjs and
 * preload.cjs in plain Node (the Electron binary cannot run here). It does what
 * the desktop's wiring needs, records what it is asked, and enforces
 * Electron's ordering rules the way Electron does — by throwing:
 *
 * - before `ready` only: app.enableSandbox, protocol.registerSchemesAsPrivileged
 *   (and app.setPath('userData') must come before anything reads it, like the
 *   single-instance lock);
 * - after `ready` only: protocol.handle, session.defaultSession / fromPartition,
 *   BrowserWindow, Tray, Notification, powerMonitor, screen, net.fetch;
 * - ipcMain.handle: one handler per channel.
 *
 * The windows and their renderer side are in windows.ts.
 */
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createWindowStandIns } from './windows.js';

export interface Violation {
  rule: string;
  detail: string;
}

export interface StandInOptions {
  appData: string;
  downloads: string;
  /** What the save dialog answers (null: cancelled). */
  savePath: () => string | null;
  /** Seconds the system has been idle. */
  idleSeconds: () => number;
  workArea: { x: number; y: number; width: number; height: number };
  onEvent: (kind: string, detail: unknown) => void;
}

export function createElectronStandIn(options: StandInOptions) {
  let ready = false;
  const violations: Violation[] = [];
  const fail = (rule: string, detail: string): never => {
    violations.push({ rule, detail });
    options.onEvent('violation', { rule, detail });
    throw new Error(`[stand-in electron] ${rule}: ${detail}`);
  };
  const afterReady = (what: string) => {
    if (!ready) fail('after-ready', `${what} cannot be used before the app is ready`);
  };
  const beforeReady = (what: string) => {
    if (ready) fail('before-ready', `${what} can only be called before the app is ready`);
  };

  // ------------------------------------------------------------ app
  const paths = new Map<string, string>([
    ['appData', options.appData],
    ['downloads', options.downloads],
  ]);
  const pathReads = new Set<string>();
  const app = Object.assign(new EventEmitter(), {
    isPackaged: false,
    getVersion: () => '0.1.0',
    getName: () => 'TAB',
    getPath(name: string) {
      pathReads.add(name);
      if (name === 'userData' && !paths.has('userData')) return join(options.appData, 'Electron');
      if (name === 'crashDumps') return join(paths.get('userData') ?? options.appData, 'Crashpad');
      const value = paths.get(name);
      if (!value) throw new Error(`stand-in: no path "${name}"`);
      return value;
    },
    setPath(name: string, value: string) {
      if (name === 'userData' && pathReads.has('userData')) fail('set-path', 'userData was read before it was set');
      if (name === 'userData' && ready) fail('set-path', 'userData set after ready');
      paths.set(name, value);
      options.onEvent('set-path', { name, value });
    },
    enableSandbox() {
      beforeReady('app.enableSandbox()');
      state.sandbox = true;
    },
    requestSingleInstanceLock() {
      pathReads.add('userData');
      state.singleInstanceLockAt = paths.get('userData') ?? null;
      return true;
    },
    whenReady: () => readyPromise,
    quit() {
      if (state.quitting) return;
      state.quitting = true;
      app.emit('before-quit', { preventDefault() {} });
      app.emit('will-quit', { preventDefault() {} });
      options.onEvent('quit', null);
    },
  });
  let resolveReady!: () => void;
  const readyPromise = new Promise<void>((r) => (resolveReady = r));

  const state = {
    sandbox: false,
    singleInstanceLockAt: null as string | null,
    schemes: [] as unknown[],
    protocolHandlers: new Map<string, (request: Request) => Response | Promise<Response>>(),
    ipcHandlers: new Map<string, (event: unknown, ...args: unknown[]) => unknown>(),
    permissionHandlers: { request: false, check: false },
    appMenu: null as unknown,
    crashReporter: null as null | { options: unknown; beforeReady: boolean },
    quitting: false,
  };

  // ------------------------------------------------------------ protocol, session, net
  const protocol = {
    registerSchemesAsPrivileged(schemes: unknown[]) {
      beforeReady('protocol.registerSchemesAsPrivileged()');
      state.schemes.push(...schemes);
    },
    handle(scheme: string, handler: (request: Request) => Response | Promise<Response>) {
      afterReady('protocol.handle()');
      if (!state.schemes.some((s) => (s as { scheme: string }).scheme === scheme)) fail('scheme', `${scheme}: handled but never registered as privileged`);
      state.protocolHandlers.set(scheme, handler);
    },
  };

  /** Chromium's fetch, played by Node's: `cookieJar` when the session keeps cookies (and then hides Set-Cookie, the worst case). */
  const standInFetch = (jar: Map<string, string> | null) => async (url: string, init?: RequestInit) => {
    afterReady('net.fetch()');
    const response = await eventStreams.wrap(url, await fetch(url, init));
    if (!jar || init?.credentials !== 'include') return response;
    const headers = new Headers(response.headers);
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair!.indexOf('=');
      jar.set(`${new URL(url).origin}|${pair!.slice(0, at)}`, pair!.slice(at + 1));
    }
    headers.delete('set-cookie');
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  };

  /** Main's open event streams, into which a test injects server events (events the server does not send yet). */
  const eventStreams = {
    controllers: new Set<ReadableStreamDefaultController<Uint8Array>>(),
    async wrap(url: string, response: Response): Promise<Response> {
      if (!url.endsWith('/api/v1/events') || !response.ok || !response.body) return response;
      const reader = response.body.getReader();
      let controller!: ReadableStreamDefaultController<Uint8Array>;
      const body = new ReadableStream<Uint8Array>({
        start: (c) => {
          controller = c;
          this.controllers.add(c);
          void (async () => {
            try {
              for (;;) {
                const { done, value } = await reader.read();
                if (done) break;
                c.enqueue(value);
              }
              c.close();
            } catch (error) {
              c.error(error);
            } finally {
              this.controllers.delete(c);
            }
          })();
        },
        cancel: () => {
          this.controllers.delete(controller);
          return reader.cancel();
        },
      });
      return new Response(body, { status: response.status, headers: response.headers });
    },
    inject(text: string): number {
      const bytes = new TextEncoder().encode(text);
      for (const c of this.controllers) c.enqueue(bytes);
      return this.controllers.size;
    },
  };

  const partitions = new Map<string, ReturnType<typeof makeSession>>();
  function makeSession(name: string) {
    const jar = new Map<string, string>();
    return {
      name,
      fetch: standInFetch(jar),
      cookies: {
        async get(filter: { url: string; name: string }) {
          const value = jar.get(`${new URL(filter.url).origin}|${filter.name}`);
          return value === undefined ? [] : [{ name: filter.name, value }];
        },
      },
      async clearStorageData() {
        jar.clear();
      },
      setPermissionRequestHandler() {
        state.permissionHandlers.request = true;
      },
      setPermissionCheckHandler() {
        state.permissionHandlers.check = true;
      },
      webRequest: { onHeadersReceived() {} },
      addWordToSpellCheckerDictionary: (word: string) => options.onEvent('dictionary', word),
    };
  }
  const session = {
    get defaultSession() {
      afterReady('session.defaultSession');
      if (!partitions.has('')) partitions.set('', makeSession(''));
      return partitions.get('')!;
    },
    fromPartition(name: string) {
      afterReady('session.fromPartition()');
      if (!partitions.has(name)) partitions.set(name, makeSession(name));
      return partitions.get(name)!;
    },
  };
  const net = { fetch: standInFetch(null) };

  // ------------------------------------------------------------ IPC
  const ipcMain = {
    handle(channel: string, handler: (event: unknown, ...args: unknown[]) => unknown) {
      if (state.ipcHandlers.has(channel)) fail('ipc-handle', `Attempted to register a second handler for '${channel}'`);
      state.ipcHandlers.set(channel, handler);
    },
    removeHandler(channel: string) {
      state.ipcHandlers.delete(channel);
    },
  };

  // ------------------------------------------------------------ windows and the renderer (windows.ts)
  const { BrowserWindow, windows } = createWindowStandIns({
    afterReady,
    fail,
    onEvent: options.onEvent,
    app,
    protocolHandlers: state.protocolHandlers,
    ipcHandlers: state.ipcHandlers,
    defaultSession: () => session.defaultSession,
  });

  // ------------------------------------------------------------ menus, tray, notifications, dialogs
  type Template = Array<Record<string, unknown>>;
  const Menu = {
    buildFromTemplate(template: Template) {
      return { template, popup: () => options.onEvent('context-menu', labelsOf(template)) };
    },
    setApplicationMenu(menu: { template: Template }) {
      state.appMenu = menu.template;
      options.onEvent('app-menu', labelsOf(menu.template));
    },
  };
  const labelsOf = (template: Template): unknown =>
    template.map((item) => ({
      label: item.label ?? null,
      role: item.role ?? null,
      enabled: item.enabled ?? true,
      ...(item.submenu ? { submenu: labelsOf(item.submenu as Template) } : {}),
    }));

  const trays: StandInTray[] = [];
  class StandInTray extends EventEmitter {
    title = '';
    tooltip = '';
    menu: Template = [];
    destroyed = false;
    constructor(image: { path: string }) {
      super();
      afterReady('new Tray()');
      options.onEvent('tray-created', { image: image.path });
      trays.push(this);
    }
    setTitle(title: string) {
      this.title = title;
      this.report();
    }
    setToolTip(tooltip: string) {
      this.tooltip = tooltip;
      this.report();
    }
    setContextMenu(menu: { template: Template }) {
      this.menu = menu.template;
      this.report();
    }
    destroy() {
      this.destroyed = true;
    }
    private report() {
      options.onEvent('tray', { title: this.title, tooltip: this.tooltip, menu: this.menu.map((i) => ({ label: i.label ?? null, enabled: i.enabled ?? true })) });
    }
    /** The test's click on a menu item, by label prefix. */
    click(labelStart: string) {
      const item = this.menu.find((i) => typeof i.label === 'string' && i.label.startsWith(labelStart));
      if (!item) throw new Error(`no tray item "${labelStart}" in ${JSON.stringify(this.menu.map((i) => i.label))}`);
      (item.click as () => void)();
    }
  }

  const nativeImage = {
    createFromPath(path: string) {
      if (!existsSync(path)) fail('native-image', `no image at ${path}`);
      return { path, setTemplateImage: () => undefined };
    },
  };

  class StandInNotification extends EventEmitter {
    static isSupported() {
      return true;
    }
    constructor(readonly notice: { title: string; body: string }) {
      super();
      afterReady('new Notification()');
    }
    show() {
      notifications.push(this);
      options.onEvent('notification', { title: this.notice.title, body: this.notice.body });
    }
  }
  const notifications: StandInNotification[] = [];

  const dialog = {
    async showSaveDialog(...args: unknown[]) {
      const opts = args.at(-1) as { defaultPath?: string };
      options.onEvent('save-dialog', { defaultPath: opts.defaultPath });
      const chosen = options.savePath();
      return chosen ? { canceled: false, filePath: chosen } : { canceled: true, filePath: undefined };
    },
    async showMessageBox(...args: unknown[]) {
      options.onEvent('message-box', args.at(-1));
      return { response: 1 };
    },
    showErrorBox(title: string, content: string) {
      options.onEvent('error-box', { title, content });
    },
  };

  const crashReporter = {
    start(crashOptions: unknown) {
      state.crashReporter = { options: crashOptions, beforeReady: !ready };
      options.onEvent('crash-reporter', state.crashReporter);
    },
    setUploadToServer(upload: boolean) {
      options.onEvent('crash-upload', upload);
    },
  };

  const shell = {
    async openExternal(url: string) {
      options.onEvent('open-external', url);
    },
  };

  const powerMonitorEmitter = new EventEmitter();
  const powerMonitor = {
    on(event: string, listener: () => void) {
      afterReady('powerMonitor');
      powerMonitorEmitter.on(event, listener);
      return powerMonitor;
    },
    getSystemIdleTime() {
      afterReady('powerMonitor.getSystemIdleTime()');
      options.onEvent('idle-read', null);
      return options.idleSeconds();
    },
  };

  const display = () => ({ workArea: options.workArea, bounds: options.workArea });
  const screen = {
    getAllDisplays() {
      afterReady('screen');
      return [display()];
    },
    getPrimaryDisplay() {
      afterReady('screen');
      return display();
    },
  };

  const module = {
    app,
    BrowserWindow,
    crashReporter,
    dialog,
    ipcMain,
    Menu,
    nativeImage,
    net,
    Notification: StandInNotification,
    powerMonitor,
    protocol,
    screen,
    session,
    shell,
    Tray: StandInTray,
  };

  return {
    module,
    state,
    violations,
    windows,
    trays,
    notifications,
    eventStreams,
    /** The app becomes ready, as Electron does after the main script's first turn. */
    makeReady() {
      ready = true;
      resolveReady();
      app.emit('ready');
    },
    power: (event: string) => powerMonitorEmitter.emit(event),
  };
}

export type ElectronStandIn = ReturnType<typeof createElectronStandIn>;
