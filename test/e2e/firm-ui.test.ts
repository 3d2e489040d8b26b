import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { call, signIn, type SignedIn } from '../support/api.js';
import { timeApi } from '../support/time.js';
import { today } from '../../shared/time/periods.js';
import {
  WEB_ROOT,
  expectAxeCleanAA,
  expectNoHorizontalScroll,
  goTo,
  launchChromium,
  openDevice,
  screenshot,
  signInThroughUi,
  skipReason,
} from './support/browser.js';

/**
 * Issue #13 in the browser: navigation by role at 1280 and 400 px, every page
 * without sideways scroll and clean at WCAG AA, the Entries icons taking every
 * click after a hover, a timer stopped on one device leaving the other's
 * screen, a time zone change moving "today", and a password change signing
 * the other devices out.
 */
const SUITE = 'web client: the firm in the app (Chromium)';
const LONG = 'Year-end close: reconcile the bank accounts and the ledger, checked twice';

describe.skipIf(skipReason(SUITE) !== null)(SUITE, { timeout: 120_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  let manager: SignedIn;
  let ana: SignedIn;
  let acme: { id: string };
  const t = () => timeApi(server.url);

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer({ webRoot: WEB_ROOT }), launchChromium()]);
    [manager, ana] = await Promise.all([signIn(server.url, 'manager@demo.test'), signIn(server.url, 'ana@demo.test')]);
    acme = await t().createClient(manager, { name: 'Acme Ltd', hourlyRateCents: 12_000, currency: 'EUR' });
    // This week's entries for Ana: two with long names (long tooltips), one billed (read only for her).
    const monday = today(Date.now(), 'UTC').start;
    const at = (h: number) => new Date(monday + h * 3_600_000).toISOString();
    const entries = [t().entryBody(acme.id, at(-3), at(-2), { description: LONG }), t().entryBody(acme.id, at(-5), at(-4), { description: `${LONG} again` }), t().entryBody(acme.id, at(-7), at(-6), { description: 'Billed work' })];
    for (const body of entries) expect((await t().post(ana, body)).status).toBe(201);
    expect((await call(server.url, 'POST', '/api/v1/billing/mark-billed', { body: { entryIds: [entries[2]!.id] }, headers: manager.auth })).status).toBe(200);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function check(page: Page, name: string): Promise<void> {
    await expectNoHorizontalScroll(page);
    await expectAxeCleanAA(page);
    await screenshot(page, name);
  }
  const heading = (page: Page, name: string | RegExp) => page.getByRole('heading', { name, level: 1 }).waitFor();

  for (const width of [1280, 400]) {
    it(`an admin reaches every page from the navigation at ${width} px; each one fits and is axe clean at WCAG AA`, async () => {
      const { page, context } = await openDevice(browser, server.url, undefined, { width });
      await page.goto('/');
      await check(page, `firm-${width}-sign-in`);
      await signInThroughUi(page, 'admin@demo.test');
      await check(page, `firm-${width}-dashboard`);
      if (width === 400) {
        await page.getByRole('button', { name: 'Open menu' }).click();
        await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Audit log' }).waitFor();
        await check(page, `firm-${width}-menu-open`);
        await page.getByRole('button', { name: 'Close menu' }).click();
      }
      await goTo(page, 'Entries');
      await heading(page, 'Time entries');
      await check(page, `firm-${width}-entries`);
      await page.getByRole('button', { name: 'Add entry' }).click();
      await page.getByRole('dialog', { name: 'Add entry' }).waitFor();
      await check(page, `firm-${width}-entries-add`);
      await page.getByRole('dialog', { name: 'Add entry' }).getByRole('button', { name: 'Cancel' }).click();
      await goTo(page, 'My week');
      await heading(page, 'My week');
      await page.getByTestId('week-grid').waitFor();
      await check(page, `firm-${width}-timesheet`);
      await goTo(page, 'Clients');
      await page.getByTestId('client-row').first().waitFor();
      await check(page, `firm-${width}-clients`);
      await goTo(page, 'Reports');
      await page.getByTestId('weekly-chart').waitFor();
      await check(page, `firm-${width}-reports`);
      // A member's devices: Team, then the member.
      await goTo(page, 'Team', 'Members');
      await heading(page, 'Members');
      await check(page, `firm-${width}-team-members`);
      await page.getByRole('link', { name: 'Ana Accountant' }).click();
      await heading(page, 'Ana Accountant');
      await page.getByTestId('session-row').first().waitFor();
      await check(page, `firm-${width}-team-member`);
      await goTo(page, 'Team', 'Timesheets');
      if (width === 1280) await page.getByRole('navigation', { name: 'Team' }).getByRole('link', { name: 'Timesheets' }).click();
      await heading(page, 'Timesheets');
      await page.getByTestId('week-table').waitFor();
      await check(page, `firm-${width}-team-timesheets`);
      await goTo(page, 'Security', 'Session policy');
      await heading(page, 'Session policy');
      await check(page, `firm-${width}-security-policy`);
      await page.getByRole('navigation', { name: 'Security' }).getByRole('link', { name: 'Audit log' }).click();
      await page.getByTestId('audit-row').first().waitFor();
      await check(page, `firm-${width}-security-audit`);
      await goTo(page, 'Settings', 'Workspace');
      await heading(page, 'Workspace settings');
      await page.getByLabel('Firm name').waitFor();
      await check(page, `firm-${width}-settings-workspace`);
      await goTo(page, 'Team', 'Members');
      await page.getByRole('button', { name: 'Invite member' }).click();
      await page.getByRole('dialog', { name: 'Invite a member' }).waitFor();
      await check(page, `firm-${width}-team-invite`);
      await page.getByRole('dialog', { name: 'Invite a member' }).getByRole('button', { name: 'Cancel' }).click();
      await page.getByRole('button', { name: /^User menu/ }).click();
      await page.getByRole('menuitem', { name: 'Profile' }).click();
      await heading(page, 'Profile');
      await check(page, `firm-${width}-profile`);
      await page.goto('/no/such/page');
      await heading(page, 'Page not found');
      await check(page, `firm-${width}-not-found`);
      await context.close();
    });
  }

  it('an accountant sees only their pages; a billed entry opens read only, titled so', async () => {
    const { page, context } = await openDevice(browser, server.url, undefined, { width: 400 });
    await signInThroughUi(page, 'ana@demo.test');
    await page.getByRole('button', { name: 'Open menu' }).click();
    const menu = page.getByRole('navigation', { name: 'Menu' });
    expect(await menu.getByRole('link').allTextContents()).toEqual(['Dashboard', 'Entries', 'My week', 'Clients']);
    await menu.getByRole('link', { name: 'Entries' }).click();
    const billed = page.getByTestId('entry-row').filter({ hasText: 'Billed work' });
    await billed.getByRole('button', { name: 'View Acme Ltd: Billed work' }).click();
    const dialog = page.getByRole('dialog', { name: 'Billed entry (read only)' });
    await dialog.waitFor();
    expect(await dialog.getByRole('button', { name: 'Save' }).count()).toBe(0);
    await check(page, 'firm-400-entry-read-only');
    await dialog.getByRole('button', { name: 'Close' }).last().click();
    await page.goto('/team/members');
    await heading(page, 'This page is for admins and managers');
    await check(page, 'firm-400-forbidden');
    await context.close();
  });

  for (const width of [1280, 400]) {
    it(`Entries icons take every click after the pointer rests on them (${width} px)`, async () => {
      const { page, context } = await openDevice(browser, server.url, undefined, { width });
      await signInThroughUi(page, 'ana@demo.test');
      await goTo(page, 'Entries');
      const rows = page.getByTestId('entry-row').filter({ hasText: LONG });
      await rows.nth(1).waitFor();
      let shot = false;
      for (let i = 0; i < 2; i++) {
        const row = rows.nth(i);
        // Rest on one icon (its tooltip opens, long enough to reach the other icon), then click the other, and the same one.
        for (const [rest, target, dialogName] of [
          ['Delete', 'Edit', 'Edit entry'],
          ['Edit', 'Delete', 'Delete this entry?'],
          ['Edit', 'Edit', 'Edit entry'],
          ['Delete', 'Delete', 'Delete this entry?'],
        ] as const) {
          await row.getByRole('button', { name: new RegExp(`^${rest} `) }).hover();
          await page.waitForTimeout(400);
          if (!shot) {
            await screenshot(page, `firm-${width}-entries-tooltip`);
            shot = true;
          }
          await row.getByRole('button', { name: new RegExp(`^${target} `) }).click({ timeout: 3_000 });
          const dialog = page.getByRole('dialog', { name: dialogName });
          await dialog.waitFor({ timeout: 3_000 });
          await dialog.getByRole('button', { name: 'Cancel' }).click();
          await dialog.waitFor({ state: 'hidden' });
        }
      }
      await context.close();
    });
  }

  it('a timer started and stopped on one device shows on the other at once, without a reload', async () => {
    const laptop = await openDevice(browser, server.url);
    const phone = await openDevice(browser, server.url, undefined, { width: 400 });
    await signInThroughUi(laptop.page, 'ben@demo.test');
    await signInThroughUi(phone.page, 'ben@demo.test');
    // A mark that a reload would wipe.
    for (const { page } of [laptop, phone]) await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));

    await laptop.page.getByRole('combobox', { name: 'Client' }).click();
    await laptop.page.getByRole('option', { name: 'Acme Ltd' }).click();
    await laptop.page.getByLabel('Description').fill('Payroll run');
    await laptop.page.getByRole('button', { name: 'Start', exact: true }).click();
    await laptop.page.getByRole('button', { name: 'Stop', exact: true }).waitFor();

    const phoneTimer = phone.page.getByTestId('timer-bar');
    await expect.poll(() => phoneTimer.getAttribute('data-running'), { timeout: 5_000 }).toBe('true');
    await expect.poll(() => phone.page.getByTestId('tile-runningTimer').textContent(), { timeout: 5_000 }).toContain('Acme Ltd · Payroll run');
    await screenshot(phone.page, 'firm-400-live-timer-running');

    await phone.page.getByRole('button', { name: 'Stop', exact: true }).click();
    await expect.poll(() => laptop.page.getByTestId('timer-bar').getAttribute('data-running'), { timeout: 5_000 }).toBe('false');
    await expect.poll(() => laptop.page.getByTestId('tile-runningTimer').textContent(), { timeout: 5_000 }).toContain('No timer running.');
    await screenshot(laptop.page, 'firm-1280-live-timer-stopped');
    for (const { page } of [laptop, phone]) expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
    await Promise.all([laptop.context.close(), phone.context.close()]);
  });

  it('a time zone change on the Profile page moves "today", and the computer’s zone is offered', async () => {
    // A zone whose date differs from UTC's right now: far east (+14) from 10:00 UTC, far west (-11) before.
    const now = Date.now();
    const zone = new Date(now).getUTCHours() >= 10 ? 'Pacific/Kiritimati' : 'Pacific/Pago_Pago';
    const utcToday = today(now, 'UTC');
    const zoneToday = today(now, zone);
    expect(zoneToday.date).not.toBe(utcToday.date);
    // An hour that is "today" in that zone and not in UTC (the far side of UTC's midnight).
    const start = zone === 'Pacific/Kiritimati' ? utcToday.end + 3_600_000 : utcToday.start - 2 * 3_600_000;
    const admin = await signIn(server.url, 'admin@demo.test');
    expect((await t().post(admin, t().entryBody(acme.id, new Date(start).toISOString(), new Date(start + 3_600_000).toISOString(), { description: 'Across midnight' }))).status).toBe(201);
    // How the page writes a date (Chromium's default locale, en-US): "Wed, Dec 2".
    const dayText = (date: string) => new Intl.DateTimeFormat('en-US', { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' }).format(new Date(`${date}T12:00:00Z`));

    const { page, context } = await openDevice(browser, server.url, undefined, { timezoneId: 'Europe/Berlin' });
    await signInThroughUi(page, 'admin@demo.test');
    const hours = page.getByTestId('tile-hoursToday');
    await expect.poll(() => page.getByTestId('today').textContent()).toBe(`${dayText(utcToday.date)} · UTC`);
    expect(await hours.textContent()).toContain('0 h');

    await page.getByRole('button', { name: /^User menu/ }).click();
    await page.getByRole('menuitem', { name: 'Profile' }).click();
    await page.getByTestId('zone-suggestion').waitFor();
    expect(await page.getByTestId('zone-suggestion').textContent()).toMatch(/This computer is set to Europe\/Berlin \(UTC\+0[12]:00\)/);
    const box = page.getByRole('combobox', { name: 'Your time zone' });
    await box.fill(zone.split('/')[1]!.replace('_', ' '));
    await page.getByRole('option', { name: new RegExp(zone.replace('_', ' ')) }).click();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Time zone saved').waitFor();
    await screenshot(page, 'firm-1280-profile-zone-saved');

    await goTo(page, 'Dashboard');
    await expect.poll(() => page.getByTestId('today').textContent()).toBe(`${dayText(zoneToday.date)} · ${zone}`);
    await expect.poll(() => hours.textContent()).toContain('1 h');
    await screenshot(page, 'firm-1280-dashboard-zone-moved');

    // The computer's zone, in one click.
    await page.getByRole('button', { name: /^User menu/ }).click();
    await page.getByRole('menuitem', { name: 'Profile' }).click();
    await page.getByRole('button', { name: 'Use Europe/Berlin' }).click();
    await page.getByText('Time zone saved').waitFor();
    expect(await page.getByTestId('zone-suggestion').count()).toBe(0);
    const me = await (await context.request.get('/api/v1/me')).json();
    expect(me.user.timeZone).toBe('Europe/Berlin');
    await context.close();
  });

  for (const width of [1280, 400]) {
    it(`forms showing field errors fit and stay axe clean at ${width} px: password change, invitation, workspace settings`, async () => {
      const { page, context } = await openDevice(browser, server.url, undefined, { width });
      await signInThroughUi(page, 'admin@demo.test');
      const invalid = page.locator('input[aria-invalid="true"]');
      await page.goto('/profile');
      await page.getByLabel('New password', { exact: true }).fill('short');
      await page.getByLabel('New password, again', { exact: true }).fill('other');
      await page.getByRole('button', { name: 'Change password' }).click();
      await expect.poll(() => invalid.count()).toBe(3);
      // Each password field is described by its own message (Carbon alone only points aria-errormessage at it).
      for (const id of ['tab-password-current', 'tab-password-new', 'tab-password-confirm']) {
        expect(await page.locator(`#${id}`).getAttribute('aria-describedby')).toContain(`${id}-error-msg`);
      }
      await check(page, `firm-${width}-profile-password-errors`);

      await goTo(page, 'Team', 'Members');
      await page.getByRole('button', { name: 'Invite member' }).click();
      const dialog = page.getByRole('dialog', { name: 'Invite a member' });
      await dialog.getByRole('button', { name: 'Invite' }).click();
      await expect.poll(() => invalid.count()).toBe(2);
      await check(page, `firm-${width}-invite-errors`);
      await dialog.getByRole('button', { name: 'Cancel' }).click();

      await page.goto('/settings/workspace');
      const firm = page.getByLabel('Firm name', { exact: true });
      await firm.waitFor();
      await firm.fill('');
      await page.getByRole('button', { name: /^Save/ }).first().click();
      await expect.poll(() => invalid.count()).toBeGreaterThan(0);
      await check(page, `firm-${width}-settings-errors`);
      await context.close();
    });
  }

  it('a password change with "Sign out my other sessions" (on by default) signs the other devices out, and keeps this one', async () => {
    const other = await openDevice(browser, server.url, undefined, { width: 400 });
    await signInThroughUi(other.page, 'manager@demo.test');
    const { page, context } = await openDevice(browser, server.url);
    await signInThroughUi(page, 'manager@demo.test');
    await page.goto('/profile');
    await page.getByLabel('Current password', { exact: true }).fill('demo-pass-2026');
    await page.getByLabel('New password', { exact: true }).fill('a-new-long-passphrase');
    await page.getByLabel('New password, again', { exact: true }).fill('a-new-long-passphrase');
    expect(await page.getByRole('checkbox', { name: 'Sign out my other sessions' }).isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('Password changed').waitFor();
    await page.getByText(/^Signed out \d+ other sessions?\.$/).waitFor();
    await other.page.getByTestId('sign-out-reason').waitFor({ timeout: 5_000 });
    expect(await other.page.getByTestId('sign-out-reason').textContent()).toContain('Signed out after a password change');
    expect((await context.request.get('/api/v1/me')).status()).toBe(200);
    await screenshot(page, 'firm-1280-profile-password-changed');
    await Promise.all([context.close(), other.context.close()]);
  });

  it('invite → the link in a fresh browser → set a password → signed in; the admin sees them active', async () => {
    const adminDevice = await openDevice(browser, server.url);
    await signInThroughUi(adminDevice.page, 'admin@demo.test');
    const page = adminDevice.page;
    await goTo(page, 'Team', 'Members');
    await page.getByRole('button', { name: 'Invite member' }).click();
    const dialog = page.getByRole('dialog', { name: 'Invite a member' });
    await dialog.getByLabel('Name').fill('Ivy Invitee');
    await dialog.getByLabel('E-mail').fill('ivy@demo.test');
    await dialog.getByLabel('Role').selectOption('accountant');
    await dialog.getByRole('button', { name: 'Invite' }).click();
    const shown = page.getByRole('dialog', { name: 'Invitation link' });
    await shown.waitFor();
    const url = await shown.getByLabel('Link').inputValue();
    expect(url).toMatch(new RegExp(`^${server.url}/link#[A-Za-z0-9_-]{43}$`));
    await screenshot(page, 'firm-1280-invitation-link');
    await expectAxeCleanAA(page);
    await shown.getByRole('button', { name: 'Done' }).click();
    const row = page.getByTestId('member-row').filter({ hasText: 'ivy@demo.test' });
    await row.getByText('Invited').waitFor();

    // The invitee, on a phone, in a browser that has never seen TAB.
    const invitee = await openDevice(browser, server.url, undefined, { width: 400 });
    await invitee.page.goto(url);
    await invitee.page.getByRole('heading', { name: 'Join Demo firm on TAB' }).waitFor();
    expect(await invitee.page.getByTestId('link-who').textContent()).toContain('For Ivy Invitee (ivy@demo.test).');
    await check(invitee.page, 'firm-400-link-page');
    // A mismatch first: the error is shown on the field, and the page stays axe clean with it.
    await invitee.page.getByLabel('Choose a password', { exact: true }).fill('ivys-own-passphrase');
    await invitee.page.getByLabel('The same password, again', { exact: true }).fill('ivys-other-passphrase');
    await invitee.page.getByRole('button', { name: 'Set password and sign in' }).click();
    await invitee.page.locator('input[aria-invalid="true"]').first().waitFor();
    await check(invitee.page, 'firm-400-link-page-error');
    await invitee.page.getByLabel('The same password, again', { exact: true }).fill('ivys-own-passphrase');
    await invitee.page.getByRole('button', { name: 'Set password and sign in' }).click();
    await invitee.page.getByRole('heading', { name: 'Welcome, Ivy' }).waitFor();
    expect(new URL(invitee.page.url()).pathname).toBe('/');
    expect(new URL(invitee.page.url()).hash).toBe('');
    await check(invitee.page, 'firm-400-invitee-signed-in');
    // The same link again: used.
    const again = await openDevice(browser, server.url);
    await again.page.goto(url);
    expect(await again.page.getByTestId('link-problem').textContent()).toContain('has been used already');

    await page.reload();
    await row.getByText('Active').waitFor();
    await Promise.all([adminDevice.context.close(), invitee.context.close(), again.context.close()]);
  });

  it('a password reset used on its link signs the member’s open screens out, saying why', async () => {
    const benDevice = await openDevice(browser, server.url);
    await signInThroughUi(benDevice.page, 'ben@demo.test');
    const adminDevice = await openDevice(browser, server.url);
    await signInThroughUi(adminDevice.page, 'admin@demo.test');
    await goTo(adminDevice.page, 'Team', 'Members');
    await adminDevice.page.getByRole('link', { name: 'Ben Accountant' }).click();
    await adminDevice.page.getByRole('button', { name: 'Password-reset link' }).click();
    await adminDevice.page.getByRole('button', { name: 'Make the link' }).click();
    const url = await adminDevice.page.getByRole('dialog', { name: 'Password-reset link' }).getByLabel('Link').inputValue();
    // Nothing changes for Ben until the link is used.
    expect((await benDevice.context.request.get('/api/v1/me')).status()).toBe(200);
    const fresh = await openDevice(browser, server.url);
    await fresh.page.goto(url);
    await fresh.page.getByRole('heading', { name: 'Reset your password' }).waitFor();
    await fresh.page.getByLabel('New password', { exact: true }).fill('bens-new-passphrase');
    await fresh.page.getByLabel('The same password, again', { exact: true }).fill('bens-new-passphrase');
    await fresh.page.getByRole('button', { name: 'Set the new password and sign in' }).click();
    await fresh.page.getByRole('heading', { name: 'Welcome, Ben' }).waitFor();
    await benDevice.page.getByTestId('sign-out-reason').waitFor({ timeout: 5_000 });
    expect(await benDevice.page.getByTestId('sign-out-reason').textContent()).toContain('your password was reset');
    await screenshot(benDevice.page, 'firm-1280-signed-out-password-reset');
    await Promise.all([benDevice.context.close(), adminDevice.context.close(), fresh.context.close()]);
  });
});
