import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { call, signIn } from '../support/api.js';
import { WEB_ROOT, expectNoSeriousA11yViolations, launchChromium, openDevice, screenshot, signInThroughUi, skipReason } from './support/browser.js';

const SUITE = 'web client: timer, dashboard tiles, entries, clients and reports (Chromium)';
const tile = (page: Page, key: string) => page.getByTestId(`tile-${key}`);
const pad = (n: number) => String(n).padStart(2, '0');
/**
 * A `datetime-local` value for today at hh:mm in the browser's zone (the test's TZ: same machine;
 * the profile's zone is UTC, as is this machine's). The hours are taken in the half of the day that
 * is not now, so that the manual entries never overlap the timer entry of the first test.
 */
const HALF_DAY_AWAY = new Date().getHours() < 12 ? 13 : 0;
const todayAt = (h: number, m: number) => {
  const d = new Date();
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(h + HALF_DAY_AWAY)}:${pad(m)}`;
};

async function chooseClient(page: Page, name: string): Promise<void> {
  await page.getByRole('combobox', { name: 'Client' }).click();
  await page.getByRole('option', { name }).click();
}

describe.skipIf(skipReason(SUITE) !== null)(SUITE, { timeout: 90_000 }, () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer({ webRoot: WEB_ROOT }), launchChromium()]);
    const admin = await signIn(server.url, 'admin@demo.test');
    for (const client of [
      { name: 'Acme Ltd', hourlyRateCents: 12000, currency: 'EUR' },
      { name: 'Globex', hourlyRateCents: 9000, currency: 'USD' },
    ]) {
      const created = await call(server.url, 'POST', '/api/v1/clients', { body: client, headers: admin.auth });
      expect(created.status).toBe(201);
    }
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('an accountant starts the timer, waits, stops it, and the tiles change', async () => {
    const { page, context } = await openDevice(browser, server.url);
    await signInThroughUi(page, 'ana@demo.test');
    await expect.poll(() => tile(page, 'hoursToday').textContent()).toContain('0 h');
    expect(await tile(page, 'runningTimer').textContent()).toContain('No timer running.');
    expect(await tile(page, 'unbilledAmount').textContent()).toContain('Nothing billable waits to be billed');
    expect(await page.getByRole('button', { name: 'Start', exact: true }).isDisabled()).toBe(true);
    await screenshot(page, 'time-dashboard-before');

    await chooseClient(page, 'Acme Ltd');
    await page.getByLabel('Description').fill('Year-end close');
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await page.getByRole('button', { name: 'Stop', exact: true }).waitFor();

    // The running-timer tile flips, from the server's dashboard, and ticks.
    await expect.poll(() => tile(page, 'runningTimer').textContent(), { timeout: 5_000 }).toContain('Acme Ltd · Year-end close');
    await expect.poll(() => page.getByTestId('timer-elapsed').textContent(), { timeout: 5_000 }).toMatch(/^00:00:0[2-9]$/);
    expect(await tile(page, 'runningTimer').textContent()).toMatch(/00:00:0\d/);
    await screenshot(page, 'time-dashboard-running');
    await expectNoSeriousA11yViolations(page);

    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    await page.getByRole('button', { name: 'Start', exact: true }).waitFor();
    await expect.poll(() => tile(page, 'runningTimer').textContent(), { timeout: 5_000 }).toContain('No timer running.');
    expect(await page.getByTestId('timer-elapsed').textContent()).toBe('00:00:00');
    // Two-odd seconds at 120.00/h is worth a few cents: the unbilled tile now has an amount.
    await expect.poll(() => tile(page, 'unbilledAmount').textContent()).toMatch(/€0\.(0[5-9]|[1-4]\d)/);
    expect(await tile(page, 'unbilledAmount').textContent()).toContain('Your billable time not yet billed');

    // The server has one finished entry of about two seconds.
    const entries = await (await context.request.get(`/api/v1/entries?from=${encodeURIComponent(new Date(Date.now() - 86_400_000).toISOString())}&to=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).json();
    expect(entries.entries).toHaveLength(1);
    const [entry] = entries.entries;
    expect(entry.end).not.toBeNull();
    const seconds = (Date.parse(entry.end) - Date.parse(entry.start)) / 1000;
    expect(seconds).toBeGreaterThanOrEqual(2);
    expect(seconds).toBeLessThan(15);
    await screenshot(page, 'time-dashboard-after');
    await context.close();
  });

  it('the entries page lists the week, adds a manual entry, warns about an overlap and shows a bad range at the field', async () => {
    const { page, context } = await openDevice(browser, server.url);
    await signInThroughUi(page, 'ana@demo.test');
    await page.getByRole('navigation', { name: 'TAB' }).getByRole('link', { name: 'Entries' }).click();
    await page.getByRole('heading', { name: 'Time entries', level: 1 }).waitFor();
    await page.getByText(/^This week:/).waitFor();
    // The timer entry of the first test is listed.
    await page.getByTestId('entry-row').filter({ hasText: 'Year-end close' }).waitFor();

    await page.getByRole('button', { name: 'Add entry' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add entry' });
    await dialog.getByLabel('Client').selectOption({ label: 'Globex' });
    await dialog.getByLabel('Description').fill('Manual bookkeeping');
    await dialog.getByLabel('Start').fill(todayAt(0, 15));
    await dialog.getByLabel('End').fill(todayAt(1, 45));
    await screenshot(page, 'time-entries-add');
    await expectNoSeriousA11yViolations(page);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    const row = page.getByTestId('entry-row').filter({ hasText: 'Manual bookkeeping' });
    await row.waitFor();
    expect(await row.textContent()).toContain('Globex');
    expect(await row.textContent()).toContain('1:30');
    expect(await row.textContent()).toMatch(/135\.00/); // 1.5 h × 90.00 USD
    await page.getByText('Entry saved', { exact: true }).waitFor();

    // An overlapping entry is accepted, with the server's warning.
    await page.getByRole('button', { name: 'Add entry' }).click();
    await dialog.getByLabel('Client').selectOption({ label: 'Acme Ltd' });
    await dialog.getByLabel('Description').fill('Overlapping call');
    await dialog.getByLabel('Start').fill(todayAt(1, 0));
    await dialog.getByLabel('End').fill(todayAt(2, 0));
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Entry saved, with a warning').waitFor();
    await page.getByTestId('entry-row').filter({ hasText: 'Overlapping call' }).waitFor();
    await screenshot(page, 'time-entries-overlap-warning');

    // End before start: the server's invalid_range shows next to the field, and the dialog stays.
    await page.getByRole('button', { name: 'Add entry' }).click();
    await dialog.getByLabel('Client').selectOption({ label: 'Acme Ltd' });
    await dialog.getByLabel('Start').fill(todayAt(3, 0));
    await dialog.getByLabel('End').fill(todayAt(2, 0));
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByText('The end must be after the start.').waitFor();
    expect(await dialog.getByLabel('End').getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'time-entries-invalid-range');
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    // Edit, then delete, the manual entry.
    await row.getByRole('button', { name: 'Edit Globex: Manual bookkeeping' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit entry' });
    await edit.getByLabel('Description').fill('Manual bookkeeping, checked');
    await edit.getByRole('button', { name: 'Save' }).click();
    const edited = page.getByTestId('entry-row').filter({ hasText: 'Manual bookkeeping, checked' });
    await edited.waitFor();
    await edited.getByRole('button', { name: 'Delete Globex: Manual bookkeeping, checked' }).click();
    await page.getByRole('dialog', { name: 'Delete this entry?' }).getByRole('button', { name: 'Delete' }).click();
    await edited.waitFor({ state: 'detached' });

    // Previous week is empty.
    await page.getByRole('button', { name: 'Previous week' }).click();
    await page.getByText('No entries in this period.').waitFor();
    await page.getByRole('button', { name: 'This week' }).click();
    await page.getByTestId('entry-row').filter({ hasText: 'Overlapping call' }).waitFor();
    await screenshot(page, 'time-entries');
    await expectNoSeriousA11yViolations(page);

    // Clients: accountants read only.
    await page.getByRole('navigation', { name: 'TAB' }).getByRole('link', { name: 'Clients' }).click();
    await page.getByTestId('client-row').first().waitFor();
    expect(await page.getByTestId('client-row').count()).toBe(2);
    expect(await page.getByRole('button', { name: 'Add client' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Reports' }).count()).toBe(0);
    await expectNoSeriousA11yViolations(page);
    await context.close();
  });

  it('a manager adds and archives a client, sees the report, downloads the CSV and marks entries billed', async () => {
    const { page, context } = await openDevice(browser, server.url);
    await signInThroughUi(page, 'manager@demo.test');
    await page.goto('/clients');
    await page.getByRole('button', { name: 'Add client' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add client' });
    await dialog.getByLabel('Name').fill('Initech');
    await dialog.getByLabel('Hourly rate').fill('150.50');
    await dialog.getByLabel('Currency').fill('gbp');
    await screenshot(page, 'time-clients-add');
    await expectNoSeriousA11yViolations(page);
    await dialog.getByRole('button', { name: 'Save' }).click();
    const initech = page.getByTestId('client-row').filter({ hasText: 'Initech' });
    await initech.waitFor();
    expect(await initech.textContent()).toMatch(/150\.50/);
    await initech.getByRole('button', { name: 'Archive Initech' }).click();
    await initech.getByText('Archived').waitFor();
    await screenshot(page, 'time-clients');
    await expectNoSeriousA11yViolations(page);

    await page.getByRole('navigation', { name: 'TAB' }).getByRole('link', { name: 'Reports' }).click();
    await page.getByRole('heading', { name: 'Reports', level: 1 }).waitFor();
    const acme = page.getByTestId('summary-row').filter({ hasText: 'Acme Ltd' });
    await acme.waitFor();
    await page.getByTestId('weekly-chart').waitFor();
    const href = await page.getByRole('link', { name: 'Download CSV' }).getAttribute('href');
    expect(href).toMatch(/^\/api\/v1\/reports\/entries\.csv\?from=/);
    const csv = await context.request.get(href!);
    expect(csv.status()).toBe(200);
    expect(await csv.text()).toContain('Overlapping call');
    await screenshot(page, 'time-reports');
    await expectNoSeriousA11yViolations(page);

    await page.getByRole('checkbox', { name: 'Select all unbilled entries' }).check();
    // What is chosen shows as it is picked, and the button sits above the list (a month's list is long).
    await expect.poll(() => page.getByTestId('billing-selection').textContent()).toMatch(/^\d+ entr(y|ies) chosen, worth .*\d\.$/);
    const markBilled = page.getByRole('button', { name: /^Mark billed \(\d+\)$/ });
    const [buttonBox, listBox] = await Promise.all([markBilled.boundingBox(), page.getByRole('table', { name: 'Unbilled billable entries' }).boundingBox()]);
    expect(buttonBox!.y).toBeLessThan(listBox!.y);
    await markBilled.hover();
    await markBilled.click();
    // The confirmation says how many entries and what they are worth.
    await expect.poll(() => page.getByTestId('mark-billed-summary').textContent()).toMatch(/\d+ entr(y|ies) worth .*\d/);
    await page.getByRole('dialog').getByRole('button', { name: 'Mark billed', exact: true }).click();
    await page.getByText(/entr(y|ies) marked billed/).waitFor();
    await page.getByText('Nothing to bill in this period.').waitFor();
    await screenshot(page, 'time-reports-billed');
    await context.close();
  });
});
