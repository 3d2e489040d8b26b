import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RATE_LEVELS, clientRateCandidate, resolveRate } from './rates.js';

describe('resolveRate', () => {
  const all = { 'member-on-matter': 50_00, matter: 40_00, 'member-for-client': 30_00, client: 20_00, 'member-default': 10_00 };

  it.each([
    [all, 50_00, 'member-on-matter'],
    [{ ...all, 'member-on-matter': null }, 40_00, 'matter'],
    [{ ...all, 'member-on-matter': null, matter: null }, 30_00, 'member-for-client'],
    [{ client: 20_00, 'member-default': 10_00 }, 20_00, 'client'],
    [{ client: null, 'member-default': 10_00 }, 10_00, 'member-default'],
    [{}, 0, 'none'],
    // A level set to 0 is a rate (pro bono on one matter), not "no rate".
    [{ matter: 0, client: 20_00 }, 0, 'matter'],
  ] as const)('%j → %i from %s', (candidates, cents, level) => {
    expect(resolveRate(candidates)).toEqual({ hourlyRateCents: cents, level });
  });

  it('the most specific level present always wins', () => {
    fc.assert(
      fc.property(fc.array(fc.option(fc.integer({ min: 0, max: 10_000_00 }), { nil: null }), { minLength: 5, maxLength: 5 }), (values) => {
        const candidates = Object.fromEntries(RATE_LEVELS.map((level, i) => [level, values[i]]));
        const first = values.findIndex((v) => v !== null);
        expect(resolveRate(candidates)).toEqual(first < 0 ? { hourlyRateCents: 0, level: 'none' } : { hourlyRateCents: values[first], level: RATE_LEVELS[first] });
      }),
    );
  });

  it("a client's 0 means it has no rate of its own", () => {
    expect(clientRateCandidate(0)).toBeNull();
    expect(clientRateCandidate(150_00)).toBe(150_00);
  });
});
