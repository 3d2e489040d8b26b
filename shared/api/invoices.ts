import { Type, type Static } from '@sinclair/typebox';
import { IsoDateTime, NullableIsoDateTime, literalUnion } from './common.js';
import { CurrencyCode, Uuid } from './time.js';

/**
 * Invoices, WIP and realization (issue #14 items 4, 5). Money is integer
 * cents of the invoice's currency (the client's); a percentage is in basis
 * points (1000 = 10.00 %). An adjustment > 0 is a write-up, < 0 a
 * write-down, and always carries a reason.
 */

export const INVOICE_STATUSES = ['draft', 'issued', 'void'] as const;
export const ADJUSTMENT_KINDS = ['amount', 'percent'] as const;
/** A draft covers at most this many days (a year and a bit: an annual engagement billed late). */
export const INVOICE_PERIOD_MAX_DAYS = 400;
/** Adjustments stay within ± this many cents (ten million units) and ± 100 %. */
export const ADJUSTMENT_AMOUNT_MAX = 1_000_000_000;
export const ADJUSTMENT_PERCENT_MAX_BP = 10_000;

const CivilDateString = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' });

export const AdjustmentInput = Type.Object(
  {
    kind: literalUnion(ADJUSTMENT_KINDS),
    value: Type.Integer({
      minimum: -ADJUSTMENT_AMOUNT_MAX,
      maximum: ADJUSTMENT_AMOUNT_MAX,
      description: 'Cents for `amount`; basis points for `percent` (-10000 to 10000); > 0 writes up, < 0 writes down',
    }),
    reason: Type.String({ minLength: 1, maxLength: 500 }),
  },
  { additionalProperties: false },
);
export type AdjustmentInput = Static<typeof AdjustmentInput>;

export const CreateDraftRequest = Type.Object(
  {
    clientId: Uuid,
    firstDay: CivilDateString,
    lastDay: CivilDateString,
    matterIds: Type.Optional(Type.Array(Uuid, { maxItems: 100, description: "Only these matters' work (empty or left out: all of the client's)" })),
    notes: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
export type CreateDraftRequest = Static<typeof CreateDraftRequest>;

export const UpdateDraftRequest = Type.Object(
  {
    /** null removes the total's adjustment. */
    adjustment: Type.Optional(Type.Union([AdjustmentInput, Type.Null()])),
    lineAdjustments: Type.Optional(
      Type.Array(
        Type.Object({ position: Type.Integer({ minimum: 1 }), adjustment: Type.Union([AdjustmentInput, Type.Null()]) }, { additionalProperties: false }),
        { maxItems: 1000 },
      ),
    ),
    taxRateBp: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
    notes: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateDraftRequest = Static<typeof UpdateDraftRequest>;

export const IssueRequest = Type.Object(
  { dueDate: Type.Optional(CivilDateString) },
  { additionalProperties: false },
);
export const VoidRequest = Type.Object({ reason: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false });
export const PaidRequest = Type.Object({ paidOn: CivilDateString }, { additionalProperties: false });
export const InvoiceIdParams = Type.Object({ id: Uuid });
export const InvoiceListQuery = Type.Object(
  { status: Type.Optional(literalUnion(INVOICE_STATUSES)), clientId: Type.Optional(Uuid) },
  { additionalProperties: false },
);

const Adjustment = Type.Union([AdjustmentInput, Type.Null()]);

export const InvoiceLine = Type.Object({
  position: Type.Integer(),
  matterId: Type.Union([Type.String(), Type.Null()]),
  activityId: Type.Union([Type.String(), Type.Null()]),
  description: Type.String(),
  rateCents: Type.Integer(),
  entries: Type.Integer(),
  minutes: Type.Number({ description: 'Exact minutes of the entries (raw time)' }),
  hours: Type.Number({ description: 'Raw hours, two decimals' }),
  billableMinutes: Type.Integer({ description: 'Billed minutes after the rounding rule: amount = billed minutes × rate per billing unit' }),
  billableHours: Type.Number({ description: 'Billed hours, two decimals' }),
  standardCents: Type.Integer({ description: 'WIP value: raw time × rate, rounded per entry' }),
  amountCents: Type.Integer({ description: 'Billed before adjustment: rounded once per billing unit' }),
  adjustment: Adjustment,
  adjustmentCents: Type.Integer(),
  totalCents: Type.Integer(),
  entryIds: Type.Array(Type.String()),
});
export type InvoiceLine = Static<typeof InvoiceLine>;

export const InvoiceSummary = Type.Object({
  id: Type.String(),
  status: literalUnion(INVOICE_STATUSES),
  number: Type.Union([Type.String(), Type.Null()]),
  clientId: Type.String(),
  clientName: Type.String(),
  currency: CurrencyCode,
  firstDay: Type.String(),
  lastDay: Type.String(),
  matterIds: Type.Array(Type.String()),
  totalCents: Type.Integer(),
  issueDate: Type.Union([Type.String(), Type.Null()]),
  dueDate: Type.Union([Type.String(), Type.Null()]),
  paidOn: Type.Union([Type.String(), Type.Null()]),
  createdAt: IsoDateTime,
});
export type InvoiceSummary = Static<typeof InvoiceSummary>;

export const Invoice = Type.Composite([
  InvoiceSummary,
  Type.Object({
    standardCents: Type.Integer({ description: 'WIP value of the entries at raw time' }),
    roundingCents: Type.Integer({ description: 'Billed at rounded time minus WIP value' }),
    linesCents: Type.Integer({ description: 'Sum of the lines after their adjustments' }),
    adjustment: Adjustment,
    adjustmentCents: Type.Integer(),
    subtotalCents: Type.Integer(),
    taxLabel: Type.String(),
    taxRateBp: Type.Integer(),
    taxCents: Type.Integer(),
    realization: Type.Union([Type.Number(), Type.Null()], { description: 'Subtotal ÷ WIP value (null when the WIP value is 0)' }),
    notes: Type.String(),
    issuedAt: NullableIsoDateTime(),
    voidedAt: NullableIsoDateTime(),
    voidReason: Type.Union([Type.String(), Type.Null()]),
    leftOut: Type.Optional(Type.Object({
      running: Type.Integer({ description: 'Running timers of the client (issuing waits for them)' }),
      otherCurrency: Type.Integer(),
      unapproved: Type.Integer(),
    })),
    lines: Type.Array(InvoiceLine),
  }),
]);
export type Invoice = Static<typeof Invoice>;

export const InvoiceList = Type.Object({ invoices: Type.Array(InvoiceSummary) });
export type InvoiceList = Static<typeof InvoiceList>;

export const ClientTaxRequest = Type.Object(
  { rateBp: Type.Integer({ minimum: 0, maximum: 10_000 }), label: Type.String({ minLength: 1, maxLength: 40 }) },
  { additionalProperties: false },
);
export type ClientTaxRequest = Static<typeof ClientTaxRequest>;

const Buckets = Type.Object({
  days0to30: Type.Integer(),
  days31to60: Type.Integer(),
  days61to90: Type.Integer(),
  over90: Type.Integer(),
});

export const WipRow = Type.Object({
  clientId: Type.String(),
  clientName: Type.String(),
  matterId: Type.Union([Type.String(), Type.Null()]),
  currency: CurrencyCode,
  entries: Type.Integer(),
  hours: Type.Number(),
  totalCents: Type.Integer(),
  buckets: Buckets,
  oldestDay: Type.String({ description: 'Local date (workspace zone) of the oldest unbilled entry' }),
});
export type WipRow = Static<typeof WipRow>;

export const WipReport = Type.Object({
  today: Type.String({ description: "Today in the workspace's zone: ages count whole days back from it" }),
  rows: Type.Array(WipRow),
  totals: Type.Array(Type.Composite([Type.Object({ currency: CurrencyCode, totalCents: Type.Integer() }), Buckets])),
});
export type WipReport = Static<typeof WipReport>;

export const RealizationQuery = Type.Object(
  { firstDay: CivilDateString, lastDay: CivilDateString },
  { additionalProperties: false },
);
export const RealizationReport = Type.Object({
  rows: Type.Array(Type.Object({
    clientId: Type.String(),
    clientName: Type.String(),
    matterId: Type.Union([Type.String(), Type.Null()]),
    currency: CurrencyCode,
    invoices: Type.Integer(),
    standardCents: Type.Integer(),
    billedCents: Type.Integer(),
    realization: Type.Union([Type.Number(), Type.Null()]),
  })),
});
export type RealizationReport = Static<typeof RealizationReport>;
