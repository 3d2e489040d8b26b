import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { WRITE_DOWN_REASON } from '../../server/seed/demo-billing.js';
import { seedDemoFirm } from '../../server/seed/demo-firm.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import type { Page } from 'playwright-core';
import { WEB_ROOT, expectAxeCleanAA, expectNoHorizontalScroll, goTo, launchChromium, openDevice, screenshot, signInThroughUi, skipReason } from './support/browser.js';

const SUITE = 'the demo firm in the web client (Chromium)';

/** What a newcomer sees first: Ana's dashboard, and the manager's billing, with the demo (issue #13 item 8, issue #14). */
describe.skipIf(skipReason(SUITE) !== null)(SUITE, { timeout: 90_000 }, () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer({ webRoot: WEB_ROOT, seed: false }), launchChromium()]);
    expect((await seedDemoFirm(server.store, Date.now())).outcome).toBe('seeded');
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  for (const width of [1280, 400]) {
    it(`ana’s dashboard at ${width} px: her timer running, her hours, unbilled money, her three devices`, async () => {
      const { page, context } = await openDevice(browser, server.url, undefined, { width });
      await signInThroughUi(page, 'ana@demo.test');
      await expect.poll(() => page.getByTestId('tile-runningTimer').textContent()).toContain('Bergmann & Söhne GmbH');
      expect(await page.getByTestId('tile-hoursThisWeek').textContent()).not.toMatch(/^\D*0 h/);
      expect(await page.getByTestId('tile-unbilledAmount').textContent()).toMatch(/EUR|GBP|USD|€|£|\$/);
      const rows = page.getByTestId('session-row');
      // The three seeded devices and this one (and, at 400 px, the 1280 px run's).
      await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(4);
      expect(await rows.allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('Ana’s MacBook Pro'), expect.stringContaining('iPhone')]));
      await screenshot(page, `demo-dashboard-${width}`);
      await context.close();
    });
  }
  async function check(page: Page, name: string): Promise<void> {
    await expectNoHorizontalScroll(page);
    await expectAxeCleanAA(page);
    await screenshot(page, name);
  }

  for (const width of [1280, 400]) {
    it(`the manager’s billing at ${width} px: WIP over 60 days on the dashboard, invoices paid, waiting, void and a draft, the aging WIP`, async () => {
      const { page, context } = await openDevice(browser, server.url, undefined, { width });
      try {
        await signInThroughUi(page, 'manager@demo.test');
        const tile = page.getByTestId('tile-wipOver60Days');
        await expect.poll(() => tile.textContent()).toMatch(/USD|\$/);
        await check(page, `demo-manager-dashboard-${width}`);

        await goTo(page, 'Billing', 'Invoices');
        await page.getByRole('heading', { name: 'Invoices', level: 1 }).waitFor();
        const rows = page.getByTestId('invoice-row');
        await expect.poll(() => rows.count()).toBe(6);
        // By status, not number: a demo made early in the year has its invoices in two yearly sequences.
        const texts = await rows.allTextContents();
        const count = (pattern: RegExp) => texts.filter((t) => pattern.test(t)).length;
        expect([count(/^INV-.*paid$/), count(/^INV-.*issued$/), count(/^INV-.*void$/), count(/^Draft.*Bergmann.*draft$/)]).toEqual([2, 2, 1, 1]);
        await check(page, `demo-invoices-${width}`);

        // The one issued again after the void: Thistle & Crane's, waiting for payment.
        const reissued = rows.filter({ hasText: /^INV-.*Thistle & Crane Ltd.*issued$/ }).getByRole('button');
        await reissued.hover();
        await reissued.click();
        const view = page.getByTestId('invoice-view');
        await view.getByText(WRITE_DOWN_REASON).first().waitFor();
        expect(await view.textContent()).toMatch(/VAT 20\.00 %/);
        await check(page, `demo-invoice-writedown-${width}`);

        const draft = rows.filter({ hasText: 'Draft' }).getByRole('button');
        await draft.hover();
        await draft.click();
        await view.getByRole('heading', { name: 'Draft for Bergmann & Söhne GmbH' }).waitFor();
        expect(await view.getByRole('button', { name: 'Issue', exact: true }).isEnabled()).toBe(true);

        if (width === 1280) {
          const tab = page.getByRole('navigation', { name: 'Billing' }).getByRole('link', { name: 'Work in progress' });
          await tab.hover();
          await tab.click();
        } else {
          await goTo(page, 'Billing', 'Work in progress');
        }
        await page.getByRole('heading', { name: 'Work in progress', level: 1 }).waitFor();
        const hudson = page.getByTestId('wip-row').filter({ hasText: 'Hudson Ridge Partners LLC · TP-26 Transfer pricing memo' });
        await expect.poll(() => hudson.count()).toBeGreaterThan(0);
        await check(page, `demo-wip-${width}`);
      } finally {
        await context.close();
      }
    });
  }
});
