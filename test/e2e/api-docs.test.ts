import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { launchDebianChromium, CHROMIUM_PATH } from '../support/chromium.js';
import { openDevice, screenshot } from './support/browser.js';

const SUITE = 'API docs under their Content-Security-Policy (Chromium)';
// Needs only the browser (the docs are the server's own). Under CI=true a missing browser fails instead.
const skip = !existsSync(CHROMIUM_PATH) && process.env.CI !== 'true';
if (skip) console.warn(`[e2e] ${SUITE} skipped: ${CHROMIUM_PATH} is not installed`);

describe.skipIf(skip)(SUITE, { timeout: 60_000 }, () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launchDebianChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('Swagger UI renders every endpoint with no CSP violation', async () => {
    const { page, context } = await openDevice(browser, server.url);
    const violations: string[] = [];
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => console.log(`CSP violation: ${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
    });
    page.on('console', (m) => {
      if (/Content Security Policy|CSP violation/i.test(m.text())) violations.push(m.text());
    });
    const response = await page.goto('/docs');
    expect(response?.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
    // Swagger UI renders the whole spec in the page: on a loaded shared machine that can take a while.
    await page.locator('.opblock').first().waitFor({ timeout: 30_000 });
    expect(await page.locator('.opblock').count()).toBeGreaterThan(20);
    await screenshot(page, 'api-docs');
    expect(violations).toEqual([]);
    await context.close();
  });

  it('another site cannot frame /docs or /openapi.json', async () => {
    // Another origin on this machine (a public page could not reach a local server at all).
    const outer = createServer((_request, response) =>
      response
        .setHeader('content-type', 'text/html')
        .end(`<iframe src="${server.url}/docs"></iframe><iframe src="${server.url}/openapi.json"></iframe>`),
    );
    await new Promise<void>((resolve) => outer.listen(0, '127.0.0.1', resolve));
    const { page, context } = await openDevice(browser, server.url);
    const refused: string[] = [];
    page.on('console', (m) => {
      if (/frame-ancestors 'none'/.test(m.text())) refused.push(m.text());
    });
    try {
      await page.goto(`http://127.0.0.1:${(outer.address() as AddressInfo).port}/`);
      await expect.poll(() => refused.length, { timeout: 10_000 }).toBe(2);
      const framed = page.frames().filter((f) => f !== page.mainFrame());
      expect(framed.map((f) => f.url())).toEqual(['chrome-error://chromewebdata/', 'chrome-error://chromewebdata/']);
    } finally {
      await context.close();
      outer.close();
    }
});
});
