import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { call, LISBON_IP, signIn, US_IP } from '../support/api.js';
import { USER_AGENTS, WEB_ROOT, expectNoSeriousA11yViolations, launchChromium, openDevice, screenshot, signInThroughUi, skipReason } from './support/browser.js';

const SUITE = 'web client: where sessions are, and the new sign-in alert (Chromium)';
const rows = (page: Page) => page.getByTestId('session-row');

/**
 * Each browser context is a device in its own country: the server trusts
 * loopback as its proxy, and the context sends X-Forwarded-For on every
 * request (page, API calls, event stream), as a real reverse proxy would add it.
 */
describe.skipIf(skipReason(SUITE) !== null)(SUITE, { timeout: 60_000 }, () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer({ webRoot: WEB_ROOT, trustProxy: ['loopback'] }), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('the card shows "Lisbon, Portugal" before the IP, with the DB-IP credit; a new sign-in elsewhere pops "New sign-in: …", and "Not you? Sign it out" signs it out', async () => {
    const a = await openDevice(browser, server.url, USER_AGENTS.chromeMac);
    await a.context.setExtraHTTPHeaders({ 'x-forwarded-for': LISBON_IP });
    await signInThroughUi(a.page, 'ana@demo.test');
    const own = rows(a.page).filter({ hasText: 'This device' });
    await expect.poll(() => own.getByTestId('session-where').textContent()).toBe(`Lisbon, Portugal · IP ${LISBON_IP}`);
    const credit = a.page.getByRole('link', { name: 'IP Geolocation by DB-IP' });
    expect(await credit.getAttribute('href')).toBe('https://db-ip.com');

    const b = await openDevice(browser, server.url, USER_AGENTS.firefoxWindows);
    await b.context.setExtraHTTPHeaders({ 'x-forwarded-for': US_IP });
    await signInThroughUi(b.page, 'ana@demo.test');

    const alert = a.page.getByTestId('signin-alerts').locator('.cds--actionable-notification');
    await alert.waitFor({ timeout: 2_000 });
    expect(await alert.textContent()).toMatch(/New sign-in: Firefox 121, Windows · .*United States/);
    await expect.poll(() => rows(a.page).count(), { timeout: 5_000 }).toBe(2);
    const otherWhere = rows(a.page).filter({ hasText: 'Firefox 121, Windows' }).getByTestId('session-where');
    expect(await otherWhere.textContent()).toMatch(new RegExp(`United States · IP ${US_IP.replaceAll('.', '\\.')}$`));

    await screenshot(a.page, 'locations-card-1280');
    await a.page.setViewportSize({ width: 400, height: 900 });
    await screenshot(a.page, 'locations-card-400');
    await expectNoSeriousA11yViolations(a.page);
    await a.page.setViewportSize({ width: 1280, height: 900 });

    const action = alert.getByRole('button', { name: 'Not you? Sign it out' });
    await action.hover();
    await action.click();
    await a.page.getByText('Signed out Firefox 121, Windows').waitFor({ timeout: 2_000 });
    await b.page.getByTestId('sign-out-reason').waitFor({ timeout: 2_000 });
    expect(await b.page.getByTestId('sign-out-reason').textContent()).toContain('signed out from another device');
    await expect.poll(() => rows(a.page).count(), { timeout: 5_000 }).toBe(1);
    await screenshot(a.page, 'locations-signed-out-from-alert');
    await a.context.close();
    await b.context.close();
  });

  it('reauth: a browser whose session turns up in another country is signed out and told why', async () => {
    const admin = await signIn(server.url, 'admin@demo.test');
    const policy = { inactivityTimeoutMinutes: 10080, absoluteTimeoutDays: 30, maxConcurrentSessions: null, ipChangePolicy: 'reauth' };
    expect((await call(server.url, 'PUT', '/api/v1/admin/session-policy', { headers: admin.auth, body: policy })).status).toBe(200);
    try {
      const c = await openDevice(browser, server.url, USER_AGENTS.chromeMac);
      await c.context.setExtraHTTPHeaders({ 'x-forwarded-for': LISBON_IP });
      await signInThroughUi(c.page, 'ben@demo.test');
      // The same browser, now seen from another country (a stolen cookie would look like this).
      await c.context.setExtraHTTPHeaders({ 'x-forwarded-for': US_IP });
      await c.page.reload();
      await c.page.getByTestId('sign-out-reason').waitFor({ timeout: 5_000 });
      expect(await c.page.getByTestId('sign-out-reason').textContent()).toContain('Signed out because this session moved to another country');
      await screenshot(c.page, 'locations-reauth-signed-out');
      await c.context.close();
    } finally {
      await call(server.url, 'PUT', '/api/v1/admin/session-policy', { headers: admin.auth, body: { ...policy, ipChangePolicy: 'notify' } });
    }
  });
});
