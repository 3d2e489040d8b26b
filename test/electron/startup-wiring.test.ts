/**
 * The built dist/electron/main.cjs and preload.cjs, run in Node with a
 * stand-in `electron` module (test/electron/stand-in/) that enforces
 * Electron's ordering rules, against the real server and (under npm test)
 * the real keychain. Only Electron itself is stood in; everything main does
 * runs for real: the IPC map's handlers behind the preload's window.tab, the
 * app:// protocol, net.fetch (Node's fetch standing in for Chromium's), the
 * time queue on SQLite, the tray, notifications, idle detection, power events.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { channelName, INVOKE_KEYS, PUSH_KEYS, pushListenerName, type DesktopAuthState, type DesktopSettings, type IdlePrompt, type SyncStatus } from '../../shared/ipc/contract.js';
import { entriesCsvPath } from '../../shared/api/client.js';
import { contentSecurityPolicy } from '../../electron/window-security.js';
import { keychainAccounts, KEYCHAIN_SERVICE } from '../../electron/credential-store.js';
import { RestartableServer } from './support/server.js';
import { buildMainForStandIn, launchStandIn, type StandInApp } from './support/stand-in-app.js';
import { testKeychain } from './support/desktop.js';
import { createClientAsAdmin, serverEntries, tempDir, type Worker } from './support/time.js';
import { call, signIn as webSignIn } from '../support/api.js';

const rendererBuilt = existsSync(join(import.meta.dirname, '..', '..', 'dist', 'renderer', 'index.html'));
const skip = !rendererBuilt && process.env.CI !== 'true';
if (skip) console.warn('[startup wiring] skipped: dist/renderer is not built (run `npm run build:renderer`)');

const PASSWORD = 'demo-pass-2026';
const MIN = 60_000;
const keychain = testKeychain();

describe.skipIf(skip)('main.cjs and preload.cjs in Node, with a stand-in electron', () => {
  let server: RestartableServer;
  let built: ReturnType<typeof buildMainForStandIn>;
  let app: StandInApp;
  let client: { id: string; name: string };

  const state = async () => (await app.value<DesktopAuthState>('getState'));
  const sync = async () => (await app.value<SyncStatus>('getSyncStatus'));
  const lastPush = async <T>(channel: string) => (await app.pushes<T>(channelName(channel as never))).at(-1);

  beforeAll(async () => {
    server = new RestartableServer();
    await server.start();
    client = await createClientAsAdmin(server.url, `Acme ${randomUUID().slice(0, 6)}`);
    built = buildMainForStandIn();
    app = launchStandIn({ main: built.main, serverUrl: server.url });
    await app.windowShown();
  }, 90_000);

  afterAll(async () => {
    await app?.quit();
    built?.dispose();
    if (server) {
      const accounts = keychainAccounts(server.url);
      await keychain.keytar.deletePassword(KEYCHAIN_SERVICE, accounts.jwt).catch(() => false);
      await keychain.keytar.deletePassword(KEYCHAIN_SERVICE, accounts.cookie).catch(() => false);
      await server.dispose();
    }
  });

  it('starts in Electron’s order; registers every channel of the IPC map once; serves the window from app:// with the CSP', async () => {
    const s = await app.state();
    expect(s.violations).toEqual([]);
    expect(app.crashes).toEqual([]);
    // Before ready: the sandbox, the privileged scheme, the crash reporter, the data folder before the lock.
    expect(s.sandbox).toBe(true);
    expect(s.schemes).toEqual([{ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) }]);
    expect(s.crashReporter).toMatchObject({ beforeReady: true, options: { uploadToServer: false } });
    expect(s.userData).toBe(join(app.appData, 'TAB Dev'));
    expect(s.singleInstanceLockAt).toBe(s.userData);
    // After ready: handlers, one per channel of the map, and the bridge the preload built from the same map.
    expect(s.permissionHandlers).toEqual({ request: true, check: true });
    expect([...s.ipcChannels].sort()).toEqual(INVOKE_KEYS.map(channelName).sort());
    expect(new Set(s.ipcChannels).size).toBe(s.ipcChannels.length);
    expect([...s.window!.bridgeKeys].sort()).toEqual([...INVOKE_KEYS, ...PUSH_KEYS.map(pushListenerName)].sort());
    // The window: app://tab, 200 with the CSP, sized inside a 1366×768 laptop's work area.
    expect(s.window!.url).toBe('app://tab/index.html');
    const loaded = (await app.events()).find((e) => e.kind === 'page-loaded')!.detail as { status: number; csp: string };
    expect(loaded).toMatchObject({ status: 200, csp: contentSecurityPolicy(null) });
    const b = s.window!.bounds;
    expect(b.x >= 0 && b.y >= 0 && b.x + b.width <= 1366 && b.y + b.height <= 728).toBe(true);
    const index = await app.send<{ status: number; body: string }>({ op: 'fetch-app', url: 'app://tab/index.html' });
    const script = /src="\/?(assets\/[^"]+\.js)"/.exec(index.body)![1]!;
    expect(await app.send({ op: 'fetch-app', url: `app://tab/${script}` })).toMatchObject({ status: 200, csp: contentSecurityPolicy(null), contentType: expect.stringMatching(/javascript/) });
    expect(await app.send({ op: 'fetch-app', url: 'app://tab/assets/missing.js' })).toMatchObject({ status: 404 });
    expect(await app.send({ op: 'fetch-app', url: 'app://tab/%2e%2e/%2e%2e/package.json' })).toMatchObject({ status: 404 });
    // The tray exists from the start, with its real icon file; the app menu is explicit.
    expect((await app.events()).find((e) => e.kind === 'tray-created')!.detail).toMatchObject({ image: expect.stringMatching(/tray\.png$/) });
    expect(s.tray).toMatchObject({ tooltip: 'TAB — signed out' });
    const menu = (await app.events()).find((e) => e.kind === 'app-menu')!.detail as Array<{ label: string; submenu?: Array<{ role: string | null }> }>;
    expect(menu.find((m) => m.label === 'Edit')!.submenu!.map((i) => i.role)).toEqual(expect.arrayContaining(['copy', 'paste', 'cut', 'selectAll']));
  });

  it('signs in through window.tab (the JWT and cookie in the keychain, never in the renderer); a new sign-in elsewhere is announced', async () => {
    const view = await app.value<{ user: { email: string }; session: { id: string; clientKind: string } }>('signIn', { email: 'ana@demo.test', password: PASSWORD });
    expect(view).toMatchObject({ user: { email: 'ana@demo.test' }, session: { clientKind: 'desktop' } });
    expect(await state()).toMatchObject({ status: 'signed-in' });
    const pushed = await app.pushes<DesktopAuthState>(channelName('stateChanged'));
    expect(pushed.map((p) => p.status)).toEqual(expect.arrayContaining(['signing-in', 'signed-in']));
    if (keychain.real) {
      const jwt = await keychain.keytar.getPassword(KEYCHAIN_SERVICE, keychainAccounts(server.url).jwt);
      expect(jwt).toMatch(/^eyJ/);
      expect(JSON.stringify(await app.events())).not.toContain(jwt!);
    }
    // The session's API works through the bridge.
    expect(await app.value('apiRequest', { method: 'GET', path: '/api/v1/me' })).toMatchObject({ user: { email: 'ana@demo.test' } });

    // "New sign-in": the session.created event (sent by the server's event stream), injected into main's open stream.
    await app.until('the event stream', () => app.state(), (s) => s.openStreams > 0);
    const summary = { id: randomUUID(), label: 'Chrome on Windows', clientKind: 'web', createdAt: new Date().toISOString(), location: { city: 'Lyon', region: null, country: 'France', countryCode: 'FR' } };
    await app.send({ op: 'inject-sse', text: `event: session.created\ndata: ${JSON.stringify({ type: 'session.created', session: summary })}\n\n` });
    const notes = await app.until('the new sign-in notification', () => app.state(), (s) => s.notifications.length > 0);
    expect(notes.notifications).toEqual([{ title: 'New sign-in', body: 'Chrome on Windows · Lyon, France' }]);
    expect((await app.pushes<{ type: string }>(channelName('serverEvent'))).map((e) => e.type)).toContain('session.created');
  });

  it('revoked from another device: signed out with the reason, told in a notification, the keychain emptied', async () => {
    const me = (await state()) as Extract<DesktopAuthState, { status: 'signed-in' }>;
    const web = await webSignIn(server.url, 'ana@demo.test');
    expect((await call(server.url, 'DELETE', `/api/v1/sessions/${me.session!.id}`, { headers: web.auth })).status).toBe(204);
    const out = await app.until('the sign-out', () => lastPush<DesktopAuthState>('stateChanged'), (s) => s?.status === 'signed-out');
    expect(out).toEqual({ status: 'signed-out', serverUrl: server.url, reason: 'revoked_by_user' });
    const s = await app.until('the notification', () => app.state(), (x) => x.notifications.some((n) => n.title === 'Signed out'));
    expect(s.notifications.at(-1)).toEqual({ title: 'Signed out', body: 'This session was signed out from another device.' });
    expect(s.tray).toMatchObject({ tooltip: 'TAB — signed out' });
    if (keychain.real) expect(await keychain.keytar.getPassword(KEYCHAIN_SERVICE, keychainAccounts(server.url).jwt)).toBeNull();
    expect(await app.bridge('apiRequest', { method: 'GET', path: '/api/v1/me' })).toMatchObject({ ok: false, error: { status: 401, reason: 'revoked_by_user' } });
  });

  it('offline is not a sign-out: time writes land locally; after a wake (resume) it reconnects at once and syncs', async () => {
    await app.value('signIn', { email: 'ana@demo.test', password: PASSWORD });
    await app.until('the event stream', () => app.state(), (s) => s.openStreams > 0);
    await server.current!.stop();
    await app.until('offline', () => state(), (s) => s.status === 'offline');
    const id = randomUUID();
    const started = await app.value<{ id: string; end: null }>('timerStart', { id, clientId: client.id, description: 'on the train', billable: true });
    expect(started).toMatchObject({ id, end: null });
    expect(await sync()).toMatchObject({ online: false, queue: [{ operation: 'timer-start', entryId: id }] });
    expect(await app.value('timerStop', { id })).toMatchObject({ id, end: expect.any(String) });
    await server.start();
    // A laptop waking up: powerMonitor 'resume' → probe at once, not after the backoff.
    await app.send({ op: 'power', event: 'resume' });
    await app.until('back online', () => state(), (s) => s.status === 'signed-in', 5000);
    await app.until('the queue to drain', () => sync(), (s) => s.queue.length === 0 && s.online);
  });

  /** A running entry that started `minutes` ago (saved with its start, as the entry form does), on the local queue. */
  const runningSince = (minutes: number, description: string) =>
    app.value<{ id: string; start: string }>('saveEntry', {
      id: randomUUID(),
      clientId: client.id,
      description,
      start: new Date(Date.now() - minutes * MIN).toISOString(),
      end: null,
      billable: true,
    });

  /** Away for `seconds` (the system idle counter), until a few ticks saw it, then back (and a few ticks more). */
  const awayThenBack = async (seconds: number) => {
    await app.send({ op: 'idle', seconds });
    await app.ticks(3);
    await app.send({ op: 'idle', seconds: 0 });
    await app.ticks(3);
  };
  const stopAnyTimer = async () => {
    if ((await sync()).runningTimer) await app.value('timerStop', {});
  };

  it('idle: away 25 minutes with a timer running → "You were away 0:25"; Discard splits the entry, synced through the queue', async () => {
    await stopAnyTimer();
    const entry = await runningSince(40, 'VAT return');
    await app.send({ op: 'idle', seconds: 25 * 60 });
    await app.ticks(3);
    expect(await app.value('getIdlePrompt')).toBeNull(); // still away: nothing asked yet
    await app.send({ op: 'idle', seconds: 0 });
    const prompt = (await app.until('the idle prompt', () => lastPush<IdlePrompt | null>('idlePrompt'), (p) => Boolean(p)))!;
    expect(prompt.entryId).toBe(entry.id);
    expect(prompt.awayMs).toBeGreaterThanOrEqual(25 * MIN - 2000);
    expect(prompt.awayMs).toBeLessThanOrEqual(25 * MIN + 2000);
    expect(await app.value('getIdlePrompt')).toEqual(prompt);
    // The window was in front: no notification for it.
    expect((await app.state()).notifications.some((n) => n.title.startsWith('You were away'))).toBe(false);

    expect(await app.bridge('answerIdlePrompt', { promptId: prompt.promptId, action: 'discard' })).toEqual({ ok: true, value: null });
    expect(await lastPush('idlePrompt')).toBeNull();
    const after = await sync();
    expect(after.runningTimer, JSON.stringify({ after, prompt })).toMatchObject({ clientId: client.id, description: 'VAT return', start: prompt.returnedAt });
    expect(after.runningTimer!.id).not.toBe(entry.id);
    await app.until('the queue to drain', () => sync(), (s) => s.queue.length === 0);
    const web = await webSignIn(server.url, 'ana@demo.test');
    const onServer = await serverEntries(server.url, { token: web.token } as Worker, { from: new Date(Date.now() - 2 * 3_600_000).toISOString(), to: new Date(Date.now() + 3_600_000).toISOString() });
    expect(onServer.find((e) => e.id === entry.id)).toMatchObject({ start: entry.start, end: prompt.awayFrom });
    // The new entry: started where the person came back (the server's own stamp, kept when within the queue's 1 s tolerance).
    const restarted = onServer.find((e) => e.id === after.runningTimer!.id)!;
    expect(restarted.end).toBeNull();
    expect(Math.abs(Date.parse(restarted.start) - Date.parse(prompt.returnedAt))).toBeLessThanOrEqual(1000);
    // Answered once only.
    expect(await app.bridge('answerIdlePrompt', { promptId: prompt.promptId, action: 'stop' })).toMatchObject({ ok: false, error: { status: 409 } });
  });

  it('less than the threshold away: no question; with the window in the background, the prompt is also a notification', async () => {
    await stopAnyTimer();
    await runningSince(30, 'Payroll');
    await awayThenBack(9 * 60);
    expect(await app.value('getIdlePrompt')).toBeNull();
    await app.send({ op: 'blur' });
    await awayThenBack(15 * 60);
    const s = await app.until('the idle notification', () => app.state(), (x) => x.notifications.some((n) => n.title === 'You were away 0:15'));
    expect(s.notifications.at(-1)!.body).toMatch(/keep or discard/);
    const prompt = (await lastPush<IdlePrompt>('idlePrompt'))!;
    // Stop at the time the person left: the entry ends there, nothing runs.
    expect(await app.bridge('answerIdlePrompt', { promptId: prompt.promptId, action: 'stop' })).toEqual({ ok: true, value: null });
    expect((await sync()).runningTimer).toBeNull();
  });

  it('tray / menu bar: the running timer and Stop; then "Start timer: <client>" continues the last one', async () => {
    await stopAnyTimer();
    await runningSince(65, 'VAT return');
    // (A minute may pass on a loaded machine: 1:05 or 1:06.)
    const running = await app.until('the tray to show this timer', () => app.state(), (s) => /^Stop timer \(.* · 1:0[56]\)$/.test(s.tray?.menu[0]?.label ?? ''));
    expect(running.tray!.menu[0]!.label).toMatch(new RegExp(`^Stop timer \\(${client.name} · 1:0[56]\\)$`));
    expect(running.tray!.tooltip).toMatch(new RegExp(`^TAB — ${client.name} — VAT return · 1:0[56]$`));
    await app.send({ op: 'tray-click', label: 'Stop timer' });
    expect((await sync()).runningTimer).toBeNull();
    const stopped = await app.until('the tray to offer a start', () => app.state(), (s) => Boolean(s.tray?.menu[0]?.label?.startsWith('Start timer')));
    expect(stopped.tray!.menu[0]).toEqual({ label: `Start timer: ${client.name} — VAT return`, enabled: true });
    await app.send({ op: 'tray-click', label: 'Start timer' });
    expect((await sync()).runningTimer).toMatchObject({ clientId: client.id, description: 'VAT return', end: null });
    await app.value('timerStop', {});
    await app.until('the queue to drain', () => sync(), (s) => s.queue.length === 0);
  });

  it('saves the CSV export to a file picked in the save dialog; "Create API token" is the browser’s job', async () => {
    const target = join(tempDir('tab-save-'), 'november.csv');
    await app.send({ op: 'save-path', path: target });
    const path = entriesCsvPath({ from: new Date(Date.now() - 86_400_000).toISOString(), to: new Date(Date.now() + 86_400_000).toISOString() });
    // An accountant may not export: the server's answer, and no dialog opened for nothing.
    const dialogs = (await app.events()).filter((e) => e.kind === 'save-dialog').length;
    expect(await app.bridge('saveDownload', { path, suggestedName: 'tab-entries.csv' })).toMatchObject({ ok: false, error: { status: 403, code: 'forbidden' } });
    expect((await app.events()).filter((e) => e.kind === 'save-dialog')).toHaveLength(dialogs);
    await app.value('signIn', { email: 'manager@demo.test', password: PASSWORD });
    expect(await app.value('saveDownload', { path, suggestedName: 'tab-entries.csv' })).toEqual({ saved: true, fileName: 'november.csv' });
    const csv = readFileSync(target, 'utf8');
    expect(csv.split('\n')[0]).toContain('entry_id');
    expect(csv).toContain('VAT return');
    // The dialog proposes the server's name for the file, in the Downloads folder.
    const dialog = (await app.events()).filter((e) => e.kind === 'save-dialog').at(-1)!.detail as { defaultPath: string };
    expect(dirname(dialog.defaultPath)).toBe(join(app.appData, 'Downloads'));
    expect(basename(dialog.defaultPath)).toMatch(/^tab-entries-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.csv$/);
    await app.send({ op: 'save-path', path: null });
    expect(await app.value('saveDownload', { path, suggestedName: 'x.csv' })).toEqual({ saved: false, fileName: null });

    expect(await app.value('openProfileInBrowser')).toBeNull();
    expect((await app.events()).filter((e) => e.kind === 'open-external').at(-1)!.detail).toBe(`${server.url}/profile`);
    expect(await app.bridge('apiRequest', { method: 'POST', path: '/api/v1/api-tokens', body: { name: 'script' } })).toMatchObject({ ok: false, error: { status: 403, code: 'forbidden' } });
    expect(await app.bridge('apiRequest', { method: 'POST', path: '/api/v1/api%2dtokens', body: { name: 'script' } })).toMatchObject({ ok: false, error: { status: 400 } });
  });

  it('desktop settings: the idle threshold (off/5/10/15/30, 10 by default), pushed to the window and kept', async () => {
    expect(await app.value<DesktopSettings>('getDesktopSettings')).toEqual({ idleThresholdMinutes: 10, uploadCrashReports: false, crashReportUrl: null });
    expect(await app.bridge('setDesktopSettings', { idleThresholdMinutes: 7 })).toMatchObject({ ok: false, error: { status: 400 } });
    expect(await app.value('setDesktopSettings', { idleThresholdMinutes: 30 })).toMatchObject({ idleThresholdMinutes: 30 });
    expect(await lastPush('settingsChanged')).toMatchObject({ idleThresholdMinutes: 30 });
    expect(JSON.parse(readFileSync(join(app.appData, 'TAB Dev', 'settings.json'), 'utf8'))).toMatchObject({ idleThresholdMinutes: 30 });
  });

  it('quits cleanly (tray, stream and timers stopped; nothing crashed; no rule broken)', async () => {
    expect(await app.quit()).toBe(0);
    const s = app.crashes;
    expect(s).toEqual([]);
  });
});

describe.skipIf(skip)('as on macOS', () => {
  let server: RestartableServer;
  let built: ReturnType<typeof buildMainForStandIn>;

  beforeAll(async () => {
    server = new RestartableServer();
    await server.start();
    built = buildMainForStandIn();
  }, 60_000);
  afterAll(async () => {
    built?.dispose();
    await server?.dispose();
  });

  it('closing the window keeps the app and its menu-bar item; a second launch opens a window; the window comes back where it was', async () => {
    const app = launchStandIn({ main: built.main, serverUrl: server.url, platform: 'darwin' });
    try {
      await app.windowShown();
      const menu = (await app.events()).find((e) => e.kind === 'app-menu')!.detail as Array<{ label: string }>;
      expect(menu[0]!.label).toBe('TAB');
      expect((await app.events()).find((e) => e.kind === 'tray-created')!.detail).toMatchObject({ image: expect.stringMatching(/trayTemplate\.png$/) });
      const first = (await app.state()).window!.bounds;
      await app.send({ op: 'close-window' });
      expect(await app.state()).toMatchObject({ windows: 0, tray: { tooltip: 'TAB — signed out' } });
      expect(app.child.exitCode).toBeNull();
      await app.send({ op: 'second-instance' });
      const again = await app.until('a new window', () => app.state(), (s) => s.windows === 1);
      expect(again.window!.bounds).toEqual(first);
      expect(again.violations).toEqual([]);
    } finally {
      expect(await app.quit()).toBe(0);
    }
    // A relaunch on the same data folder restores the saved place.
    const saved = JSON.parse(readFileSync(join(app.appData, 'TAB Dev', 'settings.json'), 'utf8')) as { window: { bounds: unknown } };
    const relaunch = launchStandIn({ main: built.main, serverUrl: server.url, platform: 'darwin', appData: app.appData });
    try {
      await relaunch.windowShown();
      expect((await relaunch.state()).window!.bounds).toEqual(saved.window.bounds);
    } finally {
      await relaunch.quit();
    }
  });
});
