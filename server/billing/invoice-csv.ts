import type { Invoice } from '../../shared/api/invoices.js';
import { formatCents } from '../../shared/api/time.js';
import { csvPlainField, csvTextField } from '../../shared/csv/csv-fields.js';

export const INVOICE_CSV_COLUMNS = [
  'invoice', 'line', 'description', 'entries', 'minutes', 'billable_minutes', 'billable_hours', 'rate', 'currency', 'amount', 'adjustment', 'adjustment_reason', 'total',
] as const;

/**
 * An invoice's lines as CSV: RFC 4180, UTF-8 with a BOM (Excel on Windows
 * reads "Müller & Söhne" right only with it), CRLF, text cells guarded
 * against formulas like the entries CSV. `minutes` is the exact raw time (4
 * decimals, the WIP); `billable_minutes` the time billed after the rounding
 * rule, so that billable_minutes × rate ÷ 60 gives the amount (each billing
 * unit rounded to the cent once).
 */
export function invoiceCsv(invoice: Invoice): string {
  const lines = [INVOICE_CSV_COLUMNS.join(',')];
  const name = csvPlainField(invoice.number ?? 'draft');
  for (const l of invoice.lines) {
    lines.push([
      name, String(l.position), csvTextField(l.description), String(l.entries), l.minutes.toFixed(4), String(l.billableMinutes), l.billableHours.toFixed(2), formatCents(l.rateCents),
      invoice.currency, formatCents(l.amountCents), formatCents(l.adjustmentCents), csvTextField(l.adjustment?.reason ?? ''), formatCents(l.totalCents),
    ].join(','));
  }
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}
