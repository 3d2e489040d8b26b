import type { Client, EntryWarning, TimeEntry } from '../../shared/api/time.js';
import { ENTRY_MAX_MS } from '../../shared/api/time.js';
import { DEFAULT_ROUNDING } from '../../shared/billing/rounding.js';
import { HttpError } from '../http/http-error.js';
import type { StoredClient, StoredEntry } from '../store/types.js';

const iso = (ms: number) => new Date(ms).toISOString();
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));

export function toClientView(c: StoredClient): Client {
  return {
    id: c.id,
    name: c.name,
    hourlyRateCents: c.hourlyRateCents,
    currency: c.currency,
    archived: c.archivedAt !== null,
    rounding: c.rounding ?? DEFAULT_ROUNDING,
    createdAt: iso(c.createdAt),
    updatedAt: iso(c.updatedAt),
  };
}

/** `nameOf`: people's names, for "changed by" (left out when the caller has none at hand). */
export function toEntryView(e: StoredEntry, nameOf?: (userId: string) => string | undefined): TimeEntry {
  return {
    id: e.id,
    userId: e.userId,
    clientId: e.clientId,
    matterId: e.matterId ?? null,
    activityId: e.activityId ?? null,
    description: e.description,
    start: iso(e.start),
    end: isoOrNull(e.end),
    billable: e.billable,
    hourlyRateCents: e.hourlyRateCents,
    currency: e.currency,
    billedAt: isoOrNull(e.billedAt),
    createdAt: iso(e.createdAt),
    updatedAt: iso(e.updatedAt),
    changedBy: e.changedBy ? { id: e.changedBy, name: nameOf?.(e.changedBy) ?? 'Someone else' } : null,
  };
}

/** Instants TAB accepts: 2000-01-01 to 2100-01-01 UTC (keeps amounts far from integer limits). */
const EARLIEST = Date.UTC(2000, 0, 1);
const LATEST = Date.UTC(2100, 0, 1);

/** An ISO-8601 instant from a request (the schema checked the format), as epoch ms. */
export function parseInstant(value: string, field: string): number {
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) throw new HttpError('invalid_request', `Invalid ${field}: not a valid date-time.`);
  if (ms < EARLIEST || ms >= LATEST) throw new HttpError('invalid_request', `Invalid ${field}: must be between 2000 and 2100.`);
  return ms;
}

/** A finished entry ends after it starts, within 31 days. */
export function assertEntrySpan(start: number, end: number | null): void {
  if (end === null) return;
  if (end <= start) {
    throw new HttpError('invalid_range', `\`end\` (${iso(end)}) must be after \`start\` (${iso(start)}).`);
  }
  if (end - start > ENTRY_MAX_MS) {
    throw new HttpError('invalid_range', `\`end\` must be within 31 days of \`start\`; split longer work into several entries.`);
  }
}

/** A query range: `to` after `from`, at most `maxMs` long. */
export function parseRange(query: { from: string; to: string }, maxMs: number): { from: number; to: number } {
  const from = parseInstant(query.from, 'querystring.from');
  const to = parseInstant(query.to, 'querystring.to');
  if (to <= from) throw new HttpError('invalid_range', '`to` must be after `from`.');
  if (to - from > maxMs) throw new HttpError('invalid_range', `\`from\` to \`to\` may span at most ${Math.round(maxMs / 86_400_000)} days.`);
  return { from, to };
}

export function overlapWarnings(ids: string[]): EntryWarning[] {
  if (ids.length === 0) return [];
  return [{ code: 'overlap', message: `This entry overlaps ${ids.length === 1 ? 'another entry' : `${ids.length} other entries`} of the same person.`, entryIds: ids }];
}

/** Same stored content (what a replayed write compares). */
export function sameContent(a: StoredEntry, b: StoredEntry): boolean {
  return (
    a.clientId === b.clientId &&
    (a.matterId ?? null) === (b.matterId ?? null) &&
    (a.activityId ?? null) === (b.activityId ?? null) &&
    a.description === b.description &&
    a.start === b.start &&
    a.end === b.end &&
    a.billable === b.billable &&
    a.hourlyRateCents === b.hourlyRateCents &&
    a.currency === b.currency
  );
}

let currencies: Set<string> | undefined;

/** ISO 4217 codes this runtime knows. */
export function isKnownCurrency(code: string): boolean {
  currencies ??= new Set(Intl.supportedValuesOf('currency'));
  return currencies.has(code);
}
