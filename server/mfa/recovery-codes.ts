import { createHash, randomInt } from 'node:crypto';
import { RECOVERY_CODE_COUNT } from '../../shared/api/mfa.js';

// No 0/O, 1/l/I: codes get copied by hand from paper.
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** Ten fresh codes, `xxxxx-xxxxx` (about 49 bits each: guessing is throttled like a password). */
export function newRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  const one = () => Array.from({ length: 10 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
  return Array.from({ length: count }, () => {
    const c = one();
    return `${c.slice(0, 5)}-${c.slice(5)}`;
  });
}

/** A recovery code as typed (any case, with or without the dash or spaces), or null when it is not one's shape. */
export function normalizeRecoveryCode(code: string): string | null {
  const plain = code.toLowerCase().replace(/[\s-]/g, '');
  return /^[a-z0-9]{10}$/.test(plain) ? plain : null;
}

/** Stored as SHA-256 of the user and the code: a code is only good for its own user, and the table never holds one. */
export function recoveryCodeHash(userId: string, code: string): Buffer {
  const plain = normalizeRecoveryCode(code) ?? '';
  return createHash('sha256').update(`${userId}:${plain}`, 'utf8').digest();
}
