import { hkdfSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** The key file sits beside the database, like the JWT key: `<db>.mfa-key`. */
export function mfaKeyPath(dbFile: string): string {
  return `${dbFile}.mfa-key`;
}

/**
 * The key that seals authenticator secrets at rest, kept like the JWT key:
 * `TAB_MFA_KEY` (32 bytes as base64 or base64url: `openssl rand -base64 32`)
 * when set; else, on a database several servers share (PostgreSQL), a key
 * kept in that database; else (SQLite) a mode-0600 file beside the database,
 * generated on first start. Losing it makes every enrolled authenticator
 * unusable (members then sign in with a recovery code and enrol again).
 */
export async function mfaKeyFor(
  location: string,
  store: { sharedKey?: (name: string) => Promise<Buffer> },
  envKey: string | undefined,
): Promise<Uint8Array> {
  if (envKey !== undefined && envKey !== '') {
    const key = Buffer.from(envKey.trim(), 'base64');
    if (key.length !== 32) throw new Error('TAB_MFA_KEY must be 32 bytes, base64-encoded (openssl rand -base64 32).');
    return key;
  }
  if (store.sharedKey) return store.sharedKey('mfa');
  const file = mfaKeyPath(location);
  if (existsSync(file)) {
    chmodSync(file, 0o600);
    const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64url');
    if (key.length !== 32) throw new Error(`The two-factor key in ${file} is not 32 bytes; restore it from a backup.`);
    return key;
  }
  mkdirSync(dirname(file), { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, `${key.toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
  return key;
}

/** A two-factor key derived from the JWT key (HKDF), for callers that give none (benches, in-process tools). */
export function derivedMfaKey(jwtSecret: Uint8Array): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', jwtSecret, new Uint8Array(0), 'tab two-factor secrets', 32));
}
