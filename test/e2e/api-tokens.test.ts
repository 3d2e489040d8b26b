import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { call, createApiToken, signIn } from '../support/api.js';
import { WEB_ROOT, expectNoSeriousA11yViolations, launchChromium, openDevice, screenshot, signInThroughUi, skipReason } from './support/browser.js';

const SUITE = 'web client: API tokens on the Profile page and the member page (Chromium)';

describe.skipIf(skipReason(SUITE) !== null)(SUITE, { timeout: 90_000 }, () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer({ webRoot: WEB_ROOT }), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('after "sign out everywhere else" the card says which tokens still work and leads to the profile, where a token is made once and revoked', async () => {
    const laptop = await signIn(server.url, 'ben@demo.test', { client: 'desktop', deviceName: 'Ben’s laptop' });
    await createApiToken(server.url, laptop, { name: 'Laptop script', scopes: ['time:read'] });
    const { page, context } = await openDevice(browser, server.url);
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await signInThroughUi(page, 'ben@demo.test');
    const signOutOthers = page.getByRole('button', { name: 'Sign out everywhere else' });
    await signOutOthers.hover();
    await signOutOthers.click();
    const note = page.getByTestId('tokens-still-work');
    await expect.poll(() => note.textContent()).toContain('1 API token still works');
    const toProfile = note.getByRole('link', { name: 'manage them in your profile' });
    await toProfile.hover();
    await toProfile.click();
    await page.getByRole('heading', { name: 'API tokens' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/profile');
    await page.getByTestId('api-token-row').filter({ hasText: 'Laptop script' }).waitFor();

    const create = page.getByRole('button', { name: 'Create token' });
    await create.hover();
    await create.click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill('Invoice export');
    await dialog.getByText(/^Read reports/).click();
    await screenshot(page, 'api-tokens-create');
    await dialog.getByRole('button', { name: 'Continue' }).click();
    // The shared re-check dialog.
    await dialog.getByLabel('Your password', { exact: true }).fill('demo-pass-2026');
    await dialog.getByRole('button', { name: 'Create token' }).click();
    const value = page.getByTestId('new-api-token');
    await value.waitFor();
    const token = (await value.textContent())!.trim();
    expect(token).toMatch(/^tab_pat_/);
    await page.getByRole('button', { name: 'Copy token' }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(token);
    await screenshot(page, 'api-tokens-created');
    expect((await call(server.url, 'GET', '/api/v1/me', { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);

    await page.keyboard.press('Escape');
    const row = page.getByTestId('api-token-row').filter({ hasText: 'Invoice export' });
    await row.waitFor();
    expect(await row.textContent()).toContain('Read reports');
    await expectNoSeriousA11yViolations(page);
    await page.setViewportSize({ width: 400, height: 900 });
    await screenshot(page, 'api-tokens-profile-400');
    const revoke = row.getByRole('button', { name: 'Revoke Invoice export' });
    await revoke.hover();
    await revoke.click();
    await page.getByText('Revoked Invoice export').waitFor();
    expect((await call(server.url, 'GET', '/api/v1/me', { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
    await context.close();
  });

  it("an admin sees a member's tokens on the member page and revokes one", async () => {
    const ana = await signIn(server.url, 'ana@demo.test');
    const anasToken = await createApiToken(server.url, ana, { name: 'Ana’s timer sync', scopes: ['time:read', 'time:write'] });
    const { page, context } = await openDevice(browser, server.url);
    await signInThroughUi(page, 'admin@demo.test');
    await page.goto(`/admin/members/${ana.user.id}`);
    const tokens = page.getByTestId('member-api-tokens');
    await tokens.getByText('Ana’s timer sync').waitFor();
    await expectNoSeriousA11yViolations(page);
    await screenshot(page, 'member-api-tokens');
    const revoke = tokens.getByRole('button', { name: 'Revoke Ana’s timer sync' });
    await revoke.hover();
    await revoke.click();
    await tokens.getByText('No API tokens.').waitFor();
    expect((await call(server.url, 'GET', '/api/v1/me', { headers: anasToken.auth })).status).toBe(401);
    await context.close();
  });
});
