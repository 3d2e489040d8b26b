import { Type, type Static } from '@sinclair/typebox';
import { IsoDateTime } from './common.js';

export const API_TOKEN_PREFIX = 'tab_pat_';

export const CreateApiTokenRequest = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
  },
  { additionalProperties: false },
);
export type CreateApiTokenRequest = Static<typeof CreateApiTokenRequest>;

export const ApiToken = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    createdAt: IsoDateTime,
    expiresAt: Type.Union([IsoDateTime, Type.Null()]),
    lastUsedAt: Type.Union([IsoDateTime, Type.Null()]),
  },
  { $id: 'ApiToken' },
);
export type ApiToken = Static<typeof ApiToken>;

export const CreatedApiToken = Type.Object({
  id: Type.String(),
  name: Type.String(),
  token: Type.String({ description: `Shown once; starts with ${API_TOKEN_PREFIX}` }),
  createdAt: IsoDateTime,
  expiresAt: Type.Union([IsoDateTime, Type.Null()]),
});
export type CreatedApiToken = Static<typeof CreatedApiToken>;

export const ApiTokenList = Type.Object({ tokens: Type.Array(Type.Ref('ApiToken')) });
export type ApiTokenList = { tokens: ApiToken[] };
