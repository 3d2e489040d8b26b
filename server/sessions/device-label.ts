import { UAParser } from 'ua-parser-js';
import type { ClientKind } from '../../shared/api/sessions.js';

export interface DeviceDescription {
  label: string;
  browser: string | null;
  os: string | null;
}

/** ua-parser-js names a few OSes in ways people don't say. */
const OS_NAMES: Record<string, string> = {
  'Mac OS': 'macOS',
  'Chromium OS': 'ChromeOS',
  'Chrome OS': 'ChromeOS',
};

/** Mobile Safari and friends: people say "Safari 17, iPhone", not "Mobile Safari 17, iOS". */
const BROWSER_NAMES: Record<string, string> = {
  'Mobile Safari': 'Safari',
  'Mobile Firefox': 'Firefox',
  'Chrome Mobile': 'Chrome',
  'Chrome Headless': 'Chrome',
  'Chrome WebView': 'Chrome WebView',
};

function describeOs(parser: UAParser): string | null {
  const os = parser.getOS().name;
  if (!os) return null;
  const model = parser.getDevice().model;
  // iOS devices say which one they are; that is what a user recognises.
  if (os === 'iOS' && (model === 'iPhone' || model === 'iPad' || model === 'iPod')) return model;
  return OS_NAMES[os] ?? os;
}

function describeBrowser(parser: UAParser): string | null {
  const { name, version } = parser.getBrowser();
  if (!name) return null;
  const major = version?.split('.')[0];
  const shown = BROWSER_NAMES[name] ?? name;
  return major ? `${shown} ${major}` : shown;
}

/**
 * The row label of a session: a desktop's own device name when given, else
 * "<Browser> <major>, <OS>" from the User-Agent, else the client kind.
 */
export function describeDevice(clientKind: ClientKind, userAgent: string, deviceName?: string): DeviceDescription {
  const parser = new UAParser(userAgent.slice(0, 512));
  const browser = describeBrowser(parser);
  const os = describeOs(parser);
  const name = deviceName?.trim();
  let label: string;
  if (clientKind === 'desktop' && name) label = name;
  else if (browser && os) label = `${browser}, ${os}`;
  else label = browser ?? os ?? clientKind;
  return { label, browser, os };
}
