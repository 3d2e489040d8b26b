import { Type, type Static } from '@sinclair/typebox';
import { IsoDateTime, NullableIsoDateTime, literalUnion } from './common.js';
import { RateCents, RoundingRule, Uuid } from './time.js';

export { RoundingRule };
import { RATE_LEVELS } from '../billing/rates.js';

/**
 * Billing set-up (issue #14 items 1-3): matters under a client, the
 * workspace's activity codes, the rate hierarchy and rounding rules. Money is
 * integer cents in the client's currency.
 */

export const MATTER_CODE_MAX = 40;
export const MATTER_NAME_MAX = 200;
export const ACTIVITY_NAME_MAX = 100;
export const BILLING_TYPES = ['hourly', 'fixed'] as const;
export type BillingType = (typeof BILLING_TYPES)[number];
/** A budget of at most 100,000 hours or 1,000,000,000.00: far above any engagement, and keeps sums exact. */
export const BUDGET_MINUTES_MAX = 6_000_000;
export const AMOUNT_MAX_CENTS = 100_000_000_000;

export const Budget = Type.Union(
  [
    Type.Object({ minutes: Type.Integer({ minimum: 1, maximum: BUDGET_MINUTES_MAX }) }, { additionalProperties: false }),
    Type.Object({ amountCents: Type.Integer({ minimum: 1, maximum: AMOUNT_MAX_CENTS }) }, { additionalProperties: false }),
    Type.Null(),
  ],
  { description: 'Hours (as minutes) or an amount, or none' },
);
export type Budget = Static<typeof Budget>;

export const Matter = Type.Object({
  id: Type.String(),
  clientId: Type.String(),
  code: Type.String(),
  name: Type.String(),
  billingType: literalUnion(BILLING_TYPES),
  fixedFeeCents: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
  budget: Budget,
  rounding: Type.Union([RoundingRule, Type.Null()], { description: "The matter's own rule; null: its client's applies" }),
  closed: Type.Boolean(),
  closedAt: NullableIsoDateTime(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export type Matter = Static<typeof Matter>;

export const MatterList = Type.Object({ matters: Type.Array(Matter) });
export type MatterList = Static<typeof MatterList>;

export const MatterQuery = Type.Object(
  { clientId: Type.Optional(Uuid), includeClosed: Type.Optional(Type.Boolean({ default: true })) },
  { additionalProperties: false },
);
export type MatterQuery = Static<typeof MatterQuery>;

const MatterCode = Type.String({ minLength: 1, maxLength: MATTER_CODE_MAX, description: 'Unique per client (case ignored), e.g. TAX-2026' });
const MatterName = Type.String({ minLength: 1, maxLength: MATTER_NAME_MAX });

export const CreateMatterRequest = Type.Object(
  {
    clientId: Uuid,
    code: MatterCode,
    name: MatterName,
    billingType: Type.Optional(literalUnion(BILLING_TYPES, { default: 'hourly' })),
    fixedFeeCents: Type.Optional(Type.Union([Type.Integer({ minimum: 0, maximum: AMOUNT_MAX_CENTS }), Type.Null()])),
    budget: Type.Optional(Budget),
    rounding: Type.Optional(Type.Union([RoundingRule, Type.Null()])),
  },
  { additionalProperties: false },
);
export type CreateMatterRequest = Static<typeof CreateMatterRequest>;

export const UpdateMatterRequest = Type.Object(
  {
    code: Type.Optional(MatterCode),
    name: Type.Optional(MatterName),
    billingType: Type.Optional(literalUnion(BILLING_TYPES)),
    fixedFeeCents: Type.Optional(Type.Union([Type.Integer({ minimum: 0, maximum: AMOUNT_MAX_CENTS }), Type.Null()])),
    budget: Type.Optional(Budget),
    rounding: Type.Optional(Type.Union([RoundingRule, Type.Null()])),
    closed: Type.Optional(Type.Boolean({ description: 'Closing refuses new entries, except work that started before it closed' })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateMatterRequest = Static<typeof UpdateMatterRequest>;

export const IdParams = Type.Object({ id: Uuid });

export const Activity = Type.Object({
  id: Type.String(),
  name: Type.String(),
  archived: Type.Boolean(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export type Activity = Static<typeof Activity>;

export const ActivityList = Type.Object({ activities: Type.Array(Activity) });
export type ActivityList = Static<typeof ActivityList>;

export const CreateActivityRequest = Type.Object({ name: Type.String({ minLength: 1, maxLength: ACTIVITY_NAME_MAX }) }, { additionalProperties: false });
export type CreateActivityRequest = Static<typeof CreateActivityRequest>;

export const UpdateActivityRequest = Type.Object(
  { name: Type.Optional(Type.String({ minLength: 1, maxLength: ACTIVITY_NAME_MAX })), archived: Type.Optional(Type.Boolean()) },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateActivityRequest = Static<typeof UpdateActivityRequest>;

/** One rate of the hierarchy other than a client's own (that one is the client's `hourlyRateCents`). */
export const Rate = Type.Object({
  level: literalUnion(RATE_LEVELS),
  userId: Type.Union([Type.String(), Type.Null()]),
  clientId: Type.Union([Type.String(), Type.Null()]),
  matterId: Type.Union([Type.String(), Type.Null()]),
  hourlyRateCents: Type.Integer({ minimum: 0 }),
  updatedAt: IsoDateTime,
});
export type Rate = Static<typeof Rate>;

export const RateList = Type.Object({ rates: Type.Array(Rate) });
export type RateList = Static<typeof RateList>;

export const RateQuery = Type.Object({ clientId: Type.Optional(Uuid) }, { additionalProperties: false, description: "Without clientId: the members' default rates" });
export type RateQuery = Static<typeof RateQuery>;

export const SetRateRequest = Type.Object(
  {
    userId: Type.Optional(Type.Union([Uuid, Type.Null()])),
    clientId: Type.Optional(Type.Union([Uuid, Type.Null()])),
    matterId: Type.Optional(Type.Union([Uuid, Type.Null()])),
    hourlyRateCents: Type.Union([RateCents, Type.Null()], { description: 'null removes the rate (the next level applies)' }),
  },
  {
    additionalProperties: false,
    description:
      'Which level: userId + matterId (member on matter), matterId (matter), userId + clientId (member for client), userId alone (member default). ' +
      "The client's own rate is PATCH /clients/{id}. Applies to entries made from now on; entries keep their snapshotted rate.",
  },
);
export type SetRateRequest = Static<typeof SetRateRequest>;

export const SetRateResponse = Type.Object({ rate: Type.Union([Rate, Type.Null()]) });
export type SetRateResponse = Static<typeof SetRateResponse>;
