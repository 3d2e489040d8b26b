import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { WEB_ROOT, expectNoSeriousA11yViolations, launchChromium, openDevice, openUserMenu, screenshot, signInThroughUi, skipReason } from './support/browser.js';

const SUITE = 'web client: passkeys enrolled on the Profile page, used as a second factor and passwordless, removed (Chromium virtual authenticator)';

/**
 * Chromium's virtual authenticator (DevTools protocol, WebAuthn domain): a
 * platform authenticator with resident keys and user verification, as a
 * laptop's Touch ID or Windows Hello would be. WebAuthn needs a secure
 * context and a domain for its RP ID (an IP address is not one), so the
 * pages are opened at http://localhost.
 */
async function addVirtualAuthenticator(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  return { cdp, authenticatorId };
}

async function signInMethod(server: TestServer): Promise<unknown> {
  const workspaceId = (await server.store.findUserByEmail('ana@demo.test'))!.workspaceId;
  return (await server.store.listAudit(workspaceId, { type: 'sign_in', limit: 1 }))[0]!.detail.method;
}

async function signOut(page: Page) {
  await openUserMenu(page);
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in to TAB' }).waitFor();
  await page.goto('/');
}

describe.skipIf(skipReason(SUITE) !== null)(SUITE, { timeout: 180_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  let origin: string;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer({ webRoot: WEB_ROOT }), launchChromium()]);
    origin = server.url.replace('127.0.0.1', 'localhost');
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('enrol from Profile, sign out, sign in with the passkey as second factor and passwordless, remove it', async () => {
    const { page, context } = await openDevice(browser, origin);
    const { cdp, authenticatorId } = await addVirtualAuthenticator(page);
    await signInThroughUi(page, 'ana@demo.test');
    await page.goto('/profile');
    const section = page.getByTestId('passkeys-section');
    const add = section.getByTestId('add-passkey');
    await add.waitFor();
    await add.hover();
    await add.click();
    await section.getByLabel('Name').fill('Work laptop');
    await screenshot(page, 'passkeys-add-1280');
    const cont = section.getByRole('button', { name: 'Continue' });
    await cont.hover();
    await cont.click();
    await section.getByText('Passkey “Work laptop” added').waitFor();
    await expect.poll(() => section.getByTestId('passkey-row').count(), { timeout: 10_000 }).toBe(1);
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    expect(credentials).toHaveLength(1);
    expect(credentials[0]!.isResidentCredential).toBe(true);
    await screenshot(page, 'passkeys-profile-1280');
    await page.setViewportSize({ width: 400, height: 900 });
    await screenshot(page, 'passkeys-profile-400');
    await page.setViewportSize({ width: 1280, height: 900 });
    await expectNoSeriousA11yViolations(page);

    // Second factor: the password, then "Use a passkey".
    await signOut(page);
    await page.getByLabel('Email').fill('ana@demo.test');
    await page.getByLabel('Password', { exact: true }).fill('demo-pass-2026');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { name: 'Two-factor sign-in' }).waitFor();
    const use = page.getByTestId('passkey-second-step');
    await screenshot(page, 'passkeys-second-step-1280');
    await page.setViewportSize({ width: 400, height: 900 });
    await screenshot(page, 'passkeys-second-step-400');
    await page.setViewportSize({ width: 1280, height: 900 });
    await use.hover();
    await use.click();
    await page.getByRole('heading', { name: 'Active sessions' }).waitFor();
    expect(await signInMethod(server)).toBe('password+passkey');

    // Passwordless: "Sign in with a passkey", no email, no password.
    await signOut(page);
    const passwordless = page.getByTestId('passkey-sign-in');
    await screenshot(page, 'passkeys-sign-in-1280');
    await page.setViewportSize({ width: 400, height: 900 });
    await screenshot(page, 'passkeys-sign-in-400');
    await page.setViewportSize({ width: 1280, height: 900 });
    await passwordless.hover();
    await passwordless.click();
    await page.getByRole('heading', { name: 'Active sessions' }).waitFor();
    expect(await signInMethod(server)).toBe('passkey');

    // Remove: confirmed with the passkey (a re-check grant), then gone.
    await page.goto('/profile');
    const remove = section.getByRole('button', { name: 'Remove passkey Work laptop' });
    await remove.waitFor();
    await remove.hover();
    await remove.click();
    // The shared re-check dialog: confirmed with the passkey.
    await page.getByRole('dialog').getByTestId('reauth-passkey').click();
    await section.getByText('Passkey “Work laptop” removed').waitFor();
    await expect.poll(() => section.getByTestId('passkey-row').count(), { timeout: 10_000 }).toBe(0);
    const anaId = (await server.store.findUserByEmail('ana@demo.test'))!.id;
    expect(await server.store.listPasskeys(anaId)).toEqual([]);

    // The authenticator still holds the credential, but the server no longer knows it.
    await signOut(page);
    await page.getByTestId('passkey-sign-in').click();
    await page.getByTestId('sign-in-error').getByText(/That passkey was not accepted/).waitFor();
    await context.close();
  });
});
