/** Data folders per OS (platform injected), moving the time databases out of the roaming profile, crash reports, auto-update policy. */
import { describe, expect, it, vi } from 'vitest';
import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { desktopPaths } from '../../electron/platform/desktop-paths.js';
import { moveTimeData } from '../../electron/platform/move-time-data.js';
import { crashReporterOptions, crashReportUrl } from '../../electron/platform/crash-reports.js';
import { parseAppUpdateYml, startUpdateFlow, updatePlan, type UpdaterLike } from '../../electron/platform/update-policy.js';
import { timeDbPath } from '../../electron/time-queue/local-schema.js';
import { TimeStore } from '../../electron/time-queue/local-store.js';
import { tempDir } from './support/time.js';

describe('data folders', () => {
  it('Windows: settings in the roaming profile, the time databases under %LOCALAPPDATA%, moved from the roaming one', () => {
    const paths = desktopPaths({
      platform: 'win32',
      env: { LOCALAPPDATA: 'C:\\Users\\ana\\AppData\\Local' },
      appData: 'C:\\Users\\ana\\AppData\\Roaming',
      packaged: true,
    });
    expect(paths).toEqual({
      userData: 'C:\\Users\\ana\\AppData\\Roaming\\TAB',
      timeDataDir: 'C:\\Users\\ana\\AppData\\Local\\TAB',
      legacyTimeDataDir: 'C:\\Users\\ana\\AppData\\Roaming\\TAB',
    });
  });

  it('development runs (npm start) never share the installed app’s folders', () => {
    const dev = desktopPaths({ platform: 'win32', env: { LOCALAPPDATA: 'C:\\L' }, appData: 'C:\\R', packaged: false });
    expect(dev.userData).toBe('C:\\R\\TAB Dev');
    expect(dev.timeDataDir).toBe('C:\\L\\TAB Dev');
    expect(desktopPaths({ platform: 'darwin', env: {}, appData: '/Users/ana/Library/Application Support', packaged: false }).userData).toBe('/Users/ana/Library/Application Support/TAB Dev');
  });

  it('macOS and Linux: one folder, nothing to move; Windows without LOCALAPPDATA stays where it was', () => {
    expect(desktopPaths({ platform: 'darwin', env: {}, appData: '/Users/ana/Library/Application Support', packaged: true })).toEqual({
      userData: '/Users/ana/Library/Application Support/TAB',
      timeDataDir: '/Users/ana/Library/Application Support/TAB',
      legacyTimeDataDir: null,
    });
    expect(desktopPaths({ platform: 'linux', env: { LOCALAPPDATA: '/x' }, appData: '/home/ana/.config', packaged: true }).legacyTimeDataDir).toBeNull();
    expect(desktopPaths({ platform: 'win32', env: {}, appData: 'C:\\R', packaged: true }).legacyTimeDataDir).toBeNull();
  });
});

describe('moving the time databases (first start of the new version)', () => {
  const origin = 'https://tab.example.com';
  const clientId = '11111111-1111-4111-8111-111111111111';

  /** An old-location database with an unsynced queue (a running timer and a saved entry), left open-ish: WAL not checkpointed. */
  function oldDatabase(dataDir: string, userId = 'user-1') {
    const store = new TimeStore({ dataDir, origin, userId, now: () => Date.UTC(2026, 10, 23, 9) });
    store.timerStart({ clientId, description: 'running', billable: true });
    store.saveEntry({ id: '22222222-2222-4222-8222-222222222222', clientId, description: 'saved', start: '2026-11-22T09:00:00Z', end: '2026-11-22T10:00:00Z', billable: true });
    const file = store.file;
    store.close();
    return file;
  }

  it('moves each database with its queue, leaves nothing behind, and the new version finds the queue', () => {
    const roaming = tempDir('tab-roaming-');
    const local = tempDir('tab-local-');
    oldDatabase(roaming, 'user-1');
    oldDatabase(roaming, 'user-2');
    const log = { log: vi.fn() };
    const report = moveTimeData(roaming, local, log);
    expect(report.moved).toHaveLength(2);
    expect(report.failed).toEqual([]);
    expect(existsSync(join(roaming, 'time'))).toBe(false);
    const store = new TimeStore({ dataDir: local, origin, userId: 'user-1' });
    expect(store.queue().map((w) => w.operation)).toEqual(['timer-start', 'save']);
    expect(store.runningTimer()).toMatchObject({ description: 'running' });
    store.close();
    expect(readdirSync(join(local, 'time')).filter((n) => n.endsWith('.moving'))).toEqual([]);
    // A second start: nothing left to move.
    expect(moveTimeData(roaming, local)).toEqual({ moved: [], merged: [], failed: [] });
  });

  it('both places have the database after a crash between the copy and the delete: no write twice', () => {
    const roaming = tempDir('tab-roaming-');
    const local = tempDir('tab-local-');
    const oldFile = oldDatabase(roaming);
    mkdirSync(join(local, 'time'), { recursive: true });
    copyFileSync(oldFile, join(local, 'time', basename(oldFile)));
    for (const suffix of ['-wal', '-shm']) if (existsSync(oldFile + suffix)) copyFileSync(oldFile + suffix, join(local, 'time', basename(oldFile) + suffix));
    expect(moveTimeData(roaming, local).merged).toHaveLength(1);
    expect(existsSync(oldFile)).toBe(false);
    const store = new TimeStore({ dataDir: local, origin, userId: 'user-1' });
    expect(store.queue().map((w) => w.operation)).toEqual(['timer-start', 'save']);
    store.close();
  });

  it('the old version was run again after the move: what it queued is added to the moved queue, nothing lost', () => {
    const roaming = tempDir('tab-roaming-');
    const local = tempDir('tab-local-');
    oldDatabase(roaming);
    moveTimeData(roaming, local);
    const again = new TimeStore({ dataDir: roaming, origin, userId: 'user-1', now: () => Date.UTC(2026, 10, 23, 12) });
    again.saveEntry({ id: '33333333-3333-4333-8333-333333333333', clientId, description: 'written by the old version', start: '2026-11-23T10:00:00Z', end: '2026-11-23T11:00:00Z', billable: false });
    again.close();
    expect(moveTimeData(roaming, local).merged).toHaveLength(1);
    expect(existsSync(join(roaming, 'time'))).toBe(false);
    const store = new TimeStore({ dataDir: local, origin, userId: 'user-1' });
    expect(store.queue().map((w) => [w.operation, w.payload.entry?.description])).toEqual([
      ['timer-start', 'running'],
      ['save', 'saved'],
      ['save', 'written by the old version'],
    ]);
    expect(store.entry('33333333-3333-4333-8333-333333333333')).toMatchObject({ billable: false });
    expect(store.runningTimer()).toMatchObject({ description: 'running' });
    store.close();
  });

  it('a file that cannot be moved stays where it was (the next start tries again); stray files are not touched', () => {
    const roaming = tempDir('tab-roaming-');
    const local = tempDir('tab-local-');
    mkdirSync(join(roaming, 'time'), { recursive: true });
    const broken = join(roaming, 'time', `${'a'.repeat(64)}.sqlite`);
    writeFileSync(broken, 'this is not a database');
    writeFileSync(join(roaming, 'time', 'notes.txt'), 'kept');
    const log = { log: vi.fn() };
    const report = moveTimeData(roaming, local, log);
    expect(report.failed).toEqual([`${'a'.repeat(64)}.sqlite`]);
    expect(existsSync(broken)).toBe(true);
    expect(existsSync(join(roaming, 'time', 'notes.txt'))).toBe(true);
    expect(log.log).toHaveBeenCalledWith('error', 'could not move a time database', expect.anything());
    expect(timeDbPath(local, origin, 'x')).toContain(join(local, 'time'));
  });
});

describe('crash reports', () => {
  it('kept locally always; uploaded only with an https address AND the person’s opt-in', () => {
    expect(crashReportUrl(undefined)).toBeNull();
    expect(crashReportUrl('http://crashes.example.com/submit')).toBeNull();
    expect(crashReportUrl('https://user:pw@crashes.example.com/')).toBeNull();
    expect(crashReportUrl('not a url')).toBeNull();
    const url = crashReportUrl('https://crashes.example.com/submit');
    expect(url).toBe('https://crashes.example.com/submit');
    expect(crashReporterOptions({ url, optedIn: false, productName: 'TAB', version: '1.2.3' })).toMatchObject({ uploadToServer: false, submitURL: url });
    expect(crashReporterOptions({ url, optedIn: true, productName: 'TAB', version: '1.2.3' })).toMatchObject({ uploadToServer: true, globalExtra: { appVersion: '1.2.3' } });
    expect(crashReporterOptions({ url: null, optedIn: true, productName: 'TAB', version: '1' })).toMatchObject({ uploadToServer: false, submitURL: '' });
  });
});

describe('auto-update', () => {
  const winConfig = { url: 'https://updates.tab.example.com/desktop', publisherName: ['TAB Software Ltd'] };

  it('only packaged, signed builds with an https feed; Windows needs a publisher to check signatures against; never Linux', () => {
    expect(updatePlan({ packaged: false, platform: 'darwin', envFeedUrl: undefined, appUpdateConfig: winConfig })).toMatchObject({ enabled: false });
    expect(updatePlan({ packaged: true, platform: 'linux', envFeedUrl: undefined, appUpdateConfig: winConfig })).toMatchObject({ enabled: false });
    expect(updatePlan({ packaged: true, platform: 'darwin', envFeedUrl: undefined, appUpdateConfig: null })).toMatchObject({ enabled: false });
    expect(updatePlan({ packaged: true, platform: 'win32', envFeedUrl: undefined, appUpdateConfig: { url: winConfig.url } })).toMatchObject({ enabled: false, reason: expect.stringMatching(/publisher/) });
    expect(updatePlan({ packaged: true, platform: 'win32', envFeedUrl: undefined, appUpdateConfig: winConfig })).toEqual({ enabled: true, feedUrl: null });
    expect(updatePlan({ packaged: true, platform: 'darwin', envFeedUrl: 'https://mirror.example.com/tab', appUpdateConfig: { url: winConfig.url } })).toEqual({ enabled: true, feedUrl: 'https://mirror.example.com/tab' });
    expect(updatePlan({ packaged: true, platform: 'darwin', envFeedUrl: 'http://mirror.example.com/tab', appUpdateConfig: { url: winConfig.url } })).toMatchObject({ enabled: false });
    expect(updatePlan({ packaged: true, platform: 'darwin', envFeedUrl: undefined, appUpdateConfig: { url: 'http://x.example.com' } })).toMatchObject({ enabled: false });
  });

  it('reads electron-builder’s app-update.yml', () => {
    const text = 'provider: generic\nurl: https://updates.tab.example.com/desktop\npublisherName:\n  - TAB Software Ltd\n  - "TAB Ltd"\nupdaterCacheDirName: tab-desktop-updater\n';
    expect(parseAppUpdateYml(text)).toEqual({ url: 'https://updates.tab.example.com/desktop', publisherName: ['TAB Software Ltd', 'TAB Ltd'] });
    expect(parseAppUpdateYml('provider: generic\nurl: https://u.example.com\npublisherName: Solo\n')).toEqual({ url: 'https://u.example.com', publisherName: ['Solo'] });
  });

  it('downloads in the background, asks "Restart to update" once per version, installs on restart or at the next quit', async () => {
    const listeners = new Map<string, (arg: never) => void>();
    const quitAndInstall = vi.fn((_silent?: boolean, _forceRunAfter?: boolean) => undefined);
    const updater: UpdaterLike = {
      autoDownload: false,
      autoInstallOnAppQuit: false,
      checkForUpdates: vi.fn(async () => null),
      quitAndInstall,
      on: ((event: string, listener: (arg: never) => void) => listeners.set(event, listener)) as UpdaterLike['on'],
    };
    const answers = [false, true];
    const asked: string[] = [];
    const log = vi.fn();
    const flow = startUpdateFlow({ updater, log, askToRestart: async (version) => (asked.push(version), answers.shift()!) });
    expect(updater.autoDownload).toBe(true);
    expect(updater.autoInstallOnAppQuit).toBe(true);
    await flow.check();
    expect(updater.checkForUpdates).toHaveBeenCalled();
    listeners.get('update-downloaded')!({ version: '1.1.0' } as never);
    listeners.get('update-downloaded')!({ version: '1.1.0' } as never);
    await new Promise((r) => setTimeout(r, 0));
    expect(asked).toEqual(['1.1.0']);
    expect(quitAndInstall).not.toHaveBeenCalled(); // "Later"
    listeners.get('update-downloaded')!({ version: '1.2.0' } as never);
    await new Promise((r) => setTimeout(r, 0));
    expect(quitAndInstall).toHaveBeenCalledWith(false, true);
    listeners.get('error')!(new Error('signature mismatch') as never);
    expect(log).toHaveBeenCalledWith('warn', 'update check failed', { error: 'signature mismatch' });
  });
});
