import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { call, signIn, type SignedIn } from '../support/api.js';
import { timeApi } from '../support/time.js';
import { civilPlusDays, shiftWeek, thisWeek } from '../../shared/time/periods.js';
import { WEB_ROOT, expectAxeCleanAA, expectNoHorizontalScroll, goTo, launchChromium, openDevice, screenshot, signInThroughUi, skipReason } from './support/browser.js';

/**
 * Team timesheets in the browser (issue #13 item 4): a manager approves Ana's
 * submitted week from Team › Timesheets, and Ana's edit of it is refused (read
 * only on her page, 409 from the server); the manager corrects one of her
 * entries and Ana's open Entries page shows "Changed by Morgan Manager"
 * without a reload.
 */
const SUITE = 'web client: team timesheets (Chromium)';

describe.skipIf(skipReason(SUITE) !== null)(SUITE, { timeout: 120_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  let manager: SignedIn;
  let ana: SignedIn;
  const lastWeek = shiftWeek(thisWeek(Date.now(), 'UTC'), -1, 'UTC');
  const at = (day: number, hour: number) => new Date(lastWeek.from + day * 86_400_000 + hour * 3_600_000).toISOString();
  let firstId = '';

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer({ webRoot: WEB_ROOT }), launchChromium()]);
    [manager, ana] = await Promise.all([signIn(server.url, 'manager@demo.test'), signIn(server.url, 'ana@demo.test')]);
    const t = timeApi(server.url);
    const acme = await t.createClient(manager, { name: 'Acme Ltd', hourlyRateCents: 12_000, currency: 'EUR' });
    const globex = await t.createClient(manager, { name: 'Globex', hourlyRateCents: 9_000, currency: 'USD' });
    const bodies = [
      t.entryBody(acme.id, at(0, 9), at(0, 11), { description: 'Bank reconciliation' }),
      t.entryBody(globex.id, at(2, 13), at(2, 15), { description: 'Audit support' }),
      t.entryBody(acme.id, at(3, 9), at(3, 10), { description: 'Payroll' }),
    ];
    for (const body of bodies) expect((await t.post(ana, body)).status).toBe(201);
    firstId = bodies[0]!.id;
    expect((await call(server.url, 'POST', `/api/v1/timesheets/${ana.user.id}/weeks/${lastWeek.monday}/submit`, { headers: ana.auth })).status).toBe(200);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('the manager approves Ana’s week from the queue; her edit is refused; his correction shows "changed by" on her screen at once', async () => {
    const boss = await openDevice(browser, server.url);
    await signInThroughUi(boss.page, 'manager@demo.test');
    // Team opens Members; Timesheets is the section's second tab.
    await goTo(boss.page, 'Team', 'Timesheets');
    await boss.page.getByRole('heading', { name: 'Members', level: 1 }).waitFor();
    await boss.page.getByRole('navigation', { name: 'Team' }).getByRole('link', { name: 'Timesheets' }).click();
    await boss.page.getByRole('heading', { name: 'Timesheets', level: 1 }).waitFor();
    const queued = boss.page.getByTestId('queue-item').filter({ hasText: 'Ana Accountant' });
    await queued.hover();
    await queued.click();
    await expect.poll(() => boss.page.getByTestId('week-row').count()).toBe(2);
    expect(await boss.page.getByTestId('week-total').textContent()).toContain('5:00');
    expect(await boss.page.getByTestId('week-status').textContent()).toContain('Submitted');
    await expectNoHorizontalScroll(boss.page);
    await expectAxeCleanAA(boss.page);
    await screenshot(boss.page, 'timesheets-1280-submitted');
    const approve = boss.page.getByRole('button', { name: 'Approve week' });
    await approve.hover();
    await approve.click();
    await expect.poll(() => boss.page.getByTestId('week-status').textContent()).toContain('Approved by Morgan Manager');

    // Ana: her week shows approved, its entries open read only, and the server refuses an edit.
    const her = await openDevice(browser, server.url);
    await signInThroughUi(her.page, 'ana@demo.test');
    await goTo(her.page, 'Entries');
    await her.page.getByRole('button', { name: 'Previous week' }).click();
    await expect.poll(() => her.page.getByTestId('week-status').textContent()).toContain('Approved by Morgan Manager');
    const row = her.page.getByTestId('entry-row').filter({ hasText: 'Bank reconciliation' });
    await row.getByRole('button', { name: 'View Acme Ltd: Bank reconciliation' }).click();
    const dialog = her.page.getByRole('dialog', { name: 'Approved week (read only)' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('Ask your manager to reopen it');
    await dialog.getByRole('button', { name: 'Close' }).first().click();
    // My week shows the same approval, and offers no cell of the locked week for typing.
    await goTo(her.page, 'My week');
    await her.page.getByRole('heading', { name: 'My week', level: 1 }).waitFor();
    await her.page.getByRole('button', { name: 'Previous week' }).click();
    await expect.poll(() => her.page.getByTestId('week-status').textContent()).toContain('Approved by Morgan Manager');
    await her.page.getByTestId('week-locked').waitFor();
    await expect.poll(() => her.page.getByTestId('grid-row').count()).toBe(2);
    const cells = her.page.getByTestId('week-grid').locator('input');
    expect(await cells.count()).toBeGreaterThan(0);
    expect(await cells.evaluateAll((inputs) => inputs.every((i) => (i as HTMLInputElement).disabled))).toBe(true);
    expect(await her.page.getByRole('button', { name: 'Submit week' }).count()).toBe(0);
    await expectAxeCleanAA(her.page);
    await goTo(her.page, 'Entries');
    await her.page.getByRole('button', { name: 'Previous week' }).click();
    await expect.poll(() => her.page.getByTestId('week-status').textContent()).toContain('Approved by Morgan Manager');
    const refused = await call(server.url, 'PATCH', `/api/v1/entries/${firstId}`, { headers: ana.auth, body: { description: 'Sneaky' } });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('week_approved');

    // The manager corrects the entry; Ana's open page shows who changed it, without a reload.
    const bossRow = boss.page.getByTestId('entry-row').filter({ hasText: 'Bank reconciliation' });
    const edit = bossRow.getByRole('button', { name: 'Edit Acme Ltd: Bank reconciliation' });
    await edit.hover();
    await edit.click();
    const correct = boss.page.getByRole('dialog', { name: 'Correct Ana Accountant’s entry' });
    await correct.getByLabel('Description').fill('Bank reconciliation (two accounts)');
    await correct.getByRole('button', { name: 'Save' }).click();
    await boss.page.getByText('Entry corrected').waitFor();
    const changed = her.page.getByTestId('entry-row').filter({ hasText: 'Bank reconciliation (two accounts)' }).getByTestId('changed-by');
    await expect.poll(() => changed.textContent(), { timeout: 10_000 }).toBe('Changed by Morgan Manager');
    await screenshot(her.page, 'timesheets-ana-changed-by');
    await expectAxeCleanAA(her.page);
    await her.context.close();
    await boss.context.close();
  });

  it('an accountant submits her week from My week, and the manager’s queue has it', async () => {
    const { page, context } = await openDevice(browser, server.url, undefined, { width: 400 });
    await signInThroughUi(page, 'ben@demo.test');
    await goTo(page, 'My week');
    await page.getByRole('heading', { name: 'My week', level: 1 }).waitFor();
    await expect.poll(() => page.getByTestId('week-status').textContent()).toContain('Not submitted');
    const submit = page.getByRole('button', { name: 'Submit week' });
    await submit.hover();
    await submit.click();
    await page.getByText('Week submitted').waitFor();
    await expect.poll(() => page.getByTestId('week-status').textContent()).toContain('Submitted');
    expect(await submit.count()).toBe(0);
    await expectNoHorizontalScroll(page);
    await expectAxeCleanAA(page);
    await screenshot(page, 'my-week-400-submitted');
    const queue = await call(server.url, 'GET', '/api/v1/timesheets/queue', { headers: manager.auth });
    expect(queue.status).toBe(200);
    expect(JSON.stringify(queue.body)).toContain('Ben Accountant');
    await context.close();
  });

  it('Team › Timesheets at 400 px: fits, reachable, axe clean; a running timer is said in full', async () => {
    // Ana's timer runs (started a minute ago, this week): her week cannot be approved until it stops, and the page says so readably.
    const t = timeApi(server.url);
    const clientId = (await call(server.url, 'GET', '/api/v1/clients', { headers: ana.auth })).body.clients[0].id as string;
    const running = t.entryBody(clientId, new Date(Date.now() - 60_000).toISOString(), null, { description: 'Call' });
    expect((await t.post(ana, running)).status).toBe(201);
    const { page, context } = await openDevice(browser, server.url, undefined, { width: 400 });
    await signInThroughUi(page, 'manager@demo.test');
    await goTo(page, 'Team', 'Timesheets');
    await page.getByRole('heading', { name: 'Timesheets', level: 1 }).waitFor();
    await page.getByTestId('week-table').waitFor();
    await page.getByLabel('Member').selectOption({ label: 'Ana Accountant' });
    const note = page.getByTestId('timer-running');
    await expect.poll(() => note.textContent()).toBe('A timer is running in this week: it can be approved once the timer stops.');
    // Shown whole, not cut short with an ellipsis (a Carbon Tag did that even at 1280 px).
    expect(await note.evaluate((el) => el.scrollWidth <= el.clientWidth && getComputedStyle(el).textOverflow !== 'ellipsis')).toBe(true);
    await expectNoHorizontalScroll(page);
    await expectAxeCleanAA(page);
    await screenshot(page, 'timesheets-400');
    await context.close();
    expect((await t.del(ana, running.id)).status).toBe(204);
  });

  it('an admin un-bills an entry billed with Mark billed, after a confirmation', async () => {
    const payroll = (await call(server.url, 'GET', `/api/v1/timesheets/${ana.user.id}/weeks/${lastWeek.monday}`, { headers: manager.auth })).body.entries.find(
      (e: { description: string }) => e.description === 'Payroll',
    );
    expect((await call(server.url, 'POST', '/api/v1/billing/mark-billed', { headers: manager.auth, body: { entryIds: [payroll.id] } })).status).toBe(200);
    const { page, context } = await openDevice(browser, server.url);
    await signInThroughUi(page, 'admin@demo.test');
    await page.goto('/team/timesheets');
    await page.getByLabel('Member').selectOption({ label: 'Ana Accountant' });
    await page.getByRole('button', { name: 'Previous week' }).click();
    const row = page.getByTestId('entry-row').filter({ hasText: 'Payroll' });
    const unbill = row.getByRole('button', { name: 'Un-bill Acme Ltd: Payroll' });
    await unbill.hover();
    await unbill.click();
    const dialog = page.getByRole('dialog', { name: 'Un-bill this entry?' });
    await dialog.getByRole('button', { name: 'Un-bill', exact: true }).click();
    await page.getByText('Entry un-billed').waitFor();
    await expect.poll(() => row.getByText('Billed', { exact: true }).count()).toBe(0);
    await expectAxeCleanAA(page);
    await context.close();
  });

  it('Timesheets opens on the oldest waiting week, keeps member and week in the address (Back and deep links work), and a member’s page links to it', async () => {
    // Ana's week of three weeks ago waits, older than Ben's (this week, submitted above) and the approved one.
    const t = timeApi(server.url);
    const old = shiftWeek(thisWeek(Date.now(), 'UTC'), -3, 'UTC');
    const twoAgo = shiftWeek(old, 1, 'UTC').monday;
    const clientId = (await call(server.url, 'GET', '/api/v1/clients', { headers: ana.auth })).body.clients[0].id as string;
    const hour = (h: number) => new Date(old.from + 86_400_000 + h * 3_600_000).toISOString();
    expect((await t.post(ana, t.entryBody(clientId, hour(9), hour(12), { description: 'Year-end close' }))).status).toBe(201);
    expect((await call(server.url, 'POST', `/api/v1/timesheets/${ana.user.id}/weeks/${old.monday}/submit`, { headers: ana.auth })).status).toBe(200);
    const anaWeek = (monday: string) => `/team/timesheets/${ana.user.id}/${monday}`;
    const members = (await call(server.url, 'GET', '/api/v1/admin/members', { headers: manager.auth })).body.members as { id: string; name: string }[];
    const benId = members.find((m) => m.name === 'Ben Accountant')!.id;

    const { page, context } = await openDevice(browser, server.url);
    const pathname = () => new URL(page.url()).pathname;
    await signInThroughUi(page, 'manager@demo.test');
    await goTo(page, 'Team', 'Timesheets');
    await page.getByRole('heading', { name: 'Members', level: 1 }).waitFor();
    const tab = page.getByRole('navigation', { name: 'Team' }).getByRole('link', { name: 'Timesheets' });
    await tab.hover();
    await tab.click();
    // Not the first member alphabetically (Alex Admin, an empty week): the oldest week waiting, named in the address.
    await expect.poll(pathname).toBe(anaWeek(old.monday));
    await page.getByRole('heading', { name: /^Ana Accountant, week:/, level: 2 }).waitFor();
    await expect.poll(() => page.getByTestId('week-status').textContent()).toContain('Submitted');
    expect(await page.getByTestId('entry-row').filter({ hasText: 'Year-end close' }).count()).toBe(1);
    expect(await page.getByLabel('Member').inputValue()).toBe(ana.user.id);
    expect(await page.getByTestId('queue-item').first().getAttribute('href')).toBe(anaWeek(old.monday));
    await expectNoHorizontalScroll(page);
    await expectAxeCleanAA(page);
    await screenshot(page, 'timesheets-1280-opens-on-waiting-week');

    // Stepping weeks and changing member are steps in the history: Back and Forward retrace them.
    const next = page.getByRole('button', { name: 'Next week' });
    await next.hover();
    await next.click();
    await expect.poll(pathname).toBe(anaWeek(twoAgo));
    await page.getByLabel('Member').selectOption({ label: 'Ben Accountant' });
    await expect.poll(pathname).toBe(`/team/timesheets/${benId}/${twoAgo}`);
    await page.getByRole('heading', { name: /^Ben Accountant, week:/, level: 2 }).waitFor();
    await page.goBack();
    await expect.poll(pathname).toBe(anaWeek(twoAgo));
    await page.getByRole('heading', { name: /^Ana Accountant, week:/, level: 2 }).waitFor();
    expect(await page.getByLabel('Member').inputValue()).toBe(ana.user.id);
    await page.goBack();
    await expect.poll(pathname).toBe(anaWeek(old.monday));
    await page.getByTestId('entry-row').filter({ hasText: 'Year-end close' }).waitFor();
    await page.goForward();
    await expect.poll(pathname).toBe(anaWeek(twoAgo));
    await expect.poll(() => page.getByTestId('entry-row').filter({ hasText: 'Year-end close' }).count()).toBe(0);

    // A deep link (here: reloaded, as from a bookmark or a message) opens that member and week.
    await page.goto(anaWeek(lastWeek.monday));
    await page.getByRole('heading', { name: /^Ana Accountant, week:/, level: 2 }).waitFor();
    await expect.poll(() => page.getByTestId('week-row').count()).toBe(2);
    expect(pathname()).toBe(anaWeek(lastWeek.monday));
    // Any day of a week opens that week, under its Monday's address.
    await page.goto(`/team/timesheets/${ana.user.id}/${civilPlusDays(lastWeek.monday, 3)}`);
    await expect.poll(pathname).toBe(anaWeek(lastWeek.monday));

    // From Ana's page (her devices) to her timesheet: her oldest waiting week; Back returns to her page.
    await page.goto(`/team/members/${ana.user.id}`);
    await page.getByRole('heading', { name: 'Ana Accountant', level: 1 }).waitFor();
    await expectAxeCleanAA(page);
    await screenshot(page, 'member-1280-timesheet-link');
    const link = page.getByRole('link', { name: 'View Ana Accountant’s timesheet' });
    await link.hover();
    await link.click();
    await expect.poll(pathname).toBe(anaWeek(old.monday));
    await page.getByTestId('entry-row').filter({ hasText: 'Year-end close' }).waitFor();
    await page.goBack();
    await page.getByRole('heading', { name: 'Ana Accountant', level: 1 }).waitFor();
    await context.close();

    // At 400 px: the deep link and the member page fit, and pass axe.
    const small = await openDevice(browser, server.url, undefined, { width: 400 });
    await signInThroughUi(small.page, 'manager@demo.test');
    await small.page.goto(anaWeek(old.monday));
    await small.page.getByTestId('entry-row').filter({ hasText: 'Year-end close' }).waitFor();
    await expectNoHorizontalScroll(small.page);
    await expectAxeCleanAA(small.page);
    await screenshot(small.page, 'timesheets-400-deep-link');
    await small.page.goto(`/team/members/${ana.user.id}`);
    await small.page.getByRole('link', { name: 'View Ana Accountant’s timesheet' }).waitFor();
    await expectNoHorizontalScroll(small.page);
    await expectAxeCleanAA(small.page);
    await screenshot(small.page, 'member-400-timesheet-link');
    await small.context.close();
  });
});
