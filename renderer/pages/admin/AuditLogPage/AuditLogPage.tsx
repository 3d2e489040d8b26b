import { useCallback, useEffect, useRef, useState } from 'react';
import { Button, InlineLoading, Select, SelectItem, Table, TableBody, TableCell, TableContainer, TableHead, TableHeader, TableRow } from '@carbon/react';
import { TextInput } from '../../../components/Fields/index.js';
import { Download } from '@carbon/icons-react';
import { AUDIT_EVENT_TYPES, type AuditEvent, type AuditEventType, type AuditExportQuery, type AuditQuery } from '../../../../shared/api/admin.js';
import { AUDIT_TYPE_TEXT, describeAuditEvent, isAuditLocation } from '../../../../shared/api/audit-text.js';
import { ApiError, auditCsvPath } from '../../../../shared/api/client.js';
import { daysPeriod, parseCivil } from '../../../../shared/time/periods.js';
import { useSignedIn } from '../../../auth/auth-context.js';
import { callErrorMessage } from '../../../auth/messages.js';
import { PageNotification } from '../../../components/PageNotification/index.js';
import { SectionNav } from '../../../components/SectionNav/index.js';
import { LocationCredit } from '../../../components/LocationCredit/index.js';
import { useApiData } from '../../../hooks/useApiData.js';
import { useDocumentTitle } from '../../../hooks/useDocumentTitle.js';
import { useDisplay } from '../../../time/display-context.js';
import './AuditLogPage.scss';

export const AUDIT_PAGE_SIZE = 50;

interface Filters {
  from: string;
  to: string;
  userId: string;
  type: AuditEventType | '';
}

/** Types by their words, for the filter. */
const TYPE_OPTIONS = [...AUDIT_EVENT_TYPES].sort((a, b) => AUDIT_TYPE_TEXT[a].localeCompare(AUDIT_TYPE_TEXT[b]));

/**
 * Security › Audit log: who did what in the firm, newest first, in sentences
 * (names and devices, not ids), filtered by days (in your time zone), person
 * and type; "Load more" pages back; the same rows download as CSV.
 */
export function AuditLogPage() {
  useDocumentTitle('Audit log');
  const { backend } = useSignedIn();
  const display = useDisplay();
  const api = backend.api;
  const members = useApiData(() => api.listMembers(), 'members');
  const [filters, setFilters] = useState<Filters>({ from: '', to: '', userId: '', type: '' });
  const [events, setEvents] = useState<AuditEvent[]>([]);
  const [nextBefore, setNextBefore] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const latest = useRef(0);

  const fromDay = filters.from ? parseCivil(filters.from) : null;
  const toDay = filters.to ? parseCivil(filters.to) : null;
  const rangeError = (filters.from && !fromDay) || (filters.to && !toDay) ? 'Enter a date.' : fromDay && toDay && filters.to < filters.from ? 'The end must not be before the start.' : null;
  // Days are the reader's own: from the start of the first to the end of the last, in their zone.
  const exportQuery: AuditExportQuery | null = rangeError
    ? null
    : {
        ...(filters.from ? { from: new Date(daysPeriod(filters.from, filters.from, display.timeZone).from).toISOString() } : {}),
        ...(filters.to ? { to: new Date(daysPeriod(filters.to, filters.to, display.timeZone).to).toISOString() } : {}),
        ...(filters.userId ? { userId: filters.userId } : {}),
        ...(filters.type ? { type: filters.type } : {}),
      };
  const exportKey = JSON.stringify(exportQuery);

  const load = useCallback(
    async (before: string | null) => {
      if (exportKey === 'null') return;
      const request = ++latest.current;
      setLoading(true);
      const query: AuditQuery = { ...(JSON.parse(exportKey) as AuditExportQuery), limit: AUDIT_PAGE_SIZE, ...(before ? { before } : {}) };
      try {
        const page = await api.listAuditEvents(query);
        if (request !== latest.current) return;
        setEvents((prev) => (before ? [...prev, ...page.events] : page.events));
        setNextBefore(page.nextBefore);
        setError(null);
      } catch (caught) {
        if (request !== latest.current || (caught instanceof ApiError && caught.isSignedOut)) return;
        setError(callErrorMessage(caught));
      } finally {
        if (request === latest.current) setLoading(false);
      }
    },
    [api, exportKey],
  );

  useEffect(() => {
    void load(null);
    const requests = latest; // a counter, not a DOM node: reading it at cleanup is the point
    return () => {
      requests.current++; // drop answers for old filters
    };
  }, [load]);

  return (
    <>
      <h1 className="tab-page__title">Audit log</h1>
      <SectionNav />
      <div className="tab-audit__filters" role="search" aria-label="Filter the audit log">
        <TextInput id="tab-audit-from" type="date" labelText="From" value={filters.from} onChange={(e) => setFilters({ ...filters, from: e.target.value })} invalid={!!rangeError && !!filters.from && !fromDay} invalidText="Enter a date." />
        <TextInput id="tab-audit-to" type="date" labelText="To (inclusive)" value={filters.to} onChange={(e) => setFilters({ ...filters, to: e.target.value })} invalid={!!rangeError && (!filters.from || !!fromDay)} invalidText={rangeError ?? undefined} />
        <Select id="tab-audit-member" labelText="Person" value={filters.userId} onChange={(e) => setFilters({ ...filters, userId: e.target.value })}>
          <SelectItem value="" text="Everyone" />
          {(members.data?.members ?? []).map((m) => (
            <SelectItem key={m.id} value={m.id} text={m.name} />
          ))}
        </Select>
        <Select id="tab-audit-type" labelText="Event" value={filters.type} onChange={(e) => setFilters({ ...filters, type: e.target.value as Filters['type'] })}>
          <SelectItem value="" text="All events" />
          {TYPE_OPTIONS.map((type) => (
            <SelectItem key={type} value={type} text={AUDIT_TYPE_TEXT[type]} />
          ))}
        </Select>
        {exportQuery &&
          (backend.kind === 'web' ? (
            <a className="cds--btn cds--btn--tertiary cds--btn--md tab-audit__csv" href={auditCsvPath(exportQuery)} download>
              Download CSV
              <Download className="cds--btn__icon" aria-hidden="true" />
            </a>
          ) : (
            <p className="tab-muted tab-audit__csv">CSV export: use TAB in a web browser.</p>
          ))}
      </div>
      <PageNotification notice={error ? { kind: 'error', title: 'The audit log could not be loaded', subtitle: error } : null} />
      <TableContainer title="Events" description={`Newest first. Times in ${display.timeZone}.`}>
        <Table aria-label="Audit events" size="sm" aria-busy={loading}>
          <TableHead>
            <TableRow>
              <TableHeader>Time</TableHeader>
              <TableHeader>Event</TableHeader>
              <TableHeader>What happened</TableHeader>
              <TableHeader>Device</TableHeader>
              <TableHeader>IP</TableHeader>
            </TableRow>
          </TableHead>
          <TableBody>
            {events.map((event) => (
              <TableRow key={event.id} data-testid="audit-row" data-type={event.type}>
                <TableCell className="tab-audit__nowrap">{display.dateTime(event.at)}</TableCell>
                <TableCell>{AUDIT_TYPE_TEXT[event.type] ?? event.type}</TableCell>
                <TableCell className="tab-audit__what">{describeAuditEvent(event)}</TableCell>
                <TableCell>{event.session?.label ?? '—'}</TableCell>
                <TableCell className="tab-audit__nowrap">{event.ip ?? '—'}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </TableContainer>
      {!loading && events.length === 0 && !error && <p className="tab-muted tab-audit__empty">No events match these filters.</p>}
      {events.some((e) => Object.values(e.detail).some(isAuditLocation)) && <LocationCredit api={api} />}
      <div className="tab-audit__more">
        {loading && <InlineLoading description="Loading events…" />}
        {!loading && nextBefore && (
          <Button kind="tertiary" onClick={() => void load(nextBefore)}>
            Load more
          </Button>
        )}
      </div>
    </>
  );
}
