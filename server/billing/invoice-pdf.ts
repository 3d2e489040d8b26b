import PDFDocument from 'pdfkit';
import type { Invoice } from '../../shared/api/invoices.js';
import { formatCents } from '../../shared/api/time.js';

/**
 * An invoice as a PDF (A4, pdfkit's built-in Helvetica). Built-in fonts cover
 * Western European text (WinAnsi: "Müller & Söhne", €); characters outside it
 * print as the font's blank, which is why names stay in the CSV and the API
 * exactly. Amounts are the stored figures: the PDF computes nothing.
 */
export function invoicePdf(invoice: Invoice, firm: { name: string; address: string }): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 50, info: { Title: invoice.number ?? 'Draft invoice', Author: firm.name } });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const money = (cents: number) => `${formatCents(cents)} ${invoice.currency}`;
  const left = 50;
  const width = doc.page.width - 100;

  doc.font('Helvetica-Bold').fontSize(16).text(firm.name, left, 50);
  doc.font('Helvetica').fontSize(10).text(firm.address, { width: width / 2 });
  doc.font('Helvetica-Bold').fontSize(20).text(invoice.status === 'void' ? `INVOICE ${invoice.number} (VOID)` : `INVOICE ${invoice.number ?? '(draft)'}`, left, 50, { width, align: 'right' });
  doc.font('Helvetica').fontSize(10);
  const dates = [
    `Issue date: ${invoice.issueDate ?? '-'}`,
    `Due date: ${invoice.dueDate ?? '-'}`,
    `Period: ${invoice.firstDay} to ${invoice.lastDay}`,
    ...(invoice.paidOn ? [`Paid: ${invoice.paidOn}`] : []),
  ];
  doc.text(dates.join('\n'), left, 80, { width, align: 'right' });

  doc.moveDown(3);
  const billTo = Math.max(doc.y, 150);
  doc.font('Helvetica-Bold').text('Bill to', left, billTo);
  doc.font('Helvetica').text(invoice.clientName);
  doc.moveDown(2);

  // The lines' table: description, hours, rate, amount, adjustment, line total.
  const cols = [
    { title: 'Description', x: left, w: 190, align: 'left' as const },
    { title: 'Hours', x: left + 190, w: 50, align: 'right' as const },
    { title: 'Rate', x: left + 240, w: 75, align: 'right' as const },
    { title: 'Amount', x: left + 315, w: 60, align: 'right' as const },
    { title: 'Adjustment', x: left + 375, w: 60, align: 'right' as const },
    { title: 'Total', x: left + 435, w: width - 435, align: 'right' as const },
  ];
  const row = (cells: string[], bold = false) => {
    const y = doc.y;
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica');
    let bottom = y;
    cells.forEach((text, i) => {
      const c = cols[i]!;
      doc.text(text, c.x, y, { width: c.w, align: c.align });
      bottom = Math.max(bottom, doc.y);
    });
    doc.y = bottom + 4;
    if (doc.y > doc.page.height - 120) doc.addPage();
  };
  row(cols.map((c) => c.title), true);
  doc.moveTo(left, doc.y).lineTo(left + width, doc.y).stroke();
  doc.y += 4;
  for (const line of invoice.lines) {
    const reason = line.adjustment ? `\n${line.adjustment.reason}` : '';
    row([
      `${line.description} (${line.entries} ${line.entries === 1 ? 'entry' : 'entries'})${reason}`,
      line.billableHours.toFixed(2),
      `${formatCents(line.rateCents)}/h`,
      formatCents(line.amountCents),
      line.adjustmentCents === 0 ? '' : formatCents(line.adjustmentCents),
      formatCents(line.totalCents),
    ]);
  }
  doc.moveTo(left, doc.y).lineTo(left + width, doc.y).stroke();
  doc.y += 8;

  const total = (label: string, cents: number, bold = false) => {
    const y = doc.y;
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica');
    doc.text(label, left, y, { width: width - 110, align: 'right' });
    doc.text(money(cents), left + width - 100, y, { width: 100, align: 'right' });
    doc.y = Math.max(doc.y, y + 14);
  };
  total('Lines', invoice.linesCents);
  if (invoice.adjustment) total(`Adjustment: ${invoice.adjustment.reason}`, invoice.adjustmentCents);
  total('Subtotal', invoice.subtotalCents);
  total(`${invoice.taxLabel} ${(invoice.taxRateBp / 100).toFixed(2)} %`, invoice.taxCents);
  total('Total', invoice.totalCents, true);

  if (invoice.notes) {
    doc.moveDown(2);
    doc.font('Helvetica').text(invoice.notes, left, doc.y, { width });
  }
  doc.end();
  return done;
}
