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
export async function openDevice(
  browser: Browser,
  baseUrl: string,
  userAgent?: string,
  options: { width?: number; timezoneId?: string } = {},
): Promise<Device> {
  const context = await browser.newContext({ baseURL: baseUrl, userAgent, viewport: { width: options.width ?? 1280, height: 900 }, timezoneId: options.timezoneId });
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

/** The WCAG levels TAB holds every page to: A and AA of WCAG 2.0, 2.1 and 2.2. */
export const WCAG_AA_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** axe-core on the page as shown, at WCAG AA: no violation of any impact is acceptable. */
export async function expectAxeCleanAA(page: Page): Promise<void> {
  // A dialog fading in is half transparent: contrast is judged on what a person sees once it has settled.
  // Endless animations (a running timer's pulse) never settle and are not waited for.
  await page.waitForFunction(
    () => document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getComputedTiming().iterations === Infinity),
    undefined,
    { timeout: 5_000 },
  );
  const results = await new AxeBuilder({ page }).withTags(WCAG_AA_TAGS).analyze();
  const summary = results.violations.map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  expect(summary).toEqual([]);
}

/** The older name: it now holds pages to the whole of WCAG AA, not only serious findings. */
export const expectNoSeriousA11yViolations = expectAxeCleanAA;

/** No sideways scrolling: the page is no wider than the window (tables scroll inside their own box). */
export async function expectNoHorizontalScroll(page: Page): Promise<void> {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
  expect(scrollWidth, `page is ${scrollWidth} px wide in a ${innerWidth} px window`).toBeLessThanOrEqual(innerWidth);
}

export async function openUserMenu(page: Page): Promise<void> {
  await page.getByRole('button', { name: /^User menu/ }).click();
}

/**
 * Follows a top-level link as a person would at this width: in the bar when
 * the window is wide, else through the menu button's side menu (where a
 * section's pages are listed under it, so `Team` is reached as `Members`).
 */
export async function goTo(page: Page, link: string, inSideMenu = link): Promise<void> {
  const bar = page.getByRole('navigation', { name: 'TAB' }).getByRole('link', { name: link, exact: true });
  if (await bar.isVisible()) {
    await bar.hover();
    await bar.click();
    return;
  }
  await page.getByRole('button', { name: 'Open menu' }).click();
  const item = page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: inSideMenu, exact: true });
  await item.hover();
  await item.click();
}
