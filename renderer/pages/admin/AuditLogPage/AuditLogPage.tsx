import { useCallback, useEffect, useRef, useState } from 'react';
import { Button, InlineLoading, Select, SelectItem, Table, TableBody, TableCell, TableContainer, TableHead, TableHeader, TableRow } from '@carbon/react';
import { AUDIT_EVENT_TYPES, type AuditEvent, type AuditEventType, type AuditQuery } from '../../../../shared/api/admin.js';
import { ApiError } from '../../../../shared/api/client.js';
import { useSignedIn } from '../../../auth/auth-context.js';
import { callErrorMessage } from '../../../auth/messages.js';
import { PageNotification } from '../../../components/PageNotification/index.js';
import { useApiData } from '../../../hooks/useApiData.js';
import { useDocumentTitle } from '../../../hooks/useDocumentTitle.js';
import { SectionNav } from '../../../components/SectionNav/index.js';
import { useDisplay } from '../../../time/display-context.js';
import { detailText, shortId, typeText } from './audit-format.js';
import './AuditLogPage.scss';

export const AUDIT_PAGE_SIZE = 50;

interface Filters {
  userId: string;
  type: AuditEventType | '';
}

/** Who did what, newest first: filter by member and type, then page back with "Load more". */
export function AuditLogPage() {
  useDocumentTitle('Audit log');
  const { backend } = useSignedIn();
  const display = useDisplay();
  const api = backend.api;
  const members = useApiData(() => api.listMembers(), 'members');
  const [filters, setFilters] = useState<Filters>({ userId: '', type: '' });
  const [events, setEvents] = useState<AuditEvent[]>([]);
  const [nextBefore, setNextBefore] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const latest = useRef(0);

  const load = useCallback(
    async (before: string | null) => {
      const request = ++latest.current;
      setLoading(true);
      const query: AuditQuery = { limit: AUDIT_PAGE_SIZE };
      if (filters.userId) query.userId = filters.userId;
      if (filters.type) query.type = filters.type;
      if (before) query.before = before;
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
    [api, filters],
  );

  useEffect(() => {
    void load(null);
    const requests = latest; // a counter, not a DOM node: reading it at cleanup is the point
    return () => {
      requests.current++; // drop answers for old filters
    };
  }, [load]);

  const names = new Map((members.data?.members ?? []).map((m) => [m.id, m.name]));
  const who = (id: string | null) => (id === null ? '—' : (names.get(id) ?? shortId(id)));

  return (
    <>
      <h1 className="tab-page__title">Audit log</h1>
      <SectionNav />
      <div className="tab-audit__filters" role="search" aria-label="Filter the audit log">
        <Select
          id="tab-audit-member"
          labelText="Member"
          value={filters.userId}
          onChange={(e) => setFilters({ ...filters, userId: e.target.value })}
        >
          <SelectItem value="" text="All members" />
          {(members.data?.members ?? []).map((m) => (
            <SelectItem key={m.id} value={m.id} text={m.name} />
          ))}
        </Select>
        <Select
          id="tab-audit-type"
          labelText="Type"
          value={filters.type}
          onChange={(e) => setFilters({ ...filters, type: e.target.value as Filters['type'] })}
        >
          <SelectItem value="" text="All types" />
          {AUDIT_EVENT_TYPES.map((type) => (
            <SelectItem key={type} value={type} text={typeText(type)} />
          ))}
        </Select>
      </div>
      <PageNotification notice={error ? { kind: 'error', title: 'The audit log could not be loaded', subtitle: error } : null} />
      <TableContainer title="Events" description="Newest first. Times are in your time zone.">
        <Table aria-label="Audit events" size="sm" aria-busy={loading}>
          <TableHead>
            <TableRow>
              <TableHeader>Time</TableHeader>
              <TableHeader>Type</TableHeader>
              <TableHeader>Actor</TableHeader>
              <TableHeader>Target</TableHeader>
              <TableHeader>Session</TableHeader>
              <TableHeader>IP</TableHeader>
              <TableHeader>Detail</TableHeader>
            </TableRow>
          </TableHead>
          <TableBody>
            {events.map((event) => (
              <TableRow key={event.id} data-testid="audit-row">
                <TableCell className="tab-audit__nowrap">{display.dateTime(event.at)}</TableCell>
                <TableCell>{typeText(event.type)}</TableCell>
                <TableCell>{who(event.actorUserId)}</TableCell>
                <TableCell>{who(event.targetUserId)}</TableCell>
                <TableCell className="tab-audit__mono">{shortId(event.sessionId)}</TableCell>
                <TableCell>{event.ip ?? '—'}</TableCell>
                <TableCell className="tab-audit__detail">{detailText(event.detail) || '—'}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </TableContainer>
      {!loading && events.length === 0 && !error && <p className="tab-muted tab-audit__empty">No events match these filters.</p>}
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
