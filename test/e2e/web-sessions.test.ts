import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { signIn } from '../support/api.js';
import {
  USER_AGENTS,
  WEB_ROOT,
  expectNoSeriousA11yViolations,
  launchChromium,
  openDevice,
  screenshot,
  signInThroughUi,
  skipReason,
} from './support/browser.js';

const SUITE = 'web client: Active sessions across devices (Chromium)';
const rows = (page: Page) => page.getByTestId('session-row');
const reasonBanner = (page: Page) => page.getByTestId('sign-out-reason');

// Generous per-test time: the suites share two cores with the server tests (scrypt); the 2 s limits inside stay strict.
describe.skipIf(skipReason(SUITE) !== null)(SUITE, { timeout: 60_000 }, () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer({ webRoot: WEB_ROOT }), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('serves the client under the strict CSP and explains a wrong password', async () => {
    const { page, context } = await openDevice(browser, server.url);
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    const response = await page.goto('/');
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.getByLabel('Email').fill('ben@demo.test');
    await page.getByLabel('Password', { exact: true }).fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page.getByTestId('sign-in-error').textContent()).resolves.toContain('The email or password is not right.');
    await screenshot(page, 'sign-in-error');
    await expectNoSeriousA11yViolations(page);
    expect(violations).toEqual([]);
    await context.close();
  });

  it('two browsers of one user are two devices; revoking B drops it on the sign-in page within 2 s, no click', async () => {
    const a = await openDevice(browser, server.url, USER_AGENTS.chromeMac);
    const b = await openDevice(browser, server.url, USER_AGENTS.firefoxWindows);
    await signInThroughUi(a.page, 'ana@demo.test');
    await signInThroughUi(b.page, 'ana@demo.test');

    // A hears of B's sign-in through sessions.changed: no reload needed.
    await expect.poll(() => rows(a.page).count(), { timeout: 5_000 }).toBe(2);
    const ownRow = rows(a.page).filter({ hasText: 'Chrome 120, macOS' });
    const otherRow = rows(a.page).filter({ hasText: 'Firefox 121, Windows' });
    expect(await a.page.getByText('This device', { exact: true }).count()).toBe(1);
    expect(await ownRow.getByText('This device', { exact: true }).count()).toBe(1);
    expect(await ownRow.getByRole('button').count()).toBe(0);
    expect(await otherRow.getByRole('button', { name: 'Sign out Firefox 121, Windows' }).count()).toBe(1);
    expect(await ownRow.getByRole('img', { name: 'Web browser' }).count()).toBe(1);
    expect(await a.page.getByText(/Last seen just now · started just now/).count()).toBe(2);
    expect(await a.page.getByRole('button', { name: 'Sign out everywhere else' }).count()).toBe(1);

    await screenshot(a.page, 'dashboard');
    await expectNoSeriousA11yViolations(a.page);

    const clickedAt = Date.now();
    await otherRow.getByRole('button', { name: 'Sign out Firefox 121, Windows' }).click();
    await reasonBanner(b.page).waitFor({ timeout: 2_000 });
    const elapsed = Date.now() - clickedAt;
    expect(elapsed).toBeLessThan(2_000);
    expect(await reasonBanner(b.page).textContent()).toContain('This session was signed out from another device');
    // Nothing of the signed-out session stays on B's screen.
    expect(await b.page.getByText('Active sessions').count()).toBe(0);
    expect(await b.page.getByText('Ana Accountant').count()).toBe(0);
    await screenshot(b.page, 'signed-out-by-other-device');
    await expectNoSeriousA11yViolations(b.page);

    // A's list refreshed at once, with no confirmation asked.
    await expect.poll(() => rows(a.page).count()).toBe(1);
    expect(await a.page.getByRole('dialog').count()).toBe(0);
    expect(await a.page.getByRole('button', { name: 'Sign out everywhere else' }).count()).toBe(0);

    // A desktop sign-in (as Electron's main process makes it) appears at once, with a laptop icon.
    await signIn(server.url, 'ana@demo.test', { client: 'desktop', deviceName: 'Ana’s ThinkPad' });
    const desktopRow = rows(a.page).filter({ hasText: 'Ana’s ThinkPad' });
    await desktopRow.waitFor({ timeout: 5_000 });
    expect(await desktopRow.getByRole('img', { name: 'Desktop app' }).count()).toBe(1);
    expect(await desktopRow.getByRole('button', { name: 'Sign out Ana’s ThinkPad' }).count()).toBe(1);
    await screenshot(a.page, 'dashboard-web-and-desktop');
    await Promise.all([a.context.close(), b.context.close()]);
  });

  it('"Sign out everywhere else" with three devices leaves only this one, and tells how many', async () => {
    const a = await openDevice(browser, server.url, USER_AGENTS.chromeMac);
    const b = await openDevice(browser, server.url, USER_AGENTS.firefoxWindows);
    const c = await openDevice(browser, server.url, USER_AGENTS.edgeWindows);
    await signInThroughUi(b.page, 'ben@demo.test');
    await signInThroughUi(c.page, 'ben@demo.test');
    await signInThroughUi(a.page, 'ben@demo.test');
    await expect.poll(() => rows(a.page).count()).toBe(3);

    await a.page.getByRole('button', { name: 'Sign out everywhere else' }).click();
    await a.page.getByText('Signed out 2 other sessions').waitFor();
    await expect.poll(() => rows(a.page).count()).toBe(1);
    expect(await rows(a.page).getByText('This device', { exact: true }).count()).toBe(1);
    expect(await a.page.getByRole('button', { name: 'Sign out everywhere else' }).count()).toBe(0);

    for (const device of [b, c]) {
      await reasonBanner(device.page).waitFor({ timeout: 2_000 });
      expect(await reasonBanner(device.page).textContent()).toContain('signed out from another device');
    }
    await screenshot(a.page, 'dashboard-after-sign-out-everywhere-else');
    await Promise.all([a.context.close(), b.context.close(), c.context.close()]);
  });

  it('signing out from the user menu ends the session on the server too', async () => {
    const a = await openDevice(browser, server.url, USER_AGENTS.chromeMac);
    await signInThroughUi(a.page, 'manager@demo.test');
    await a.page.getByRole('button', { name: /^User menu/ }).click();
    await a.page.getByRole('menuitem', { name: 'Sign out' }).click();
    await a.page.getByRole('heading', { name: 'Sign in to TAB' }).waitFor();
    await expect.poll(async () => (await a.context.request.get('/api/v1/me')).status()).toBe(401);
    await a.context.close();
  });
});
