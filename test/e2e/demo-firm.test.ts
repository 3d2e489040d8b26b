import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { seedDemoFirm } from '../../server/seed/demo-firm.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { WEB_ROOT, launchChromium, openDevice, screenshot, signInThroughUi, skipReason } from './support/browser.js';

const SUITE = 'the demo firm in the web client (Chromium)';

/** What a newcomer sees first: Ana's dashboard with the demo (issue #13 item 8). */
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
});
