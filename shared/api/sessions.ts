import { Type, type Static } from '@sinclair/typebox';
import { IsoDateTime, literalUnion } from './common.js';
import type { SessionLocation } from './events.js';

export const CLIENT_KINDS = ['web', 'desktop'] as const;
export type ClientKind = (typeof CLIENT_KINDS)[number];
export const ClientKindSchema = literalUnion(CLIENT_KINDS);

/**
 * Where a session's label came from: the name the desktop app reported for
 * its device (`device`: whatever the device says, so shown as reported), the
 * browser's User-Agent (`user-agent`), or neither (`kind`: "web"/"desktop").
 */
export const LABEL_SOURCES = ['device', 'user-agent', 'kind'] as const;
export type LabelSource = (typeof LABEL_SOURCES)[number];
const nullableText = { type: ['string', 'null'] } as const;

/**
 * Where a session is (SessionLocation, shared/api/events.ts), or null: one
 * nullable object (`type: ['object', 'null']`) rather than a union, so that
 * the response serializer writes it without validating every row against
 * each branch (a union costs a schema check per row of every list).
 */
export const NullableSessionLocation = Type.Unsafe<SessionLocation | null>({
  type: ['object', 'null'],
  properties: { city: nullableText, region: nullableText, country: nullableText, countryCode: nullableText },
  required: ['city', 'region', 'country', 'countryCode'],
  additionalProperties: false,
  description: 'Approximate, from an offline IP-to-city database; null for private, loopback and unknown addresses',
});

/** One signed-in device, as every list of sessions shows it. Never carries a secret. */
export const Session = Type.Object(
  {
    id: Type.String(),
    clientKind: ClientKindSchema,
    label: Type.String({ description: 'e.g. "Chrome 120, macOS" or a desktop\'s device name; falls back to the client kind' }),
    labelSource: literalUnion(LABEL_SOURCES, { description: 'device: the name the desktop reported (unverified); user-agent: parsed from the browser; kind: neither was available' }),
    browser: Type.Union([Type.String(), Type.Null()]),
    os: Type.Union([Type.String(), Type.Null()]),
    ip: Type.String({ description: 'The IP the session signed in from' }),
    lastIp: Type.String({ description: 'The IP it was last seen from (updated at most once a minute, with lastSeenAt)' }),
    location: NullableSessionLocation,
    createdAt: IsoDateTime,
    lastSeenAt: IsoDateTime,
    isCurrent: Type.Boolean(),
  },
  { $id: 'Session' },
);
export type Session = Static<typeof Session>;

export const SessionList = Type.Object({ sessions: Type.Array(Type.Ref('Session')) });
export type SessionList = { sessions: Session[] };

export const SessionIdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });

export const RevokeOthersResponse = Type.Object({
  revoked: Type.Integer({ minimum: 0, description: 'Sessions signed out' }),
  apiTokens: Type.Integer({
    minimum: 0,
    description: 'Your API tokens that still work: "sign out everywhere else" leaves them running (manage them in your profile)',
  }),
});
export type RevokeOthersResponse = Static<typeof RevokeOthersResponse>;
