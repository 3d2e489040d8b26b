import { Type, type Static } from '@sinclair/typebox';
import { literalUnion } from './common.js';
import { DEVICE_NAME_MAX } from './auth.js';
import { ClientKindSchema } from './sessions.js';

/**
 * Single sign-on with OpenID Connect, one provider per workspace. The flavor
 * says which claims prove an e-mail: `google` (`email_verified` and `hd` in
 * the allowed domains), `entra` (the configured tenant's `tid`; the identity is
 * tenant id + object id), `generic` (`email_verified`).
 */
export const SSO_FLAVORS = ['generic', 'google', 'entra'] as const;
export type SsoFlavor = (typeof SSO_FLAVORS)[number];

/** An e-mail domain: labels of letters, digits and hyphens, at least one dot. */
export const DOMAIN_PATTERN = '^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$';

export const SsoSettings = Type.Object({
  configured: Type.Boolean(),
  flavor: literalUnion(SSO_FLAVORS),
  issuer: Type.String(),
  clientId: Type.String(),
  /** Never the secret itself: whether one is kept. */
  hasClientSecret: Type.Boolean(),
  tenantId: Type.Union([Type.String(), Type.Null()]),
  allowedDomains: Type.Array(Type.String()),
  jitAllowed: Type.Boolean(),
  requireSso: Type.Boolean(),
  breakGlassUserId: Type.Union([Type.String(), Type.Null()]),
  /** Where members of this workspace can start SSO directly (path on this server). */
  ssoPath: Type.String(),
});
export type SsoSettings = Static<typeof SsoSettings>;

export const SsoSettingsUpdate = Type.Object(
  {
    flavor: literalUnion(SSO_FLAVORS),
    issuer: Type.String({ minLength: 1, maxLength: 500 }),
    clientId: Type.String({ minLength: 1, maxLength: 500 }),
    /** Omitted: keep the secret already saved. */
    clientSecret: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })),
    tenantId: Type.Optional(Type.Union([Type.String({ maxLength: 100 }), Type.Null()])),
    allowedDomains: Type.Array(Type.String({ pattern: DOMAIN_PATTERN, maxLength: 253 }), { maxItems: 50 }),
    jitAllowed: Type.Boolean(),
    requireSso: Type.Boolean(),
    breakGlassUserId: Type.Optional(Type.Union([Type.String({ maxLength: 100 }), Type.Null()])),
  },
  { additionalProperties: false },
);
export type SsoSettingsUpdate = Static<typeof SsoSettingsUpdate>;

/** What the e-mail-first sign-in learns from the address's domain. */
export const SsoDiscoverResponse = Type.Object({
  sso: Type.Boolean({ description: 'The domain belongs to a workspace with single sign-on' }),
  required: Type.Boolean({ description: 'That workspace refuses password sign-in (but for its break-glass admin)' }),
});
export type SsoDiscoverResponse = Static<typeof SsoDiscoverResponse>;

export const SsoStartRequest = Type.Object(
  {
    email: Type.Optional(Type.String({ minLength: 3, maxLength: 320 })),
    workspaceId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    client: Type.Optional(ClientKindSchema),
    deviceName: Type.Optional(Type.String({ maxLength: DEVICE_NAME_MAX })),
    /** Desktop only: its loopback redirect, `http://127.0.0.1:<port>/callback` (RFC 8252 §7.3). */
    redirectUri: Type.Optional(Type.String({ maxLength: 100 })),
    /** Desktop only: BASE64URL(SHA-256(app verifier)); the verifier must come with the code. */
    appChallenge: Type.Optional(Type.String({ minLength: 43, maxLength: 43, pattern: '^[A-Za-z0-9_-]+$' })),
  },
  { additionalProperties: false },
);
export type SsoStartRequest = Static<typeof SsoStartRequest>;

export const SsoStartResponse = Type.Object({ authorizationUrl: Type.String() });
export type SsoStartResponse = Static<typeof SsoStartResponse>;

export const SsoCompleteRequest = Type.Object(
  {
    code: Type.String({ minLength: 1, maxLength: 2000 }),
    state: Type.String({ minLength: 1, maxLength: 200 }),
    /** The provider's `iss` response parameter (RFC 9207), when it sends one. */
    iss: Type.Optional(Type.String({ maxLength: 500 })),
    /** Desktop only: the verifier of the `appChallenge` it started with. */
    appVerifier: Type.Optional(Type.String({ minLength: 43, maxLength: 128, pattern: '^[A-Za-z0-9._~-]+$' })),
  },
  { additionalProperties: false },
);
export type SsoCompleteRequest = Static<typeof SsoCompleteRequest>;

/** The cookie that binds a browser's SSO sign-in to the browser that started it (10 minutes). */
export const SSO_BINDING_COOKIE = 'tab_sso';
/** Where the provider sends the browser back: a web-client page that finishes the sign-in. */
export const SSO_CALLBACK_PATH = '/sso/callback';
