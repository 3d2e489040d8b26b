/**
 * Electron main: app lifecycle, the one window, IPC registration, the app://
 * protocol. Only wiring here — the logic lives in the plain modules next to
 * this file (tested in Node).
 */
import { app, BrowserWindow, ipcMain, protocol, session, shell } from 'electron';
import { createRequire } from 'node:module';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { IPC_CHANNELS } from '../shared/ipc/contract.js';
import { AuthController } from './auth-controller.js';
import { createCredentialStore, loadKeytar } from './credential-store.js';
import { createFileSettings } from './settings.js';
import { createLogger } from './logger.js';
import { TimeService } from './time-queue/time-service.js';
import { allowedAppOrigins, APP_HOST, APP_ORIGIN, APP_PROTOCOL, createIpcHandlers } from './ipc-handlers.js';
import {
  contentSecurityPolicy,
  createMainWindowOptions,
  createNavigationGuard,
  createPermissionCheckHandler,
  createPermissionRequestHandler,
  createWindowOpenHandler,
  EXTERNAL_LINK_ALLOW_LIST,
  serveAppRequest,
  withCspHeader,
} from './window-security.js';

// Bundled to dist/electron/main.cjs: the preload sits next to it, the renderer in dist/renderer.
const here = __dirname;
const preloadPath = join(here, 'preload.cjs');
const rendererRoot = join(here, '..', 'renderer');
const devServerUrl = !app.isPackaged ? (process.env.TAB_DEV_SERVER_URL ?? null) : null;
const appOrigins = allowedAppOrigins(devServerUrl);
const csp = contentSecurityPolicy(devServerUrl);

app.enableSandbox();
protocol.registerSchemesAsPrivileged([
  { scheme: APP_PROTOCOL, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
]);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let mainWindow: BrowserWindow | null = null;
  const userData = app.getPath('userData');
  const log = createLogger({ file: join(userData, 'logs', 'main.log') });
  const credentials = createCredentialStore({ keytar: loadKeytar(createRequire(__filename), log), log });
  const controller = new AuthController({
    credentials,
    settings: createFileSettings(userData),
    deviceName: hostname(),
    serverUrl: process.env.TAB_SERVER_URL ?? null,
    log,
  });

  const send = (channel: string, payload: unknown) => {
    if (mainWindow && !mainWindow.isDestroyed()) mainWindow.webContents.send(channel, payload);
  };
  controller.onStateChanged((state) => send(IPC_CHANNELS.stateChanged, state));
  controller.onServerEvent((event) => send(IPC_CHANNELS.serverEvent, event));
  // Offline-safe time tracking: <userData>/time/<sha256(origin|userId)>.sqlite, synced in the background.
  const time = new TimeService({ dataDir: userData, auth: controller, log });
  time.onSyncChanged((status) => send(IPC_CHANNELS.syncChanged, status));
  time.attach();

  const guard = createNavigationGuard(appOrigins, (url) => log.log('warn', 'navigation blocked', { url: url.slice(0, 200) }));
  const openHandler = createWindowOpenHandler({ allowList: EXTERNAL_LINK_ALLOW_LIST, openExternal: (url) => shell.openExternal(url) });
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', guard);
    contents.on('will-redirect', guard);
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(openHandler);
  });

  const createWindow = () => {
    mainWindow = new BrowserWindow(createMainWindowOptions(preloadPath));
    mainWindow.once('ready-to-show', () => mainWindow?.show());
    mainWindow.on('closed', () => {
      mainWindow = null;
    });
    void mainWindow.loadURL(devServerUrl ?? `${APP_ORIGIN}/index.html`);
  };

  app.on('second-instance', () => {
    if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    }
  });

  void app.whenReady().then(() => {
    protocol.handle(APP_PROTOCOL, (request) => {
      if (new URL(request.url).host !== APP_HOST) return new Response('Not found', { status: 404 });
      return serveAppRequest(rendererRoot, request.url, csp);
    });
    const ses = session.defaultSession;
    ses.setPermissionRequestHandler(createPermissionRequestHandler());
    ses.setPermissionCheckHandler(createPermissionCheckHandler());
    if (devServerUrl) {
      ses.webRequest.onHeadersReceived((details, callback) => callback({ responseHeaders: withCspHeader(details.responseHeaders, csp) }));
    }

    const handlers = createIpcHandlers({
      controller,
      time,
      appOrigins,
      onRefused: (channel, reason) => log.log('warn', 'IPC refused', { channel, reason }),
    });
    for (const [channel, handler] of Object.entries(handlers)) ipcMain.handle(channel, handler);

    void controller.start();
    createWindow();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) createWindow();
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('before-quit', () => {
    controller.dispose();
    time.dispose();
  });
}
