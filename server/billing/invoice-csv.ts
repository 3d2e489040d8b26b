import type { Invoice } from '../../shared/api/invoices.js';
import { formatCents } from '../../shared/api/time.js';
import { csvPlainField, csvTextField } from '../../shared/csv/csv-fields.js';

export const INVOICE_CSV_COLUMNS = [
  'invoice', 'line', 'description', 'entries', 'minutes', 'hours', 'rate', 'currency', 'amount', 'adjustment', 'adjustment_reason', 'total',
] as const;

/**
 * An invoice's lines as CSV: RFC 4180, UTF-8 with a BOM (Excel on Windows
 * reads "Müller & Söhne" right only with it), CRLF, text cells guarded
 * against formulas like the entries CSV. `minutes` is exact (4 decimals) so
 * that minutes × rate ÷ 60 gives the amount before its per-unit rounding.
 */
export function invoiceCsv(invoice: Invoice): string {
  const lines = [INVOICE_CSV_COLUMNS.join(',')];
  const name = csvPlainField(invoice.number ?? 'draft');
  for (const l of invoice.lines) {
    lines.push([
      name, String(l.position), csvTextField(l.description), String(l.entries), l.minutes.toFixed(4), l.hours.toFixed(2), formatCents(l.rateCents),
      invoice.currency, formatCents(l.amountCents), formatCents(l.adjustmentCents), csvTextField(l.adjustment?.reason ?? ''), formatCents(l.totalCents),
    ].join(','));
  }
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}
