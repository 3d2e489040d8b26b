import { DESCRIPTION_MAX, ENTRY_MAX_MS, HOURLY_RATE_MAX_CENTS, type CreateEntryRequest, type StartTimerRequest } from '../../shared/api/time.js';

/**
 * Strict checks of the time channels' arguments (the renderer is not
 * trusted): plain objects with exactly the known fields, UUIDs, lengths,
 * booleans, RFC 3339 instants, end after start.
 */

export type Check<T> = { ok: true; value: T } | { ok: false; message: string; code?: 'invalid_range' };
const bad = (message: string, code?: 'invalid_range'): { ok: false; message: string; code?: 'invalid_range' } => (code ? { ok: false, message, code } : { ok: false, message });

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** RFC 3339 date-time: seconds required, fraction optional, Z or an offset. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/i;
/** C0 controls except tab, LF and CR; DEL. */
const hasControl = (text: string) =>
  [...text].some((c) => {
    const code = c.charCodeAt(0);
    return (code < 0x20 && c !== '\t' && c !== '\n' && c !== '\r') || code === 0x7f;
  });
/** Instants outside these years are typos, not time worked. */
const MIN_MS = Date.UTC(2000, 0, 1);
const MAX_MS = Date.UTC(2100, 0, 1);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function onlyKeys(input: Record<string, unknown>, allowed: readonly string[]): string | null {
  for (const key of Object.keys(input)) if (!allowed.includes(key)) return `unexpected field ${key}`;
  return null;
}

export const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);

export function isInstant(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > 40 || !INSTANT.test(value)) return false;
  const ms = Date.parse(value);
  if (!Number.isFinite(ms) || ms < MIN_MS || ms >= MAX_MS) return false;
  // Date.parse rolls 2026-02-30 over to March: the calendar date must exist as written.
  const [y, m, d] = value.slice(0, 10).split('-').map(Number) as [number, number, number];
  const day = new Date(Date.UTC(y, m - 1, d));
  const [hh, mm, ss] = value.slice(11, 19).split(':').map(Number) as [number, number, number];
  return day.getUTCFullYear() === y && day.getUTCMonth() === m - 1 && day.getUTCDate() === d && hh < 24 && mm < 60 && ss < 60;
}

function description(value: unknown): Check<string> {
  if (typeof value !== 'string') return bad('description must be a string');
  if (value.length > DESCRIPTION_MAX) return bad(`description must be at most ${DESCRIPTION_MAX} characters`);
  if (hasControl(value)) return bad('description has control characters');
  return { ok: true, value };
}

export function validateStartTimer(input: unknown): Check<StartTimerRequest> {
  if (!isPlainObject(input)) return bad('timer start arguments must be an object');
  const extra = onlyKeys(input, ['id', 'clientId', 'description', 'billable']);
  if (extra) return bad(extra);
  if (input.id !== undefined && !isUuid(input.id)) return bad('id must be a UUID');
  if (!isUuid(input.clientId)) return bad('clientId must be a UUID');
  const text = description(input.description);
  if (!text.ok) return text;
  if (typeof input.billable !== 'boolean') return bad('billable must be true or false');
  const value: StartTimerRequest = { clientId: input.clientId.toLowerCase(), description: text.value, billable: input.billable };
  if (input.id !== undefined) value.id = (input.id as string).toLowerCase();
  return { ok: true, value };
}

export function validateStopTimer(input: unknown): Check<{ id?: string }> {
  if (input === undefined) return { ok: true, value: {} };
  if (!isPlainObject(input)) return bad('timer stop arguments must be an object');
  const extra = onlyKeys(input, ['id']);
  if (extra) return bad(extra);
  if (input.id === undefined) return { ok: true, value: {} };
  if (!isUuid(input.id)) return bad('id must be a UUID');
  return { ok: true, value: { id: input.id.toLowerCase() } };
}

export function validateSaveEntry(input: unknown): Check<CreateEntryRequest> {
  if (!isPlainObject(input)) return bad('entry must be an object');
  const extra = onlyKeys(input, ['id', 'clientId', 'description', 'start', 'end', 'billable', 'hourlyRateCents']);
  if (extra) return bad(extra);
  if (!isUuid(input.id)) return bad('id must be a UUID');
  if (!isUuid(input.clientId)) return bad('clientId must be a UUID');
  const text = description(input.description);
  if (!text.ok) return text;
  if (!isInstant(input.start)) return bad('start must be an ISO-8601 instant (e.g. 2026-03-02T09:00:00Z)');
  if (input.end !== null && !isInstant(input.end)) return bad('end must be an ISO-8601 instant or null');
  if (typeof input.billable !== 'boolean') return bad('billable must be true or false');
  const rate = input.hourlyRateCents;
  if (rate !== undefined && (typeof rate !== 'number' || !Number.isInteger(rate) || rate < 0 || rate > HOURLY_RATE_MAX_CENTS)) {
    return bad(`hourlyRateCents must be an integer from 0 to ${HOURLY_RATE_MAX_CENTS}`);
  }
  if (input.end !== null) {
    const span = Date.parse(input.end as string) - Date.parse(input.start);
    if (span <= 0) return bad('end must be after start', 'invalid_range');
    if (span > ENTRY_MAX_MS) return bad('an entry may last at most 31 days', 'invalid_range');
  }
  const value: CreateEntryRequest = {
    id: input.id.toLowerCase(),
    clientId: input.clientId.toLowerCase(),
    description: text.value,
    start: input.start,
    end: input.end as string | null,
    billable: input.billable,
  };
  if (rate !== undefined) value.hourlyRateCents = rate as number;
  return { ok: true, value };
}

export function validateEntryId(input: unknown, field: 'id' | 'entryId'): Check<string> {
  if (!isPlainObject(input)) return bad('arguments must be an object');
  const extra = onlyKeys(input, [field]);
  if (extra) return bad(extra);
  const id = input[field];
  if (!isUuid(id)) return bad(`${field} must be a UUID`);
  return { ok: true, value: id.toLowerCase() };
}
