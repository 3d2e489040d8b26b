import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { WEB_ROOT, expectAxeCleanAA, expectNoHorizontalScroll, launchChromium, openDevice, screenshot, signInThroughUi, skipReason } from './support/browser.js';

const SUITE = 'web client: an admin removes a member’s passkey from the member page; the member’s open Profile drops it at once (Chromium virtual authenticator)';

/** Chromium's virtual authenticator, a laptop's platform authenticator (as in passkeys.test.ts). */
async function addVirtualAuthenticator(page: Page, transport: 'internal' | 'usb') {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport, hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  return () => cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId });
}

async function addPasskey(page: Page, name: string) {
  const section = page.getByTestId('passkeys-section');
  const add = section.getByTestId('add-passkey');
  await add.hover();
  await add.click();
  await section.getByLabel('Name').fill(name);
  await section.getByRole('button', { name: 'Continue' }).click();
  await section.getByText(`Passkey “${name}” added`).waitFor();
}

describe.skipIf(skipReason(SUITE) !== null)(SUITE, { timeout: 180_000 }, () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer({ webRoot: WEB_ROOT }), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('the admin sees Ana’s passkeys, removes one after their re-check; Ana stays signed in and her Profile no longer lists it', async () => {
    // WebAuthn needs a host name: Ana's pages at http://localhost.
    const ana = await openDevice(browser, server.url.replace('127.0.0.1', 'localhost'));
    const unplugLaptop = await addVirtualAuthenticator(ana.page, 'internal');
    await signInThroughUi(ana.page, 'ana@demo.test');
    await ana.page.goto('/profile');
    await ana.page.getByTestId('add-passkey').waitFor();
    await addPasskey(ana.page, 'Work laptop');
    // A security key for the second passkey (one passkey per authenticator; the laptop's set aside so Chromium asks the key).
    await unplugLaptop();
    await addVirtualAuthenticator(ana.page, 'usb');
    await addPasskey(ana.page, 'YubiKey');
    const anaRows = ana.page.getByTestId('passkeys-section').getByTestId('passkey-row');
    await expect.poll(() => anaRows.count(), { timeout: 10_000 }).toBe(2);

    const anaId = (await server.store.findUserByEmail('ana@demo.test'))!.id;
    const admin = await openDevice(browser, server.url);
    await signInThroughUi(admin.page, 'admin@demo.test');
    await admin.page.goto(`/team/members/${anaId}`);
    const list = admin.page.getByTestId('member-passkeys');
    const rows = list.getByTestId('member-passkey-row');
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(2);
    await admin.page.getByTestId('member-two-factor-summary').getByText('No authenticator app · 2 passkeys').waitFor();
    expect(await rows.first().textContent()).toMatch(/Work laptop.*Added .* · not used yet/);
    await screenshot(admin.page, 'member-passkeys-1280');
    await expectAxeCleanAA(admin.page);
    await admin.page.setViewportSize({ width: 400, height: 900 });
    await expectNoHorizontalScroll(admin.page);
    await screenshot(admin.page, 'member-passkeys-400');
    await admin.page.setViewportSize({ width: 1280, height: 900 });

    const remove = list.getByRole('button', { name: /^Remove .*’s passkey Work laptop$/ });
    await remove.hover();
    await remove.click();
    const dialog = admin.page.getByRole('dialog', { name: /passkey “Work laptop”/ });
    await dialog.getByText('Their sessions are not signed out.', { exact: false }).waitFor();
    await dialog.getByLabel('Your password', { exact: true }).fill('wrong-password');
    await dialog.getByRole('button', { name: 'Remove passkey' }).click();
    await dialog.getByText('That password is not right.').waitFor();
    await screenshot(admin.page, 'member-passkey-remove-dialog-1280');
    await expectAxeCleanAA(admin.page);
    await admin.page.setViewportSize({ width: 400, height: 900 });
    await expectNoHorizontalScroll(admin.page);
    await screenshot(admin.page, 'member-passkey-remove-dialog-400');
    await admin.page.setViewportSize({ width: 1280, height: 900 });
    expect(await server.store.listPasskeys(anaId)).toHaveLength(2);

    await dialog.getByLabel('Your password', { exact: true }).fill('demo-pass-2026');
    await dialog.getByRole('button', { name: 'Remove passkey' }).click();
    await admin.page.getByText(/passkey “Work laptop” was removed$/).waitFor();
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(1);
    await admin.page.getByTestId('member-two-factor-summary').getByText('No authenticator app · 1 passkey').waitFor();
    await screenshot(admin.page, 'member-passkey-removed-1280');

    // Ana's Profile, open all along and never reloaded, drops it (account.changed); she is still signed in.
    await expect.poll(() => anaRows.count(), { timeout: 10_000 }).toBe(1);
    expect(await anaRows.first().textContent()).toContain('YubiKey');
    expect((await ana.context.request.get('/api/v1/me')).status()).toBe(200);
    await screenshot(ana.page, 'member-passkey-removed-ana-profile-1280');
    expect((await server.store.listPasskeys(anaId)).map((p) => p.name)).toEqual(['YubiKey']);

    const workspaceId = (await server.store.findUserByEmail('ana@demo.test'))!.workspaceId;
    const audit = (await server.store.listAudit(workspaceId, { type: 'passkey_removed', limit: 1 }))[0]!;
    expect(audit).toMatchObject({ targetUserId: anaId, detail: { name: 'Work laptop' } });
    await admin.context.close();
    await ana.context.close();
  });
});
