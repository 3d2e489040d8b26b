/**
 * Electron main: the app's lifecycle in Electron's order, wiring only — the
 * logic lives in the plain modules next to this file (tested in Node, and this
 * file itself is driven through a stand-in `electron` in
 * test/electron/startup-wiring.test.ts).
 *
 *   before ready: data folders, log, crash reporter, sandbox, app:// scheme,
 *                 single-instance lock, app-level events
 *   after ready:  app:// protocol, session handlers, services, IPC handlers,
 *                 menus, window, tray, power events, the tick, auto-update
 */
import { app, BrowserWindow, crashReporter, dialog, powerMonitor, protocol, session, shell } from 'electron';
import { createRequire } from 'node:module';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { IdlePrompt } from '../shared/ipc/contract.js';
import { AuthController } from './auth-controller.js';
import { createCredentialStore, loadKeytar } from './credential-store.js';
import { createFileSettings } from './settings.js';
import { createLogger } from './logger.js';
import { DesktopSettingsService } from './desktop-settings.js';
import { createDownloadSaver } from './downloads.js';
import { TimeService } from './time-queue/time-service.js';
import { IdleService } from './idle/idle-service.js';
import { createIpcHandlers } from './ipc/handlers.js';
import { allowedAppOrigins, APP_HOST, APP_ORIGIN, APP_PROTOCOL } from './ipc/sender.js';
import { desktopPaths } from './platform/desktop-paths.js';
import { moveTimeData } from './platform/move-time-data.js';
import { crashReportUrl, crashReporterOptions } from './platform/crash-reports.js';
import { appMenuTemplate, type AppMenuCommand } from './shell/app-menu.js';
import { trayModel, type TrayCommand } from './shell/tray-model.js';
import { idleNotice, longTimerNotice, newSignInNotice, signedOutNotice, type Notice } from './shell/notices.js';
import { LongTimerReminder } from './shell/timer-reminder.js';
import {
  contentSecurityPolicy,
  createNavigationGuard,
  createPermissionCheckHandler,
  createPermissionRequestHandler,
  createWindowOpenHandler,
  EXTERNAL_LINK_ALLOW_LIST,
  serveAppRequest,
  withCspHeader,
} from './window-security.js';
import { push, registerIpcHandlers } from './wiring/ipc-main.js';
import { createNetTransport } from './wiring/net-transport.js';
import { createMainWindow } from './wiring/window.js';
import { setAppMenu } from './wiring/menus.js';
import { createTray } from './wiring/tray.js';
import { showNotice } from './wiring/notifications.js';
import { startAutoUpdate } from './wiring/updater.js';

// ------------------------------------------------------------ before ready

// Bundled to dist/electron/main.cjs: the preload and the tray icons sit next to it, the renderer in dist/renderer.
const here = __dirname;
const packaged = app.isPackaged;
const devServerUrl = !packaged ? (process.env.TAB_DEV_SERVER_URL ?? null) : null;
const appOrigins = allowedAppOrigins(devServerUrl);
const csp = contentSecurityPolicy(devServerUrl);
/** How often idle, the tray and the 10-hour reminder are looked at (shorter only in unpackaged test runs). */
const tickMs = !packaged && Number(process.env.TAB_DESKTOP_TICK_MS) > 0 ? Number(process.env.TAB_DESKTOP_TICK_MS) : 5000;

// Development runs keep their own data folder; set before anything reads userData (the single-instance lock does).
const paths = desktopPaths({ platform: process.platform, env: process.env, appData: app.getPath('appData'), packaged });
app.setPath('userData', paths.userData);
const log = createLogger({ file: join(paths.userData, 'logs', 'main.log') });
process.on('uncaughtException', (error) => log.log('error', 'uncaught exception', { error: error.stack ?? String(error) }));
process.on('unhandledRejection', (reason) => log.log('error', 'unhandled rejection', { error: reason instanceof Error ? (reason.stack ?? reason.message) : String(reason) }));

const settingsStore = createFileSettings(paths.userData);
const crashUrl = crashReportUrl(process.env.TAB_CRASH_REPORT_URL);
crashReporter.start(crashReporterOptions({ url: crashUrl, optedIn: settingsStore.read().uploadCrashReports, productName: 'TAB', version: app.getVersion() }));

app.enableSandbox();
protocol.registerSchemesAsPrivileged([
  { scheme: APP_PROTOCOL, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
]);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let mainWindow: BrowserWindow | null = null;
  let started: Started | null = null;
  const showWindow = () => {
    if (!started) return;
    if (!mainWindow || mainWindow.isDestroyed()) mainWindow = started.openWindow();
    else {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.show();
      mainWindow.focus();
    }
  };

  // A second launch (double-click while running): open a window when none is open, else bring it forward.
  app.on('second-instance', showWindow);
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) showWindow();
  });
  // macOS keeps the app (and its menu-bar timer) running without a window; elsewhere closing it quits.
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('before-quit', () => started?.dispose());
  app.on('child-process-gone', (_event, details) => {
    if (details.reason !== 'clean-exit') log.log('error', 'child process gone', { type: details.type, reason: details.reason, exitCode: details.exitCode });
  });

  const guard = createNavigationGuard(appOrigins, (url) => log.log('warn', 'navigation blocked', { url: url.slice(0, 200) }));
  const openHandler = createWindowOpenHandler({ allowList: EXTERNAL_LINK_ALLOW_LIST, openExternal: (url) => shell.openExternal(url) });
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', guard);
    contents.on('will-redirect', guard);
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(openHandler);
  });

  const liveWindow = () => (mainWindow && !mainWindow.isDestroyed() ? mainWindow : null);
  app
    .whenReady()
    .then(() => {
      started = startApp({ showWindow, window: liveWindow });
      mainWindow = started.openWindow();
    })
    .catch((error: unknown) => {
      // Never silent: logged, said, and the app ends rather than running half-started.
      log.log('error', 'the app could not start', { error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      dialog.showErrorBox('TAB could not start', `${error instanceof Error ? error.message : String(error)}\n\nDetails are in ${join(paths.userData, 'logs', 'main.log')}.`);
      app.quit();
    });
}

// ------------------------------------------------------------ after ready

interface Started {
  openWindow(): BrowserWindow;
  dispose(): void;
}

function startApp(ui: { showWindow: () => void; window: () => BrowserWindow | null }): Started {
  protocol.handle(APP_PROTOCOL, (request) => {
    if (new URL(request.url).host !== APP_HOST) return new Response('Not found', { status: 404 });
    return serveAppRequest(join(here, '..', 'renderer'), request.url, csp);
  });
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler(createPermissionRequestHandler());
  ses.setPermissionCheckHandler(createPermissionCheckHandler());
  if (devServerUrl) ses.webRequest.onHeadersReceived((details, callback) => callback({ responseHeaders: withCspHeader(details.responseHeaders, csp) }));

  // The time databases move out of the roaming profile (Windows) before any is opened.
  if (paths.legacyTimeDataDir) moveTimeData(paths.legacyTimeDataDir, paths.timeDataDir, log);

  const credentials = createCredentialStore({ keytar: loadKeytar(createRequire(__filename), log), log });
  const controller = new AuthController({
    credentials,
    settings: settingsStore,
    deviceName: hostname(),
    serverUrl: process.env.TAB_SERVER_URL ?? null,
    transport: createNetTransport(),
    log,
    openExternal: (url) => shell.openExternal(url),
  });
  const time = new TimeService({ dataDir: paths.timeDataDir, auth: controller, log });
  const settings = new DesktopSettingsService(settingsStore, crashUrl);
  const contents = () => ui.window()?.webContents;
  const notify = (notice: Notice) => showNotice(notice, ui.showWindow);

  const idle = new IdleService({
    now: Date.now,
    idle: { idleSeconds: () => powerMonitor.getSystemIdleTime() },
    time,
    thresholdMs: () => settings.idleThresholdMs(),
    tickMs,
    onPrompt: (prompt: IdlePrompt | null) => {
      push(contents(), 'idlePrompt', prompt);
      const window = ui.window();
      if (prompt && (!window || window.isDestroyed() || !window.isVisible() || !window.isFocused())) notify(idleNotice(prompt.awayMs));
    },
  });

  const openProfile = () => {
    const url = controller.webPageUrl('/profile');
    if (url) void shell.openExternal(url);
  };
  let checkForUpdates: (() => Promise<void>) | null = null;
  const onMenuCommand = (command: AppMenuCommand) => {
    switch (command) {
      case 'open-desktop-settings':
        ui.showWindow();
        push(contents(), 'menuCommand', 'open-desktop-settings');
        break;
      case 'open-profile':
        openProfile();
        break;
      case 'check-for-updates':
        void checkForUpdates?.();
        break;
      case 'open-help':
        void shell.openExternal(EXTERNAL_LINK_ALLOW_LIST[1] ?? 'https://help.tab.example.com');
        break;
      case 'show-window':
        ui.showWindow();
        break;
    }
  };
  const setMenu = () => setAppMenu(appMenuTemplate({ platform: process.platform, appName: 'TAB', packaged, updatesEnabled: checkForUpdates !== null }), onMenuCommand);
  setMenu();

  registerIpcHandlers(
    createIpcHandlers({
      controller,
      time,
      idle,
      settings,
      saveDownload: createDownloadSaver({
        fetchFile: (path) => controller.download(path),
        async chooseFile(suggestedName, filters) {
          const window = ui.window();
          const options = { defaultPath: join(app.getPath('downloads'), suggestedName), filters };
          const result = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
          return result.canceled || !result.filePath ? null : result.filePath;
        },
      }),
      openExternal: (url) => shell.openExternal(url),
    }),
    {
      appOrigins,
      onRefused: (channel, reason) => log.log('warn', 'IPC refused', { channel, reason }),
      onUnexpected: (channel, error) => log.log('error', 'IPC handler failed', { channel, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
    },
  );

  // ---- what follows the auth state, the queue and the server's events
  const reminder = new LongTimerReminder();
  const tray = createTray({
    iconPath: join(here, 'assets', process.platform === 'darwin' ? 'trayTemplate.png' : 'tray.png'),
    template: process.platform === 'darwin',
    onCommand: (command: TrayCommand) => {
      switch (command) {
        case 'stop-timer': {
          const running = time.runningTimer();
          if (running) runQuietly('tray stop', () => time.timerStop({ id: running.id }));
          break;
        }
        case 'start-last': {
          const last = time.lastEntry();
          if (last) runQuietly('tray start', () => time.timerStart({ clientId: last.entry.clientId, description: last.entry.description, billable: last.entry.billable }));
          break;
        }
        case 'show-window':
          ui.showWindow();
          break;
        case 'quit':
          app.quit();
          break;
      }
      refreshTray();
    },
  });
  const refreshTray = () => {
    const running = time.runningTimer();
    tray.update(trayModel({ auth: controller.current, running, last: time.lastEntry(), runningClientName: running ? time.clientName(running.clientId) : null, now: Date.now() }));
  };
  const runQuietly = (what: string, run: () => unknown) => {
    try {
      run();
    } catch (error) {
      log.log('warn', `${what} failed`, { error: String(error) });
    }
  };

  let previousStatus = controller.current.status;
  controller.onStateChanged((state) => {
    push(contents(), 'stateChanged', state);
    if (state.status === 'signed-out' && (previousStatus === 'signed-in' || previousStatus === 'offline')) {
      const notice = signedOutNotice(state.reason);
      if (notice) notify(notice);
    }
    previousStatus = state.status;
    refreshTray();
  });
  controller.onServerEvent((event) => {
    push(contents(), 'serverEvent', event);
    if (event.type === 'session.created') {
      const notice = newSignInNotice(event.session, controller.currentSessionId);
      if (notice) notify(notice);
    }
  });
  time.onSyncChanged((status) => {
    push(contents(), 'syncChanged', status);
    idle.monitor.timerChanged();
    refreshTray();
  });
  settings.onChanged((value) => {
    push(contents(), 'settingsChanged', value);
    idle.monitor.thresholdChanged();
    crashReporter.setUploadToServer(value.uploadCrashReports);
  });
  time.attach();

  // ---- sleep, wake, lock: idle time by wall clock; a stream open across a sleep is dead
  powerMonitor.on('suspend', () => idle.monitor.suspend());
  powerMonitor.on('resume', () => {
    idle.monitor.resume();
    controller.reconnectNow();
  });
  powerMonitor.on('lock-screen', () => idle.monitor.lock());
  powerMonitor.on('unlock-screen', () => {
    idle.monitor.unlock();
    controller.reconnectNow();
  });

  const tick = setInterval(() => {
    idle.monitor.tick();
    refreshTray();
    if (reminder.due(time.runningTimer(), Date.now())) notify(longTimerNotice());
    void time.refreshClientNames();
  }, tickMs);

  void controller.start().then(refreshTray);
  void startAutoUpdate({ packaged, window: ui.window, log }).then((check) => {
    checkForUpdates = check;
    if (check) setMenu();
  });

  const renderCrashes: number[] = [];
  return {
    openWindow: () =>
      createMainWindow({
        preloadPath: join(here, 'preload.cjs'),
        url: devServerUrl ?? `${APP_ORIGIN}/index.html`,
        saved: settingsStore.read().window,
        saveState: (window) => settingsStore.write({ window }),
        onRendererGone: (window, reason) => {
          log.log('error', 'renderer gone', { reason });
          const now = Date.now();
          renderCrashes.push(now);
          // Reload after a crash, but not in a loop: at most three times a minute.
          if (reason !== 'clean-exit' && renderCrashes.filter((t) => now - t < 60_000).length <= 3 && !window.isDestroyed()) window.reload();
        },
      }),
    dispose() {
      clearInterval(tick);
      tray.destroy();
      controller.dispose();
      time.dispose();
    },
  };
}
