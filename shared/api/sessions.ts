import { Type, type Static } from '@sinclair/typebox';
import { IsoDateTime, literalUnion } from './common.js';

export const CLIENT_KINDS = ['web', 'desktop'] as const;
export type ClientKind = (typeof CLIENT_KINDS)[number];
export const ClientKindSchema = literalUnion(CLIENT_KINDS);

/** One signed-in device, as every list of sessions shows it. Never carries a secret. */
export const Session = Type.Object(
  {
    id: Type.String(),
    clientKind: ClientKindSchema,
    label: Type.String({ description: 'e.g. "Chrome 120, macOS" or a desktop\'s device name; falls back to the client kind' }),
    browser: Type.Union([Type.String(), Type.Null()]),
    os: Type.Union([Type.String(), Type.Null()]),
    ip: Type.String({ description: 'The IP the session signed in from' }),
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
