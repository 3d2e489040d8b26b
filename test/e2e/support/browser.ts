import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';
import { expect } from 'vitest';
import { DEMO_PASSWORD } from '../../support/test-server.js';

import { CHROMIUM_PATH, launchDebianChromium } from '../../support/chromium.js';

export { CHROMIUM_PATH };
export const WEB_ROOT = resolve('dist/renderer');
export const SCREENSHOTS = resolve('test-results/screenshots');

/**
 * Debian's Chromium (installed by .ci/run), never a downloaded one. Without it
 * the suites report themselves skipped, except under CI=true, where a missing
 * browser is a broken machine and must fail.
 */
export function browserMissing(): string | null {
  if (!existsSync(CHROMIUM_PATH)) return `${CHROMIUM_PATH} is not installed`;
  if (!existsSync(resolve(WEB_ROOT, 'index.html'))) return 'dist/renderer is not built (run `npm run build:renderer`)';
  return null;
}

export function skipReason(suite: string): string | null {
  const missing = browserMissing();
  if (!missing) return null;
  if (process.env.CI === 'true') return null; // let the suite run and fail loudly
  console.warn(`[e2e] ${suite} skipped: ${missing}`);
  return missing;
}

export async function launchChromium(): Promise<Browser> {
  const missing = browserMissing();
  if (missing) throw new Error(`End-to-end tests need Chromium and a built renderer: ${missing}`);
  return launchDebianChromium();
}

/** Distinct browsers per "device", so each row of the sessions card has its own label. */
export const USER_AGENTS = {
  chromeMac: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
  firefoxWindows: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0',
  edgeWindows:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 Safari/537.36 Edg/119.0.0.0',
} as const;

export interface Device {
  context: BrowserContext;
  page: Page;
}

/** A new browser context is a new device: its own cookie jar, its own session. */
export async function openDevice(browser: Browser, baseUrl: string, userAgent?: string): Promise<Device> {
  const context = await browser.newContext({ baseURL: baseUrl, userAgent, viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error(`[browser page error] ${error.message}`));
  return { context, page };
}

/** Signs in through the sign-in page, as a person would, and waits for the dashboard. */
export async function signInThroughUi(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto('/');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('heading', { name: 'Active sessions' }).waitFor();
  await page.getByTestId('session-row').first().waitFor();
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: resolve(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** axe-core on the page as shown: no serious or critical violation is acceptable. */
export async function expectNoSeriousA11yViolations(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const summary = serious.map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  expect(summary).toEqual([]);
}

export async function openUserMenu(page: Page): Promise<void> {
  await page.getByRole('button', { name: /^User menu/ }).click();
}
