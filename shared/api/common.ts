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

/**
 * An instant or null, for RESPONSE schemas: one nullable string
 * (`type: ['string', 'null']`) rather than a union, so the response serializer
 * writes it without validating every row against each branch (a union costs a
 * date-time format check per field per row of every list). Request schemas keep
 * `Type.Union([IsoDateTime, Type.Null()])`: the desktop checks those with
 * TypeBox's Value.Check, which does not know unsafe schemas.
 */
export const NullableIsoDateTime = (options: { description?: string } = {}) =>
  Type.Unsafe<string | null>({ type: ['string', 'null'], format: 'date-time', description: options.description ?? 'ISO-8601 instant, UTC, or null' });

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
