import { createHash, timingSafeEqual } from 'node:crypto';
import { HttpError } from '../http/http-error.js';

/**
 * The desktop app's half of a browser sign-in (RFC 8252, "OAuth 2.0 for
 * Native Apps"), as the server checks it. Shared by single sign-on
 * (server/sso/sso-sign-in.ts) and passkeys through the system browser
 * (server/mfa/desktop-passkey.ts): one rule for the redirect, one for the
 * app's PKCE proof.
 */

/** §7.3: a loopback IP literal and any port, path /callback; never `localhost` (it may resolve elsewhere). */
const LOOPBACK_REDIRECT = /^http:\/\/(127\.0\.0\.1|\[::1\]):(\d{1,5})\/callback$/;

/** The redirect as given, or 400 `invalid_request`. */
export function checkLoopbackRedirect(redirectUri: string | undefined): string {
  const loopback = redirectUri ? LOOPBACK_REDIRECT.exec(redirectUri) : null;
  if (!loopback || Number(loopback[2]) < 1 || Number(loopback[2]) > 65535) {
    throw new HttpError('invalid_request', 'Invalid body.redirectUri: the desktop app redirects to http://127.0.0.1:<port>/callback.');
  }
  return redirectUri!;
}

/** The S256 challenge (base64url of SHA-256 of the verifier) as the 32 bytes kept with the sign-in. */
export function appChallengeBytes(appChallenge: string | undefined): Buffer {
  if (!appChallenge) throw new HttpError('invalid_request', 'Invalid body.appChallenge: the desktop app sends the S256 challenge of its verifier.');
  return Buffer.from(appChallenge, 'base64url');
}

export const sha256 = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/** RFC 7636 S256: does this verifier hash to the kept challenge? (Constant time.) */
export function verifierMatches(verifier: string | undefined, challenge: Buffer): boolean {
  if (verifier === undefined) return false;
  const presented = sha256(verifier);
  return presented.length === challenge.length && timingSafeEqual(presented, challenge);
}
