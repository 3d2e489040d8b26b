import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { amountForMinutes, amountForMs, percentOf } from './money.js';
import { DEFAULT_ROUNDING, ROUNDING_INCREMENTS, ROUNDING_MODES, billingUnits, effectiveRounding, roundMinutes, totalOf, type BillableEntry, type RoundingRule } from './rounding.js';

const MIN = 60_000;
const S = 1_000;

describe('roundMinutes', () => {
  it.each([
    // raw, increment, mode, billable minutes
    [47 * S, 1, 'nearest', 1],
    [29 * S, 1, 'nearest', 0],
    [30 * S, 1, 'nearest', 1],
    [47 * S, 6, 'up', 6],
    [47 * S, 6, 'down', 0],
    [47 * S, 6, 'nearest', 0],
    [3 * MIN, 6, 'nearest', 6],
    [3 * MIN - 1, 6, 'nearest', 0],
    [7 * MIN, 15, 'nearest', 0],
    [7 * MIN + 30 * S, 15, 'nearest', 15],
    [16 * MIN, 15, 'up', 30],
    [29 * MIN, 15, 'down', 15],
    [61 * MIN, 10, 'up', 70],
    [65 * MIN, 10, 'nearest', 70],
    [64 * MIN, 10, 'nearest', 60],
    [45 * MIN, 30, 'nearest', 60],
    [44 * MIN, 30, 'nearest', 30],
    [90 * MIN, 30, 'up', 90],
    [90 * MIN, 30, 'down', 90],
    [0, 15, 'up', 0],
  ] as const)('%i ms, %i min %s → %i', (raw, incrementMinutes, mode, minutes) => {
    expect(roundMinutes(raw, { incrementMinutes, mode })).toBe(minutes);
  });

  it('is a multiple of the increment, within one increment of the raw time, and ordered down ≤ nearest ≤ up', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 48 * 60 * MIN }), fc.constantFrom(...ROUNDING_INCREMENTS), (raw, inc) => {
        const [down, nearest, up] = (['down', 'nearest', 'up'] as const).map((mode) => roundMinutes(raw, { incrementMinutes: inc, mode }));
        for (const m of [down, nearest, up]) {
          expect(m! % inc).toBe(0);
          expect(Math.abs(m! * MIN - raw)).toBeLessThanOrEqual(inc * MIN);
        }
        expect(down!).toBeLessThanOrEqual(nearest!);
        expect(nearest!).toBeLessThanOrEqual(up!);
        expect(down! * MIN).toBeLessThanOrEqual(raw);
        expect(up! * MIN).toBeGreaterThanOrEqual(raw);
      }),
    );
  });

  it('refuses a negative or non-finite duration', () => {
    expect(() => roundMinutes(-1, DEFAULT_ROUNDING)).toThrow(RangeError);
    expect(() => roundMinutes(Number.NaN, DEFAULT_ROUNDING)).toThrow(RangeError);
  });
});

describe('money', () => {
  it('rounds half up to the cent once', () => {
    expect(amountForMinutes(1, 150_00)).toBe(250); // 2.50
    expect(amountForMinutes(1, 1_00)).toBe(2); // 1.666… → 2
    expect(amountForMinutes(1, 90)).toBe(2); // 1.5 → 2 (half up)
    expect(amountForMinutes(1, 89)).toBe(1); // 1.483…
    expect(amountForMinutes(0, 150_00)).toBe(0);
    expect(amountForMs(30 * MIN, 100_00)).toBe(50_00);
    expect(amountForMs(47 * S, 94_25)).toBe(123); // the issue's £1.23
  });
  it('percentages round once, half away from zero', () => {
    expect(percentOf(10_00, 20)).toBe(2_00);
    expect(percentOf(10_05, 10)).toBe(1_01); // 100.5 → 101
    expect(percentOf(-10_05, 10)).toBe(-1_01);
    expect(percentOf(12_345, 7.5)).toBe(926); // 925.875
  });
});

describe('billingUnits', () => {
  const e = (id: string, rawMs: number, over: Partial<BillableEntry> = {}): BillableEntry => ({
    id,
    userId: 'u1',
    clientId: 'c1',
    matterId: 'm1',
    day: '2026-12-01',
    rawMs,
    hourlyRateCents: 120_00,
    ...over,
  });
  const byEntry: RoundingRule = { incrementMinutes: 6, mode: 'up', scope: 'entry' };
  const byDay: RoundingRule = { incrementMinutes: 6, mode: 'up', scope: 'day-per-matter' };
  const entries = [e('a', 47 * S), e('b', 2 * MIN), e('c', 4 * MIN), e('d', 1 * MIN, { day: '2026-12-02' }), e('x', 1 * MIN, { matterId: 'm2' }), e('y', 1 * MIN, { userId: 'u2' })];

  it('per entry: every entry is its own unit, rounded up to 6 minutes', () => {
    const units = billingUnits(entries, byEntry);
    expect(units.map((u) => u.billableMinutes)).toEqual([6, 6, 6, 6, 6, 6]);
    expect(units.map((u) => u.amountCents)).toEqual([12_00, 12_00, 12_00, 12_00, 12_00, 12_00]);
    expect(totalOf(units)).toEqual({ rawMs: 47 * S + 9 * MIN, billableMinutes: 36, amountCents: 72_00 });
  });

  it("per day per matter: a person's day on one matter is one unit, rounded once; other days, matters and people apart", () => {
    const units = billingUnits(entries, byDay);
    expect(units.map((u) => [u.entryIds, u.billableMinutes, u.amountCents])).toEqual([
      [['a', 'b', 'c'], 12, 24_00], // 6:47 → 12
      [['d'], 6, 12_00],
      [['x'], 6, 12_00],
      [['y'], 6, 12_00],
    ]);
    expect(totalOf(units).amountCents).toBe(60_00);
  });

  it('different rates on one day and matter are separate units (each unit has one rate)', () => {
    const units = billingUnits([e('a', 10 * MIN), e('b', 10 * MIN, { hourlyRateCents: 100_00 })], byDay);
    expect(units).toHaveLength(2);
  });

  it('every mode and scope: a total is the sum of rounded unit amounts, and units cover every entry once', () => {
    const entryArb = fc.record({
      userId: fc.constantFrom('u1', 'u2'),
      matterId: fc.constantFrom('m1', 'm2', null),
      day: fc.constantFrom('2026-12-01', '2026-12-02'),
      rawMs: fc.integer({ min: 1, max: 10 * 60 * MIN }),
      hourlyRateCents: fc.constantFrom(0, 99_99, 150_00),
    });
    fc.assert(
      fc.property(
        fc.array(entryArb, { maxLength: 30 }),
        fc.constantFrom(...ROUNDING_INCREMENTS),
        fc.constantFrom(...ROUNDING_MODES),
        fc.constantFrom('entry' as const, 'day-per-matter' as const),
        (raw, incrementMinutes, mode, scope) => {
          const list = raw.map((r, i) => ({ ...r, id: `e${i}`, clientId: 'c1' }));
          const units = billingUnits(list, { incrementMinutes, mode, scope });
          expect(units.flatMap((u) => u.entryIds).sort()).toEqual(list.map((x) => x.id).sort());
          for (const u of units) {
            expect(u.billableMinutes).toBe(roundMinutes(u.rawMs, { incrementMinutes, mode }));
            expect(u.amountCents).toBe(amountForMinutes(u.billableMinutes, u.hourlyRateCents));
          }
          expect(totalOf(units).amountCents).toBe(units.reduce((s, u) => s + u.amountCents, 0));
        },
      ),
    );
  });

  it("a matter's own rule overrides its client's", () => {
    expect(effectiveRounding(DEFAULT_ROUNDING, null)).toBe(DEFAULT_ROUNDING);
    expect(effectiveRounding(DEFAULT_ROUNDING, byDay)).toBe(byDay);
  });
});
