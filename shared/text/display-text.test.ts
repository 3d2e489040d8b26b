import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanDisplayText } from './display-text.js';

const BIDI = ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u200e', '\u200f', '\u061c'];
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const FORBIDDEN = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;

/** Text with plenty of what the cleaner removes. */
const hostile = fc.array(
  fc.oneof(
    fc.string({ unit: 'grapheme', maxLength: 8 }),
    fc.constantFrom(...BIDI, '\u0000', '\u0007', '\u001b[31m', '\u007f', '\u0085', '\u009b', '\t', '\n', '\r\n', '\r', '\u2028', '\u2029', '\ud800', '\udfff', '  ', '👩‍💻', 'é'),
  ),
  { maxLength: 30 },
).map((parts) => parts.join(''));

describe('cleanDisplayText', () => {
  it.each([
    ['Ana\u202e\u2066s MacBook', 'Anas MacBook'],
    ['moc.elgoog\u202e', 'moc.elgoog'],
    ['line one\nline two\r\nthree', 'line one line two three'],
    ['  spaced\t\tout  ', 'spaced out'],
    ['bell\u0007 escape\u001b[2J', 'bell escape[2J'],
    ['C1\u009b31m', 'C131m'],
    ['lone \ud800 surrogate', 'lone surrogate'],
    ['family 👩‍👩‍👧 and naïve 日本語', 'family 👩‍👩‍👧 and naïve 日本語'],
    ['\u200f\u200e', ''],
  ])('%j → %j', (input, expected) => {
    expect(cleanDisplayText(input, 100)).toBe(expected);
  });

  it('keeps line breaks (as \\n) in multi-line text, and removes the rest', () => {
    expect(cleanDisplayText('a\r\nb\rc\u2028d\u202e\te', 100, { multiline: true })).toBe('a\nb\nc\nd e');
  });

  it('caps the length in code points without cutting a surrogate pair', () => {
    expect(cleanDisplayText('😀'.repeat(10), 3)).toBe('😀😀😀');
    expect(cleanDisplayText('abc def', 4)).toBe('abc');
  });

  it('random text: no control or bidi character survives, the cap holds, and cleaning again changes nothing', () => {
    fc.assert(
      fc.property(hostile, fc.integer({ min: 0, max: 40 }), fc.boolean(), (text, max, multiline) => {
        const once = cleanDisplayText(text, max, { multiline });
        expect(FORBIDDEN.test(once.replaceAll('\n', multiline ? '' : '\n'))).toBe(false);
        if (!multiline) expect(once).not.toMatch(/\n| {2}/);
        expect(Array.from(once).length).toBeLessThanOrEqual(max);
        expect(once).toBe(once.trim());
        expect(cleanDisplayText(once, max, { multiline })).toBe(once);
        // No lone surrogate: the result is well-formed UTF-16.
        expect(once).toBe(new TextDecoder().decode(new TextEncoder().encode(once)));
      }),
      { numRuns: 2000 },
    );
  });
});
