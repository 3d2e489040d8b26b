import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { isoCBOR } from '@simplewebauthn/server/helpers';

/**
 * A software passkey authenticator for server tests: it makes a P-256
 * credential (attestation `none`) and signs assertions exactly as a browser
 * and authenticator would (clientDataJSON, authenticator data, ES256 over
 * authData ‖ SHA-256(clientDataJSON)). The browser end-to-end test uses
 * Chromium's virtual authenticator instead (test/e2e/passkeys.e2e.test.ts).
 */
export class SoftAuthenticator {
  readonly credentials: { id: Buffer; privateKey: KeyObject; userHandle: string; rpId: string; counter: number }[] = [];

  constructor(private readonly origin: string, private readonly opts: { userVerified?: boolean; counter?: boolean } = {}) {}

  private get rpId(): string {
    return new URL(this.origin).hostname;
  }

  private flags(attested: boolean): number {
    // UP, UV (unless told otherwise), BE+BS (a synced passkey), AT when attested.
    return 0x01 | (this.opts.userVerified === false ? 0 : 0x04) | 0x08 | 0x10 | (attested ? 0x40 : 0);
  }

  /** navigator.credentials.create() with the server's options: the JSON the browser library would post. */
  create(options: any, origin = this.origin): any {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = publicKey.export({ format: 'jwk' });
    const cose = isoCBOR.encode(
      new Map<number, number | Uint8Array>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, new Uint8Array(Buffer.from(jwk.x!, 'base64url'))],
        [-3, new Uint8Array(Buffer.from(jwk.y!, 'base64url'))],
      ]),
    );
    const id = randomBytes(16);
    const rpIdHash = createHash('sha256').update(options.rp?.id ?? this.rpId).digest();
    const lengths = Buffer.alloc(2);
    lengths.writeUInt16BE(id.length);
    const authData = Buffer.concat([rpIdHash, Buffer.from([this.flags(true)]), Buffer.alloc(4), Buffer.alloc(16), lengths, id, Buffer.from(cose)]);
    const attestationObject = isoCBOR.encode(new Map<string, unknown>([['fmt', 'none'], ['attStmt', new Map()], ['authData', new Uint8Array(authData)]]) as never);
    const clientDataJSON = Buffer.from(JSON.stringify({ type: 'webauthn.create', challenge: options.challenge, origin, crossOrigin: false }));
    this.credentials.push({ id, privateKey, userHandle: options.user.id, rpId: options.rp?.id ?? this.rpId, counter: 0 });
    return {
      id: id.toString('base64url'),
      rawId: id.toString('base64url'),
      type: 'public-key',
      response: { clientDataJSON: clientDataJSON.toString('base64url'), attestationObject: Buffer.from(attestationObject).toString('base64url'), transports: ['internal'] },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }

  /** navigator.credentials.get(): an assertion with the first allowed credential (or the first one, discoverable). */
  get(options: any, origin = this.origin, which = 0): any {
    const allowed: string[] = (options.allowCredentials ?? []).map((c: { id: string }) => c.id);
    const cred = allowed.length > 0 ? this.credentials.find((c) => allowed.includes(c.id.toString('base64url'))) : this.credentials[which];
    if (!cred) throw new Error('no credential for these options');
    if (this.opts.counter !== false) cred.counter += 1;
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(this.opts.counter === false ? 0 : cred.counter);
    const authData = Buffer.concat([createHash('sha256').update(options.rpId ?? cred.rpId).digest(), Buffer.from([this.flags(false)]), counter]);
    const clientDataJSON = Buffer.from(JSON.stringify({ type: 'webauthn.get', challenge: options.challenge, origin, crossOrigin: false }));
    const signature = sign('sha256', Buffer.concat([authData, createHash('sha256').update(clientDataJSON).digest()]), cred.privateKey);
    return {
      id: cred.id.toString('base64url'),
      rawId: cred.id.toString('base64url'),
      type: 'public-key',
      response: {
        clientDataJSON: clientDataJSON.toString('base64url'),
        authenticatorData: authData.toString('base64url'),
        signature: signature.toString('base64url'),
        userHandle: cred.userHandle,
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }
}
