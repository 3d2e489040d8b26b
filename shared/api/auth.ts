import { Type, type Static } from '@sinclair/typebox';
import { literalUnion } from './common.js';
import { ReauthFields } from './mfa.js';
import { ClientKindSchema, type Session } from './sessions.js';

export const ROLES = ['admin', 'manager', 'accountant'] as const;
export type Role = (typeof ROLES)[number];
export const RoleSchema = literalUnion(ROLES);

/** How times of day read: the reader's locale's habit, or always 12 h / 24 h. */
export const CLOCKS = ['auto', '12h', '24h'] as const;
export type Clock = (typeof CLOCKS)[number];
/** How dates read: the locale's habit, or day-month-year, month-day-year, year-month-day. */
export const DATE_FORMATS = ['auto', 'dmy', 'mdy', 'ymd'] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];

export const User = Type.Object(
  {
    id: Type.String(),
    email: Type.String(),
    name: Type.String(),
    role: RoleSchema,
    workspaceId: Type.String(),
    timeZone: Type.Optional(Type.String({ description: 'IANA time zone used for "today" and "this week" (on /api/v1/me only); change it with PATCH /api/v1/me' })),
    clock: Type.Optional(literalUnion(CLOCKS, { description: '12 h or 24 h times (on /api/v1/me only)' })),
    dateFormat: Type.Optional(literalUnion(DATE_FORMATS, { description: 'Order of day, month and year (on /api/v1/me only)' })),
  },
  { $id: 'User' },
);
export type User = Static<typeof User>;

export const DEVICE_NAME_MAX = 100;

export const LoginRequest = Type.Object(
  {
    email: Type.String({ minLength: 1, maxLength: 320 }),
    password: Type.String({ minLength: 1, maxLength: 1024 }),
    client: Type.Optional(ClientKindSchema),
    deviceName: Type.Optional(Type.String({ maxLength: DEVICE_NAME_MAX })),
  },
  { additionalProperties: false },
);
export type LoginRequest = Static<typeof LoginRequest>;

export const LoginResponse = Type.Object({
  token: Type.String({ description: 'JWT (HS256) carrying the session id in `sid`' }),
  user: Type.Ref('User'),
  session: Type.Ref('Session'),
});
export type LoginResponse = { token: string; user: User; session: Session };

export const RefreshResponse = Type.Object({
  token: Type.String({ description: 'A new access token (JWT, 15 minutes)' }),
  session: Type.Ref('Session'),
});
export type RefreshResponse = { token: string; session: Session };

export const MeResponse = Type.Object({
  user: Type.Ref('User'),
  session: Type.Union([Type.Ref('Session'), Type.Null()], {
    description: 'The current session; null when the caller uses an API token',
  }),
});
export type MeResponse = { user: User; session: Session | null };

export const PASSWORD_MIN = 10;
export const ChangePasswordRequest = Type.Object(
  {
    currentPassword: Type.Optional(Type.String({ minLength: 1, maxLength: 1024, description: 'Your password (with `code` when you have two-factor), unless you give `reauthGrant`' })),
    ...ReauthFields,
    newPassword: Type.String({ minLength: PASSWORD_MIN, maxLength: 1024 }),
    signOutOtherSessions: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type ChangePasswordRequest = Static<typeof ChangePasswordRequest>;

export const ChangePasswordResponse = Type.Object({ revoked: Type.Integer({ minimum: 0 }) });
export type ChangePasswordResponse = Static<typeof ChangePasswordResponse>;

/** The cookie that carries the opaque web session id. */
export const SESSION_COOKIE = 'tab_session';
export const SESSION_COOKIE_MAX_AGE_SECONDS = 604_800;
