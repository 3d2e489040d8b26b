import { timingSafeEqual } from 'node:crypto';
import * as oidc from 'openid-client';
import type { ClientKind } from '../../shared/api/sessions.js';
import type { SsoDiscoverResponse } from '../../shared/api/sso.js';
import { SSO_CALLBACK_PATH } from '../../shared/api/sso.js';
import type { ErrorCode } from '../../shared/errors.js';
import { HttpError } from '../http/http-error.js';
import { MINUTE_MS, type Clock } from '../platform/clock.js';
import type { PasswordHasher } from '../security/password-hasher.js';
import type { SecretSealer } from '../security/sealed-secret.js';
import { randomSecret, secretHash } from '../security/secrets.js';
import { appChallengeBytes, checkLoopbackRedirect, sha256 } from '../security/loopback.js';
import type { LoginResult, SessionService } from '../sessions/session-service.js';
import type { Reauthenticator } from '../sessions/reauth.js';
import { normalizeEmail } from '../sessions/session-service.js';
import type { StoredSsoConfig, StoredUser, TabStore } from '../store/types.js';
import { domainOf, readClaims, type ExternalPerson } from './claims.js';
import { describe, type OidcClients } from './oidc-client.js';

/** A sign-in under way lives this long (the person may need to type a password and a code at the provider). */
export const SSO_STATE_TTL_MS = 10 * MINUTE_MS;


export interface SsoStartInput {
  email?: string;
  workspaceId?: string;
  client: ClientKind;
  deviceName?: string;
  redirectUri?: string;
  appChallenge?: string;
  /** `https://tab.firm.example` as the browser reached the server: the web redirect is its /sso/callback. */
  origin: string;
}

export interface SsoCompleteInput {
  code: string;
  state: string;
  iss?: string;
  /** The web's binding cookie, or the desktop's app verifier. */
  binding: string | undefined;
  userAgent: string;
  ip: string;
  presentedCookie?: string;
}

interface SealedState {
  verifier: string;
  nonce: string;
  /** A re-check of a signed-in session (max_age=0), not a sign-in. */
  reauth?: { sessionId: string; userId: string };
}

/** Who asks for a re-check: the signed-in session, from this browser. */
export interface SsoReauthWho {
  user: { id: string; workspaceId: string; email: string };
  sessionId: string;
  ip: string;
}

/** What a sealed value is for (authenticated with it), so that one sealed for another use does not open here. */
const STATE_CONTEXT = 'oidc-login-state';
export const clientSecretContext = (workspaceId: string) => `oidc-client-secret:${workspaceId}`;


/**
 * Signing in with the workspace's OpenID provider: the authorization-code flow
 * with PKCE (S256), state and nonce. The state row keeps only hashes and a
 * sealed verifier and nonce, is taken once, and is bound to whoever started
 * it: the browser's `tab_sso` cookie, or the desktop's app verifier (its own
 * PKCE toward TAB, so that a code caught on the loopback by another program
 * cannot be redeemed). The server, a confidential client, exchanges the code.
 */
export class SsoSignIn {
  constructor(
    private readonly deps: {
      store: TabStore;
      clock: Clock;
      sessions: SessionService;
      reauth: Reauthenticator;
      passwords: PasswordHasher;
      clients: OidcClients;
      /** The server's sealing key (TAB_MFA_KEY), shared with two-factor: client secrets and login states are sealed under it. */
      sealer: SecretSealer;
    },
  ) {}

  /** What the e-mail-first page shows: SSO or not, and whether a password is still allowed. */
  async discover(email: string): Promise<SsoDiscoverResponse> {
    const workspaceId = await this.deps.store.findSsoWorkspaceByDomain(domainOf(normalizeEmail(email)));
    if (!workspaceId) return { sso: false, required: false };
    const config = await this.deps.store.getSsoConfig(workspaceId);
    return { sso: config !== undefined, required: config?.requireSso ?? false };
  }

  async start(input: SsoStartInput): Promise<{ authorizationUrl: string; binding?: string }> {
    const { store } = this.deps;
    const workspaceId = input.workspaceId ?? (input.email ? await store.findSsoWorkspaceByDomain(domainOf(normalizeEmail(input.email))) : undefined);
    if (!input.workspaceId && !input.email) throw new HttpError('invalid_request', 'Give the e-mail address (its domain finds the workspace) or the workspace.');
    const config = workspaceId ? await store.getSsoConfig(workspaceId) : undefined;
    if (!config) throw new HttpError('sso_not_configured', input.email ? 'Single sign-on is not set up for that e-mail domain. Sign in with your password.' : 'Single sign-on is not set up for that workspace.');
    return this.#begin(config, input);
  }

  /**
   * A re-check by a fresh round trip to the provider (issue #15 item 5):
   * `max_age=0` and `prompt=login` make the person authenticate again there;
   * completeReauth() checks `auth_time` and that the identity is this user's.
   */
  async startReauth(who: SsoReauthWho, input: Pick<SsoStartInput, 'client' | 'redirectUri' | 'appChallenge' | 'origin'>): Promise<{ authorizationUrl: string; binding?: string }> {
    const config = await this.deps.store.getSsoConfig(who.user.workspaceId);
    if (!config) throw new HttpError('sso_not_configured', 'Single sign-on is not set up for your workspace.');
    return this.#begin(config, { ...input, email: who.user.email }, { sessionId: who.sessionId, userId: who.user.id });
  }

  async #begin(config: StoredSsoConfig, input: SsoStartInput, reauth?: SealedState['reauth']): Promise<{ authorizationUrl: string; binding?: string }> {
    const { store, clock, clients } = this.deps;

    let redirectUri: string;
    let binding: string | undefined;
    let bindingHash: Buffer;
    if (input.client === 'desktop') {
      // RFC 8252: the same loopback and PKCE rules as the desktop's passkey sign-in (server/security/loopback.ts).
      redirectUri = checkLoopbackRedirect(input.redirectUri);
      bindingHash = appChallengeBytes(input.appChallenge);
    } else {
      if (input.redirectUri || input.appChallenge) throw new HttpError('invalid_request', 'Only the desktop app gives its own redirect.');
      redirectUri = new URL(SSO_CALLBACK_PATH, input.origin).href;
      binding = randomSecret();
      bindingHash = sha256(binding);
    }

    const configuration = await clients.configuration(config.issuer, config.clientId, this.#clientSecret(config));
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const now = clock.now();
    await store.createOidcLoginState(
      {
        stateHash: secretHash(state),
        workspaceId: config.workspaceId,
        bindingHash,
        sealed: this.deps.sealer.seal(JSON.stringify({ verifier, nonce, ...(reauth ? { reauth } : {}) } satisfies SealedState), STATE_CONTEXT),
        redirectUri,
        clientKind: input.client,
        deviceName: input.deviceName ?? null,
        createdAt: now,
        expiresAt: now + SSO_STATE_TTL_MS,
      },
      now,
    );
    const parameters: Record<string, string> = {
      redirect_uri: redirectUri,
      scope: 'openid email profile',
      response_type: 'code',
      state,
      nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    };
    if (input.email) parameters.login_hint = normalizeEmail(input.email);
    // Google shows its account chooser when a person has several accounts; the hosted domain narrows it.
    if (config.flavor === 'google' && config.allowedDomains.length === 1) parameters.hd = config.allowedDomains[0]!;
    if (reauth) {
      parameters.max_age = '0';
      parameters.prompt = 'login';
    }
    return { authorizationUrl: oidc.buildAuthorizationUrl(configuration, parameters).href, binding };
  }

  async complete(input: SsoCompleteInput): Promise<LoginResult> {
    const { config, claims, clientKind, deviceName, reauth } = await this.#redeem(input);
    if (reauth) throw new HttpError('sso_state_invalid', 'This single sign-on was a re-check; finish it where it started.');
    return this.#signIn(config, claims, input, clientKind, deviceName);
  }

  /** Finishes a re-check: a grant for the session that started it, when the provider authenticated this very user just now. */
  async completeReauth(who: SsoReauthWho, input: SsoCompleteInput): Promise<{ grant: string; expiresAt: number }> {
    const { config, claims, reauth } = await this.#redeem(input, true);
    if (!reauth || reauth.sessionId !== who.sessionId || reauth.userId !== who.user.id) {
      throw new HttpError('sso_state_invalid', 'This re-check was started by another session. Start again.');
    }
    const verdict = readClaims(config, claims);
    const linked = verdict.ok ? await this.deps.store.findExternalIdentity(config.issuer, verdict.person.subject) : undefined;
    if (!linked || linked.userId !== who.user.id) {
      await this.deps.store.appendAudit({ workspaceId: config.workspaceId, type: 'reauth_failed', at: this.deps.clock.now(), actorUserId: who.user.id, targetUserId: who.user.id, sessionId: who.sessionId, ip: who.ip, detail: { action: 'reauth_grant', method: 'oidc' } });
      throw new HttpError('reauth_failed', 'That is not the identity this account signs in with.');
    }
    return this.deps.reauth.issueGrant({ user: await this.#accountOf(who.user.id), sessionId: who.sessionId, ip: who.ip }, 'oidc');
  }

  async #accountOf(userId: string) {
    const user = await this.deps.store.findUserById(userId);
    if (!user) throw new HttpError('unauthenticated', 'Sign in to continue.');
    return user;
  }

  /** Takes the state and exchanges the code: the verified ID token's claims (with `auth_time` fresh when it is a re-check). */
  async #redeem(input: SsoCompleteInput, reauthExpected = false) {
    const { store, clock, clients } = this.deps;
    const now = clock.now();
    const taken = await store.takeOidcLoginState(secretHash(input.state), now);
    if (!taken) throw new HttpError('sso_state_invalid', 'This single sign-on has expired or was used already. Start again.');
    const presented = input.binding === undefined ? undefined : sha256(input.binding);
    if (!presented || !timingSafeEqual(presented, taken.bindingHash)) {
      await this.#failed(taken.workspaceId, null, input.ip, taken.clientKind, 'sso_state_invalid');
      throw new HttpError('sso_state_invalid', 'This single sign-on was started somewhere else. Start again from this device.');
    }
    const config = await store.getSsoConfig(taken.workspaceId);
    if (!config) throw new HttpError('sso_not_configured', 'Single sign-on was turned off for this workspace.');
    const sealed = JSON.parse(this.deps.sealer.open(taken.sealed, STATE_CONTEXT)) as SealedState;
    if (reauthExpected && !sealed.reauth) throw new HttpError('sso_state_invalid', 'This single sign-on was a sign-in, not a re-check. Start again.');

    const configuration = await clients.configuration(config.issuer, config.clientId, this.#clientSecret(config));
    const callback = new URL(taken.redirectUri);
    callback.searchParams.set('code', input.code);
    callback.searchParams.set('state', input.state);
    if (input.iss !== undefined) callback.searchParams.set('iss', input.iss);
    let claims: Record<string, unknown>;
    try {
      const tokens = await oidc.authorizationCodeGrant(configuration, callback, {
        pkceCodeVerifier: sealed.verifier,
        expectedState: input.state,
        expectedNonce: sealed.nonce,
        idTokenExpected: true,
        // A re-check: the provider must say the person authenticated just now.
        ...(sealed.reauth ? { maxAge: 0 } : {}),
      });
      claims = (tokens.claims() ?? {}) as Record<string, unknown>;
      clients.rememberKeys(config.issuer, configuration);
    } catch (error) {
      const unreachable = error instanceof Error && error.name === 'TypeError';
      const code: ErrorCode = unreachable ? 'sso_provider_unreachable' : 'sso_token_invalid';
      await this.#failed(config.workspaceId, null, input.ip, taken.clientKind, code, describe(error));
      throw new HttpError(code, unreachable ? 'The identity provider could not be reached. Try again.' : `The identity provider’s answer did not check out (${describe(error)}). Start again.`);
    }
    return { config, claims, clientKind: taken.clientKind, deviceName: taken.deviceName, reauth: sealed.reauth };
  }

  async #signIn(config: StoredSsoConfig, claims: Record<string, unknown>, input: SsoCompleteInput, clientKind: ClientKind, deviceName: string | null): Promise<LoginResult> {
    const verdict = readClaims(config, claims);
    if (!verdict.ok) {
      await this.#failed(config.workspaceId, null, input.ip, clientKind, verdict.code);
      throw new HttpError(verdict.code, verdict.message);
    }
    const user = await this.#member(config, verdict.person, input.ip, clientKind);
    if (user.disabledAt !== null) {
      await this.#failed(config.workspaceId, user.id, input.ip, clientKind, 'account_disabled');
      throw new HttpError('account_disabled', 'This account has been disabled. Ask your firm’s TAB admin.');
    }
    if (input.presentedCookie) await this.deps.sessions.supersede(input.presentedCookie, user.id, input.ip);
    return this.deps.sessions.startSession(
      user,
      { client: clientKind, deviceName: deviceName ?? undefined, userAgent: input.userAgent, ip: input.ip },
      undefined,
      'oidc',
    );
  }

  /** The member this identity is: linked before, linked now (a vouched e-mail of a member), or made now (just-in-time). */
  async #member(config: StoredSsoConfig, person: ExternalPerson, ip: string, client: ClientKind): Promise<StoredUser> {
    const { store, clock, passwords } = this.deps;
    const linked = await store.findExternalIdentity(config.issuer, person.subject);
    if (linked) {
      const user = await store.findUserById(linked.userId);
      if (user && user.workspaceId === config.workspaceId) return user;
    }
    const refuse = async (code: ErrorCode, message: string): Promise<never> => {
      await this.#failed(config.workspaceId, null, ip, client, code);
      throw new HttpError(code, message);
    };
    if (!person.email || !person.emailTrusted) return refuse('sso_email_unverified', 'Your identity provider has not verified this e-mail address for your firm, so TAB cannot match it to a member.');
    if (!config.allowedDomains.includes(domainOf(person.email))) return refuse('sso_domain_not_allowed', `The domain of ${person.email} is not one this workspace signs in with.`);
    const now = clock.now();
    const identity = { issuer: config.issuer, subject: person.subject, workspaceId: config.workspaceId, email: person.email, linkedAt: now };
    const existing = await store.findUserByEmail(person.email);
    if (existing) {
      if (existing.workspaceId !== config.workspaceId || existing.invitedAt !== null) {
        return refuse('sso_no_account', existing.invitedAt !== null ? 'Accept your invitation first; then single sign-on works.' : 'No member of this workspace has that e-mail address.');
      }
      await store.linkExternalIdentity({ ...identity, userId: existing.id }, {
        workspaceId: config.workspaceId, type: 'sso_identity_linked', at: now, actorUserId: existing.id, targetUserId: existing.id, ip, detail: { issuer: config.issuer },
      });
      return existing;
    }
    if (!config.jitAllowed) return refuse('sso_no_account', 'You are not a member of this workspace yet. Ask your firm’s TAB admin to invite you.');
    const name = (person.name ?? person.email.slice(0, person.email.indexOf('@'))).slice(0, 100);
    const created = await store.createUserWithIdentity(
      { workspaceId: config.workspaceId, email: person.email, name, role: 'accountant', passwordHash: await passwords.hash(randomSecret()), now },
      identity,
      (userId) => ({ workspaceId: config.workspaceId, type: 'sso_member_created', at: now, actorUserId: userId, targetUserId: userId, ip, detail: { issuer: config.issuer, role: 'accountant' } }),
    );
    // Two first sign-ins of one person at once: the other one made the member; use it.
    const user = created ?? (await store.findUserByEmail(person.email));
    if (!user) return refuse('sso_no_account', 'Your account could not be created. Try again.');
    return user;
  }

  #clientSecret(config: StoredSsoConfig): string {
    return this.deps.sealer.open(config.clientSecretSealed, clientSecretContext(config.workspaceId));
  }

  async #failed(workspaceId: string, userId: string | null, ip: string, client: ClientKind, reason: string, detail?: string): Promise<void> {
    await this.deps.store.appendAudit({
      workspaceId,
      type: 'sign_in_failed',
      at: this.deps.clock.now(),
      targetUserId: userId,
      ip,
      detail: { method: 'oidc', reason, client, ...(detail ? { error: detail } : {}) },
    });
  }
}
