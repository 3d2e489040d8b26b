import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { call, signIn, type SignedIn } from '../support/api.js';
import { timeApi } from '../support/time.js';
import { WEB_ROOT, expectAxeCleanAA, expectNoHorizontalScroll, goTo, launchChromium, openDevice, screenshot, signInThroughUi, skipReason } from './support/browser.js';

/**
 * Billing › Set-up in the browser (issue #14 items 1-3): a manager adds a
 * matter, gives it a rate in place and sets the client's rounding; an entry
 * made on that matter is priced at the matter's rate and billed rounded.
 */
const SUITE = 'web client: billing set-up (Chromium)';

describe.skipIf(skipReason(SUITE) !== null)(SUITE, { timeout: 180_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  let manager: SignedIn;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer({ webRoot: WEB_ROOT }), launchChromium()]);
    manager = await signIn(server.url, 'manager@demo.test');
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  for (const width of [1280, 400] as const) {
    it(`a manager sets up a matter, its rate and rounding, and an entry is priced by them at ${width} px`, async () => {
      const clientName = `Müller & Söhne ${width}`;
      const client = await timeApi(server.url).createClient(manager, { name: clientName, hourlyRateCents: 12_000, currency: 'EUR' });
      const { page, context } = await openDevice(browser, server.url, undefined, { width });
      await signInThroughUi(page, 'manager@demo.test');
      // From the Clients list: the client's name opens its set-up.
      await goTo(page, 'Clients');
      const link = page.getByRole('link', { name: `${clientName}: billing set-up` });
      await link.hover();
      await link.click();
      await page.getByRole('heading', { name: 'Billing set-up', level: 1 }).waitFor();
      expect(new URL(page.url()).pathname).toBe(`/billing/setup/${client.id}`);

      const add = page.getByRole('button', { name: 'Add matter' });
      await add.hover();
      await add.click();
      const dialog = page.getByRole('dialog', { name: `Add a matter for ${clientName}` });
      await dialog.getByLabel('Code').fill('TAX-2026');
      await dialog.getByLabel('Name', { exact: true }).fill('Tax return 2026');
      await dialog.getByRole('button', { name: 'Save' }).click();
      await page.getByTestId('matter-row').filter({ hasText: 'TAX-2026' }).waitFor();

      const rate = page.getByLabel('Rate: Matter TAX-2026');
      await rate.fill('150');
      const saveRate = page.getByTestId('rate-row').filter({ has: rate }).getByRole('button', { name: 'Save' });
      await saveRate.hover();
      await saveRate.click();
      await page.getByText('Rate saved: Matter TAX-2026').waitFor();

      await page.getByLabel('Round to').selectOption('15');
      await page.getByLabel('Direction').selectOption('up');
      const saveRounding = page.getByRole('button', { name: 'Save rounding' });
      await saveRounding.hover();
      await saveRounding.click();
      await page.getByText(`Rounding for ${clientName}: 15 min, up, each entry`).waitFor();
      await expectNoHorizontalScroll(page);
      await expectAxeCleanAA(page);
      await screenshot(page, `billing-setup-${width}`);

      // An entry on that matter, through the entry form's matter picker: 50 minutes.
      await goTo(page, 'Entries');
      const addEntry = page.getByRole('button', { name: 'Add entry' });
      await addEntry.hover();
      await addEntry.click();
      const modal = page.getByRole('dialog', { name: 'Add entry' });
      await modal.getByLabel('Client').selectOption({ label: clientName });
      await modal.getByLabel('Matter').selectOption({ label: 'TAX-2026 · Tax return 2026' });
      await modal.getByLabel('Duration').fill('50m');
      await modal.getByRole('button', { name: 'Save' }).click();
      await modal.waitFor({ state: 'detached' });
      await screenshot(page, `billing-setup-entry-${width}`);

      const range = `from=${new Date(Date.now() - 7 * 86_400_000).toISOString()}&to=${new Date(Date.now() + 86_400_000).toISOString()}`;
      const entries = (await call(server.url, 'GET', `/api/v1/entries?${range}&clientId=${client.id}`, { headers: manager.auth })).body.entries as { clientId: string; matterId: string | null; hourlyRateCents: number }[];
      const entry = entries.find((e) => e.clientId === client.id)!;
      // Priced at the matter's rate (not the client's 120.00), rounded 50 → 60 minutes when billing.
      expect(entry).toMatchObject({ matterId: expect.any(String), hourlyRateCents: 15_000 });
      const csv = await call(server.url, 'GET', `/api/v1/reports/entries.csv?${range}`, { headers: manager.auth });
      expect(csv.status).toBe(200);
      // Columns by header name (a plain split: these cells hold no separators).
      const [header, ...lines] = String(csv.body).replace(/^\uFEFF/, '').trim().split(/\r?\n/).map((line) => line.split(','));
      const row = lines.find((cells) => cells.includes('TAX-2026'))!;
      const cell = (name: string) => row[header!.indexOf(name)];
      expect([cell('billable_minutes'), cell('billable_amount')]).toEqual(['60', '150.00']);
      await context.close();
    });
  }
});
