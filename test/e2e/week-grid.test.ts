import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { call, signIn, type SignedIn } from '../support/api.js';
import { timeApi } from '../support/time.js';
import { thisWeek } from '../../shared/time/periods.js';
import { WEB_ROOT, expectAxeCleanAA, expectNoHorizontalScroll, goTo, launchChromium, openDevice, screenshot, signInThroughUi, skipReason } from './support/browser.js';

/**
 * The weekly timesheet grid in the browser (issue #14 item 6): add a row
 * (client, matter, activity), type durations into cells, see the row, day
 * and week totals move, at 1280 and 400 px.
 */
const SUITE = 'web client: the weekly timesheet grid (Chromium)';

describe.skipIf(skipReason(SUITE) !== null)(SUITE, { timeout: 120_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  let manager: SignedIn;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer({ webRoot: WEB_ROOT }), launchChromium()]);
    manager = await signIn(server.url, 'manager@demo.test');
    const acme = await timeApi(server.url).createClient(manager, { name: 'Acme Ltd', hourlyRateCents: 12_000, currency: 'EUR' });
    const matter = await call(server.url, 'POST', '/api/v1/matters', { body: { clientId: acme.id, code: 'TAX-2026', name: 'Tax return 2026' }, headers: manager.auth });
    expect(matter.status).toBe(201);
    expect((await call(server.url, 'POST', '/api/v1/activities', { body: { name: 'Bookkeeping' }, headers: manager.auth })).status).toBe(201);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  for (const [width, email] of [[1280, 'ana@demo.test'], [400, 'ben@demo.test']] as const) {
    it(`an accountant types durations into the grid and sees the totals at ${width} px`, async () => {
      const { page, context } = await openDevice(browser, server.url, undefined, { width });
      await signInThroughUi(page, email);
      await goTo(page, 'My week');
      await page.getByRole('heading', { name: 'My week', level: 1 }).waitFor();
      await page.getByLabel('Client').selectOption({ label: 'Acme Ltd' });
      await page.getByLabel('Matter').selectOption({ label: 'TAX-2026 Tax return 2026' });
      await page.getByLabel('Activity').selectOption({ label: 'Bookkeeping' });
      const add = page.getByRole('button', { name: 'Add row' });
      await add.hover();
      await add.click();
      const row = page.getByTestId('grid-row').first();
      await row.waitFor();
      expect(await row.getByRole('cell').first().textContent()).toBe('Acme Ltd · TAX-2026 · Bookkeeping');

      const week = thisWeek(Date.now(), 'UTC');
      const cells = row.getByRole('textbox');
      // Monday: 1:30; Tuesday: 0.75 (decimal hours); the row total is 2:15.
      await cells.nth(0).fill('1:30');
      await cells.nth(0).press('Enter');
      await expect.poll(() => row.getByTestId('row-total').textContent()).toBe('1:30');
      await cells.nth(1).fill('0.75');
      await cells.nth(1).press('Tab');
      await expect.poll(() => row.getByTestId('row-total').textContent()).toBe('2:15');
      await expect.poll(() => page.getByTestId('grid-total').getByRole('cell').last().textContent()).toBe('2:15');
      // The cell backed by one entry: typing again changes that entry's end, not a second entry.
      await cells.nth(0).fill('2h');
      await cells.nth(0).press('Enter');
      await expect.poll(() => row.getByTestId('row-total').textContent()).toBe('2:45');
      // What cannot be read is refused in place, nothing saved.
      await cells.nth(2).fill('soon');
      await cells.nth(2).press('Enter');
      await expect.poll(() => cells.nth(2).getAttribute('aria-invalid')).toBe('true');
      await expectNoHorizontalScroll(page);
      await expectAxeCleanAA(page);
      await screenshot(page, `week-grid-${width}`);

      // The server has the entries: one on Monday from 09:00 (UTC profile), two hours long.
      const who = await signIn(server.url, email);
      const entries = (await call(server.url, 'GET', `/api/v1/entries?from=${new Date(week.from).toISOString()}&to=${new Date(week.to).toISOString()}`, { headers: who.auth })).body.entries;
      expect(entries).toHaveLength(2);
      const monday = entries.find((e: { start: string }) => e.start.startsWith(week.monday))!;
      expect(monday).toMatchObject({ start: `${week.monday}T09:00:00.000Z`, end: `${week.monday}T11:00:00.000Z`, matterId: expect.any(String), activityId: expect.any(String) });
      await context.close();
    });
  }
});
