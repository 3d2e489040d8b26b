/**
 * The desktop flow end to end: the real server, the real main-process modules
 * (auth state machine, server client, event stream, IPC handlers with their
 * sender checks) and the OS keychain (under scripts/with-keyring.sh), and the
 * built renderer in Chromium talking only through `window.tab` — the bridge
 * code preload exposes (electron/bridge.ts). Only Electron's IPC pipe is stood
 * in for: Playwright's exposeBinding carries invoke, page.evaluate the pushes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Server } from 'node:http';
import type { Browser } from 'playwright-core';
import { CHROMIUM_PATH, launchChromium } from '../e2e/support/browser.js';
import { RestartableServer } from './support/server.js';
import { createTestDesktop, memoryKeytar, testKeychain, type TestDesktop } from './support/desktop.js';
import { connectPage, serveRenderer } from './support/bridge-page.js';
import { call, signIn as webSignIn } from '../support/api.js';
import { ipcCaller } from './support/ipc.js';
import { TimeService } from '../../electron/time-queue/time-service.js';
import { keychainAccounts, KEYCHAIN_SERVICE } from '../../electron/credential-store.js';
import { IdleService } from '../../electron/idle/idle-service.js';
import { DesktopSettingsService } from '../../electron/desktop-settings.js';
import { createDownloadSaver } from '../../electron/downloads.js';
import { createMemorySettings } from '../../electron/settings.js';
import { expectNoSeriousA11yViolations, screenshot } from '../e2e/support/browser.js';
import { createClientAsAdmin, tempDir } from './support/time.js';
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { enrolTotp } from '../support/mfa.js';
import { totpCodeAt } from '../../server/mfa/totp.js';

const rendererIndex = join(import.meta.dirname, '..', '..', 'dist', 'renderer', 'index.html');
const missing = !existsSync(CHROMIUM_PATH)
  ? `${CHROMIUM_PATH} is not installed`
  : !existsSync(rendererIndex)
    ? 'dist/renderer is not built (run `npm run build:renderer`)'
    : null;
const skip = missing !== null && process.env.CI !== 'true';
if (skip) console.warn(`[desktop e2e] skipped: ${missing}`);

const keychain = testKeychain();
if (!keychain.real) console.log(`[desktop e2e] using an in-memory keytar: ${keychain.skipReason}`);

describe.skipIf(skip)('desktop end to end (renderer in Chromium over the bridge)', () => {
  let server: RestartableServer;
  let browser: Browser;
  let renderer: { url: string; server: Server };
  let desktop: TestDesktop;

  beforeAll(async () => {
    server = new RestartableServer();
    await server.start();
    renderer = await serveRenderer();
    browser = await launchChromium();
  });

  afterAll(async () => {
    desktop?.controller.dispose();
    await browser?.close();
    renderer?.server.close();
    if (server) {
      const accounts = keychainAccounts(server.url);
      await keychain.keytar.deletePassword(KEYCHAIN_SERVICE, accounts.jwt).catch(() => false);
      await keychain.keytar.deletePassword(KEYCHAIN_SERVICE, accounts.cookie).catch(() => false);
      await server.dispose();
    }
  });

  it('sign in, see this Laptop in Active sessions, revoked from the web → sign-in page with the reason within 2 s', async () => {
    desktop = createTestDesktop({ serverUrl: server.url, keytar: keychain.keytar, deviceName: 'Ana’s Laptop' });
    await desktop.controller.start();
    const refused: string[] = [];
    const ipcLog: string[] = [];
    const real = desktop.controller;
    const logged = {
      send: async (r: Parameters<typeof real.send>[0]) => {
        try {
          const out = await real.send(r);
          ipcLog.push(`${Date.now()} ${r.method} ${r.path} → ${JSON.stringify(out).slice(0, 160)}`);
          return out;
        } catch (error) {
          ipcLog.push(`${Date.now()} ${r.method} ${r.path} → ${String(error)}`);
          throw error;
        }
      },
      signIn: real.signIn.bind(real),
      signInCode: real.signInCode.bind(real),
      signInWithSso: real.signInWithSso.bind(real),
      signInWithPasskey: real.signInWithPasskey.bind(real),
      signInEnrolStart: real.signInEnrolStart.bind(real),
      signInEnrolConfirm: real.signInEnrolConfirm.bind(real),
      cancelBrowserSignIn: real.cancelBrowserSignIn.bind(real),
      signOut: async () => {
        ipcLog.push(`${Date.now()} signOut`);
        return real.signOut();
      },
      getState: real.getState.bind(real),
      setServerUrl: real.setServerUrl.bind(real),
      webPageUrl: real.webPageUrl.bind(real),
    };
    // The offline-safe time queue, as main wires it (on the test desktop's data folder).
    const time = new TimeService({ dataDir: desktop.dataDir, auth: desktop.controller, pushDelayMs: 10 });
    time.attach();
    // The static server's origin stands in for app://tab.
    const { listeners } = ipcCaller({ controller: logged, time }, [renderer.url], { onRefused: (channel, reason) => refused.push(`${channel}: ${reason}`) });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    const cspViolations: string[] = [];
    page.on('console', (msg) => {
      if (/Content Security Policy/i.test(msg.text())) cspViolations.push(msg.text());
    });
    await connectPage(page, listeners, desktop.controller, time);

    await page.goto(renderer.url + '/');
    // The desktop renderer has no cookie and no token: only window.tab.
    expect(await page.evaluate(() => typeof (window as unknown as { tab?: unknown }).tab)).toBe('object');
    await page.getByLabel('Email').fill('ana@demo.test');
    await page.getByLabel('Password', { exact: true }).fill('demo-pass-2026');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { name: 'Active sessions' }).waitFor();

    const state = desktop.controller.current;
    expect(state).toMatchObject({ status: 'signed-in', storage: 'keychain' });
    const sessionId = state.status === 'signed-in' ? state.session!.id : '';
    const row = page.locator(`[data-testid="session-row"][data-session-id="${sessionId}"]`);
    await row.waitFor();
    await expect(row.getByTestId('session-icon-desktop').getAttribute('aria-label')).resolves.toBe('Desktop app');
    await expect(row.textContent()).resolves.toContain('This device');
    await expect(row.textContent()).resolves.toContain('Ana’s Laptop');

    // Neither secret reached the page: not in its storage, cookies or DOM.
    const accounts = keychainAccounts(server.url);
    const jwt = await keychain.keytar.getPassword(KEYCHAIN_SERVICE, accounts.jwt);
    const cookie = await keychain.keytar.getPassword(KEYCHAIN_SERVICE, accounts.cookie);
    expect(jwt && cookie).toBeTruthy();
    const pageSide = await page.evaluate(() => JSON.stringify([document.documentElement.outerHTML, { ...localStorage }, { ...sessionStorage }, document.cookie]));
    expect(pageSide).not.toContain(jwt!);
    expect(pageSide).not.toContain(cookie!);
    expect(await context.cookies()).toEqual([]);

    // Another device (a web session of the same user) signs this laptop out.
    const web = await webSignIn(server.url, 'ana@demo.test');
    const started = Date.now();
    expect((await call(server.url, 'DELETE', `/api/v1/sessions/${sessionId}`, { headers: web.auth })).status).toBe(204);
    await page.getByRole('heading', { name: 'Sign in to TAB' }).waitFor({ timeout: 2000 });
    try {
      await page.getByTestId('sign-out-reason').getByText('This session was signed out from another device.').waitFor({ timeout: 2000 - (Date.now() - started) });
    } catch (error) {
      console.error('[desktop e2e] page:', await page.locator('body').innerText(), '\nstates:', JSON.stringify(desktop.states.map((s) => [s.status, 'reason' in s ? s.reason : ''])), '\nipc:', ipcLog.join('\n'));
      throw error;
    }
    const elapsed = Date.now() - started;
    expect(elapsed).toBeLessThan(2000);
    console.log(`[desktop e2e] sign-in page with the reason ${elapsed} ms after the revocation`);

    expect(desktop.controller.current).toEqual({ status: 'signed-out', serverUrl: server.url, reason: 'revoked_by_user' });
    expect(await keychain.keytar.getPassword(KEYCHAIN_SERVICE, accounts.jwt)).toBeNull();
    expect(await keychain.keytar.getPassword(KEYCHAIN_SERVICE, accounts.cookie)).toBeNull();
    expect(refused).toEqual([]);
    expect(pageErrors).toEqual([]);
    expect(cspViolations).toEqual([]);
    await context.close();
    time.dispose();
  });

  it('desktop-only UI over the real main modules: Download CSV through the save dialog, Desktop settings, the idle prompt', async () => {
    const client = await createClientAsAdmin(server.url, 'Northwind Traders');
    const manager = createTestDesktop({ serverUrl: server.url, keytar: keychain.keytar, deviceName: 'Mia’s MacBook' });
    await manager.controller.start();
    const time = new TimeService({ dataDir: manager.dataDir, auth: manager.controller, pushDelayMs: 10 });
    time.attach();
    const settings = new DesktopSettingsService(createMemorySettings(), null);
    let idleSeconds = 0;
    let pushIdle: (prompt: unknown) => void = () => undefined;
    const idle = new IdleService({
      now: Date.now,
      idle: { idleSeconds: () => idleSeconds },
      time,
      thresholdMs: () => settings.idleThresholdMs(),
      tickMs: 5000,
      onPrompt: (prompt) => pushIdle(prompt),
    });
    const savedTo = join(tempDir('tab-e2e-save-'), 'november.csv');
    const { listeners } = ipcCaller(
      {
        controller: manager.controller,
        time,
        idle,
        settings,
        saveDownload: createDownloadSaver({ fetchFile: (path) => manager.controller.download(path), chooseFile: async () => savedTo }),
        openExternal: async () => undefined,
      },
      [renderer.url],
    );
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    const pipe = await connectPage(page, listeners, manager.controller, time);
    pushIdle = (prompt) => pipe.push('idlePrompt', prompt as never);
    await page.goto(renderer.url + '/');
    await page.getByLabel('Email').fill('manager@demo.test');
    await page.getByLabel('Password', { exact: true }).fill('demo-pass-2026');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { name: 'Active sessions' }).waitFor();

    // Reports: the CSV goes through main and the save dialog (stood in: it picks november.csv).
    await page.getByRole('link', { name: 'Reports' }).first().click();
    const download = page.getByRole('button', { name: 'Download CSV' });
    await download.hover();
    await download.click();
    await page.getByText('Saved as november.csv').waitFor();
    expect(readFileSync(savedTo, 'utf8').split('\n')[0]).toContain('entry_id');
    await screenshot(page, 'desktop-reports-download');
    await page.setViewportSize({ width: 400, height: 900 });
    await screenshot(page, 'desktop-reports-download-400');
    await page.setViewportSize({ width: 1280, height: 900 });

    // The idle prompt: a timer running for 40 minutes, the computer idle for 25 of them.
    time.saveEntry({ id: randomUUID(), clientId: client.id, description: 'Year-end close', start: new Date(Date.now() - 40 * 60_000).toISOString(), end: null, billable: true });
    idleSeconds = 25 * 60;
    idle.monitor.tick();
    idleSeconds = 0;
    idle.monitor.tick();
    const dialog = page.getByTestId('idle-prompt');
    await page.getByText('You were away 0:25').waitFor();
    await screenshot(page, 'desktop-idle-prompt');
    await expectNoSeriousA11yViolations(page);
    await page.setViewportSize({ width: 400, height: 900 });
    await screenshot(page, 'desktop-idle-prompt-400');
    await page.setViewportSize({ width: 1280, height: 900 });
    const runningBefore = time.runningTimer()!;
    const discard = dialog.getByRole('button', { name: 'Discard the idle time' });
    await discard.hover();
    await discard.click();
    await page.getByText('You were away 0:25').waitFor({ state: 'hidden' });
    expect(time.runningTimer()!.id).not.toBe(runningBefore.id);
    expect(time.currentStore!.entry(runningBefore.id)!.end).not.toBeNull();

    // Desktop settings from the user menu: the idle threshold.
    await page.getByRole('button', { name: /^User menu/ }).click();
    await page.getByRole('menuitem', { name: 'API tokens (web) ↗' }).waitFor();
    await screenshot(page, 'desktop-user-menu');
    const settingsItem = page.getByRole('menuitem', { name: 'Desktop settings' });
    await settingsItem.hover();
    await settingsItem.click();
    const modal = page.getByTestId('desktop-settings');
    await modal.getByText('After 10 minutes (default)').waitFor();
    await screenshot(page, 'desktop-settings');
    await modal.getByText('After 30 minutes').click();
    await modal.getByRole('button', { name: 'Save' }).click();
    await modal.waitFor({ state: 'hidden' });
    expect(settings.get().idleThresholdMinutes).toBe(30);
    expect(pageErrors).toEqual([]);

    time.timerStop({});
    await time.flush();
    await context.close();
    pipe.stop();
    time.dispose();
    manager.controller.dispose();
  });

  it('the workspace requires two-factor: a member without it enrols in the desktop sign-in page (QR, first code, recovery codes once)', async () => {
    const admin = await webSignIn(server.url, 'admin@demo.test');
    // The policy never locks out its own admin: the admin has an authenticator first.
    await enrolTotp(server.url, admin, { now: () => Date.now() });
    expect((await call(server.url, 'PUT', '/api/v1/admin/two-factor-policy', { headers: admin.auth, body: { requireTwoFactor: 'everyone' } })).status).toBe(200);
    // Its own keychain: the earlier tests' desktop may still be signed in on the shared one.
    const ben = createTestDesktop({ serverUrl: server.url, keytar: memoryKeytar(), deviceName: 'Ben’s ThinkPad' });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      await ben.controller.start();
      const { listeners } = ipcCaller({ controller: ben.controller, openExternal: async () => undefined }, [renderer.url]);
      context.setDefaultTimeout(10_000);
      const page = await context.newPage();
      const pageErrors: string[] = [];
      page.on('pageerror', (error) => pageErrors.push(error.message));
      await connectPage(page, listeners, ben.controller);
      await page.goto(renderer.url + '/');
      await page.getByLabel('Email').fill('ben@demo.test');
      await page.getByLabel('Password', { exact: true }).fill('demo-pass-2026');
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.getByRole('heading', { name: 'Set up two-factor' }).waitFor();
      await page.getByTestId('totp-qr').waitFor();
      await screenshot(page, 'desktop-enrol-at-sign-in-1280');
      await page.setViewportSize({ width: 400, height: 900 });
      await screenshot(page, 'desktop-enrol-at-sign-in-400');
      await page.setViewportSize({ width: 1280, height: 900 });
      await expectNoSeriousA11yViolations(page);
      const secret = (await page.getByTestId('totp-secret').textContent())!.replace(/\s+/g, '');
      await page.getByLabel('Code from the app').fill(totpCodeAt(secret, Date.now()));
      await page.getByRole('button', { name: 'Turn on and sign in' }).click();
      await page.getByTestId('recovery-codes').waitFor();
      expect(await page.getByTestId('recovery-codes').locator('li').count()).toBe(10);
      await screenshot(page, 'desktop-enrol-recovery-codes-1280');
      await page.getByRole('button', { name: 'I saved them — continue' }).click();
      await page.getByRole('heading', { name: 'Active sessions' }).waitFor();
      expect(ben.controller.current).toMatchObject({ status: 'signed-in' });
      expect(ben.logLines.join('\n')).not.toContain(secret);
      expect(pageErrors).toEqual([]);
      await ben.controller.signOut();
    } finally {
      await context.close();
      ben.controller.dispose();
      await call(server.url, 'PUT', '/api/v1/admin/two-factor-policy', { headers: admin.auth, body: { requireTwoFactor: 'off' } });
    }
  });

  it('passkey in the system browser: the sign-in page says to finish there, and Cancel stops the wait', async () => {
    const opened: string[] = [];
    // The browser opens and the person closes its tab: nothing comes back to the loopback.
    // At a host name: WebAuthn needs one, so the sign-in page offers passkeys and main allows them only there.
    const ana = createTestDesktop({ serverUrl: server.url.replace('//127.0.0.1:', '//localhost:'), keytar: memoryKeytar(), deviceName: 'Ana’s Laptop', openExternal: async (url) => void opened.push(url) });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      await ana.controller.start();
      const { listeners } = ipcCaller({ controller: ana.controller }, [renderer.url]);
      context.setDefaultTimeout(10_000);
      const page = await context.newPage();
      await connectPage(page, listeners, ana.controller);
      await page.goto(renderer.url + '/');
      await page.getByTestId('passkey-sign-in').click();
      await page.getByText('Finish in your browser…').waitFor();
      await expect.poll(() => opened.length).toBe(1);
      expect(new URL(opened[0]!).pathname).toBe('/desktop/passkey');
      await screenshot(page, 'desktop-passkey-waiting-1280');
      await page.setViewportSize({ width: 400, height: 900 });
      await screenshot(page, 'desktop-passkey-waiting-400');
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.getByTestId('cancel-browser-sign-in').click();
      await page.getByTestId('passkey-sign-in').waitFor();
      expect(await page.getByTestId('sign-in-error').count()).toBe(0);
      expect(ana.controller.current.status).toBe('signed-out');
    } finally {
      await context.close();
      ana.controller.dispose();
    }
  });

  it('a page from an origin other than the app’s cannot use the bridge (the real handlers’ sender check)', async () => {
    const { listeners } = ipcCaller({ controller: desktop.controller }, ['app://tab']);
    const context = await browser.newContext();
    const page = await context.newPage();
    await connectPage(page, listeners, desktop.controller);
    await page.goto(renderer.url + '/');
    const result = await page.evaluate(async () => {
      try {
        await (window as unknown as { tab: { getState(): Promise<unknown> } }).tab.getState();
        return 'answered';
      } catch (error) {
        return String(error);
      }
    });
    expect(result).toMatch(/refused/);
    await context.close();
  });
});
