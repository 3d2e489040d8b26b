import { Type, type Static } from '@sinclair/typebox';
import { IsoDateTime, literalUnion } from './common.js';
import { PASSWORD_MIN, RoleSchema, type LoginResponse } from './auth.js';
import { ClientKindSchema } from './sessions.js';
import type { Member } from './admin.js';
import type { LoginChallengeResponse } from './mfa.js';

/**
 * Members of a firm: invitations, roles, deactivation and password-reset
 * links. A link is a 256-bit secret shown once to the admin who made it
 * (kept only as its SHA-256), valid for a while and for one use; the
 * invitee or member opens it, sees whose it is, and sets a password.
 */

export const MEMBER_NAME_MAX = 200;
export const EMAIL_MAX = 320;
/** An invitation is valid this long. */
export const INVITATION_VALID_DAYS = 7;
/** A password-reset link is valid this long: shorter, since it can take over an existing account. */
export const PASSWORD_RESET_VALID_HOURS = 24;

export const MEMBER_STATUSES = ['active', 'invited', 'disabled'] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];

export const LINK_KINDS = ['invitation', 'password_reset'] as const;
export type LinkKind = (typeof LINK_KINDS)[number];

export const InviteMemberRequest = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: MEMBER_NAME_MAX }),
    email: Type.String({ minLength: 3, maxLength: EMAIL_MAX, pattern: '^[^\\s@]+@[^\\s@]+$' }),
    role: RoleSchema,
  },
  { additionalProperties: false },
);
export type InviteMemberRequest = Static<typeof InviteMemberRequest>;

/** A link just made: its address is shown once and never again (the server keeps only a hash). */
export const IssuedLink = Type.Object({
  kind: literalUnion(LINK_KINDS),
  url: Type.String({ description: 'Open it in a browser; it carries the secret after `#`, so it never reaches a server log' }),
  expiresAt: IsoDateTime,
  delivery: literalUnion(['shown'] as const, { description: 'How the link reaches the member: `shown` = give it to them yourself (no e-mail is sent)' }),
});
export type IssuedLink = Static<typeof IssuedLink>;

export const InvitedMember = Type.Object({ member: Type.Ref('Member'), link: IssuedLink });
export type InvitedMember = { member: Member; link: IssuedLink };

export const ChangeRoleRequest = Type.Object({ role: RoleSchema }, { additionalProperties: false });
export type ChangeRoleRequest = Static<typeof ChangeRoleRequest>;

export const LinkLookupRequest = Type.Object({ token: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false });
export type LinkLookupRequest = Static<typeof LinkLookupRequest>;

/** What the link page shows before anything is typed: whose link it is, so a forwarded link is noticed. */
export const LinkView = Type.Object({
  kind: literalUnion(LINK_KINDS),
  name: Type.String(),
  email: Type.String(),
  workspaceName: Type.String(),
  expiresAt: IsoDateTime,
});
export type LinkView = Static<typeof LinkView>;

export const CompleteLinkRequest = Type.Object(
  {
    token: Type.String({ minLength: 1, maxLength: 200 }),
    password: Type.String({ minLength: PASSWORD_MIN, maxLength: 1024 }),
    client: Type.Optional(ClientKindSchema),
  },
  { additionalProperties: false },
);
export type CompleteLinkRequest = Static<typeof CompleteLinkRequest>;
/** The usual sign-in, or (two-factor) the 202 challenge: the link set the password but did not sign in. */
export type CompleteLinkResponse = LoginResponse | LoginChallengeResponse;

export const LINK_PATH = '/link';
