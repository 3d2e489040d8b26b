import { useMemo, useState } from 'react';
import { Button, InlineLoading, Modal, Select, SelectItem, Table, TableBody, TableCell, TableContainer, TableHead, TableHeader, TableRow } from '@carbon/react';
import { TextInput } from '../../../components/Fields/index.js';
import { entriesCsvPath } from '../../../../shared/api/client.js';
import type { GroupBy, TimeEntry } from '../../../../shared/api/time.js';
import { useSignedIn } from '../../../auth/auth-context.js';
import { callErrorMessage } from '../../../auth/messages.js';
import { DownloadButton } from '../../../components/DownloadButton/index.js';
import { PageNotification, type Notice } from '../../../components/PageNotification/index.js';
import { useApiData } from '../../../hooks/useApiData.js';
import { useDocumentTitle } from '../../../hooks/useDocumentTitle.js';
import { civilPlusDays, daysPeriod, parseCivil, shiftWeek, thisWeek, weekOf, type Week } from '../../../../shared/time/periods.js';
import { entryAmount, entryDurationMs, formatAmounts, formatHours, formatMoney } from '../../../time/format.js';
import type { Display } from '../../../time/display.js';
import { useDisplay } from '../../../time/display-context.js';
import { useClients } from '../../../time/useTimeData.js';
import './ReportsPage.scss';

export interface WeekHours {
  week: Week;
  hours: number;
  billableHours: number;
}

/**
 * Hours per week (Monday–Sunday in the zone) from the week of `first` to the
 * week of `last`, counting each entry in the week it starts.
 */
export function weeklyHours(entries: TimeEntry[], first: string, last: string, timeZone: string, now: number): WeekHours[] {
  const weeks: WeekHours[] = [];
  const end = weekOf(last, timeZone);
  for (let week = weekOf(first, timeZone); week.from <= end.from; week = shiftWeek(week, 1, timeZone)) weeks.push({ week, hours: 0, billableHours: 0 });
  for (const entry of entries) {
    const start = Date.parse(entry.start);
    const week = weeks.find((w) => w.week.from <= start && start < w.week.to);
    if (!week) continue;
    const hours = entryDurationMs(entry, now) / 3_600_000;
    week.hours += hours;
    if (entry.billable) week.billableHours += hours;
  }
  return weeks;
}

function WeeklyChart({ weeks, display }: { weeks: WeekHours[]; display: Display }) {
  const max = Math.max(1, ...weeks.map((w) => w.hours));
  return (
    <figure className="tab-week-chart" data-testid="weekly-chart">
      <figcaption className="tab-section-title">Hours per week</figcaption>
      <ol className="tab-week-chart__bars">
        {weeks.map((week) => (
          <li key={week.week.monday} className="tab-week-chart__week">
            <span className="tab-week-chart__value">{formatHours(Math.round(week.hours * 100) / 100)}</span>
            <span className="tab-week-chart__bar" style={{ blockSize: `${(week.hours / max) * 100}%` }} aria-hidden="true">
              <span className="tab-week-chart__billable" style={{ blockSize: week.hours > 0 ? `${(week.billableHours / week.hours) * 100}%` : 0 }} />
            </span>
            <span className="tab-week-chart__label">
              <span className="tab-visually-hidden">Week of </span>
              {display.day(week.week.monday)}
            </span>
          </li>
        ))}
      </ol>
      <p className="tab-muted tab-week-chart__legend">
        <span className="tab-week-chart__swatch tab-week-chart__swatch--billable" aria-hidden="true" /> Billable
        <span className="tab-week-chart__swatch" aria-hidden="true" /> Not billable
      </p>
    </figure>
  );
}

function sumByCurrency(entries: TimeEntry[], now: number): { currency: string; amountCents: number }[] {
  const totals = new Map<string, number>();
  for (const entry of entries) {
    const amount = entryAmount(entry, now);
    if (amount) totals.set(amount.currency, (totals.get(amount.currency) ?? 0) + amount.amountCents);
  }
  return [...totals].sort(([a], [b]) => a.localeCompare(b)).map(([currency, amountCents]) => ({ currency, amountCents }));
}

/** Managers and admins: a summary by client or person, hours per week, the CSV export and billing. */
export function ReportsPage() {
  useDocumentTitle('Reports');
  const { backend, timeVersion, timeChanged } = useSignedIn();
  const display = useDisplay();
  const zone = display.timeZone;
  // The last four weeks, in your time zone: three before this one, and this one.
  const [fromText, setFromText] = useState(() => civilPlusDays(thisWeek(Date.now(), zone).monday, -21));
  const [toText, setToText] = useState(() => civilPlusDays(thisWeek(Date.now(), zone).monday, 6));
  const [groupBy, setGroupBy] = useState<GroupBy>('client');
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [notice, setNotice] = useState<Notice | null>(null);
  const [billing, setBilling] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const clients = useClients();

  const fromDate = parseCivil(fromText);
  const toDate = parseCivil(toText);
  const rangeError = !fromDate || !toDate ? 'Enter both dates.' : toText < fromText ? 'The end date must not be before the start date.' : null;
  // `to` is inclusive on screen, exclusive on the wire: midnight after the last day, in your zone.
  const period = rangeError ? null : daysPeriod(fromText, toText, zone);
  const query = period ? { from: new Date(period.from).toISOString(), to: new Date(period.to).toISOString() } : null;
  const key = query ? `${query.from}|${query.to}|${groupBy}|${timeVersion}` : 'none';

  const summary = useApiData(async () => (query ? backend.api.getSummary({ ...query, groupBy }) : null), key);
  const entries = useApiData(async () => (query ? backend.api.listEntries({ ...query, limit: 5000 }) : null), key);
  const members = useApiData(() => backend.api.listMembers(), 0);
  const memberName = useMemo(() => new Map((members.data?.members ?? []).map((m) => [m.id, m.name])), [members.data]);
  const now = Date.now();
  const weeks = query && entries.data ? weeklyHours(entries.data.entries, fromText, toText, zone, now) : [];
  const unbilled = (entries.data?.entries ?? []).filter((e) => e.billable && e.billedAt === null && e.end !== null);

  // What "Mark billed" is about to do, shown before it does it: how many entries and what they are worth.
  const chosen = unbilled.filter((e) => selected.has(e.id));
  const chosenAmounts = sumByCurrency(chosen, now);

  async function markBilled() {
    const ids = chosen.map((e) => e.id);
    setConfirming(false);
    if (ids.length === 0) return;
    setBilling(true);
    setNotice(null);
    try {
      const result = await backend.api.markBilled({ entryIds: ids });
      setNotice({ kind: 'success', title: `${result.billed} ${result.billed === 1 ? 'entry' : 'entries'} marked billed`, subtitle: result.alreadyBilled ? `${result.alreadyBilled} had been billed before.` : undefined });
      setSelected(new Set());
      timeChanged();
    } catch (caught) {
      setNotice({ kind: 'error', title: 'The entries were not marked billed', subtitle: callErrorMessage(caught) });
    } finally {
      setBilling(false);
    }
  }

  const toggle = (id: string) =>
    setSelected((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <>
      <h1 className="tab-page__title">Reports</h1>
      <div className="tab-report-filters">
        <TextInput id="tab-report-from" type="date" labelText="From" value={fromText} onChange={(e) => setFromText(e.target.value)} invalid={rangeError !== null && !fromDate} invalidText="Enter a date." />
        <TextInput id="tab-report-to" type="date" labelText="To (inclusive)" value={toText} onChange={(e) => setToText(e.target.value)} invalid={rangeError !== null && fromDate !== null} invalidText={rangeError ?? undefined} />
        <Select id="tab-report-group" labelText="Group by" value={groupBy} onChange={(e) => setGroupBy(e.target.value as GroupBy)}>
          <SelectItem value="client" text="Client" />
          <SelectItem value="user" text="Person" />
        </Select>
        {query && (
          // Web: a plain link (the cookie goes along). Desktop: main fetches it and asks where to save it.
          <DownloadButton backend={backend} path={entriesCsvPath(query)} fileName="tab-entries.csv">
            Download CSV
          </DownloadButton>
        )}
      </div>
      <PageNotification notice={notice} onClose={() => setNotice(null)} />
      <PageNotification notice={summary.error ? { kind: 'error', title: 'The report could not be loaded', subtitle: summary.error } : null} />
      {query && summary.data === null && summary.loading && <InlineLoading description="Loading the report…" />}
      {summary.data && (
        <TableContainer title={groupBy === 'client' ? 'Summary by client' : 'Summary by person'} description={`${display.day(fromText)} to ${display.day(toText)}`}>
          <Table aria-label="Summary" size="md">
            <TableHead>
              <TableRow>
                <TableHeader>{groupBy === 'client' ? 'Client' : 'Person'}</TableHeader>
                <TableHeader>Entries</TableHeader>
                <TableHeader>Hours</TableHeader>
                <TableHeader>Billable hours</TableHeader>
                <TableHeader>Amount</TableHeader>
                <TableHeader>Unbilled</TableHeader>
              </TableRow>
            </TableHead>
            <TableBody>
              {summary.data.groups.length === 0 && (
                <TableRow>
                  <TableCell colSpan={6} className="tab-muted">
                    No time in this period.
                  </TableCell>
                </TableRow>
              )}
              {summary.data.groups.map((group) => (
                <TableRow key={group.id} data-testid="summary-row">
                  <TableCell>{group.name}</TableCell>
                  <TableCell>{group.entries}</TableCell>
                  <TableCell>{formatHours(group.hours)}</TableCell>
                  <TableCell>{formatHours(group.billableHours)}</TableCell>
                  <TableCell>{formatAmounts(group.amounts)}</TableCell>
                  <TableCell>{formatAmounts(group.unbilledAmounts)}</TableCell>
                </TableRow>
              ))}
              <TableRow className="tab-report-total">
                <TableCell>Total</TableCell>
                <TableCell>{summary.data.totals.entries}</TableCell>
                <TableCell>{formatHours(summary.data.totals.hours)}</TableCell>
                <TableCell>{formatHours(summary.data.totals.billableHours)}</TableCell>
                <TableCell>{formatAmounts(summary.data.totals.amounts)}</TableCell>
                <TableCell>{formatAmounts(summary.data.totals.unbilledAmounts)}</TableCell>
              </TableRow>
            </TableBody>
          </Table>
        </TableContainer>
      )}
      {weeks.length > 0 && <WeeklyChart weeks={weeks} display={display} />}
      {entries.data?.truncated && <p className="tab-muted">The chart counts the first 5,000 entries of the period only.</p>}
      {entries.data && (
        <section aria-labelledby="tab-unbilled-title">
          <h2 id="tab-unbilled-title" className="tab-section-title">
            Unbilled billable entries
          </h2>
          {unbilled.length === 0 ? (
            <p className="tab-muted">Nothing to bill in this period.</p>
          ) : (
            <>
              {/* Above the list, not below it: a month of a firm's time is a long list, and what is chosen (count and amount) shows as it is picked. */}
              <div className="tab-report-billbar">
                <p aria-live="polite" data-testid="billing-selection">
                  {chosen.length === 0 ? 'Choose the entries to mark billed.' : `${chosen.length === 1 ? '1 entry' : `${chosen.length} entries`} chosen, worth ${formatAmounts(chosenAmounts)}.`}
                </p>
                <Button kind="primary" size="md" onClick={() => setConfirming(true)} disabled={billing || chosen.length === 0}>
                  {billing ? 'Marking billed…' : `Mark billed (${chosen.length})`}
                </Button>
              </div>
              <TableContainer>
                <Table aria-label="Unbilled billable entries" size="sm">
                  <TableHead>
                    <TableRow>
                      <TableHeader>
                        <input
                          type="checkbox"
                          className="tab-report-check"
                          aria-label="Select all unbilled entries"
                          checked={unbilled.every((e) => selected.has(e.id))}
                          onChange={(e) => setSelected(e.target.checked ? new Set(unbilled.map((u) => u.id)) : new Set())}
                        />
                      </TableHeader>
                      <TableHeader>Date</TableHeader>
                      <TableHeader>Person</TableHeader>
                      <TableHeader>Client</TableHeader>
                      <TableHeader>Description</TableHeader>
                      <TableHeader>Amount</TableHeader>
                    </TableRow>
                  </TableHead>
                  <TableBody>
                    {unbilled.map((entry) => {
                      const amount = entryAmount(entry, now);
                      return (
                        <TableRow key={entry.id}>
                          <TableCell>
                            <input
                              type="checkbox"
                              className="tab-report-check"
                              aria-label={`Select ${entry.description || 'entry'} of ${display.date(entry.start)}`}
                              checked={selected.has(entry.id)}
                              onChange={() => toggle(entry.id)}
                            />
                          </TableCell>
                          <TableCell>{display.date(entry.start)}</TableCell>
                          <TableCell>{memberName.get(entry.userId) ?? '—'}</TableCell>
                          <TableCell>{clients.nameOf(entry.clientId) ?? '—'}</TableCell>
                          <TableCell>{entry.description || '—'}</TableCell>
                          <TableCell>{amount ? formatMoney(amount) : '—'}</TableCell>
                        </TableRow>
                      );
                    })}
                  </TableBody>
                </Table>
              </TableContainer>
              {confirming && (
                <Modal
                  open
                  size="xs"
                  modalHeading={`Mark ${chosen.length === 1 ? '1 entry' : `${chosen.length} entries`} billed?`}
                  primaryButtonText="Mark billed"
                  secondaryButtonText="Cancel"
                  onRequestSubmit={() => void markBilled()}
                  onRequestClose={() => setConfirming(false)}
                >
                  <p data-testid="mark-billed-summary">
                    {chosen.length === 1 ? '1 entry' : `${chosen.length} entries`} worth {formatAmounts(chosenAmounts)}.
                  </p>
                  <p className="tab-muted">Billed entries are locked for everyone but admins; an admin can un-bill them.</p>
                </Modal>
              )}
            </>
          )}
        </section>
      )}
    </>
  );
}
