import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { call, signIn } from '../support/api.js';
import { startOidcProvider, type TestOidcProvider } from '../support/oidc-provider.js';
import { WEB_ROOT, expectAxeCleanAA, expectNoHorizontalScroll, launchChromium, openDevice, screenshot, skipReason } from './support/browser.js';

/**
 * Single sign-on in the browser (issue #15 item 3): the e-mail-first sign-in
 * offers SSO for the firm's domain and goes through a real OpenID provider
 * (oidc-provider on a loopback port, shaped like Google) back to TAB's
 * /sso/callback and the dashboard; the admin's settings on the Security page;
 * a broken callback explains itself. At 1280 and 400 px, axe-clean, no
 * sideways scroll.
 */
const SUITE = 'web client: single sign-on (Chromium)';

describe.skipIf(skipReason(SUITE) !== null)(SUITE, { timeout: 120_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  let provider: TestOidcProvider;

  beforeAll(async () => {
    [server, browser, provider] = await Promise.all([startTestServer({ webRoot: WEB_ROOT }), launchChromium(), startOidcProvider()]);
    const admin = await signIn(server.url, 'admin@demo.test');
    const saved = await call(server.url, 'PUT', '/api/v1/admin/sso', {
      headers: admin.auth,
      body: { flavor: 'google', issuer: provider.issuer, clientId: provider.clientId, clientSecret: provider.clientSecret, allowedDomains: ['demo.test'], jitAllowed: false, requireSso: false },
    });
    expect(saved.status).toBe(200);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await provider?.close();
  });

  for (const width of [1280, 400]) {
    it(`signs in with SSO from the e-mail-first page at ${width} px`, async () => {
      provider.signInAs({ sub: 'google-ana', email: 'ana@demo.test', email_verified: true, hd: 'demo.test', name: 'Ana Accountant' });
      const { context, page } = await openDevice(browser, server.url, undefined, { width });
      await page.goto('/');
      await page.getByLabel('Email').fill('ana@demo.test');
      await page.getByLabel('Password', { exact: true }).focus(); // leaving the e-mail field asks about its domain
      const button = page.getByTestId('sso-button');
      await button.waitFor();
      await expect(page.getByRole('button', { name: 'Sign in with password' }).count()).resolves.toBe(1);
      await expectNoHorizontalScroll(page);
      await expectAxeCleanAA(page);
      await screenshot(page, `sso-sign-in-${width}`);
      await button.hover();
      await button.click();
      await page.getByRole('heading', { name: 'Active sessions' }).waitFor();
      expect(new URL(page.url()).pathname).toBe('/');
      expect(page.url()).not.toContain('code=');
      await context.close();
    });

    it(`shows the admin's single sign-on settings on the Security page at ${width} px`, async () => {
      const { context, page } = await openDevice(browser, server.url, undefined, { width });
      await page.goto('/');
      await page.getByLabel('Email').fill('admin@demo.test');
      await page.getByLabel('Password', { exact: true }).fill('demo-pass-2026');
      await page.getByTestId('sso-button').waitFor();
      await page.getByRole('button', { name: 'Sign in with password' }).click();
      await page.getByRole('heading', { name: 'Active sessions' }).waitFor();
      await page.goto('/security/session-policy');
      await page.getByRole('heading', { name: 'Single sign-on' }).waitFor();
      await expect(page.getByLabel('Issuer URL').inputValue()).resolves.toBe(provider.issuer);
      await expect(page.getByLabel('Client secret').inputValue()).resolves.toBe('');
      await expect(page.content()).resolves.not.toContain(provider.clientSecret);
      await expectNoHorizontalScroll(page);
      await expectAxeCleanAA(page);
      await screenshot(page, `sso-settings-${width}`);
      // Require SSO without a break-glass admin cannot be saved.
      await page.getByText('Require single sign-on (password sign-in refused)').click();
      await expect(page.getByRole('button', { name: 'Save single sign-on' }).isDisabled()).resolves.toBe(true);
      await context.close();
    });

    it(`a spent or forged callback explains itself at ${width} px`, async () => {
      const { context, page } = await openDevice(browser, server.url, undefined, { width });
      await page.goto('/sso/callback?code=forged&state=forged');
      await page.getByTestId('sso-error').waitFor();
      await expect(page.getByTestId('sso-error').textContent()).resolves.toContain('expired or was used already');
      await expectNoHorizontalScroll(page);
      await expectAxeCleanAA(page);
      await screenshot(page, `sso-callback-error-${width}`);
      await page.getByRole('link', { name: 'Back to sign-in' }).click();
      await page.getByRole('heading', { name: 'Sign in to TAB' }).waitFor();
      await context.close();
    });
  }

  it('a member who signs in by SSO confirms a sensitive change with “Confirm with Google”: a pop-up round trip, no password', async () => {
    provider.signInAs({ sub: 'google-ana', email: 'ana@demo.test', email_verified: true, hd: 'demo.test', name: 'Ana Accountant' });
    const { context, page } = await openDevice(browser, server.url);
    await page.goto('/');
    await page.getByLabel('Email').fill('ana@demo.test');
    await page.getByLabel('Password', { exact: true }).focus();
    await page.getByTestId('sso-button').click();
    await page.getByRole('heading', { name: 'Active sessions' }).waitFor();

    await page.goto('/profile');
    await page.getByRole('button', { name: 'Create token' }).click();
    const form = page.getByRole('dialog');
    await form.getByLabel('Name').fill('Via Google re-check');
    await form.getByRole('button', { name: 'Continue' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create an API token' });
    const confirm = dialog.getByRole('button', { name: 'Confirm with Google' });
    await confirm.waitFor();
    // The password is the fallback, not the first way.
    await expect(dialog.getByLabel('Your password', { exact: true }).count()).resolves.toBe(0);
    await expectAxeCleanAA(page);
    await screenshot(page, 'sso-reauth-dialog-1280');
    await page.setViewportSize({ width: 400, height: 900 });
    await expectNoHorizontalScroll(page);
    await screenshot(page, 'sso-reauth-dialog-400');
    await page.setViewportSize({ width: 1280, height: 900 });
    const popup = page.waitForEvent('popup');
    await confirm.click();
    // The pop-up goes to the provider (max_age=0, prompt=login), back to /sso/callback, hands over and closes.
    await (await popup).waitForEvent('close', { timeout: 15_000 });
    const value = page.getByTestId('new-api-token');
    await value.waitFor();
    const token = (await value.textContent())!.trim();
    expect((await call(server.url, 'GET', '/api/v1/me', { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    // Still signed in here, on the page it started from.
    expect(new URL(page.url()).pathname).toBe('/profile');
    await context.close();
  });
});
