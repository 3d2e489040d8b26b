import { Type, type Static } from '@sinclair/typebox';
import { IsoDateTime, NullableIsoDateTime, literalUnion } from './common.js';
import { RoleSchema } from './auth.js';
import { MEMBER_STATUSES } from './members.js';
import { ReauthFields } from './mfa.js';

export const Member = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    email: Type.String(),
    role: RoleSchema,
    status: literalUnion(MEMBER_STATUSES, { description: '`invited` until the invitation is used; `disabled` while deactivated' }),
    disabled: Type.Boolean(),
    activeSessions: Type.Integer({ minimum: 0 }),
    lastSeenAt: NullableIsoDateTime(),
    invitedAt: NullableIsoDateTime(),
    /** The open invitation's expiry (invited members only): past it, re-issue. */
    invitationExpiresAt: NullableIsoDateTime(),
  },
  { $id: 'Member' },
);
export type Member = Static<typeof Member>;
export const MemberList = Type.Object({ members: Type.Array(Type.Ref('Member')) });
export type MemberList = { members: Member[] };

export const MemberParams = Type.Object({ userId: Type.String({ minLength: 1, maxLength: 100 }) });
export const MemberSessionParams = Type.Object({
  userId: Type.String({ minLength: 1, maxLength: 100 }),
  sessionId: Type.String({ minLength: 1, maxLength: 100 }),
});

export const RevokeAllRequest = Type.Object(
  { password: Type.Optional(Type.String({ minLength: 1, maxLength: 1024, description: 'Your password (with `code` when you have two-factor), unless you give `reauthGrant`' })), ...ReauthFields },
  { additionalProperties: false },
);
export type RevokeAllRequest = Static<typeof RevokeAllRequest>;

export const INACTIVITY_TIMEOUT_MINUTES = [30, 60, 480, 1440, 10080, 43200] as const;
export const ABSOLUTE_TIMEOUT_DAYS = [1, 7, 30, 90] as const;
export const MAX_CONCURRENT_SESSIONS_LIMIT = 100;

/**
 * What happens when a live session is used from another country than its
 * baseline (`ipChangePolicy`) or from another browser family or OS
 * (`userAgentChangePolicy`): nothing, an alert to the user's other sessions
 * and an audit row, or the session is signed out (reason `ip_changed` /
 * `ua_changed`).
 */
export const CHANGE_POLICIES = ['off', 'notify', 'reauth'] as const;
export type ChangePolicy = (typeof CHANGE_POLICIES)[number];
const ChangePolicySchema = literalUnion(CHANGE_POLICIES);

const policyFields = {
  inactivityTimeoutMinutes: literalUnion(INACTIVITY_TIMEOUT_MINUTES),
  absoluteTimeoutDays: literalUnion(ABSOLUTE_TIMEOUT_DAYS),
  maxConcurrentSessions: Type.Union([
    Type.Null(),
    Type.Integer({ minimum: 1, maximum: MAX_CONCURRENT_SESSIONS_LIMIT }),
  ]),
};

export const SessionPolicy = Type.Object(
  {
    ...policyFields,
    ipChangePolicy: ChangePolicySchema,
    userAgentChangePolicy: ChangePolicySchema,
  },
  { $id: 'SessionPolicy', additionalProperties: false },
);
export type SessionPolicy = Static<typeof SessionPolicy>;

/** PUT's body: the change policies may be left out, which keeps their current values. */
export const SessionPolicyUpdate = Type.Object(
  {
    ...policyFields,
    ipChangePolicy: Type.Optional(ChangePolicySchema),
    userAgentChangePolicy: Type.Optional(ChangePolicySchema),
  },
  { additionalProperties: false },
);
export type SessionPolicyUpdate = Static<typeof SessionPolicyUpdate>;

export const DEFAULT_SESSION_POLICY: SessionPolicy = {
  inactivityTimeoutMinutes: 10080,
  absoluteTimeoutDays: 30,
  maxConcurrentSessions: null,
  ipChangePolicy: 'notify',
  userAgentChangePolicy: 'notify',
};

export const AUDIT_EVENT_TYPES = [
  // sessions and security
  'sign_in',
  'sign_in_failed',
  'sign_out',
  'session_revoked',
  'sessions_revoked_others',
  'workspace_sessions_revoked',
  'session_expired',
  'session_limit_revoked',
  'policy_changed',
  'password_changed',
  'api_token_created',
  'api_token_revoked',
  'reauth_failed',
  'token_reuse_detected',
  'session_ip_changed',
  'session_ua_changed',
  // two-factor (issue #15)
  'two_factor_enabled',
  'two_factor_disabled',
  'two_factor_policy_changed',
  'recovery_code_used',
  'recovery_codes_regenerated',
  'two_factor_reset',
  // passkeys
  'passkey_added',
  'passkey_removed',
  // single sign-on
  'sso_settings_changed',
  'sso_identity_linked',
  'sso_member_created',
  // members
  'member_invited',
  'invitation_reissued',
  'invitation_cancelled',
  'invitation_accepted',
  'member_role_changed',
  'member_disabled',
  'member_enabled',
  'password_reset_issued',
  'password_reset_completed',
  'profile_changed',
  'workspace_settings_changed',
  // clients and time
  'client_created',
  'client_changed',
  'client_archived',
  'client_deleted',
  'entry_changed',
  'entry_deleted',
  'entries_billed',
  'entries_unbilled',
  'week_submitted',
  'week_approved',
  'week_reopened',
  'week_changed_after_approval',
  // billing set-up (issue #14)
  'matter_created',
  'matter_changed',
  'activity_created',
  'activity_changed',
  'rate_changed',
  // invoices (issue #14)
  'invoice_drafted',
  'invoice_issued',
  'invoice_voided',
  'invoice_paid',
] as const;
export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];
/**
 * The event types as one `enum` schema typed as their union: a union of this
 * many literals (literalUnion) makes TypeScript's route typing give up
 * ("type instantiation is excessively deep") once issue #14 adds its types.
 */
const AuditEventTypeSchema = Type.Unsafe<AuditEventType>(Type.String({ enum: [...AUDIT_EVENT_TYPES] }));

/** The session an event came from, as a person recognises it (never its secret). */
export const AuditSession = Type.Object({
  label: Type.String(),
  clientKind: Type.String(),
  ip: Type.String(),
});

export const AuditEvent = Type.Object(
  {
    id: Type.String({ description: 'Opaque, increasing; pass as `before` to page' }),
    type: AuditEventTypeSchema,
    at: IsoDateTime,
    actorUserId: Type.Union([Type.String(), Type.Null()]),
    actorName: Type.Union([Type.String(), Type.Null()], { description: "The actor's name now (null for the system or a deleted invitation)" }),
    targetUserId: Type.Union([Type.String(), Type.Null()]),
    targetName: Type.Union([Type.String(), Type.Null()]),
    sessionId: Type.Union([Type.String(), Type.Null()]),
    session: Type.Union([AuditSession, Type.Null()], { description: 'The session the event came from, by device label' }),
    ip: Type.Union([Type.String(), Type.Null()]),
    detail: Type.Record(Type.String(), Type.Unknown()),
  },
  { $id: 'AuditEvent' },
);
export type AuditEvent = Static<typeof AuditEvent>;

export const AUDIT_PAGE_MAX = 200;
/** The CSV export's ceiling: the newest rows that match, at most this many. */
export const AUDIT_EXPORT_MAX = 100_000;
/** A page cursor: the last row's instant and id (`<ms>.<id>`), opaque to clients. */
export const AUDIT_CURSOR_PATTERN = '^[0-9]{1,15}\\.[0-9]{1,15}$';

const auditFilters = {
  userId: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Events this person did or that were done to them' })),
  type: Type.Optional(AuditEventTypeSchema),
  from: Type.Optional(IsoDateTime),
  to: Type.Optional(IsoDateTime),
};

export const AuditQuery = Type.Object(
  {
    ...auditFilters,
    before: Type.Optional(Type.String({ pattern: AUDIT_CURSOR_PATTERN })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: AUDIT_PAGE_MAX, default: 50 })),
  },
  { additionalProperties: false },
);
export type AuditQuery = Static<typeof AuditQuery>;

export const AuditExportQuery = Type.Object(auditFilters, { additionalProperties: false });
export type AuditExportQuery = Static<typeof AuditExportQuery>;

export const AuditPage = Type.Object({
  events: Type.Array(Type.Ref('AuditEvent')),
  nextBefore: Type.Union([Type.String(), Type.Null()]),
});
export type AuditPage = { events: AuditEvent[]; nextBefore: string | null };
