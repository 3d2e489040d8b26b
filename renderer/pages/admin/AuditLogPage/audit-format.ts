import type { AuditEvent } from '../../../../shared/api/admin.js';
import type { SessionLocation } from '../../../../shared/api/events.js';
import { locationText } from '../../../../shared/text/location-text.js';

/** Types whose words alone would not say it. */
const TYPE_NAMES: Record<string, string> = {
  session_ip_changed: 'Session changed country',
  session_ua_changed: 'Session changed browser or OS',
};

/** `session_revoked` → "Session revoked". */
export const typeText = (type: string) => TYPE_NAMES[type] ?? (type.charAt(0).toUpperCase() + type.slice(1)).replace(/_/g, ' ');

/** A location as the server records it (sign-in, unusual changes). */
export const isLocation = (value: unknown): value is SessionLocation =>
  typeof value === 'object' && value !== null && 'countryCode' in value && 'city' in value;

/** The detail object as "key: value" pairs; a location as "Lisbon, Portugal"; other nested values as compact JSON. */
export function detailText(detail: AuditEvent['detail']): string {
  return Object.entries(detail)
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : isLocation(value) ? (locationText(value) ?? 'unknown') : JSON.stringify(value)}`)
    .join(' · ');
}

/** Session ids are UUIDs: the first block is enough to tell rows apart. */
export const shortId = (id: string | null) => (id === null ? '—' : id.slice(0, 8));
