import type { AuditEvent } from '../../../../shared/api/admin.js';

/** `session_revoked` → "Session revoked". */
export const typeText = (type: string) => (type.charAt(0).toUpperCase() + type.slice(1)).replace(/_/g, ' ');

/** The detail object as "key: value" pairs; nested values as compact JSON. */
export function detailText(detail: AuditEvent['detail']): string {
  return Object.entries(detail)
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' · ');
}

/** Session ids are UUIDs: the first block is enough to tell rows apart. */
export const shortId = (id: string | null) => (id === null ? '—' : id.slice(0, 8));
