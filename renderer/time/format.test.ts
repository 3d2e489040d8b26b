import { describe, expect, it } from 'vitest';
import { formatDuration, formatElapsed } from './format.js';

describe('time formatting', () => {
  it('shows elapsed time as hh:mm:ss', () => {
    expect(formatElapsed(0)).toBe('00:00:00');
    expect(formatElapsed(999)).toBe('00:00:00');
    expect(formatElapsed(61_000)).toBe('00:01:01');
    expect(formatElapsed(3_600_000 * 2 + 59 * 60_000 + 59_000)).toBe('02:59:59');
    expect(formatElapsed(3_600_000 * 123)).toBe('123:00:00');
    expect(formatElapsed(-5000)).toBe('00:00:00');
  });

  it('shows durations as h:mm', () => {
    expect(formatDuration(90 * 60_000)).toBe('1:30');
    expect(formatDuration(29_000)).toBe('0:00');
  });
});
