import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../support/test-server.js';
import {
  USER_AGENTS,
  WEB_ROOT,
  expectNoSeriousA11yViolations,
  goTo,
  launchChromium,
  openDevice,
  screenshot,
  signInThroughUi,
  skipReason,
  type Device,
} from './support/browser.js';

const SUITE = 'web client: admin area (Chromium)';

/** A member's devices are two clicks from the top bar: Team, then the member. */
async function goToMember(page: Page, name: string): Promise<void> {
  await goTo(page, 'Team', 'Members');
  await page.getByRole('heading', { name: 'Members', level: 1 }).waitFor();
  await page.getByRole('link', { name }).click();
  await page.getByRole('heading', { name, level: 1 }).waitFor();
}

// Generous per-test time: the suites share two cores with the server tests (scrypt); the 2 s limits inside stay strict.
describe.skipIf(skipReason(SUITE) !== null)(SUITE, { timeout: 60_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  let admin: Device;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer({ webRoot: WEB_ROOT }), launchChromium()]);
    admin = await openDevice(browser, server.url, USER_AGENTS.chromeMac);
    await signInThroughUi(admin.page, 'admin@demo.test');
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("an admin signs out an accountant's session from the Members page", async () => {
    const ana = await openDevice(browser, server.url, USER_AGENTS.firefoxWindows);
    await signInThroughUi(ana.page, 'ana@demo.test');

    await goTo(admin.page, 'Team', 'Members');
    const anaRow = admin.page.getByTestId('member-row').filter({ hasText: 'ana@demo.test' });
    await anaRow.waitFor();
    expect(await anaRow.locator('td').nth(4).textContent()).toBe('1'); // active sessions
    await screenshot(admin.page, 'admin-members');
    await expectNoSeriousA11yViolations(admin.page);

    await anaRow.getByRole('link', { name: 'Ana Accountant' }).click();
    await admin.page.getByRole('heading', { name: 'Ana Accountant', level: 1 }).waitFor();
    const revoke = admin.page.getByRole('button', { name: 'Sign out Firefox 121, Windows' });
    await revoke.waitFor();
    await screenshot(admin.page, 'admin-member-sessions');
    await expectNoSeriousA11yViolations(admin.page);

    await revoke.click();
    await ana.page.getByTestId('sign-out-reason').waitFor({ timeout: 2_000 });
    expect(await ana.page.getByTestId('sign-out-reason').textContent()).toContain('signed out by an administrator');
    await admin.page.getByText('Not signed in anywhere.').waitFor();
    await ana.context.close();
  });

  it('a manager sees members’ sessions read-only, and the server refuses a manager’s revoke', async () => {
    const ben = await openDevice(browser, server.url, USER_AGENTS.edgeWindows);
    await signInThroughUi(ben.page, 'ben@demo.test');
    const manager = await openDevice(browser, server.url, USER_AGENTS.firefoxWindows);
    await signInThroughUi(manager.page, 'manager@demo.test');

    await goToMember(manager.page, 'Ben Accountant');
    const row = manager.page.getByTestId('session-row');
    await row.waitFor();
    expect(await row.count()).toBe(1);
    expect(await manager.page.getByRole('button', { name: /^Sign out/ }).count()).toBe(0);
    expect(await manager.page.getByRole('button', { name: /Disable account/ }).count()).toBe(0);
    await manager.page.getByTestId('read-only-note').waitFor();
    await screenshot(manager.page, 'manager-member-sessions');
    await expectNoSeriousA11yViolations(manager.page);

    // Straight to the API with the manager's cookie: 403, and Ben stays signed in.
    const sessionId = await row.getAttribute('data-session-id');
    const userId = decodeURIComponent(new URL(manager.page.url()).pathname.split('/').pop() ?? '');
    const refused = await manager.context.request.delete(`/api/v1/admin/members/${encodeURIComponent(userId)}/sessions/${sessionId}`);
    expect(refused.status()).toBe(403);
    expect((await ben.context.request.get('/api/v1/me')).status()).toBe(200);

    // A manager has Team but no Security (session policy and audit log are for admins).
    const bar = manager.page.getByRole('navigation', { name: 'TAB' });
    expect(await bar.getByRole('link', { name: 'Team' }).count()).toBe(1);
    expect(await bar.getByRole('link', { name: 'Security' }).count()).toBe(0);
    await manager.page.goto('/security/audit-log');
    await manager.page.getByRole('heading', { name: 'This page is for admins' }).waitFor();
    await Promise.all([ben.context.close(), manager.context.close()]);
  });

  it('the audit log lists what happened and filters by type', async () => {
    // The admin area's old address still leads there.
    await admin.page.goto('/admin/audit');
    await admin.page.getByTestId('audit-row').first().waitFor();
    expect(new URL(admin.page.url()).pathname).toBe('/security/audit-log');
    await screenshot(admin.page, 'admin-audit-log');
    await expectNoSeriousA11yViolations(admin.page);
    await admin.page.getByLabel('Event', { exact: true }).selectOption('session_revoked');
    await expect
      .poll(async () => {
        const types = await admin.page.getByTestId('audit-row').locator('td:nth-child(2)').allTextContents();
        return types.length > 0 && types.every((t) => t === 'Signed out a session');
      })
      .toBe(true);
    // In words: who signed out whose session, on which device; no raw ids or JSON.
    const what = await admin.page.getByTestId('audit-row').first().locator('td:nth-child(3)').textContent();
    expect(what).toMatch(/^Alex Admin signed out Ana Accountant’s session on Firefox 121, Windows$/);
  });

  it('revoke all workspace sessions: a wrong password is refused, the right one signs everyone else out', async () => {
    const ana = await openDevice(browser, server.url, USER_AGENTS.firefoxWindows);
    await signInThroughUi(ana.page, 'ana@demo.test');

    await goTo(admin.page, 'Security', 'Session policy');
    await admin.page.getByLabel('Sign out after inactivity').waitFor();
    await screenshot(admin.page, 'admin-workspace-security');
    await expectNoSeriousA11yViolations(admin.page);

    await admin.page.getByRole('button', { name: 'Revoke all workspace sessions' }).click();
    const dialog = admin.page.getByRole('dialog');
    await dialog.getByLabel('Your password', { exact: true }).fill('wrong-password');
    await dialog.getByRole('button', { name: 'Sign everyone out' }).click();
    await dialog.getByText('That password is not right.').waitFor();
    await screenshot(admin.page, 'admin-revoke-all-wrong-password');
    expect((await ana.context.request.get('/api/v1/me')).status()).toBe(200);

    await dialog.getByLabel('Your password', { exact: true }).fill('demo-pass-2026');
    await dialog.getByRole('button', { name: 'Sign everyone out' }).click();
    await admin.page.getByText(/^Signed out \d+ sessions? across the workspace$/).waitFor();
    const shown = await admin.page.getByText(/^Signed out \d+ sessions? across the workspace$/).textContent();
    expect(Number(/(\d+)/.exec(shown ?? '')?.[1])).toBeGreaterThanOrEqual(1);

    await ana.page.getByTestId('sign-out-reason').waitFor({ timeout: 2_000 });
    expect(await ana.page.getByTestId('sign-out-reason').textContent()).toContain('signed out by an administrator');
    // The admin's own session survives.
    expect((await admin.context.request.get('/api/v1/me')).status()).toBe(200);
    await ana.context.close();
  });
});
