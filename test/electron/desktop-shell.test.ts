/** The plain models behind the native shell: app menu, context menu, window placement, tray, notifications. */
import { describe, expect, it } from 'vitest';
import { appMenuTemplate, rolesIn, type AppMenuItem } from '../../electron/shell/app-menu.js';
import { contextMenuEntries, type ContextMenuParams } from '../../electron/shell/context-menu.js';
import { defaultBounds, windowPlacement, type Rect } from '../../electron/shell/window-state.js';
import { trayModel } from '../../electron/shell/tray-model.js';
import { idleNotice, locationText, longTimerNotice, newSignInNotice, signedOutNotice } from '../../electron/shell/notices.js';
import { LongTimerReminder } from '../../electron/shell/timer-reminder.js';
import type { TimeEntry } from '../../shared/api/time.js';
import type { SessionSummary } from '../../shared/api/events.js';
import { END_REASONS } from '../../shared/errors.js';

const commands = (items: AppMenuItem[]): string[] => items.flatMap((i) => [...(i.command ? [i.command] : []), ...commands(i.submenu ?? [])]);

describe('app menu', () => {
  it.each(['darwin', 'win32', 'linux'] as const)('%s, packaged: no Reload, no DevTools; edit roles for copy and paste', (platform) => {
    const template = appMenuTemplate({ platform, appName: 'TAB', packaged: true, updatesEnabled: false });
    const roles = rolesIn(template);
    for (const forbidden of ['reload', 'forceReload', 'toggleDevTools'] as const) expect(roles).not.toContain(forbidden);
    for (const needed of ['copy', 'paste', 'cut', 'selectAll', 'undo', 'quit'] as const) expect(roles).toContain(needed);
    expect(commands(template)).toContain('open-desktop-settings');
    expect(commands(template)).toContain('open-profile');
    expect(commands(template)).not.toContain('check-for-updates');
  });

  it('development runs keep Reload and DevTools; "Check for updates…" only where updates are on', () => {
    expect(rolesIn(appMenuTemplate({ platform: 'linux', appName: 'TAB', packaged: false, updatesEnabled: false }))).toEqual(expect.arrayContaining(['reload', 'toggleDevTools']));
    expect(commands(appMenuTemplate({ platform: 'darwin', appName: 'TAB', packaged: true, updatesEnabled: true }))).toContain('check-for-updates');
    expect(commands(appMenuTemplate({ platform: 'win32', appName: 'TAB', packaged: true, updatesEnabled: true }))).toContain('check-for-updates');
  });

  it('macOS has the app menu first (About, Settings… ⌘,, Quit); Windows starts with File', () => {
    const mac = appMenuTemplate({ platform: 'darwin', appName: 'TAB', packaged: true, updatesEnabled: false });
    expect(mac[0]!.label).toBe('TAB');
    expect(mac[0]!.submenu!.find((i) => i.command === 'open-desktop-settings')).toMatchObject({ label: 'Settings…', accelerator: 'CmdOrCtrl+,' });
    expect(appMenuTemplate({ platform: 'win32', appName: 'TAB', packaged: true, updatesEnabled: false })[0]!.label).toBe('File');
  });
});

describe('context menu', () => {
  const flags = { canUndo: true, canRedo: false, canCut: true, canCopy: true, canPaste: true, canSelectAll: true };
  const params = (over: Partial<ContextMenuParams>): ContextMenuParams => ({ isEditable: true, selectionText: '', misspelledWord: '', dictionarySuggestions: [], editFlags: flags, ...over });

  it('an editable field: undo/redo, cut/copy/paste, select all, enabled as Chromium says', () => {
    const entries = contextMenuEntries(params({}));
    expect(entries.filter((e) => 'role' in e)).toEqual([
      { role: 'undo', enabled: true },
      { role: 'redo', enabled: false },
      { role: 'cut', enabled: true },
      { role: 'copy', enabled: true },
      { role: 'paste', enabled: true },
      { role: 'selectAll', enabled: true },
    ]);
  });

  it('a misspelled word: up to five suggestions first, then "Add to dictionary"', () => {
    const entries = contextMenuEntries(params({ misspelledWord: 'recieve', dictionarySuggestions: ['receive', 'relieve', 'reprieve', 'recede', 'recite', 'revive'] }));
    const replacements = entries.filter((e) => 'action' in e && e.action.kind === 'replace-misspelling');
    expect(replacements.map((e) => ('label' in e ? e.label : ''))).toEqual(['receive', 'relieve', 'reprieve', 'recede', 'recite']);
    expect(entries[0]).toEqual({ label: 'receive', action: { kind: 'replace-misspelling', word: 'receive' } });
    expect(entries).toContainEqual({ label: 'Add to dictionary', action: { kind: 'add-to-dictionary', word: 'recieve' } });
    const none = contextMenuEntries(params({ misspelledWord: 'qzxv', dictionarySuggestions: [] }));
    expect(none[0]).toEqual({ label: 'No spelling suggestions', enabled: false });
  });

  it('selected text outside a field: Copy only; nothing selected: no menu', () => {
    expect(contextMenuEntries(params({ isEditable: false, selectionText: 'VAT return' }))).toEqual([{ role: 'copy', enabled: true }]);
    expect(contextMenuEntries(params({ isEditable: false, selectionText: '  ' }))).toEqual([]);
  });
});

describe('window placement', () => {
  const laptop = { workArea: { x: 0, y: 0, width: 1366, height: 728 } };
  const big = { workArea: { x: 1366, y: 0, width: 2560, height: 1400 } };
  const inside = (b: Rect, a: Rect) => b.x >= a.x && b.y >= a.y && b.x + b.width <= a.x + a.width && b.y + b.height <= a.y + a.height;

  it('first launch on a 1366×768 laptop: fits its work area (no overflow), centred', () => {
    const placement = windowPlacement(null, [laptop], laptop);
    expect(inside(placement.bounds, laptop.workArea)).toBe(true);
    expect(placement.bounds.width).toBeLessThanOrEqual(1280);
    expect(placement.bounds.height).toBeLessThanOrEqual(728 * 0.9 + 1);
    expect(placement.minHeight).toBeLessThanOrEqual(728);
  });

  it('first launch on a large display: the preferred 1280×820', () => {
    expect(defaultBounds(big.workArea)).toMatchObject({ width: 1280, height: 820 });
  });

  it('restores saved bounds on the display they were on, maximized or not', () => {
    const saved = { bounds: { x: 1500, y: 100, width: 1400, height: 900 }, maximized: true };
    expect(windowPlacement(saved, [laptop, big], laptop)).toMatchObject({ bounds: saved.bounds, maximized: true });
  });

  it('a window saved on a display that is gone (unplugged monitor) opens on the primary one', () => {
    const saved = { bounds: { x: 1500, y: 100, width: 1400, height: 900 }, maximized: false };
    const placement = windowPlacement(saved, [laptop], laptop);
    expect(inside(placement.bounds, laptop.workArea)).toBe(true);
  });

  it('a saved window larger than its display, or half off it, is fitted inside', () => {
    const placement = windowPlacement({ bounds: { x: -300, y: 500, width: 2000, height: 1200 }, maximized: false }, [laptop], laptop);
    expect(inside(placement.bounds, laptop.workArea)).toBe(true);
    expect(placement.bounds.width).toBe(1366);
  });
});

describe('tray / menu bar', () => {
  const signedIn = { status: 'signed-in' as const, serverUrl: 'https://tab.example.com', user: { id: 'u', email: 'a@b.c', name: 'Ana', role: 'accountant' as const, workspaceId: 'w' }, session: null, storage: 'keychain' as const };
  const entry = (over: Partial<TimeEntry> = {}): TimeEntry => ({
    id: 'e1',
    userId: 'u',
    clientId: 'c1',
    matterId: null,
    activityId: null,
    description: 'VAT return',
    start: '2026-11-23T09:00:00.000Z',
    end: null,
    billable: true,
    hourlyRateCents: 12000,
    currency: 'EUR',
    billedAt: null,
    createdAt: '2026-11-23T09:00:00.000Z',
    updatedAt: '2026-11-23T09:00:00.000Z',
    ...over,
  });
  const now = Date.parse('2026-11-23T10:25:00.000Z');

  it('a running timer: its time as the menu-bar title, a Stop item', () => {
    const model = trayModel({ auth: signedIn, running: entry(), last: null, runningClientName: 'Acme', now });
    expect(model.title).toBe('1:25');
    expect(model.tooltip).toBe('TAB — Acme — VAT return · 1:25');
    expect(model.menu[0]).toEqual({ label: 'Stop timer (Acme · 1:25)', command: 'stop-timer', enabled: true });
  });

  it('no timer: "Start timer: <last client>"; nothing yet: disabled; offline says so', () => {
    const last = { entry: entry({ end: '2026-11-23T09:30:00.000Z' }), clientName: 'Acme' };
    expect(trayModel({ auth: signedIn, running: null, last, runningClientName: null, now }).menu[0]).toEqual({ label: 'Start timer: Acme — VAT return', command: 'start-last', enabled: true });
    expect(trayModel({ auth: signedIn, running: null, last: null, runningClientName: null, now }).menu[0]).toMatchObject({ command: 'start-last', enabled: false });
    const offline = trayModel({ auth: { ...signedIn, status: 'offline' }, running: null, last, runningClientName: null, now });
    expect(offline.tooltip).toMatch(/offline/);
    expect(offline.title).toBe('');
  });

  it('signed out: no timer, an item to open the window', () => {
    const model = trayModel({ auth: { status: 'signed-out', serverUrl: null, reason: 'revoked_by_user' }, running: entry(), last: null, runningClientName: null, now });
    expect(model.title).toBe('');
    expect(model.menu.map((i) => ('command' in i ? i.command : '-'))).toEqual(['show-window', '-', 'show-window', 'quit']);
  });
});

describe('notifications', () => {
  it('"Signed out" with the reason; never for the person’s own sign-out', () => {
    expect(signedOutNotice('revoked_by_user')).toEqual({ title: 'Signed out', body: 'This session was signed out from another device.' });
    for (const reason of END_REASONS.filter((r) => r !== 'signed_out')) expect(signedOutNotice(reason)?.body, reason).toBeTruthy();
    expect(signedOutNotice('signed_out')).toBeNull();
    expect(signedOutNotice(null)).toBeNull();
  });

  it('"New sign-in: <label> · <location>" for another session, never this one', () => {
    const session: SessionSummary = { id: 's2', label: 'Chrome on Windows', clientKind: 'web', createdAt: '2026-11-23T09:00:00Z', location: { city: 'Lyon', region: 'Auvergne-Rhône-Alpes', country: 'France', countryCode: 'FR' } };
    expect(newSignInNotice(session, 's1')).toEqual({ title: 'New sign-in', body: 'Chrome on Windows · Lyon, France' });
    expect(newSignInNotice(session, 's2')).toBeNull();
    expect(newSignInNotice({ ...session, location: null }, 's1')).toEqual({ title: 'New sign-in', body: 'Chrome on Windows' });
    expect(locationText({ ...session, location: { city: null, region: 'Bavaria', country: null, countryCode: null } })).toBe('Bavaria');
  });

  it('"Your timer has been running for 10 hours", once per timer', () => {
    expect(longTimerNotice().body).toBe('Your timer has been running for 10 hours.');
    const reminder = new LongTimerReminder();
    const timer = { id: 'e1', start: '2026-11-23T08:00:00.000Z' };
    expect(reminder.due(timer, Date.parse('2026-11-23T17:59:59.000Z'))).toBe(false);
    expect(reminder.due(timer, Date.parse('2026-11-23T18:00:00.000Z'))).toBe(true);
    expect(reminder.due(timer, Date.parse('2026-11-23T19:00:00.000Z'))).toBe(false);
    expect(reminder.due(null, Date.now())).toBe(false);
    expect(idleNotice(25 * 60_000).title).toBe('You were away 0:25');
  });
});
