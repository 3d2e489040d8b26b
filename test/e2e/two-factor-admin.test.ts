import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { ManualClock } from '../../server/platform/clock.js';
import { totpCodeAt } from '../../server/mfa/totp.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { signIn, viaCookie } from '../support/api.js';
import { codeStep, enrolTotp, passwordStep } from '../support/mfa.js';
import { WEB_ROOT, expectNoSeriousA11yViolations, launchChromium, openDevice, screenshot, signInThroughUi, skipReason } from './support/browser.js';

const SUITE = 'web client: new recovery codes on the Profile page and an admin’s two-factor reset (Chromium)';

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

  it('Ana makes new recovery codes (re-check, shown once, the old ones dead); the admin resets her two-factor and she is signed out', async () => {
    const ana = await openDevice(browser, server.url);
    await signInThroughUi(ana.page, 'ana@demo.test');
    // Her authenticator, added through the API (the Profile's enrolment has its own test in two-factor.test.ts).
    const { secret, recoveryCodes: oldCodes } = await enrolTotp(server.url, viaCookie(await signIn(server.url, 'ana@demo.test')), clock);
    clock.advance(30_000);

    await ana.page.goto('/profile');
    const section = ana.page.getByTestId('two-factor-section');
    await section.getByText('10 recovery codes left').waitFor();
    await section.getByRole('button', { name: 'Make new recovery codes' }).click();
    const dialog = ana.page.getByRole('dialog', { name: 'Make new recovery codes' });
    await dialog.getByLabel('Your password', { exact: true }).fill('demo-pass-2026');
    await dialog.getByLabel('Code from your authenticator app').fill(totpCodeAt(secret, clock.now()));
    await screenshot(ana.page, 'recovery-codes-recheck-1280');
    await dialog.getByRole('button', { name: 'Make new codes' }).click();
    const codes = ana.page.getByTestId('recovery-codes');
    await codes.waitFor();
    const fresh = (await codes.locator('li').allTextContents()).map((c) => c.trim());
    expect(fresh).toHaveLength(10);
    expect(fresh.some((c) => oldCodes.includes(c))).toBe(false);
    await codes.getByRole('button', { name: 'Download' }).waitFor();
    await screenshot(ana.page, 'recovery-codes-new-1280');
    await ana.page.setViewportSize({ width: 400, height: 900 });
    await screenshot(ana.page, 'recovery-codes-new-400');
    await ana.page.setViewportSize({ width: 1280, height: 900 });
    await expectNoSeriousA11yViolations(ana.page);
    await section.getByRole('button', { name: 'I saved them' }).click();
    await section.getByText('10 recovery codes left').waitFor();

    // An old code no longer signs in; a new one does.
    const step = await passwordStep(server.url, 'ana@demo.test');
    expect((await codeStep(server.url, step.body.challenge, oldCodes[0]!)).body.error.code).toBe('mfa_code_invalid');
    expect((await codeStep(server.url, step.body.challenge, fresh[0]!)).status).toBe(200);

    // The admin, on Ana's member page: the two-factor panel and the reset behind the admin's own re-check.
    const admin = await openDevice(browser, server.url);
    await signInThroughUi(admin.page, 'admin@demo.test');
    const anaId = (await server.store.findUserByEmail('ana@demo.test'))!.id;
    await admin.page.goto(`/team/members/${anaId}`);
    const panel = admin.page.getByTestId('member-two-factor');
    await panel.getByText('Authenticator app on · 9 recovery codes left · 0 passkeys').waitFor();
    await panel.getByRole('button', { name: 'Reset two-factor' }).click();
    const confirm = admin.page.getByRole('dialog', { name: /Reset .*two-factor/ });
    await confirm.getByLabel('Your password', { exact: true }).fill('wrong-password');
    await confirm.getByRole('button', { name: 'Reset two-factor' }).click();
    await confirm.getByText('That password is not right.').waitFor();
    await screenshot(admin.page, 'member-two-factor-reset-dialog-1280');
    await admin.page.setViewportSize({ width: 400, height: 900 });
    await screenshot(admin.page, 'member-two-factor-reset-dialog-400');
    await admin.page.setViewportSize({ width: 1280, height: 900 });
    await expectNoSeriousA11yViolations(admin.page);
    // Nothing happened on a wrong password.
    expect((await ana.context.request.get('/api/v1/me')).status()).toBe(200);

    await confirm.getByLabel('Your password', { exact: true }).fill('demo-pass-2026');
    await confirm.getByRole('button', { name: 'Reset two-factor' }).click();
    await admin.page.getByText(/two-factor was reset$/).waitFor();
    await panel.getByText('No authenticator app · 0 passkeys').waitFor();
    await screenshot(admin.page, 'member-two-factor-reset-done-1280');
    await admin.page.setViewportSize({ width: 400, height: 900 });
    await screenshot(admin.page, 'member-two-factor-reset-done-400');

    // Ana's open page is told at once; her next sign-in is the password alone (no policy here).
    await ana.page.getByTestId('sign-out-reason').waitFor({ timeout: 5_000 });
    expect((await passwordStep(server.url, 'ana@demo.test')).status).toBe(200);
    const workspaceId = (await server.store.findUserByEmail('ana@demo.test'))!.workspaceId;
    const audit = (await server.store.listAudit(workspaceId, { type: 'two_factor_reset', limit: 1 }))[0]!;
    expect(audit.targetUserId).toBe(anaId);
    await admin.context.close();
    await ana.context.close();
  });
});
