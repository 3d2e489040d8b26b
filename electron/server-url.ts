/**
 * The server address the desktop app talks to: entered on first run (or given
 * by TAB_SERVER_URL), validated here. Plain `http:` is allowed only for the
 * local machine (the demo server); anything else must be `https:`, because the
 * password, the cookie and the JWT travel on it.
 */
export const DEFAULT_SERVER_URL = 'http://localhost:4000';

export type ServerUrlCheck = { ok: true; origin: string } | { ok: false; message: string };

const MAX_URL_LENGTH = 2048;

/**
 * True only for `localhost`, 127.0.0.0/8 and ::1: names and addresses that
 * never leave this machine. Not `*.localhost` (`http://evil.localhost` is a
 * name any resolver may answer), not IPv4-mapped forms. The hostname is the
 * one `new URL()` normalised (lower case, IPv4 in dotted decimal, IPv6 in brackets).
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (host === 'localhost' || host === '[::1]' || host === '::1') return true;
  const v4 = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  return v4 !== null && v4.slice(1).every((part) => Number(part) <= 255);
}

/**
 * Checks an address typed by the user and answers its origin
 * (`scheme://host[:port]`, no path) or a message to show next to the field.
 */
export function validateServerUrl(input: unknown): ServerUrlCheck {
  if (typeof input !== 'string') return { ok: false, message: 'Enter the server address.' };
  const text = input.trim();
  if (text === '') return { ok: false, message: 'Enter the server address.' };
  if (text.length > MAX_URL_LENGTH) return { ok: false, message: 'That address is too long.' };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, message: 'That is not a valid address (example: https://tab.example.com).' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { ok: false, message: 'The address must start with https://.' };
  }
  if (url.username || url.password) return { ok: false, message: 'The address must not contain a user name or password.' };
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
    return { ok: false, message: 'Enter only the server address, without a path (example: https://tab.example.com).' };
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    return { ok: false, message: 'Plain http:// is only allowed for this computer (localhost); use https:// for a server.' };
  }
  return { ok: true, origin: `${url.protocol}//${url.host}` };
}
