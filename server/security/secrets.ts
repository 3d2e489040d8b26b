import { createHash, randomBytes } from 'node:crypto';

/** An opaque random secret (cookie value, API token body): 256 bits, base64url. */
export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/**
 * Secrets are stored only as SHA-256. They are 256-bit random values, so a
 * fast hash is enough (no KDF needed), and it lets the server look them up by
 * hash in one index probe.
 */
export function secretHash(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}
