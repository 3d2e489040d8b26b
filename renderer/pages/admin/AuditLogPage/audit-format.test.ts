import { describe, expect, it } from 'vitest';
import { detailText, typeText } from './audit-format.js';

describe('audit detail text', () => {
  it('shows a sign-in with its method, client, label and location in words', () => {
    const detail = { method: 'password', client: 'web', label: 'Chrome 120, Windows', location: { city: 'Lisbon', region: 'Lisbon', country: 'Portugal', countryCode: 'PT' } };
    expect(detailText(detail)).toBe('method: password · client: web · label: Chrome 120, Windows · location: Lisbon, Portugal');
  });

  it('says "unknown" for a location that knows nothing, and keeps other objects as JSON', () => {
    expect(detailText({ location: { city: null, region: null, country: null, countryCode: null }, limit: { n: 3 } })).toBe('location: unknown · limit: {"n":3}');
    expect(detailText({ location: null })).toBe('location: null');
  });

  it('names the new event types', () => {
    expect(typeText('session_ip_changed')).toBe('Session changed country');
    expect(typeText('session_ua_changed')).toBe('Session changed browser or OS');
    expect(typeText('session_revoked')).toBe('Session revoked');
  });
});
