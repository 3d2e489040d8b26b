import { Type, type Static } from '@sinclair/typebox';
import { IsoDateTime, literalUnion } from './common.js';

/**
 * How a sign-in's second step can be finished. The passkey work (issue #15
 * item 2) adds `'passkey'` here; clients show the ways they know and ignore
 * the rest. A recovery code goes in the same `code` field as an
 * authenticator's code (it is told apart by its shape).
 */
export const MFA_METHODS = ['totp', 'recovery_code', 'passkey'] as const;
export type MfaMethod = (typeof MFA_METHODS)[number];

/** The workspace's two-factor policy: nobody required, everyone, or admins and managers. */
export const TWO_FACTOR_POLICIES = ['off', 'everyone', 'admins_managers'] as const;
export type TwoFactorPolicy = (typeof TWO_FACTOR_POLICIES)[number];

/** A login challenge lives this long (5 minutes), and so does a re-check grant. */
export const LOGIN_CHALLENGE_TTL_MS = 5 * 60_000;
export const REAUTH_GRANT_TTL_MS = 5 * 60_000;
export const RECOVERY_CODE_COUNT = 10;

/**
 * The answer to a sign-in (202) that needs a second step. No session exists
 * yet and no cookie is set: `challenge` is the only credential, single use,
 * for 5 minutes. `enrolRequired`: the workspace requires two-factor and this
 * member has none; the challenge then only lets them enrol
 * (`/auth/login/enrol`, `/auth/login/enrol/confirm`), which signs them in.
 * A client that only knows 200 shows "Two-factor sign-in needs a newer TAB"
 * (`MFA_NEEDS_NEWER_CLIENT` below).
 */
export const LoginChallengeResponse = Type.Object({
  mfaRequired: Type.Literal(true),
  challenge: Type.String({ description: 'Opaque, single use, 5 minutes; send it to /auth/login/mfa (or /auth/login/enrol…)' }),
  methods: Type.Array(literalUnion(MFA_METHODS), { description: 'Ways to finish; more may be added (e.g. `passkey`): ignore unknown ones' }),
  enrolRequired: Type.Boolean({ description: 'The workspace requires two-factor and the member has none: enrol first' }),
  expiresAt: IsoDateTime,
});
export type LoginChallengeResponse = Static<typeof LoginChallengeResponse>;

/** What a client that cannot do the second step shows, keyed on the 202 (`mfaRequired`), never on text. */
export const MFA_NEEDS_NEWER_CLIENT = 'Two-factor sign-in needs a newer TAB';

export const CHALLENGE_MAX = 200;
export const CODE_MAX = 40;

export const LoginMfaRequest = Type.Object(
  {
    challenge: Type.String({ minLength: 1, maxLength: CHALLENGE_MAX }),
    code: Type.String({ minLength: 1, maxLength: CODE_MAX, description: 'The 6-digit authenticator code, or a recovery code (xxxxx-xxxxx)' }),
  },
  { additionalProperties: false },
);
export type LoginMfaRequest = Static<typeof LoginMfaRequest>;

export const LoginEnrolRequest = Type.Object({ challenge: Type.String({ minLength: 1, maxLength: CHALLENGE_MAX }) }, { additionalProperties: false });
export type LoginEnrolRequest = Static<typeof LoginEnrolRequest>;

/** A new authenticator to add: scan the QR code (an SVG of `otpauthUri`) or type the secret. */
export const TotpEnrolment = Type.Object({
  secret: Type.String({ description: 'Base32, for typing into the app' }),
  otpauthUri: Type.String(),
  qrSvg: Type.String({ description: 'The otpauth URI as a QR code (SVG markup)' }),
});
export type TotpEnrolment = Static<typeof TotpEnrolment>;

export const TotpConfirmRequest = Type.Object(
  { code: Type.String({ minLength: 1, maxLength: CODE_MAX }) },
  { additionalProperties: false },
);
export type TotpConfirmRequest = Static<typeof TotpConfirmRequest>;

/** Shown once, never again: each works once in place of an authenticator code. */
export const RecoveryCodes = Type.Object({ recoveryCodes: Type.Array(Type.String()) });
export type RecoveryCodes = Static<typeof RecoveryCodes>;

export const TwoFactorStatus = Type.Object({
  enabled: Type.Boolean(),
  methods: Type.Array(literalUnion(MFA_METHODS)),
  recoveryCodesLeft: Type.Integer({ minimum: 0 }),
  /** The workspace's policy requires two-factor of this member. */
  required: Type.Boolean(),
});
export type TwoFactorStatus = Static<typeof TwoFactorStatus>;

/**
 * A re-check of who you are, for sensitive changes: the password plus the
 * authenticator code when the account has two-factor. The passkey and SSO
 * work add their own proofs beside these fields.
 */
export const ReauthRequest = Type.Object(
  {
    password: Type.String({ minLength: 1, maxLength: 1024 }),
    code: Type.Optional(Type.String({ minLength: 1, maxLength: CODE_MAX })),
  },
  { additionalProperties: false },
);
export type ReauthRequest = Static<typeof ReauthRequest>;

export const ReauthGrantResponse = Type.Object({
  grant: Type.String({ description: 'Send as `reauthGrant` to a sensitive endpoint of THIS session within 5 minutes' }),
  expiresAt: IsoDateTime,
});
export type ReauthGrantResponse = Static<typeof ReauthGrantResponse>;

/** What a sensitive endpoint accepts besides its password field: the code (two-factor accounts) or a grant. */
export const ReauthFields = {
  code: Type.Optional(Type.String({ minLength: 1, maxLength: CODE_MAX, description: 'The authenticator code, when the account has two-factor' })),
  reauthGrant: Type.Optional(Type.String({ minLength: 1, maxLength: CHALLENGE_MAX, description: 'A grant from POST /auth/reauth, instead of the password' })),
};

/** Starting an enrolment from a signed-in session re-checks first: a stolen session must not lock its owner out with its own authenticator. */
export const StartTotpEnrolmentRequest = Type.Object(
  { currentPassword: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })), reauthGrant: ReauthFields.reauthGrant },
  { additionalProperties: false },
);
export type StartTotpEnrolmentRequest = Static<typeof StartTotpEnrolmentRequest>;

export const DisableTwoFactorRequest = Type.Object(
  { currentPassword: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })), ...ReauthFields },
  { additionalProperties: false },
);
export type DisableTwoFactorRequest = Static<typeof DisableTwoFactorRequest>;

export const TwoFactorPolicyBody = Type.Object({ requireTwoFactor: literalUnion(TWO_FACTOR_POLICIES) }, { additionalProperties: false });
export type TwoFactorPolicyBody = Static<typeof TwoFactorPolicyBody>;

/** Whether the policy covers a member of this role. */
export function policyCovers(policy: TwoFactorPolicy, role: 'admin' | 'manager' | 'accountant'): boolean {
  return policy === 'everyone' || (policy === 'admins_managers' && role !== 'accountant');
}

/**
 * A re-check in the body of a sensitive request: the password (plus `code`
 * with two-factor) or a `reauthGrant` from any re-check (password, passkey,
 * single sign-on).
 */
export const ReauthBody = Type.Object(
  { currentPassword: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })), ...ReauthFields },
  { additionalProperties: false },
);
export type ReauthBody = Static<typeof ReauthBody>;

/** New recovery codes replace every old one at once (used or not); a re-check first. */
export const RegenerateRecoveryCodesRequest = ReauthBody;
export type RegenerateRecoveryCodesRequest = ReauthBody;

/**
 * A member's two-factor as their admin sees it (never a secret): whether an
 * authenticator app is on, how many recovery codes are left, how many
 * passkeys they have, whether the workspace's policy requires it of them.
 */
export const MemberTwoFactor = Type.Object({
  authenticatorApp: Type.Boolean(),
  recoveryCodesLeft: Type.Integer({ minimum: 0 }),
  passkeys: Type.Integer({ minimum: 0 }),
  required: Type.Boolean(),
});
export type MemberTwoFactor = Static<typeof MemberTwoFactor>;

/** An admin's reset of a member's two-factor (a lost phone) re-checks the admin first. */
export const ResetMemberTwoFactorRequest = ReauthBody;
export type ResetMemberTwoFactorRequest = ReauthBody;

export const ResetMemberTwoFactorResponse = Type.Object({
  signedOut: Type.Integer({ minimum: 0, description: 'How many of the member’s sessions were signed out' }),
  passkeysKept: Type.Integer({ minimum: 0, description: 'The member’s passkeys, which the reset leaves (remove them one by one if lost too)' }),
});
export type ResetMemberTwoFactorResponse = Static<typeof ResetMemberTwoFactorResponse>;

/**
 * The ways this session's person can re-check (what the shared re-check
 * dialog offers): the password (always offered: an account made by single
 * sign-on has one nobody knows, so it is the fallback, not the first way),
 * the authenticator code with it, a passkey, or the workspace's single
 * sign-on when their identity is linked to it (`sso.provider` names it).
 */
export const ReauthOptions = Type.Object({
  totp: Type.Boolean({ description: 'A password re-check also needs the authenticator code' }),
  passkey: Type.Boolean(),
  sso: Type.Union([Type.Object({ provider: Type.String({ description: 'For the button: “Confirm with <provider>”' }) }), Type.Null()]),
});
export type ReauthOptions = Static<typeof ReauthOptions>;
