import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 1;

/**
 * Secrets the server must read back (an identity provider's client secret, a
 * sign-in's PKCE verifier) are kept sealed: AES-256-GCM under a key derived
 * (HKDF-SHA-256) from the server key that every server on the database shares,
 * with a purpose label, so that a copy of the database alone reveals nothing.
 * Layout: version byte, 12-byte nonce, 16-byte tag, ciphertext.
 */
export class Sealer {
  readonly #key: Buffer;

  constructor(serverKey: Uint8Array, purpose: string) {
    this.#key = Buffer.from(hkdfSync('sha256', serverKey, Buffer.alloc(0), `tab sealed ${purpose}`, 32));
  }

  seal(plain: string): Buffer {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]);
  }

  /** Throws when the box was not sealed with this key and purpose, or was changed. */
  open(box: Buffer): string {
    if (box.length < 29 || box[0] !== VERSION) throw new Error('Not a sealed value');
    const decipher = createDecipheriv('aes-256-gcm', this.#key, box.subarray(1, 13));
    decipher.setAuthTag(box.subarray(13, 29));
    return Buffer.concat([decipher.update(box.subarray(29)), decipher.final()]).toString('utf8');
  }
}
