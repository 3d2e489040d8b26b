import { Type, type Static } from '@sinclair/typebox';
import { IsoDateTime, literalUnion } from './common.js';
import type { SessionLocation } from './events.js';

export const CLIENT_KINDS = ['web', 'desktop'] as const;
export type ClientKind = (typeof CLIENT_KINDS)[number];
export const ClientKindSchema = literalUnion(CLIENT_KINDS);

const NullableText = Type.Union([Type.String(), Type.Null()]);

/** Where a session is: the shape of SessionLocation (shared/api/events.ts), as a schema. */
export const SessionLocationSchema = Type.Object(
  { city: NullableText, region: NullableText, country: NullableText, countryCode: NullableText },
  { description: 'Approximate, from an offline IP-to-city database; null for private, loopback and unknown addresses' },
);
// The schema and the event type must not drift apart.
const _sameShape: [Static<typeof SessionLocationSchema>, SessionLocation] extends [SessionLocation, Static<typeof SessionLocationSchema>] ? true : never = true;
void _sameShape;

/** One signed-in device, as every list of sessions shows it. Never carries a secret. */
export const Session = Type.Object(
  {
    id: Type.String(),
    clientKind: ClientKindSchema,
    label: Type.String({ description: 'e.g. "Chrome 120, macOS" or a desktop\'s device name; falls back to the client kind' }),
    browser: Type.Union([Type.String(), Type.Null()]),
    os: Type.Union([Type.String(), Type.Null()]),
    ip: Type.String({ description: 'The IP the session signed in from' }),
    lastIp: Type.String({ description: 'The IP it was last seen from (updated at most once a minute, with lastSeenAt)' }),
    location: Type.Union([SessionLocationSchema, Type.Null()], { description: 'Where lastIp is, approximately; null for private, loopback and unknown addresses' }),
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
