import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { ManualClock } from '../../server/platform/clock.js';
import { totpCodeAt } from '../../server/mfa/totp.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { WEB_ROOT, expectNoSeriousA11yViolations, launchChromium, openDevice, openUserMenu, screenshot, signInThroughUi, skipReason } from './support/browser.js';

const SUITE = 'web client: two-factor enrolment on the Profile page and sign-in with a code (Chromium)';

describe.skipIf(skipReason(SUITE) !== null)(SUITE, { timeout: 120_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  // The server's clock: moved past each used 30-second step, since a code works once.
  const clock = new ManualClock(Date.now());

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer({ webRoot: WEB_ROOT, clock }), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('enrol from Profile (QR shown, first code, recovery codes once), sign out, sign in again with the code', async () => {
    const { page, context } = await openDevice(browser, server.url);
    await signInThroughUi(page, 'ana@demo.test');
    await page.goto('/profile');
    const section = page.getByTestId('two-factor-section');
    const setUp = section.getByRole('button', { name: 'Set up an authenticator app' });
    await setUp.waitFor();
    await setUp.hover();
    await setUp.click();
    const qr = page.getByTestId('totp-qr');
    await qr.waitFor();
    // The QR code is drawn (an image of real size, not a broken one).
    expect(await qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    const secret = (await page.getByTestId('totp-secret').textContent())!.replace(/\s/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await screenshot(page, 'two-factor-enrol-1280');
    await page.setViewportSize({ width: 400, height: 900 });
    await screenshot(page, 'two-factor-enrol-400');
    await page.setViewportSize({ width: 1280, height: 900 });

    await section.getByLabel('Code from the app').fill(totpCodeAt(secret, clock.now()));
    const turnOn = section.getByRole('button', { name: 'Turn on two-factor' });
    await turnOn.hover();
    await turnOn.click();
    const codes = page.getByTestId('recovery-codes');
    await codes.waitFor();
    expect(await codes.locator('li').count()).toBe(10);
    await screenshot(page, 'two-factor-recovery-codes-1280');
    await section.getByRole('button', { name: 'I saved them' }).click();
    await section.getByText('10 recovery codes left').waitFor();
    await expectNoSeriousA11yViolations(page);

    await openUserMenu(page);
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to TAB' }).waitFor();
    await page.goto('/');

    clock.advance(30_000);
    await page.getByLabel('Email').fill('ana@demo.test');
    await page.getByLabel('Password', { exact: true }).fill('demo-pass-2026');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { name: 'Two-factor sign-in' }).waitFor();
    await page.getByLabel('Authenticator code').fill('000000');
    await page.getByRole('button', { name: 'Verify and sign in' }).click();
    await page.getByTestId('sign-in-error').getByText(/That code is not right/).waitFor();
    await screenshot(page, 'two-factor-sign-in-1280');
    await page.setViewportSize({ width: 400, height: 900 });
    await screenshot(page, 'two-factor-sign-in-400');
    await expectNoSeriousA11yViolations(page);
    await page.getByLabel('Authenticator code').fill(totpCodeAt(secret, clock.now()));
    const verify = page.getByRole('button', { name: 'Verify and sign in' });
    await verify.hover();
    await verify.click();
    await page.getByRole('heading', { name: 'Active sessions' }).waitFor();
    // The session's sign-in is audited with its method.
    const workspaceId = (await server.store.findUserByEmail('ana@demo.test'))!.workspaceId;
    const detail = (await server.store.listAudit(workspaceId, { type: 'sign_in', limit: 1 }))[0]!.detail;
    expect(detail.method).toBe('password+totp');
    await context.close();
  });
});
