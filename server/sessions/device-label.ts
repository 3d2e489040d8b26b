import { UAParser } from 'ua-parser-js';
import { DEVICE_NAME_MAX } from '../../shared/api/auth.js';
import type { ClientKind, LabelSource } from '../../shared/api/sessions.js';
import { cleanDisplayText } from '../../shared/text/display-text.js';

export interface DeviceDescription {
  label: string;
  labelSource: LabelSource;
  browser: string | null;
  os: string | null;
}

/** A browser's or OS's name and version, as parsed from a User-Agent anyone can write. */
const PART_MAX = 48;

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
  const os = cleanDisplayText(parser.getOS().name ?? '', PART_MAX);
  if (!os) return null;
  const model = parser.getDevice().model;
  // iOS devices say which one they are; that is what a user recognises.
  if (os === 'iOS' && (model === 'iPhone' || model === 'iPad' || model === 'iPod')) return model;
  return OS_NAMES[os] ?? os;
}

function describeBrowser(parser: UAParser): string | null {
  const parsed = parser.getBrowser();
  const name = cleanDisplayText(parsed.name ?? '', PART_MAX);
  if (!name) return null;
  const major = cleanDisplayText(parsed.version?.split('.')[0] ?? '', 12);
  const shown = BROWSER_NAMES[name] ?? name;
  return major ? `${shown} ${major}` : shown;
}

/**
 * The row label of a session, and where it came from: a desktop's own device
 * name when given (`device`), else "<Browser> <major>, <OS>" from the
 * User-Agent (`user-agent`), else the client kind (`kind`). Both
 * the device name and the User-Agent are whatever the client sent: every part
 * is cleaned for display (no control or bidi characters, length capped).
 */
export function describeDevice(clientKind: ClientKind, userAgent: string, deviceName?: string): DeviceDescription {
  const parser = new UAParser(userAgent.slice(0, 512));
  const browser = describeBrowser(parser);
  const os = describeOs(parser);
  const name = cleanDisplayText(deviceName ?? '', DEVICE_NAME_MAX);
  if (clientKind === 'desktop' && name) return { label: name, labelSource: 'device', browser, os };
  const parsed = browser && os ? `${browser}, ${os}` : (browser ?? os);
  return parsed ? { label: parsed, labelSource: 'user-agent', browser, os } : { label: clientKind, labelSource: 'kind', browser, os };
}
