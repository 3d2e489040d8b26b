import { Type, type Static } from '@sinclair/typebox';
import { IsoDateTime, literalUnion } from './common.js';
import { RoleSchema } from './auth.js';

export const Member = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    email: Type.String(),
    role: RoleSchema,
    disabled: Type.Boolean(),
    activeSessions: Type.Integer({ minimum: 0 }),
    lastSeenAt: Type.Union([IsoDateTime, Type.Null()]),
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
  { password: Type.String({ minLength: 1, maxLength: 1024 }) },
  { additionalProperties: false },
);
export type RevokeAllRequest = Static<typeof RevokeAllRequest>;

export const INACTIVITY_TIMEOUT_MINUTES = [30, 60, 480, 1440, 10080, 43200] as const;
export const ABSOLUTE_TIMEOUT_DAYS = [1, 7, 30, 90] as const;
export const MAX_CONCURRENT_SESSIONS_LIMIT = 100;

export const SessionPolicy = Type.Object(
  {
    inactivityTimeoutMinutes: literalUnion(INACTIVITY_TIMEOUT_MINUTES),
    absoluteTimeoutDays: literalUnion(ABSOLUTE_TIMEOUT_DAYS),
    maxConcurrentSessions: Type.Union([
      Type.Null(),
      Type.Integer({ minimum: 1, maximum: MAX_CONCURRENT_SESSIONS_LIMIT }),
    ]),
  },
  { $id: 'SessionPolicy', additionalProperties: false },
);
export type SessionPolicy = Static<typeof SessionPolicy>;

export const DEFAULT_SESSION_POLICY: SessionPolicy = {
  inactivityTimeoutMinutes: 10080,
  absoluteTimeoutDays: 30,
  maxConcurrentSessions: null,
};

export const AUDIT_EVENT_TYPES = [
  'sign_in',
  'sign_in_failed',
  'sign_out',
  'session_revoked',
  'sessions_revoked_others',
  'workspace_sessions_revoked',
  'session_expired',
  'session_limit_revoked',
  'policy_changed',
  'member_disabled',
  'member_enabled',
  'password_changed',
  'api_token_created',
  'api_token_revoked',
  'reauth_failed',
  'token_reuse_detected',
] as const;
export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];

export const AuditEvent = Type.Object(
  {
    id: Type.String({ description: 'Opaque, increasing; pass as `before` to page' }),
    type: literalUnion(AUDIT_EVENT_TYPES),
    at: IsoDateTime,
    actorUserId: Type.Union([Type.String(), Type.Null()]),
    targetUserId: Type.Union([Type.String(), Type.Null()]),
    sessionId: Type.Union([Type.String(), Type.Null()]),
    ip: Type.Union([Type.String(), Type.Null()]),
    detail: Type.Record(Type.String(), Type.Unknown()),
  },
  { $id: 'AuditEvent' },
);
export type AuditEvent = Static<typeof AuditEvent>;

export const AUDIT_PAGE_MAX = 200;
export const AuditQuery = Type.Object(
  {
    userId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    type: Type.Optional(literalUnion(AUDIT_EVENT_TYPES)),
    before: Type.Optional(Type.String({ pattern: '^[0-9]{1,15}$' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: AUDIT_PAGE_MAX, default: 50 })),
  },
  { additionalProperties: false },
);
export type AuditQuery = Static<typeof AuditQuery>;

export const AuditPage = Type.Object({
  events: Type.Array(Type.Ref('AuditEvent')),
  nextBefore: Type.Union([Type.String(), Type.Null()]),
});
export type AuditPage = { events: AuditEvent[]; nextBefore: string | null };
