import { randomUUID } from 'node:crypto';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type AuthenticatorTransportFuture,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { PASSKEY_CHALLENGE_TTL_MS, type PasskeyView } from '../../shared/api/passkeys.js';
import type { EventHub } from '../events/event-hub.js';
import type { Clock } from '../platform/clock.js';
import { HttpError } from '../http/http-error.js';
import { secretHash } from '../security/secrets.js';
import type { AccountUser, StoredPasskey, StoredUser, StoredWebauthnChallenge, TabStore, WebauthnPurpose } from '../store/types.js';
import type { ReauthProof, ReauthWho, Reauthenticator } from '../sessions/reauth.js';

/**
 * The relying party, as the browser sees it: the origin the page was loaded
 * from and its host name (the RP ID). Taken from the request (the `Host` the
 * client addressed, or a trusted proxy's forwarded host), so that the
 * assertion binds to the address the member actually used; a passkey made on
 * one address does not work on another (WebAuthn's phishing resistance).
 */
export interface RelyingParty {
  origin: string;
  rpId: string;
}

export interface ChallengeFor {
  purpose: WebauthnPurpose;
  userId?: string;
  sessionId?: string;
  loginChallengeHash?: Buffer;
  clientKind?: string;
  deviceName?: string;
}

const RP_NAME = 'TAB';
const expired = () => new HttpError('passkey_challenge_expired', 'This passkey request has expired or was used already. Try again.');
const invalid = () => new HttpError('passkey_invalid', 'That passkey was not accepted. Try again, or use another way to sign in.');

export function toPasskeyView(p: StoredPasskey): PasskeyView {
  return {
    id: p.id,
    name: p.name,
    createdAt: new Date(p.createdAt).toISOString(),
    lastUsedAt: p.lastUsedAt === null ? null : new Date(p.lastUsedAt).toISOString(),
    backedUp: p.backedUp,
  };
}

/** The challenge a browser's answer carries (clientDataJSON is base64url JSON); null when it is not readable. */
function challengeOf(clientDataJSON: unknown): string | null {
  if (typeof clientDataJSON !== 'string' || clientDataJSON.length > 8192) return null;
  try {
    const parsed = JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8')) as { challenge?: unknown };
    return typeof parsed.challenge === 'string' && parsed.challenge.length <= 512 ? parsed.challenge : null;
  } catch {
    return null;
  }
}

/**
 * Passkeys (WebAuthn, issue #15 item 2) with SimpleWebAuthn: enrolment from
 * the Profile page, list and remove (a re-check), and the assertions used by
 * the sign-in's second step, passwordless sign-in and re-checks. Every
 * challenge is kept in the store by hash, for 5 minutes, and taken (deleted)
 * by the answer that carries it, so it holds across servers and works once.
 * Passkeys are made discoverable with user verification required, so that
 * the same passkey serves as a second factor and for passwordless sign-in.
 */
export class PasskeyService {
  constructor(private readonly deps: { store: TabStore; clock: Clock; reauth: Reauthenticator; hub: EventHub }) {}

  async list(userId: string): Promise<PasskeyView[]> {
    return (await this.deps.store.listPasskeys(userId)).map(toPasskeyView);
  }

  /** Options for navigator.credentials.create(): the member's existing passkeys are excluded (one per authenticator). */
  async registrationOptions(user: Pick<AccountUser, 'id' | 'email' | 'name'>, sessionId: string, rp: RelyingParty) {
    const existing = await this.deps.store.listPasskeys(user.id);
    const options = await generateRegistrationOptions({
      rpName: RP_NAME,
      rpID: rp.rpId,
      userName: user.email,
      userDisplayName: user.name,
      userID: new TextEncoder().encode(user.id),
      attestationType: 'none',
      excludeCredentials: existing.map((p) => ({ id: p.credentialId, transports: p.transports as AuthenticatorTransportFuture[] })),
      authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
      timeout: PASSKEY_CHALLENGE_TTL_MS,
    });
    await this.keep(options.challenge, { purpose: 'register', userId: user.id, sessionId });
    return options;
  }

  /** Verifies the new credential against its challenge and keeps its public key, counter and transports. */
  async register(who: ReauthWho & { sessionId: string }, name: string, response: RegistrationResponseJSON, rp: RelyingParty): Promise<PasskeyView> {
    const { store, clock } = this.deps;
    const ceremony = await this.take(response.response?.clientDataJSON, 'register');
    if (ceremony.record.userId !== who.user.id || ceremony.record.sessionId !== who.sessionId) throw expired();
    let verification;
    try {
      verification = await verifyRegistrationResponse({
        response,
        expectedChallenge: ceremony.challenge,
        expectedOrigin: rp.origin,
        expectedRPID: rp.rpId,
        requireUserVerification: true,
      });
    } catch {
      throw invalid();
    }
    if (!verification.verified || !verification.registrationInfo) throw invalid();
    const { credential, credentialBackedUp } = verification.registrationInfo;
    if (await store.findPasskeyByCredentialId(credential.id)) throw new HttpError('conflict', 'This passkey is registered already.');
    const now = clock.now();
    const passkey: StoredPasskey = {
      id: randomUUID(),
      userId: who.user.id,
      credentialId: credential.id,
      name: name.trim() || 'Passkey',
      publicKey: Buffer.from(credential.publicKey),
      counter: credential.counter,
      transports: credential.transports ?? [],
      backedUp: credentialBackedUp,
      createdAt: now,
      lastUsedAt: null,
    };
    try {
      await store.addPasskey(passkey, {
        workspaceId: who.user.workspaceId,
        type: 'passkey_added',
        at: now,
        actorUserId: who.user.id,
        targetUserId: who.user.id,
        sessionId: who.sessionId,
        ip: who.ip,
        detail: { name: passkey.name },
      });
    } catch (error) {
      // Two registrations of one credential at once: the unique credential id lets one in.
      if (await store.findPasskeyByCredentialId(credential.id)) throw new HttpError('conflict', 'This passkey is registered already.');
      throw error;
    }
    // The member's other open screens (a Profile in another tab) reread their list.
    this.deps.hub.accountChanged(who.user.id, who.user.role);
    return toPasskeyView(passkey);
  }

  /** Removes one of your passkeys after a re-check (password + code, or a grant), like turning two-factor off. */
  async remove(who: ReauthWho, id: string, proof: ReauthProof): Promise<void> {
    const { store, clock, reauth } = this.deps;
    if (!(await store.listPasskeys(who.user.id)).some((p) => p.id === id)) throw new HttpError('passkey_not_found', 'No such passkey (it may have been removed already).');
    await reauth.require(who, proof, 'passkey_remove', 'That password is not right.');
    const removed = await store.removePasskey(who.user.id, id, (name) => ({
      workspaceId: who.user.workspaceId,
      type: 'passkey_removed',
      at: clock.now(),
      actorUserId: who.user.id,
      targetUserId: who.user.id,
      sessionId: who.sessionId,
      ip: who.ip,
      detail: { name },
    }));
    if (removed === null) throw new HttpError('passkey_not_found', 'No such passkey (it may have been removed already).');
    this.deps.hub.accountChanged(who.user.id, who.user.role);
  }

  /**
   * Options for navigator.credentials.get(). For a known member (second
   * step, re-check) their passkeys are listed; for passwordless sign-in none
   * are (the browser offers its discoverable passkeys for this site), and the
   * authenticator must verify the user (PIN or biometrics): the passkey is
   * then both factors.
   */
  async authenticationOptions(rp: RelyingParty, ceremony: ChallengeFor) {
    const mine = ceremony.userId ? await this.deps.store.listPasskeys(ceremony.userId) : [];
    if (ceremony.userId && mine.length === 0) throw new HttpError('passkey_not_found', 'You have no passkey yet. Add one on your Profile page.');
    const options = await generateAuthenticationOptions({
      rpID: rp.rpId,
      allowCredentials: mine.map((p) => ({ id: p.credentialId, transports: p.transports as AuthenticatorTransportFuture[] })),
      userVerification: ceremony.purpose === 'passwordless' ? 'required' : 'preferred',
      timeout: PASSKEY_CHALLENGE_TTL_MS,
    });
    await this.keep(options.challenge, ceremony);
    return options;
  }

  /**
   * Verifies an assertion made for `purpose`: its challenge (taken: once),
   * the signature with the stored public key, the origin and RP ID, user
   * verification for passwordless sign-in, and a counter that moved on.
   * Answers whose passkey it was and the challenge's record.
   */
  async verifyAssertion(response: AuthenticationResponseJSON, purpose: WebauthnPurpose, rp: RelyingParty): Promise<{ user: StoredUser; record: StoredWebauthnChallenge }> {
    const { store, clock } = this.deps;
    const ceremony = await this.take(response.response?.clientDataJSON, purpose);
    const passkey = typeof response.id === 'string' ? await store.findPasskeyByCredentialId(response.id) : undefined;
    if (!passkey) throw invalid();
    if (ceremony.record.userId !== null && ceremony.record.userId !== passkey.userId) throw invalid();
    let verification;
    try {
      verification = await verifyAuthenticationResponse({
        response,
        expectedChallenge: ceremony.challenge,
        expectedOrigin: rp.origin,
        expectedRPID: rp.rpId,
        credential: { id: passkey.credentialId, publicKey: new Uint8Array(passkey.publicKey), counter: passkey.counter, transports: passkey.transports as AuthenticatorTransportFuture[] },
        requireUserVerification: purpose === 'passwordless',
      });
    } catch {
      throw invalid();
    }
    if (!verification.verified) throw invalid();
    if (!(await store.usePasskey(passkey.credentialId, verification.authenticationInfo.newCounter, clock.now()))) throw invalid();
    const user = await store.findUserById(passkey.userId);
    if (!user) throw invalid();
    if (user.disabledAt !== null) throw new HttpError('account_disabled', 'This account has been disabled. Ask your firm’s TAB admin.');
    return { user, record: ceremony.record };
  }

  private async keep(challenge: string, c: ChallengeFor): Promise<void> {
    const now = this.deps.clock.now();
    await this.deps.store.createWebauthnChallenge({
      challengeHash: secretHash(challenge),
      purpose: c.purpose,
      userId: c.userId ?? null,
      sessionId: c.sessionId ?? null,
      loginChallengeHash: c.loginChallengeHash ?? null,
      clientKind: c.clientKind ?? null,
      deviceName: c.deviceName ?? null,
      createdAt: now,
      expiresAt: now + PASSKEY_CHALLENGE_TTL_MS,
    });
  }

  private async take(clientDataJSON: unknown, purpose: WebauthnPurpose): Promise<{ challenge: string; record: StoredWebauthnChallenge }> {
    const challenge = challengeOf(clientDataJSON);
    if (challenge === null) throw new HttpError('invalid_request', 'Invalid body.response: clientDataJSON is not a WebAuthn client data.');
    const record = await this.deps.store.takeWebauthnChallenge(secretHash(challenge), this.deps.clock.now());
    if (!record || record.purpose !== purpose) throw expired();
    return { challenge, record };
  }
}
