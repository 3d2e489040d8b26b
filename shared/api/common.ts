import { Type, type Static, type TLiteral, type TUnion } from '@sinclair/typebox';
import { ERROR_CODES, END_REASONS } from '../errors.js';

/** A schema accepting exactly the given values, typed as their union. */
export function literalUnion<const T extends readonly (string | number)[]>(
  values: T,
  options?: Parameters<typeof Type.Union>[1],
): TUnion<{ -readonly [K in keyof T]: TLiteral<T[K]> }> {
  return Type.Union(values.map((v) => Type.Literal(v)), options) as never;
}

export const IsoDateTime = Type.String({ format: 'date-time', description: 'ISO-8601 instant, UTC' });

export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: literalUnion(ERROR_CODES),
      message: Type.String(),
      reason: Type.Optional(literalUnion(END_REASONS)),
    }),
  },
  { $id: 'ErrorResponse', description: 'Every error the API answers with has this shape.' },
);

export const RevokedCount = Type.Object({ revoked: Type.Integer({ minimum: 0 }) });
export type RevokedCount = Static<typeof RevokedCount>;

export const Ok = Type.Object({ ok: Type.Literal(true) });
