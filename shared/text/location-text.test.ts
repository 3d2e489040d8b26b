import { describe, expect, it } from 'vitest';
import { locationText } from './location-text.js';

const at = (city: string | null, region: string | null, country: string | null, countryCode: string | null) => ({ city, region, country, countryCode });

describe('locationText', () => {
  it('says "City, Country"', () => {
    expect(locationText(at('Lisbon', 'Lisbon', 'Portugal', 'PT'))).toBe('Lisbon, Portugal');
  });
  it('falls back to the region for a missing city, and to the code for a missing country name', () => {
    expect(locationText(at(null, 'California', 'United States', 'US'))).toBe('California, United States');
    expect(locationText(at('Lisbon', null, null, 'PT'))).toBe('Lisbon, PT');
  });
  it('gives the country alone, and null when nothing is known', () => {
    expect(locationText(at(null, null, 'Portugal', 'PT'))).toBe('Portugal');
    expect(locationText(at(null, null, null, null))).toBeNull();
    expect(locationText(null)).toBeNull();
  });
});
