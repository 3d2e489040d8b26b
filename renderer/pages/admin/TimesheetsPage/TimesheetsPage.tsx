import { useEffect, useState } from 'react';
import {
  Button,
  InlineLoading,
  Modal,
  Select,
  SelectItem,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableHeader,
  TableRow,
} from '@carbon/react';
import { ApiError } from '../../../../shared/api/client.js';
import type { TimeEntry } from '../../../../shared/api/time.js';
import type { TimesheetWeek } from '../../../../shared/api/timesheets.js';
import { thisWeek } from '../../../../shared/time/periods.js';
import { formatDuration } from '../../../../shared/time/duration.js';
import { useSignedIn } from '../../../auth/auth-context.js';
import { callErrorMessage } from '../../../auth/messages.js';
import { ApprovalTag } from '../../../components/ApprovalTag/index.js';
import { EntriesTable } from '../../../components/EntriesTable/index.js';
import { EntryModal } from '../../../components/EntryModal/index.js';
import { PageNotification, type Notice } from '../../../components/PageNotification/index.js';
import { WeekStepper } from '../../../components/WeekStepper/index.js';
import { SectionNav } from '../../../components/SectionNav/index.js';
import { useApiData } from '../../../hooks/useApiData.js';
import { useDocumentTitle } from '../../../hooks/useDocumentTitle.js';
import { useNow } from '../../../hooks/useNow.js';
import { useDisplay } from '../../../time/display-context.js';
import { useClients } from '../../../time/useTimeData.js';
import { paths } from '../../../router/routes.js';
import { RouteLink, useRouter } from '../../../router/router.js';
import { chooseWeek } from './choose-week.js';
import './TimesheetsPage.scss';

/**
 * Team › Timesheets (managers and admins): the weeks waiting for approval, and
 * one member's week as rows per client and days as columns (in your zone),
 * with its entries to correct, and Approve / Reopen. The server decides who
 * may do what (a week with a running timer cannot be approved; an approved
 * week reopens by its approver within a day, or by an admin).
 */
export function TimesheetsPage(props: { memberId: string | null; monday: string | null }) {
  useDocumentTitle('Timesheets');
  const { backend, user, timeVersion, timeChanged } = useSignedIn();
  const api = backend.api;
  const display = useDisplay();
  const zone = display.timeZone;
  const now = useNow(30_000);
  const clients = useClients();
  const members = useApiData(() => api.listMembers(), 'members');
  const queue = useApiData(() => api.getWeekQueue(), `queue:${timeVersion}`);
  const people = members.data ? members.data.members.filter((m) => m.invitedAt === null) : null;
  const thisMonday = thisWeek(Date.now(), zone).monday;
  // The address says whose week and which; what it leaves open is chosen once the queue is in (see chooseWeek).
  const chosen = chooseWeek(props, { queue: queue.data?.weeks ?? (queue.error ? [] : null), people, selfId: user.id, thisMonday, zone });
  const { path, navigate } = useRouter();
  const chosenPath = chosen ? paths.timesheetWeek(chosen.memberId, chosen.monday) : null;
  useEffect(() => {
    // The address then names the member and week shown, so it can be shared, bookmarked and reloaded.
    // `ifAt`: unless the manager has already gone elsewhere (picked a member before the queue came in).
    if (chosenPath && chosenPath !== path) navigate(chosenPath, { replace: true, ifAt: path });
  }, [chosenPath, path, navigate]);
  const unknownMember = chosen !== null && people !== null && !people.some((m) => m.id === chosen.memberId);
  const memberId = chosen && !unknownMember ? chosen.memberId : null;
  const monday = chosen?.monday ?? thisMonday;
  // Each change is a step in the history (Back returns to the previous member or week); the view keeps its place.
  const show = (next: { memberId: string; monday: string }) => navigate(paths.timesheetWeek(next.memberId, next.monday), { keepScroll: true });
  const week = useApiData<TimesheetWeek | null>(
    () => (memberId ? api.getTimesheetWeek(memberId, monday) : Promise.resolve(null)),
    `${memberId}:${monday}:${timeVersion}`,
  );
  const [notice, setNotice] = useState<Notice | null>(null);
  const [busy, setBusy] = useState(false);
  const [editing, setEditing] = useState<TimeEntry | null>(null);
  const [deleting, setDeleting] = useState<TimeEntry | null>(null);
  const [unbilling, setUnbilling] = useState<TimeEntry | null>(null);
  // Only the week asked for: while another loads, the last one's figures are not shown under the new heading.
  const data = week.data && week.data.member.id === memberId && week.data.monday === monday ? week.data : null;
  const isThisWeek = thisMonday === monday;
  const canChange = (entry: TimeEntry) => entry.billedAt === null || user.role === 'admin';

  const act = async (what: 'approve' | 'reopen') => {
    if (!memberId || !data) return;
    setBusy(true);
    setNotice(null);
    try {
      const approval = what === 'approve' ? await api.approveWeek(memberId, monday) : await api.reopenWeek(memberId, monday);
      setNotice({
        kind: 'success',
        title: what === 'approve' ? `Approved ${data.member.name}’s week` : `Reopened ${data.member.name}’s week`,
        subtitle: approval.status === 'approved' ? 'Its entries are locked for them until it is reopened.' : 'They can change its entries and submit it again.',
      });
      timeChanged();
    } catch (error) {
      if (error instanceof ApiError && error.isSignedOut) return;
      setNotice({ kind: 'error', title: what === 'approve' ? 'The week was not approved' : 'The week was not reopened', subtitle: callErrorMessage(error) });
    } finally {
      setBusy(false);
      await Promise.all([week.reload(), queue.reload()]);
    }
  };

  async function confirmDelete() {
    if (!deleting) return;
    try {
      await api.deleteEntry(deleting.id);
      setNotice({ kind: 'success', title: 'Entry deleted', subtitle: `${data?.member.name ?? 'The member'} sees the change at once; the audit log keeps it.` });
      timeChanged();
    } catch (error) {
      setNotice({ kind: 'error', title: 'The entry was not deleted', subtitle: callErrorMessage(error) });
    } finally {
      setDeleting(null);
    }
  }

  async function confirmUnbill() {
    if (!unbilling) return;
    try {
      await api.unbill({ entryIds: [unbilling.id] });
      setNotice({ kind: 'success', title: 'Entry un-billed', subtitle: 'It counts as unbilled again and can be changed; the audit log keeps who did it.' });
      timeChanged();
    } catch (error) {
      setNotice({ kind: 'error', title: 'The entry was not un-billed', subtitle: callErrorMessage(error) });
    } finally {
      setUnbilling(null);
    }
  }

  return (
    <>
      <h1 className="tab-page__title">Timesheets</h1>
      <SectionNav />
      <PageNotification notice={notice} onClose={() => setNotice(null)} />

      <section aria-labelledby="tab-queue-title" className="tab-timesheet__section">
        <h2 id="tab-queue-title" className="tab-timesheet__heading">
          Waiting for approval
        </h2>
        {queue.data === null && queue.loading ? (
          <InlineLoading description="Loading…" />
        ) : (queue.data?.weeks.length ?? 0) === 0 ? (
          <p className="tab-muted">No week waits for approval.</p>
        ) : (
          <ul className="tab-timesheet__queue">
            {queue.data!.weeks.map((w) => (
              <li key={`${w.member.id}:${w.monday}`}>
                <RouteLink
                  to={paths.timesheetWeek(w.member.id, w.monday)}
                  className="cds--link tab-timesheet__queue-link"
                  data-testid="queue-item"
                  aria-current={w.member.id === memberId && w.monday === monday ? 'page' : undefined}
                >
                  {w.member.name} · {display.weekLabel(w.monday)}
                  {w.changedAfterApprovalAt ? ' · changed after approval' : ''}
                </RouteLink>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="tab-week-title" className="tab-timesheet__section">
        <div className="tab-timesheet__controls">
          <Select
            id="tab-timesheet-member"
            labelText="Member"
            className="tab-timesheet__member"
            value={memberId ?? ''}
            onChange={(event) => show({ memberId: event.target.value, monday })}
          >
            {memberId === null && <SelectItem value="" text={people === null ? 'Loading…' : 'Choose a member'} disabled hidden />}
            {(people ?? []).map((m) => (
              <SelectItem key={m.id} value={m.id} text={m.name} />
            ))}
          </Select>
          <div className="tab-timesheet__weeks">
            <WeekStepper monday={monday} zone={zone} onChange={(next) => chosen && show({ memberId: chosen.memberId, monday: next })} />
          </div>
        </div>
        <h2 id="tab-week-title" className="tab-timesheet__heading" aria-live="polite">
          {data ? `${data.member.name}, ` : ''}
          {isThisWeek ? 'this week' : 'week'}: {display.weekLabel(monday)}
        </h2>
        {unknownMember && (
          <PageNotification
            notice={{ kind: 'error', title: 'No such member', subtitle: 'The address names a member who is not in this workspace (or has not accepted their invitation). Choose one above.' }}
          />
        )}
        <PageNotification notice={week.error && !unknownMember ? { kind: 'error', title: 'The week could not be loaded', subtitle: week.error } : null} />
        {(chosen === null || (data === null && week.loading)) && <InlineLoading description="Loading the week…" />}
        {data && (
          <>
            <div className="tab-timesheet__status">
              <ApprovalTag approval={data.approval} />
              {data.timerRunning && (
                // Words, not a Tag: a Tag cuts a sentence this long to "Timer running: the week can …" even at 1280 px.
                <p className="tab-timesheet__note" data-testid="timer-running">
                  A timer is running in this week: it can be approved once the timer stops.
                </p>
              )}
              {data.approval.status === 'submitted' && (
                <Button kind="primary" size="sm" disabled={busy} onClick={() => void act('approve')}>
                  Approve week
                </Button>
              )}
              {data.approval.canReopen && (
                <Button kind="tertiary" size="sm" disabled={busy} onClick={() => void act('reopen')}>
                  {data.approval.status === 'approved' ? 'Reopen week' : 'Send back'}
                </Button>
              )}
            </div>
            <WeekTable week={data} />
            <div className="tab-timesheet__section">
              <EntriesTable
                rows={data.entries.map((entry) => ({ entry, pending: false, refused: null }))}
                clientName={clients.nameOf}
                now={now}
                canChange={canChange}
                onEdit={setEditing}
                onDelete={setDeleting}
                onUnbill={user.role === 'admin' ? setUnbilling : undefined}
                title={`${data.member.name}’s entries`}
                description="Corrections are recorded in the audit log, and the member sees who changed an entry."
              />
            </div>
          </>
        )}
      </section>

      {editing && clients.list && (
        <EntryModal
          entry={editing}
          ownEntry={editing.userId === user.id}
          clients={clients.list}
          readOnlyReason={!canChange(editing) ? 'This entry has been billed and is locked; only an admin can change it.' : null}
          heading={!canChange(editing) ? 'Billed entry (read only)' : `Correct ${data?.member.name ?? 'the member'}’s entry`}
          save={(request, options) => backend.saveEntry(request, options)}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            setNotice({ kind: 'success', title: 'Entry corrected', subtitle: `${data?.member.name ?? 'The member'} sees “changed by ${user.name}” on it.` });
            timeChanged();
          }}
        />
      )}
      {unbilling && (
        <Modal
          open
          size="xs"
          modalHeading="Un-bill this entry?"
          primaryButtonText="Un-bill"
          secondaryButtonText="Cancel"
          onRequestSubmit={() => void confirmUnbill()}
          onRequestClose={() => setUnbilling(null)}
        >
          <p>
            {clients.nameOf(unbilling.clientId) ?? 'Entry'}
            {unbilling.description ? `: ${unbilling.description}` : ''}
          </p>
          <p className="tab-muted">It counts as unbilled again and can be changed. Bill it again with Mark billed on the Reports page.</p>
        </Modal>
      )}
      {deleting && (
        <Modal
          open
          danger
          size="xs"
          modalHeading={`Delete ${data?.member.name ?? 'this member'}’s entry?`}
          primaryButtonText="Delete"
          secondaryButtonText="Cancel"
          onRequestSubmit={() => void confirmDelete()}
          onRequestClose={() => setDeleting(null)}
        >
          <p>
            {clients.nameOf(deleting.clientId) ?? 'Entry'}
            {deleting.description ? `: ${deleting.description}` : ''}
          </p>
        </Modal>
      )}
    </>
  );
}

/** Rows per client, days as columns, day and week totals (h:mm). */
function WeekTable({ week }: { week: TimesheetWeek }) {
  const display = useDisplay();
  const cell = (ms: number) => (ms === 0 ? '' : formatDuration(ms));
  return (
    <TableContainer title="Hours by client" description={`Days in ${week.timeZone}; an entry counts on the day it starts.`}>
      <Table aria-label="Hours by client and day" size="md" data-testid="week-table">
        <TableHead>
          <TableRow>
            <TableHeader>Client</TableHeader>
            {week.days.map((day) => (
              <TableHeader key={day} className="tab-timesheet__num">
                {display.day(day)}
              </TableHeader>
            ))}
            <TableHeader className="tab-timesheet__num">Total</TableHeader>
          </TableRow>
        </TableHead>
        <TableBody>
          {week.rows.length === 0 && (
            <TableRow>
              <TableCell colSpan={9} className="tab-muted">
                No time this week.
              </TableCell>
            </TableRow>
          )}
          {week.rows.map((row) => (
            <TableRow key={row.clientId} data-testid="week-row">
              <TableCell>{row.clientName}</TableCell>
              {row.days.map((ms, i) => (
                <TableCell key={i} className="tab-timesheet__num">
                  {cell(ms)}
                </TableCell>
              ))}
              <TableCell className="tab-timesheet__num">{formatDuration(row.totalMs)}</TableCell>
            </TableRow>
          ))}
          <TableRow className="tab-timesheet__total" data-testid="week-total">
            <TableCell>Total</TableCell>
            {week.dayTotals.map((ms, i) => (
              <TableCell key={i} className="tab-timesheet__num">
                {cell(ms)}
              </TableCell>
            ))}
            <TableCell className="tab-timesheet__num">{formatDuration(week.totalMs)}</TableCell>
          </TableRow>
        </TableBody>
      </Table>
    </TableContainer>
  );
}
