import { UAParser } from 'ua-parser-js';
import { DEVICE_NAME_MAX } from '../../shared/api/auth.js';
import type { ClientKind, LabelSource } from '../../shared/api/sessions.js';
import { cleanDisplayText } from '../../shared/text/display-text.js';
import { setBounded } from '../platform/bounded-map.js';

/** A browser and OS without versions: what an unusual-change check compares (a version bump is no change). */
export interface UserAgentFamilies {
  browserFamily: string | null;
  osFamily: string | null;
}

export interface DeviceDescription extends UserAgentFamilies {
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

function browserFamilyOf(parser: UAParser): string | null {
  const name = cleanDisplayText(parser.getBrowser().name ?? '', PART_MAX);
  return name ? (BROWSER_NAMES[name] ?? name) : null;
}

/** The OS by name, never by device model or version: "iOS", "macOS", "Windows". */
function osFamilyOf(parser: UAParser): string | null {
  const os = cleanDisplayText(parser.getOS().name ?? '', PART_MAX);
  return os ? (OS_NAMES[os] ?? os) : null;
}

function describeBrowser(parser: UAParser): string | null {
  const family = browserFamilyOf(parser);
  if (!family) return null;
  const major = cleanDisplayText(parser.getBrowser().version?.split('.')[0] ?? '', 12);
  return major ? `${family} ${major}` : family;
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
  // A desktop session has no browser family to compare: the app may change its HTTP client with an update, so only its OS counts.
  const { browserFamily, osFamily } = userAgentFamilies(userAgent);
  const families = { browserFamily: clientKind === 'desktop' ? null : browserFamily, osFamily };
  if (clientKind === 'desktop' && name) return { label: name, labelSource: 'device', browser, os, ...families };
  const parsed = browser && os ? `${browser}, ${os}` : (browser ?? os);
  return parsed ? { label: parsed, labelSource: 'user-agent', browser, os, ...families } : { label: clientKind, labelSource: 'kind', browser, os, ...families };
}

/** Parsed User-Agents: the same few strings arrive again and again, and parsing one costs far more than a Map read. */
const familiesByUserAgent = new Map<string, UserAgentFamilies>();
const FAMILIES_MAX = 2_000;

/** The browser family and OS of a User-Agent, for comparing a session's requests with its sign-in. */
export function userAgentFamilies(userAgent: string): UserAgentFamilies {
  const ua = userAgent.length > 512 ? userAgent.slice(0, 512) : userAgent;
  let families = familiesByUserAgent.get(ua);
  if (!families) {
    const parser = new UAParser(ua);
    families = Object.freeze({ browserFamily: browserFamilyOf(parser), osFamily: osFamilyOf(parser) });
    setBounded(familiesByUserAgent, ua, families, FAMILIES_MAX);
  }
  return families;
}
