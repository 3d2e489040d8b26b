import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DEMO_PASSWORD, startTestServer } from '../test/support/test-server.js';
import { launchDebianChromium } from '../test/support/chromium.js';

/**
 * The renderer's budgets (issue 4): gzip size of the JavaScript and CSS the
 * dashboard route loads, and how long after navigation the dashboard shows
 * the Active sessions card with its rows (the card sets the mark
 * `tab:sessions-rendered`; its startTime is measured from navigation start).
 * Budgets: JS ≤ 300 KB, CSS ≤ 80 KB, median of 10 loads ≤ 500 ms on loopback.
 */
// Same name as renderer/components/ActiveSessionsCard (not imported: that module needs a bundler).
export const SESSIONS_RENDERED_MARK = 'tab:sessions-rendered';
const WEB_ROOT = resolve(import.meta.dirname, '../dist/renderer');
const LOADS = 10;

/** The files index.html pulls in before anything is lazy-loaded (the dashboard route). */
export function dashboardAssets(webRoot = WEB_ROOT): { js: string[]; css: string[] } {
  const html = readFileSync(resolve(webRoot, 'index.html'), 'utf8');
  const js = new Set<string>();
  const css = new Set<string>();
  for (const [, src] of html.matchAll(/<script[^>]*\bsrc="([^"]+)"/g)) js.add(src!);
  for (const tag of html.match(/<link[^>]*>/g) ?? []) {
    const href = /\bhref="([^"]+)"/.exec(tag)?.[1];
    if (!href || href.startsWith('data:')) continue;
    if (/rel="modulepreload"/.test(tag)) js.add(href);
    else if (/rel="stylesheet"/.test(tag)) css.add(href);
  }
  return { js: [...js], css: [...css] };
}

const gzipKB = (webRoot: string, files: string[]) =>
  files.reduce((sum, file) => sum + gzipSync(readFileSync(resolve(webRoot, file.replace(/^\//, '')))).length, 0) / 1024;

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

export async function measureRendererBudget(): Promise<{ jsGzipKB: number; cssGzipKB: number; dashboardMedianMs: number }> {
  const assets = dashboardAssets();
  const jsGzipKB = Math.round(gzipKB(WEB_ROOT, assets.js) * 10) / 10;
  const cssGzipKB = Math.round(gzipKB(WEB_ROOT, assets.css) * 10) / 10;

  const server = await startTestServer({ webRoot: WEB_ROOT });
  const browser = await launchDebianChromium();
  try {
    const context = await browser.newContext({ baseURL: server.url });
    // Sign in once: the context keeps the cookie, as a returning user's browser does.
    const login = await context.request.post('/api/v1/auth/login', { data: { email: 'ana@demo.test', password: DEMO_PASSWORD } });
    if (!login.ok()) throw new Error(`sign-in for the budget run failed: ${login.status()}`);
    const page = await context.newPage();
    const times: number[] = [];
    for (let i = 0; i < LOADS; i++) {
      await page.goto('/', { waitUntil: 'commit' });
      const handle = await page.waitForFunction(
        (mark) => performance.getEntriesByName(mark, 'mark')[0]?.startTime ?? false,
        SESSIONS_RENDERED_MARK,
        { timeout: 10_000, polling: 'raf' },
      );
      times.push(Number(await handle.jsonValue()));
    }
    return { jsGzipKB, cssGzipKB, dashboardMedianMs: Math.round(median(times) * 10) / 10 };
  } finally {
    await browser.close();
    await server.close();
  }
}

// `tsx bench/renderer-budget.ts` prints the figures on its own.
if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  measureRendererBudget().then(
    (result) => console.log(JSON.stringify(result)),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
