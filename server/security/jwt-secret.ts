import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/** The key file sits beside the database: `<db>.jwt-key`. */
export function jwtKeyPath(dbFile: string): string {
  return `${dbFile}.jwt-key`;
}

/**
 * The JWT signing key of a server on this store: `TAB_JWT_SECRET` when set;
 * else, for a database that several servers may share (PostgreSQL), the key
 * kept in that database, so that a token signed by one server is good on all;
 * else (SQLite) the key file beside the database. Never a file beside a URL.
 */
export async function jwtSecretFor(
  location: string,
  store: { sharedKey?: (name: string) => Promise<Buffer> },
  envSecret: string | undefined,
): Promise<Uint8Array> {
  if (envSecret !== undefined && envSecret !== '') return loadJwtSecret(location, envSecret);
  if (store.sharedKey) return store.sharedKey('jwt');
  return loadJwtSecret(location, undefined);
}

/**
 * The JWT signing key: `TAB_JWT_SECRET` when set (at least 32 characters), else
 * 256 random bits generated on first start and kept in a mode-0600 file.
 */
export function loadJwtSecret(dbFile: string, envSecret: string | undefined): Uint8Array {
  if (envSecret !== undefined && envSecret !== '') {
    if (envSecret.length < 32) throw new Error('TAB_JWT_SECRET must be at least 32 characters long.');
    return new TextEncoder().encode(envSecret);
  }
  const file = jwtKeyPath(dbFile);
  if (existsSync(file)) {
    chmodSync(file, 0o600);
    const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64url');
    if (key.length < 32) throw new Error(`The JWT key in ${file} is too short; delete it to generate a new one.`);
    return key;
  }
  mkdirSync(dirname(file), { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, `${key.toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
  return key;
}
