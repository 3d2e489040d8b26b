import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium (installed by .ci/run), never a downloaded one; TAB_CHROMIUM overrides the path. */
export const CHROMIUM_PATH = process.env.TAB_CHROMIUM ?? '/usr/bin/chromium';

/** Headless, and nothing that would reach out to Google's hosts from this closed network. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
];

/** A fresh browser (each launch gets its own temporary profile). */
export function launchDebianChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}
