import { Type, type Static } from '@sinclair/typebox';
import { IsoDateTime, literalUnion } from './common.js';
import { ReauthFields } from './mfa.js';

export const API_TOKEN_PREFIX = 'tab_pat_';

/**
 * What an API token may do. Every data route (`auth: 'any'`) declares one:
 * - `time:read`: `GET /me`, clients, entries, the dashboard, the timer's state;
 * - `time:write`: entry and timer writes;
 * - `reports:read`: reports and the CSV export (later invoices and WIP);
 * - `billing:write`: mark-billed, client and rate changes (later invoices).
 * A token never does more than its user's role allows either. Sessions,
 * tokens, admin and events refuse tokens whatever their scopes.
 */
export const API_TOKEN_SCOPES = ['time:read', 'time:write', 'reports:read', 'billing:write'] as const;
export type ApiTokenScope = (typeof API_TOKEN_SCOPES)[number];
export const ApiTokenScopeSchema = literalUnion(API_TOKEN_SCOPES);

export const API_TOKEN_NAME_MAX = 100;

const Scopes = Type.Array(ApiTokenScopeSchema, {
  minItems: 1,
  maxItems: API_TOKEN_SCOPES.length,
  uniqueItems: true,
  description: 'What the token may do; at most what your role allows in any case',
});

export const CreateApiTokenRequest = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: API_TOKEN_NAME_MAX }),
    scopes: Scopes,
    expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
    currentPassword: Type.Optional(
      Type.String({ minLength: 1, maxLength: 1024, description: 'Your password (with `code` when you have two-factor), unless you give `reauthGrant`: a stolen session alone cannot mint a token' }),
    ),
    ...ReauthFields,
  },
  { additionalProperties: false },
);
export type CreateApiTokenRequest = Static<typeof CreateApiTokenRequest>;

export const ApiToken = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    scopes: Type.Array(ApiTokenScopeSchema),
    createdAt: IsoDateTime,
    expiresAt: Type.Union([IsoDateTime, Type.Null()]),
    lastUsedAt: Type.Union([IsoDateTime, Type.Null()], { description: 'Moves at most once a minute' }),
  },
  { $id: 'ApiToken' },
);
export type ApiToken = Static<typeof ApiToken>;

export const CreatedApiToken = Type.Object({
  id: Type.String(),
  name: Type.String(),
  token: Type.String({ description: `Shown once; starts with ${API_TOKEN_PREFIX}` }),
  scopes: Type.Array(ApiTokenScopeSchema),
  createdAt: IsoDateTime,
  expiresAt: Type.Union([IsoDateTime, Type.Null()]),
});
export type CreatedApiToken = Static<typeof CreatedApiToken>;

export const ApiTokenList = Type.Object({ tokens: Type.Array(Type.Ref('ApiToken')) });
export type ApiTokenList = { tokens: ApiToken[] };

export const ApiTokenIdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });
export const MemberApiTokenParams = Type.Object({
  userId: Type.String({ minLength: 1, maxLength: 100 }),
  id: Type.String({ minLength: 1, maxLength: 100 }),
});

/** Scopes as stored: space-separated, in the canonical order. */
export function scopesToText(scopes: readonly ApiTokenScope[]): string {
  return API_TOKEN_SCOPES.filter((s) => scopes.includes(s)).join(' ');
}
export function scopesFromText(text: string): ApiTokenScope[] {
  const words = text.split(' ');
  return API_TOKEN_SCOPES.filter((s) => words.includes(s));
}
