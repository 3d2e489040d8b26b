import { Secret, TOTP } from 'otpauth';

/** RFC 6238 as every authenticator app does it: SHA-1, 6 digits, 30-second steps. */
export const TOTP_PERIOD_MS = 30_000;
/** Codes of the step before and after the current one are accepted too (clock drift, a code typed at a step's edge). */
export const TOTP_WINDOW = 1;
const ISSUER = 'TAB';

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

export function otpauthUri(secret: string, account: string): string {
  return new TOTP({ issuer: ISSUER, label: account, secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: TOTP_PERIOD_MS / 1000 }).toString();
}

/** The 30-second step `at` falls in. */
export const stepAt = (at: number): number => Math.floor(at / TOTP_PERIOD_MS);

/** A 6-digit code, spaces allowed ("123 456"), or null. */
export function normalizeTotpCode(code: string): string | null {
  const digits = code.replace(/[\s-]/g, '');
  return /^\d{6}$/.test(digits) ? digits : null;
}

/** The step the code is for (within the window around `at`), or null when it is for none of them. */
export function matchTotpStep(secret: string, code: string, at: number): number | null {
  const token = normalizeTotpCode(code);
  if (token === null) return null;
  const delta = TOTP.validate({ token, secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: TOTP_PERIOD_MS / 1000, timestamp: at, window: TOTP_WINDOW });
  return delta === null ? null : stepAt(at) + delta;
}

/** The code for the step `at` falls in (tests and the bench act as the authenticator app with it). */
export function totpCodeAt(secret: string, at: number): string {
  return TOTP.generate({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: TOTP_PERIOD_MS / 1000, timestamp: at });
}
