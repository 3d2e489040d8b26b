/** Save-to-file downloads, settings.json, the desktop settings service, server events, and the keychain after a fallback. */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDownloadSaver, safeFileName } from '../../electron/downloads.js';
import { contentDispositionFileName } from '../../electron/server-client.js';
import { createFileSettings, createMemorySettings, parseSettings } from '../../electron/settings.js';
import { DesktopSettingsService } from '../../electron/desktop-settings.js';
import { toServerEvent } from '../../electron/event-stream.js';
import { createCredentialStore, keychainAccounts, type KeytarLike } from '../../electron/credential-store.js';
import { ApiError } from '../../shared/api/client.js';
import { entriesCsvPath } from '../../shared/api/client.js';
import { RestartableServer } from './support/server.js';
import { createTestDesktop, memoryKeytar } from './support/desktop.js';
import { tempDir } from './support/time.js';

describe('save a download to a file the person picks', () => {
  it.each([
    ['tab-entries.csv', 'tab-entries.csv'],
    ['../../etc/passwd', 'passwd'],
    ['C:\\Windows\\system.ini', 'system.ini'],
    ['inv<oice>:2026|11?.pdf', 'inv-oice--2026-11-.pdf'],
    ['CON.csv', 'tab-CON.csv'],
    ['report. ', 'report'],
    ['.hidden', 'download.hidden'],
    ['', 'download'],
    ['a\u0000b\nc.csv', 'a-b-c.csv'],
  ])('file name %j → %j', (input, output) => {
    expect(safeFileName(input)).toBe(output);
  });

  it('fetches first (no dialog when offline), proposes the cleaned name with a filter, writes the bytes atomically', async () => {
    const dir = tempDir('tab-download-');
    const bytes = new TextEncoder().encode('entry_id,date\n1,2026-11-23\n');
    const chooseFile = vi.fn(async () => join(dir, 'mine.csv'));
    const save = createDownloadSaver({ fetchFile: vi.fn(async () => ({ bytes, contentType: 'text/csv', fileName: null })), chooseFile });
    expect(await save({ path: entriesCsvPath({ from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00Z' }), suggestedName: '../tab-entries.csv' })).toEqual({ saved: true, fileName: 'mine.csv' });
    expect(chooseFile).toHaveBeenCalledWith('tab-entries.csv', [{ name: 'CSV (comma-separated values)', extensions: ['csv'] }]);
    expect(readFileSync(join(dir, 'mine.csv'), 'utf8')).toBe('entry_id,date\n1,2026-11-23\n');

    const offline = createDownloadSaver({ fetchFile: async () => Promise.reject(new ApiError(0, 'network_error', 'offline')), chooseFile });
    chooseFile.mockClear();
    await expect(offline({ path: '/api/v1/reports/entries.csv', suggestedName: 'x.csv' })).rejects.toMatchObject({ code: 'network_error' });
    expect(chooseFile).not.toHaveBeenCalled();

    const cancelled = createDownloadSaver({ fetchFile: async () => ({ bytes, contentType: null, fileName: null }), chooseFile: async () => null });
    expect(await cancelled({ path: '/api/v1/reports/entries.csv', suggestedName: 'x.csv' })).toEqual({ saved: false, fileName: null });

    // The server's own name wins (still cleaned).
    chooseFile.mockClear();
    const named = createDownloadSaver({ fetchFile: async () => ({ bytes, contentType: 'text/csv', fileName: '../tab-entries-2026-11-01-to-2026-12-01.csv' }), chooseFile });
    await named({ path: '/api/v1/reports/entries.csv', suggestedName: 'x.csv' });
    expect(chooseFile).toHaveBeenCalledWith('tab-entries-2026-11-01-to-2026-12-01.csv', expect.anything());
  });

  it.each([
    ['attachment; filename="tab-entries-2026-11-01-to-2026-12-01.csv"', 'tab-entries-2026-11-01-to-2026-12-01.csv'],
    ["attachment; filename=\"fallback.pdf\"; filename*=UTF-8''Rechnung%20M%C3%A4rz.pdf", 'Rechnung März.pdf'],
    ['attachment; filename=plain.csv', 'plain.csv'],
    ['attachment; filename="quoted \\"name\\".csv"', 'quoted "name".csv'],
    ['inline', null],
    [null, null],
  ])('Content-Disposition %j → %j', (header, name) => {
    expect(contentDispositionFileName(header)).toBe(name);
  });

  it('only API GET paths (the proxy’s rules): never a percent-encoded trick', async () => {
    const fetchFile = vi.fn();
    const save = createDownloadSaver({ fetchFile, chooseFile: vi.fn() });
    await expect(save({ path: '/api/v1/%2e%2e/docs', suggestedName: 'x' })).rejects.toMatchObject({ status: 400 });
    await expect(save({ path: '/docs/json', suggestedName: 'x' })).rejects.toMatchObject({ status: 400 });
    expect(fetchFile).not.toHaveBeenCalled();
  });

  describe('against the real server', () => {
    let server: RestartableServer;
    beforeAll(async () => {
      server = new RestartableServer();
      await server.start();
    });
    afterAll(async () => server.dispose());

    it('the CSV export, with the desktop session’s credentials; a 401 signs out like any call', async () => {
      const desktop = createTestDesktop({ serverUrl: server.url, keytar: memoryKeytar() });
      await desktop.controller.start();
      await desktop.controller.signIn({ email: 'admin@demo.test', password: 'demo-pass-2026' });
      const path = entriesCsvPath({ from: '2026-01-01T00:00:00Z', to: '2026-12-31T00:00:00Z' });
      const file = await desktop.controller.download(path);
      expect(file.contentType).toMatch(/text\/csv/);
      expect(file.fileName).toBe('tab-entries-2026-01-01-to-2026-12-31.csv');
      expect(new TextDecoder().decode(file.bytes).split('\n')[0]).toContain('entry_id');
      const session = desktop.controller.currentSessionId!;
      await server.current!.deps.store.revokeSession(session, { at: Date.now(), by: null, reason: 'revoked_by_admin' }, {
        workspaceId: (desktop.controller.current as { user: { workspaceId: string } }).user.workspaceId,
        type: 'session_revoked',
        at: Date.now(),
        sessionId: session,
      });
      await expect(desktop.controller.download(path)).rejects.toMatchObject({ status: 401 });
      expect(desktop.controller.current).toMatchObject({ status: 'signed-out', reason: 'revoked_by_admin' });
      desktop.controller.dispose();
    });
  });
});

describe('settings.json', () => {
  it('keeps only well-formed values (a hand-edited or older file never breaks the app)', () => {
    expect(parseSettings('not json')).toMatchObject({ serverUrl: null, idleThresholdMinutes: 10, uploadCrashReports: false, window: null });
    expect(parseSettings(JSON.stringify({ serverUrl: 'https://x', idleThresholdMinutes: 7, uploadCrashReports: 'yes', window: { bounds: { x: 1 } } }))).toMatchObject({
      serverUrl: 'https://x',
      idleThresholdMinutes: 10,
      uploadCrashReports: false,
      window: null,
    });
    expect(parseSettings(JSON.stringify({ idleThresholdMinutes: 0, window: { bounds: { x: 1, y: 2, width: 3, height: 4 }, maximized: true } }))).toMatchObject({
      idleThresholdMinutes: 0,
      window: { bounds: { x: 1, y: 2, width: 3, height: 4 }, maximized: true },
    });
  });

  it('is written atomically and read back', () => {
    const dir = tempDir('tab-settings-');
    const store = createFileSettings(dir);
    store.write({ idleThresholdMinutes: 15 });
    store.write({ uploadCrashReports: true });
    expect(createFileSettings(dir).read()).toMatchObject({ idleThresholdMinutes: 15, uploadCrashReports: true });
    writeFileSync(join(dir, 'settings.json'), '{ broken');
    expect(createFileSettings(dir).read().idleThresholdMinutes).toBe(10);
  });

  it('desktop settings: the opt-in means nothing without a crash-report address; listeners hear changes', () => {
    const without = new DesktopSettingsService(createMemorySettings(), null);
    expect(without.set({ uploadCrashReports: true })).toEqual({ idleThresholdMinutes: 10, uploadCrashReports: false, crashReportUrl: null });
    const service = new DesktopSettingsService(createMemorySettings(), 'https://crashes.example.com/');
    const heard = vi.fn();
    service.onChanged(heard);
    expect(service.set({ idleThresholdMinutes: 30, uploadCrashReports: true })).toEqual({ idleThresholdMinutes: 30, uploadCrashReports: true, crashReportUrl: 'https://crashes.example.com/' });
    expect(service.idleThresholdMs()).toBe(30 * 60_000);
    expect(heard).toHaveBeenCalledTimes(1);
  });
});

describe('server events main understands', () => {
  const msg = (event: string, data: unknown) => ({ event, data: JSON.stringify(data) });
  const summary = { id: 's2', label: 'Chrome on Windows', clientKind: 'web', createdAt: '2026-11-23T09:00:00Z', location: { city: 'Lyon', region: null, country: 'France', countryCode: 'FR' } };

  it('session.created (the "new sign-in" alert), time.changed, session.alert, stream.closed', () => {
    expect(toServerEvent(msg('session.created', { type: 'session.created', session: summary }))).toEqual({ type: 'session.created', session: summary });
    expect(toServerEvent(msg('session.created', { type: 'session.created', session: { ...summary, location: null } }))).toMatchObject({ session: { location: null } });
    expect(toServerEvent(msg('time.changed', { userId: 'u', entryId: null, change: 'timer_started' }))).toEqual({ type: 'time.changed', userId: 'u', entryId: null, change: 'timer_started' });
    expect(toServerEvent(msg('session.alert', { kind: 'ip_changed', session: summary, from: 'FR', to: 'DE' }))).toMatchObject({ type: 'session.alert', kind: 'ip_changed' });
    expect(toServerEvent(msg('stream.closed', { reason: 'too_many_streams' }))).toEqual({ type: 'stream.closed', reason: 'too_many_streams' });
  });

  it('malformed ones are dropped, never passed on', () => {
    expect(toServerEvent(msg('session.created', { session: { ...summary, clientKind: 'robot' } }))).toBeNull();
    expect(toServerEvent(msg('session.created', { session: { ...summary, location: 'Lyon' } }))).toBeNull();
    expect(toServerEvent(msg('session.revoked', { sessionId: 's', reason: 'because' }))).toBeNull();
    expect(toServerEvent(msg('stream.closed', { reason: 'bored' }))).toBeNull();
    expect(toServerEvent(msg('time.changed', { userId: 'u', entryId: 3, change: 'x' }))).toBeNull();
  });
});

describe('the keychain after a failure', () => {
  it('a sign-out still deletes what is in the keychain after an earlier keychain error (the next launch restores nothing)', async () => {
    const real = memoryKeytar();
    let failReads = false;
    const flaky: KeytarLike = {
      getPassword: async (s, a) => {
        if (failReads) throw new Error('The user name or passphrase you entered is not correct.');
        return real.getPassword(s, a);
      },
      setPassword: (s, a, p) => real.setPassword(s, a, p),
      deletePassword: (s, a) => real.deletePassword(s, a),
    };
    const origin = 'https://tab.example.com';
    // An earlier run stored a session…
    await createCredentialStore({ keytar: flaky }).save(origin, { jwt: 'old-jwt', cookie: 'old-cookie' });
    // …this run cannot read the keychain at launch (locked): memory from now on.
    failReads = true;
    const store = createCredentialStore({ keytar: flaky });
    expect(await store.load(origin)).toBeNull();
    expect(store.storage).toBe('memory');
    // Signing out (or a 401) must still delete the stored pair.
    await store.clear(origin);
    const accounts = keychainAccounts(origin);
    expect(await real.getPassword('TAB', accounts.jwt)).toBeNull();
    expect(await real.getPassword('TAB', accounts.cookie)).toBeNull();
    failReads = false;
    expect(await createCredentialStore({ keytar: flaky }).load(origin)).toBeNull();
  });

  it('a deletion that fails is logged, not thrown (sign-out still completes)', async () => {
    const log = { log: vi.fn() };
    const failing: KeytarLike = { getPassword: async () => null, setPassword: async () => undefined, deletePassword: async () => Promise.reject(new Error('keychain gone')) };
    const store = createCredentialStore({ keytar: failing, log });
    await expect(store.clear('https://tab.example.com')).resolves.toBeUndefined();
    expect(log.log).toHaveBeenCalledWith('warn', 'could not delete the credentials from the keychain', expect.objectContaining({ cause: expect.stringContaining('keychain gone') }));
  });
});
