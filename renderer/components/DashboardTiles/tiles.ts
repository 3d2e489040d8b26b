/**
 * The dashboard's figures. `GET /api/v1/dashboard` arrives with the billing
 * issue; until then every tile is honestly empty. When it exists, a tile shows
 * the field named by `key` (or one of its aliases), whatever its type.
 */
export interface TileDef {
  key: string;
  aliases: string[];
  title: string;
  emptyNote: string;
}

export const TILES: TileDef[] = [
  { key: 'hoursToday', aliases: ['hours_today', 'today'], title: 'Hours today', emptyNote: 'Time tracking arrives soon.' },
  { key: 'hoursThisWeek', aliases: ['hours_this_week', 'week'], title: 'Hours this week', emptyNote: 'Time tracking arrives soon.' },
  { key: 'billableShare', aliases: ['billable_share', 'billablePercent'], title: 'Billable share', emptyNote: 'Shown once time is tracked.' },
  { key: 'unbilledAmount', aliases: ['unbilled_amount', 'unbilled'], title: 'Unbilled amount', emptyNote: 'Billing arrives soon.' },
  { key: 'runningTimer', aliases: ['running_timer', 'timer'], title: 'Running timer', emptyNote: 'No timer running.' },
];

export const EMPTY_VALUE = '—';

export function pickField(data: Record<string, unknown>, tile: TileDef): unknown {
  for (const key of [tile.key, ...tile.aliases]) if (key in data) return data[key];
  return undefined;
}

/** Any JSON value as a short text; null/undefined are "no value". */
export function formatValue(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value.toLocaleString(undefined, { maximumFractionDigits: 2 }) : null;
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${k}: ${formatValue(v) ?? EMPTY_VALUE}`)
      .slice(0, 3);
    return entries.length > 0 ? entries.join(', ') : null;
  }
  return String(value);
}
