import { useState } from 'react';
import { Button, InlineLoading, Modal } from '@carbon/react';
import { Add } from '@carbon/icons-react';
import type { TimeEntry } from '../../../../shared/api/time.js';
import type { SavedEntry } from '../../../backend/backend.js';
import { useSignedIn } from '../../../auth/auth-context.js';
import { callErrorMessage } from '../../../auth/messages.js';
import { EntriesTable } from '../../../components/EntriesTable/index.js';
import { EntryModal } from '../../../components/EntryModal/index.js';
import { PageNotification, type Notice } from '../../../components/PageNotification/index.js';
import { WeekStepper } from '../../../components/WeekStepper/index.js';
import { WeekSubmission, useOwnWeekApproval } from '../../../components/WeekSubmission/index.js';
import { TimerBar } from '../../../components/TimerBar/index.js';
import { useApiData } from '../../../hooks/useApiData.js';
import { useDocumentTitle } from '../../../hooks/useDocumentTitle.js';
import { useSecondTick } from '../../../hooks/useNow.js';
import { thisWeek, weekOf } from '../../../../shared/time/periods.js';
import { useDisplay } from '../../../time/display-context.js';
import { withQueuedWrites } from '../../../time/running.js';
import { useBillingRefs, useClients, useDashboard } from '../../../time/useTimeData.js';
import './EntriesPage.scss';

type Editing = { entry: TimeEntry | null } | null;

/** What a save tells the person: overlap warnings from the server, or that the desktop kept it locally. */
export function savedNotice(result: SavedEntry, verb = 'saved'): Notice {
  if (result.warnings.length > 0) {
    return { kind: 'warning', title: `Entry ${verb}, with a warning`, subtitle: result.warnings.map((w) => w.message).join(' ') };
  }
  if (result.queued) return { kind: 'info', title: `Entry ${verb} on this computer`, subtitle: 'It syncs with the server in the background.' };
  return { kind: 'success', title: `Entry ${verb}` };
}

/**
 * Your time sheet, one week (Monday to Sunday in your profile's time zone, the
 * same week the dashboard counts) at a time: the timer, the entries with edit
 * and delete, and manual entries.
 */
export function EntriesPage() {
  useDocumentTitle('Time entries');
  const { backend, user, timeVersion, timeChanged, sync } = useSignedIn();
  const display = useDisplay();
  const zone = display.timeZone;
  const [monday, setMonday] = useState(() => thisWeek(Date.now(), zone).monday);
  const [editing, setEditing] = useState<Editing>(null);
  const [deleting, setDeleting] = useState<TimeEntry | null>(null);
  const [deleteBusy, setDeleteBusy] = useState(false);
  const [notice, setNotice] = useState<Notice | null>(null);
  const { running } = useDashboard();
  const clients = useClients();
  const refs = useBillingRefs(timeVersion);
  const now = useSecondTick(running !== null);

  const week = weekOf(monday, zone);
  const entries = useApiData(
    () => backend.api.listEntries({ from: new Date(week.from).toISOString(), to: new Date(week.to).toISOString(), userId: user.id }),
    `${week.from}:${week.to}:${timeVersion}`,
  );
  const rows = withQueuedWrites(entries.data?.entries ?? [], sync?.queue, week.from, week.to);
  const isThisWeek = thisWeek(Date.now(), zone).monday === monday;
  // The week's approval (team timesheets): an approved week's entries are locked for their owner.
  const { approval, locked: approved } = useOwnWeekApproval(monday);
  const weekStarted = week.from <= Date.now();
  const lockedReason = (entry: TimeEntry) =>
    entry.billedAt !== null && user.role !== 'admin'
      ? 'This entry has been billed and is locked; only an admin can change it.'
      : approved && entry.userId === user.id
        ? 'This week has been approved, so its entries are locked. Ask your manager to reopen it.'
        : null;
  const canChange = (entry: TimeEntry) => lockedReason(entry) === null;

  async function confirmDelete() {
    if (!deleting) return;
    setDeleteBusy(true);
    try {
      await backend.deleteEntry(deleting.id);
      setNotice({ kind: 'success', title: backend.onSyncStatus ? 'Entry deleted on this computer' : 'Entry deleted' });
      setDeleting(null);
      timeChanged();
    } catch (caught) {
      setNotice({ kind: 'error', title: 'The entry was not deleted', subtitle: callErrorMessage(caught) });
      setDeleting(null);
    } finally {
      setDeleteBusy(false);
    }
  }

  return (
    <>
      <h1 className="tab-page__title">Time entries</h1>
      <TimerBar writes={backend} clients={clients.list} running={running} onChanged={timeChanged} matters={refs.matters} activities={refs.activities} />
      <PageNotification notice={notice} onClose={() => setNotice(null)} />
      <PageNotification notice={entries.error ? { kind: 'error', title: 'Entries could not be loaded', subtitle: entries.error } : null} />
      <div className="tab-week-nav">
        <h2 className="tab-week-nav__label" aria-live="polite">
          {isThisWeek ? 'This week' : 'Week'}: {display.weekLabel(monday)}
        </h2>
        <div className="tab-week-nav__buttons">
          <WeekStepper monday={monday} zone={zone} onChange={setMonday} />
          <Button kind="primary" size="md" renderIcon={Add} onClick={() => setEditing({ entry: null })} disabled={clients.list === null || approved}>
            Add entry
          </Button>
        </div>
      </div>
      <WeekSubmission monday={monday} weekStarted={weekStarted} approval={approval} onNotice={setNotice} />
      {entries.data === null && entries.loading ? (
        <InlineLoading description="Loading entries…" />
      ) : (
        <EntriesTable
          rows={rows}
          clientName={clients.nameOf}
          now={now}
          canChange={canChange}
          onEdit={(entry) => setEditing({ entry })}
          onDelete={setDeleting}
          title="Your entries"
          description={entries.data?.truncated ? 'Only the first entries of this week are shown.' : undefined}
        />
      )}
      {editing && clients.list && (
        <EntryModal
          entry={editing.entry}
          ownEntry={editing.entry === null || editing.entry.userId === user.id}
          clients={clients.list}
          matters={refs.matters}
          activities={refs.activities}
          readOnlyReason={editing.entry ? lockedReason(editing.entry) : null}
          heading={editing.entry && !canChange(editing.entry) ? (editing.entry.billedAt !== null ? 'Billed entry (read only)' : 'Approved week (read only)') : undefined}
          save={(request, options) => backend.saveEntry(request, options)}
          onClose={() => setEditing(null)}
          onSaved={(result) => {
            setEditing(null);
            setNotice(savedNotice(result));
            timeChanged();
          }}
        />
      )}
      {deleting && (
        <Modal
          open
          danger
          size="xs"
          modalHeading="Delete this entry?"
          primaryButtonText={deleteBusy ? 'Deleting…' : 'Delete'}
          secondaryButtonText="Cancel"
          primaryButtonDisabled={deleteBusy}
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
