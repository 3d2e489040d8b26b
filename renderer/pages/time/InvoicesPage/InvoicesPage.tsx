import { useState } from 'react';
import { Button, InlineLoading, Select, SelectItem, Table, TableBody, TableCell, TableContainer, TableHead, TableHeader, TableRow, Tag } from '@carbon/react';
import { TextInput } from '../../../components/Fields/index.js';
import { invoiceCsvPath, invoicePdfPath } from '../../../../shared/api/client.js';
import type { Invoice } from '../../../../shared/api/invoices.js';
import { today } from '../../../../shared/time/periods.js';
import { useSignedIn } from '../../../auth/auth-context.js';
import { callErrorMessage } from '../../../auth/messages.js';
import { DownloadButton } from '../../../components/DownloadButton/index.js';
import { SectionNav } from '../../../components/SectionNav/index.js';
import { PageNotification, type Notice } from '../../../components/PageNotification/index.js';
import { useApiData } from '../../../hooks/useApiData.js';
import { useDocumentTitle } from '../../../hooks/useDocumentTitle.js';
import { formatHours, formatMoney } from '../../../time/format.js';
import { useDisplay } from '../../../time/display-context.js';
import { useClients } from '../../../time/useTimeData.js';
import './InvoicesPage.scss';

const STATUS_TAG = { draft: 'gray', issued: 'blue', void: 'red' } as const;

/** Managers and admins: invoices (list, a draft from a client's unbilled work, the invoice with issue, void, paid, PDF and CSV). */
export function InvoicesPage() {
  useDocumentTitle('Invoices');
  const { backend, timeVersion, timeChanged } = useSignedIn();
  const display = useDisplay();
  const todayDate = today(Date.now(), display.timeZone).date;
  const { list: clients } = useClients();
  const [clientId, setClientId] = useState('');
  const [firstDay, setFirstDay] = useState(() => `${todayDate.slice(0, 8)}01`);
  const [lastDay, setLastDay] = useState(todayDate);
  const [openId, setOpenId] = useState<string | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [busy, setBusy] = useState(false);
  const [version, setVersion] = useState(0);
  const invoices = useApiData(() => backend.api.listInvoices(), `${timeVersion}|${version}`);
  const open = useApiData(async () => (openId ? backend.api.getInvoice(openId) : null), `${openId}|${timeVersion}|${version}`);

  async function act(title: string, work: () => Promise<Invoice | void>) {
    setBusy(true);
    setNotice(null);
    try {
      const result = await work();
      if (result) setOpenId(result.id);
      setVersion((v) => v + 1);
      timeChanged();
    } catch (caught) {
      setNotice({ kind: 'error', title, subtitle: callErrorMessage(caught) });
    } finally {
      setBusy(false);
    }
  }

  const chosenClient = clientId || clients?.find((c) => !c.archived)?.id || '';

  return (
    <>
      <h1 className="tab-page__title">Invoices</h1>
      <SectionNav />
      <form
        className="tab-invoice-draft"
        aria-label="New draft"
        onSubmit={(e) => {
          e.preventDefault();
          void act('The draft was not made', () => backend.api.createDraft({ clientId: chosenClient, firstDay, lastDay }));
        }}
      >
        <Select id="tab-invoice-client" labelText="Client" value={chosenClient} onChange={(e) => setClientId(e.target.value)}>
          {(clients ?? []).filter((c) => !c.archived).map((c) => (
            <SelectItem key={c.id} value={c.id} text={c.name} />
          ))}
        </Select>
        <TextInput id="tab-invoice-first" type="date" labelText="First day" value={firstDay} onChange={(e) => setFirstDay(e.target.value)} />
        <TextInput id="tab-invoice-last" type="date" labelText="Last day" value={lastDay} onChange={(e) => setLastDay(e.target.value)} />
        <Button type="submit" disabled={busy || chosenClient === ''}>Draft invoice</Button>
      </form>
      <PageNotification notice={notice} onClose={() => setNotice(null)} />
      {open.data && <InvoiceView invoice={open.data} busy={busy} act={act} todayDate={todayDate} onClose={() => setOpenId(null)} />}
      {invoices.data === null && invoices.loading && <InlineLoading description="Loading invoices…" />}
      {invoices.data && (
        <TableContainer title="All invoices" description="Newest first">
          <Table aria-label="Invoices" size="md">
            <TableHead>
              <TableRow>
                <TableHeader>Number</TableHeader>
                <TableHeader>Client</TableHeader>
                <TableHeader>Period</TableHeader>
                <TableHeader>Total</TableHeader>
                <TableHeader>Status</TableHeader>
              </TableRow>
            </TableHead>
            <TableBody>
              {invoices.data.invoices.length === 0 && (
                <TableRow>
                  <TableCell colSpan={5} className="tab-muted">No invoices yet: draft one from a client's unbilled time above.</TableCell>
                </TableRow>
              )}
              {invoices.data.invoices.map((i) => (
                <TableRow key={i.id} data-testid="invoice-row">
                  <TableCell>
                    <Button kind="ghost" size="sm" onClick={() => setOpenId(i.id)}>{i.number ?? 'Draft'}</Button>
                  </TableCell>
                  <TableCell>{i.clientName}</TableCell>
                  <TableCell>{display.day(i.firstDay)} – {display.day(i.lastDay)}</TableCell>
                  <TableCell>{formatMoney({ currency: i.currency, amountCents: i.totalCents })}</TableCell>
                  <TableCell>
                    <Tag type={STATUS_TAG[i.status]} size="sm">{i.paidOn ? 'paid' : i.status}</Tag>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </TableContainer>
      )}
    </>
  );
}

function InvoiceView({ invoice, busy, act, todayDate, onClose }: {
  invoice: Invoice;
  busy: boolean;
  act: (title: string, work: () => Promise<Invoice | void>) => Promise<void>;
  todayDate: string;
  onClose: () => void;
}) {
  const { backend } = useSignedIn();
  const display = useDisplay();
  const [reason, setReason] = useState('');
  const [paidOn, setPaidOn] = useState(todayDate);
  const money = (cents: number) => formatMoney({ currency: invoice.currency, amountCents: cents });
  const title = invoice.number ? `Invoice ${invoice.number}` : `Draft for ${invoice.clientName}`;
  const fileBase = invoice.number ?? 'draft';
  return (
    <section className="tab-invoice" aria-label={title} data-testid="invoice-view">
      <div className="tab-invoice__head">
        <h2 className="tab-section-title">{title}</h2>
        <Tag type={STATUS_TAG[invoice.status]}>{invoice.paidOn ? `paid ${display.day(invoice.paidOn)}` : invoice.status}</Tag>
        <Button kind="ghost" size="sm" onClick={onClose}>Close</Button>
      </div>
      <p className="tab-muted">
        {invoice.clientName} · {display.day(invoice.firstDay)} – {display.day(invoice.lastDay)}
        {invoice.issueDate && ` · issued ${display.day(invoice.issueDate)}, due ${display.day(invoice.dueDate ?? invoice.issueDate)}`}
        {invoice.voidReason && ` · void: ${invoice.voidReason}`}
      </p>
      {invoice.leftOut && invoice.leftOut.running > 0 && (
        <p className="tab-invoice__warning">A timer of this client is still running: stop it before issuing.</p>
      )}
      <TableContainer>
        <Table aria-label="Lines" size="sm">
          <TableHead>
            <TableRow>
              <TableHeader>Line</TableHeader>
              <TableHeader>Entries</TableHeader>
              <TableHeader>Hours billed</TableHeader>
              <TableHeader>Rate</TableHeader>
              <TableHeader>Amount</TableHeader>
              <TableHeader>Adjustment</TableHeader>
              <TableHeader>Total</TableHeader>
            </TableRow>
          </TableHead>
          <TableBody>
            {invoice.lines.map((l) => (
              <TableRow key={l.position} data-testid="invoice-line">
                <TableCell>{l.description}</TableCell>
                <TableCell>{l.entries}</TableCell>
                <TableCell>{formatHours(l.billableHours)}</TableCell>
                <TableCell>{money(l.rateCents)}/h</TableCell>
                <TableCell>{money(l.amountCents)}</TableCell>
                <TableCell>{l.adjustment ? `${money(l.adjustmentCents)} (${l.adjustment.reason})` : ''}</TableCell>
                <TableCell>{money(l.totalCents)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </TableContainer>
      <dl className="tab-invoice__totals">
        <dt>WIP value (raw time)</dt>
        <dd>{money(invoice.standardCents)}</dd>
        <dt>Rounding</dt>
        <dd>{money(invoice.roundingCents)}</dd>
        {invoice.adjustment && (
          <>
            <dt>Adjustment: {invoice.adjustment.reason}</dt>
            <dd>{money(invoice.adjustmentCents)}</dd>
          </>
        )}
        <dt>Subtotal</dt>
        <dd>{money(invoice.subtotalCents)}</dd>
        <dt>{invoice.taxLabel} {(invoice.taxRateBp / 100).toFixed(2)} %</dt>
        <dd>{money(invoice.taxCents)}</dd>
        <dt>Total</dt>
        <dd data-testid="invoice-total">{money(invoice.totalCents)}</dd>
      </dl>
      <div className="tab-invoice__actions">
        {invoice.status === 'draft' && (
          <>
            <Button disabled={busy} onClick={() => void act('The invoice was not issued', () => backend.api.issueInvoice(invoice.id))}>Issue</Button>
            <Button kind="danger--tertiary" disabled={busy} onClick={() => void act('The draft was not deleted', async () => {
              await backend.api.deleteDraft(invoice.id);
              onClose();
            })}>Delete draft</Button>
          </>
        )}
        {invoice.status === 'issued' && !invoice.paidOn && (
          <>
            <TextInput id="tab-invoice-paid-on" type="date" labelText="Paid on" size="md" value={paidOn} onChange={(e) => setPaidOn(e.target.value)} />
            <Button kind="secondary" disabled={busy} onClick={() => void act('The invoice was not marked paid', () => backend.api.markInvoicePaid(invoice.id, paidOn))}>Mark paid</Button>
            <TextInput id="tab-invoice-void-reason" labelText="Reason to void" size="md" value={reason} onChange={(e) => setReason(e.target.value)} />
            <Button kind="danger" disabled={busy || reason.trim() === ''} onClick={() => void act('The invoice was not voided', () => backend.api.voidInvoice(invoice.id, reason))}>Void</Button>
          </>
        )}
        {invoice.status !== 'draft' && (
          <DownloadButton backend={backend} path={invoicePdfPath(invoice.id)} fileName={`${fileBase}.pdf`}>Download PDF</DownloadButton>
        )}
        <DownloadButton backend={backend} path={invoiceCsvPath(invoice.id)} fileName={`${fileBase}.csv`}>Download CSV</DownloadButton>
      </div>
    </section>
  );
}
