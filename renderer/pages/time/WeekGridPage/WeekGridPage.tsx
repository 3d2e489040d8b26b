import { useMemo, useState } from 'react';
import { Button, InlineLoading, Modal, Select, SelectItem, Table, TableBody, TableCell, TableContainer, TableHead, TableHeader, TableRow } from '@carbon/react';
import { TextInput } from '../../../components/Fields/index.js';
import { Add, Copy } from '@carbon/icons-react';
import type { TimeEntry } from '../../../../shared/api/time.js';
import { formatDuration } from '../../../../shared/time/duration.js';
import { shiftWeek, thisWeek, weekOf } from '../../../../shared/time/periods.js';
import { buildWeekGrid, cellAction, rowKeyOf, type GridRow, type GridRowKey } from '../../../../shared/time/week-grid.js';
import { useSignedIn } from '../../../auth/auth-context.js';
import { callErrorMessage } from '../../../auth/messages.js';
import { PageNotification, type Notice } from '../../../components/PageNotification/index.js';
import { WeekStepper } from '../../../components/WeekStepper/index.js';
import { WeekSubmission, useOwnWeekApproval } from '../../../components/WeekSubmission/index.js';
import { useApiData } from '../../../hooks/useApiData.js';
import { useDocumentTitle } from '../../../hooks/useDocumentTitle.js';
import { useDisplay } from '../../../time/display-context.js';
import { useClients } from '../../../time/useTimeData.js';
import { GridCellInput } from './GridCellInput.js';
import './WeekGridPage.scss';

type PendingCreate = { row: GridRowKey; start: number; end: number; description: string };

/**
 * The weekly timesheet grid (issue #14 item 6): your week, rows client /
 * matter / activity, a cell per day. Typing into a cell follows the shared
 * rule (shared/time/week-grid.ts): an empty cell makes one entry (from the
 * end of your last entry that day, or 09:00), a cell of one entry moves that
 * entry's end, a cell of several opens them as a list. Writes go through the
 * backend, so the desktop queues them offline like every other entry.
 */
export function WeekGridPage() {
  useDocumentTitle('My week');
  const { backend, timeVersion, timeChanged } = useSignedIn();
  const display = useDisplay();
  const zone = display.timeZone;
  const [monday, setMonday] = useState(() => thisWeek(Date.now(), zone).monday);
  const [extraRows, setExtraRows] = useState<Record<string, GridRowKey[]>>({});
  const [notice, setNotice] = useState<Notice | null>(null);
  const [listing, setListing] = useState<TimeEntry[] | null>(null);
  const [pending, setPending] = useState<PendingCreate | null>(null);
  const [adding, setAdding] = useState<GridRowKey>({ clientId: '', matterId: null, activityId: null });
  const clients = useClients();
  const matters = useApiData(() => backend.api.listMatters({ includeClosed: false }), timeVersion);
  const activities = useApiData(() => backend.api.listActivities(), 0);
  const grid = useApiData(() => backend.api.getWeekGrid(monday), `${monday}:${timeVersion}`);

  const week = weekOf(monday, zone);
  // An approved week is locked for its owner (the server refuses the write): its cells are shown, not offered for typing.
  const { approval, locked } = useOwnWeekApproval(monday);
  const entries = useMemo(() => grid.data?.entries ?? [], [grid.data]);
  const view = useMemo(
    () =>
      buildWeekGrid(
        entries.map((e) => ({ id: e.id, clientId: e.clientId, matterId: e.matterId, activityId: e.activityId, start: Date.parse(e.start), end: e.end === null ? null : Date.parse(e.end) })),
        week,
        Date.now(),
        extraRows[monday] ?? [],
      ),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the week is a function of monday and zone
    [entries, monday, zone, extraRows],
  );
  const matterOf = useMemo(() => new Map((matters.data?.matters ?? []).map((m) => [m.id, m])), [matters.data]);
  const activityName = useMemo(() => new Map((activities.data?.activities ?? []).map((a) => [a.id, a.name])), [activities.data]);
  const rowLabel = (row: GridRowKey) =>
    [clients.nameOf(row.clientId) ?? 'Client', row.matterId ? (matterOf.get(row.matterId)?.code ?? 'Matter') : null, row.activityId ? (activityName.get(row.activityId) ?? 'Activity') : null]
      .filter(Boolean)
      .join(' · ');

  function addRows(rows: GridRowKey[]) {
    setExtraRows((all) => {
      const known = new Set([...(all[monday] ?? []), ...view.rows].map(rowKeyOf));
      return { ...all, [monday]: [...(all[monday] ?? []), ...rows.filter((r) => !known.has(rowKeyOf(r)))] };
    });
  }

  async function copyLastWeek() {
    try {
      const last = await backend.api.getWeekGrid(shiftWeek({ monday }, -1, zone).monday);
      if (last.rows.length === 0) setNotice({ kind: 'info', title: 'Last week has no rows to copy' });
      addRows(last.rows.map(({ clientId, matterId, activityId }) => ({ clientId, matterId, activityId })));
    } catch (caught) {
      setNotice({ kind: 'error', title: "Last week's rows could not be read", subtitle: callErrorMessage(caught) });
    }
  }

  async function create(p: PendingCreate) {
    const request = {
      id: crypto.randomUUID(),
      clientId: p.row.clientId,
      matterId: p.row.matterId,
      activityId: p.row.activityId,
      description: p.description,
      start: new Date(p.start).toISOString(),
      end: new Date(p.end).toISOString(),
      billable: true,
    };
    await backend.saveEntry(request, { mode: 'create', ownEntry: true });
  }

  async function typed(row: GridRow, day: number, minutes: number) {
    const cell = row.cells[day]!;
    const date = week.days[day]!;
    const dayEntries = entries
      .filter((e) => Date.parse(e.start) >= date.start && Date.parse(e.start) < date.end)
      .map((e) => ({ id: e.id, clientId: e.clientId, matterId: e.matterId, activityId: e.activityId, start: Date.parse(e.start), end: e.end === null ? null : Date.parse(e.end) }));
    const action = cellAction(cell, minutes, dayEntries, zone);
    try {
      switch (action.kind) {
        case 'none':
          return;
        case 'list':
          setListing(entries.filter((e) => action.entryIds.includes(e.id)));
          return;
        case 'running':
          setNotice({ kind: 'info', title: 'This cell’s timer is running', subtitle: 'Stop the timer first; then its time can be changed here.' });
          return;
        case 'delete':
          await backend.deleteEntry(action.entryId);
          break;
        case 'set-end': {
          const e = entries.find((x) => x.id === action.entryId)!;
          const { id, clientId, matterId, activityId, description, start, billable } = e;
          await backend.saveEntry({ id, clientId, matterId, activityId, description, start, end: new Date(action.end).toISOString(), billable }, { mode: 'update', ownEntry: true });
          break;
        }
        case 'create':
          if (grid.data?.descriptionRequired) {
            setPending({ row, start: action.start, end: action.end, description: '' });
            return;
          }
          await create({ row, start: action.start, end: action.end, description: '' });
          break;
      }
      timeChanged();
      await grid.reload();
    } catch (caught) {
      setNotice({ kind: 'error', title: 'The time was not saved', subtitle: callErrorMessage(caught) });
    }
  }

  const clientMatters = (matters.data?.matters ?? []).filter((m) => m.clientId === adding.clientId);
  const isThisWeek = thisWeek(Date.now(), zone).monday === monday;
  const cellText = (ms: number) => (ms === 0 ? '' : formatDuration(ms));

  return (
    <>
      <h1 className="tab-page__title">My week</h1>
      <PageNotification notice={notice} onClose={() => setNotice(null)} />
      <PageNotification notice={grid.error ? { kind: 'error', title: 'The week could not be loaded', subtitle: grid.error } : null} />
      <div className="tab-week-nav">
        <h2 className="tab-week-nav__label" aria-live="polite">
          {isThisWeek ? 'This week' : 'Week'}: {display.weekLabel(monday)}
        </h2>
        <div className="tab-week-nav__buttons">
          <WeekStepper monday={monday} zone={zone} onChange={setMonday} />
          <Button kind="tertiary" size="md" renderIcon={Copy} disabled={locked} onClick={() => void copyLastWeek()}>
            Copy last week’s rows
          </Button>
        </div>
      </div>
      <WeekSubmission monday={monday} weekStarted={week.from <= Date.now()} approval={approval} onNotice={setNotice} />
      {locked && <p className="tab-muted" data-testid="week-locked">This week has been approved, so its entries are locked. Ask your manager to reopen it.</p>}

      <div className="tab-grid__add">
        <Select id="tab-grid-client" labelText="Client" size="md" value={adding.clientId} onChange={(e) => setAdding({ clientId: e.target.value, matterId: null, activityId: adding.activityId })}>
          <SelectItem value="" text="Choose a client" />
          {(clients.list ?? []).filter((c) => !c.archived).map((c) => <SelectItem key={c.id} value={c.id} text={c.name} />)}
        </Select>
        <Select id="tab-grid-matter" labelText="Matter" size="md" value={adding.matterId ?? ''} disabled={clientMatters.length === 0} onChange={(e) => setAdding({ ...adding, matterId: e.target.value || null })}>
          <SelectItem value="" text="No matter" />
          {clientMatters.map((m) => <SelectItem key={m.id} value={m.id} text={`${m.code} ${m.name}`} />)}
        </Select>
        <Select id="tab-grid-activity" labelText="Activity" size="md" value={adding.activityId ?? ''} onChange={(e) => setAdding({ ...adding, activityId: e.target.value || null })}>
          <SelectItem value="" text="No activity" />
          {(activities.data?.activities ?? []).filter((a) => !a.archived).map((a) => <SelectItem key={a.id} value={a.id} text={a.name} />)}
        </Select>
        <Button kind="secondary" size="md" renderIcon={Add} disabled={adding.clientId === '' || locked} onClick={() => addRows([adding])}>
          Add row
        </Button>
      </div>

      {grid.data === null && grid.loading ? (
        <InlineLoading description="Loading the week…" />
      ) : (
        <TableContainer title="Hours by day" description={`Type 1:30, 1.5, 1h30 or 90m into a cell. Days in ${zone}; an entry counts on the day it starts.`}>
          <Table aria-label="My week, hours by day" size="md" data-testid="week-grid">
            <TableHead>
              <TableRow>
                <TableHeader>Client · matter · activity</TableHeader>
                {week.days.map((d) => (
                  <TableHeader key={d.date} className="tab-grid__num">
                    {display.day(d.date)}
                  </TableHeader>
                ))}
                <TableHeader className="tab-grid__num">Total</TableHeader>
              </TableRow>
            </TableHead>
            <TableBody>
              {view.rows.length === 0 && (
                <TableRow>
                  <TableCell colSpan={9} className="tab-muted">
                    No rows yet: add one above, or copy last week’s.
                  </TableCell>
                </TableRow>
              )}
              {view.rows.map((row) => (
                <TableRow key={row.key} data-testid="grid-row">
                  <TableCell>{rowLabel(row)}</TableCell>
                  {row.cells.map((cell, i) => (
                    <TableCell key={cell.date} className="tab-grid__num">
                      <GridCellInput ms={cell.ms} label={`${rowLabel(row)}, ${display.day(cell.date)}`} disabled={locked} onCommit={(minutes) => void typed(row, i, minutes)}
                        onInvalid={(text) => setNotice({ kind: 'error', title: `“${text}” is not a duration`, subtitle: 'Type 1:30, 1.5, 1h30 or 90m (at most 24 hours); nothing was saved.' })}
                      />
                    </TableCell>
                  ))}
                  <TableCell className="tab-grid__num" data-testid="row-total">
                    {formatDuration(row.totalMs)}
                  </TableCell>
                </TableRow>
              ))}
              <TableRow className="tab-grid__total" data-testid="grid-total">
                <TableCell>Total</TableCell>
                {view.dayTotalsMs.map((ms, i) => (
                  <TableCell key={i} className="tab-grid__num">
                    {cellText(ms)}
                  </TableCell>
                ))}
                <TableCell className="tab-grid__num">{formatDuration(view.totalMs)}</TableCell>
              </TableRow>
            </TableBody>
          </Table>
        </TableContainer>
      )}

      {listing && (
        <Modal open passiveModal size="sm" modalHeading="Several entries in this cell" onRequestClose={() => setListing(null)}>
          <p className="tab-muted">Change them one by one on the Entries page; the grid does not guess which one you meant.</p>
          <ul className="tab-grid__list">
            {listing.map((e) => (
              <li key={e.id}>
                {display.time(e.start)}–{e.end ? display.time(e.end) : 'running'} · {formatDuration((e.end ? Date.parse(e.end) : Date.now()) - Date.parse(e.start))}
                {e.description ? ` · ${e.description}` : ''}
              </li>
            ))}
          </ul>
        </Modal>
      )}
      {pending && (
        <Modal
          open
          size="xs"
          modalHeading="What was the time spent on?"
          primaryButtonText="Save"
          secondaryButtonText="Cancel"
          primaryButtonDisabled={pending.description.trim() === ''}
          onRequestClose={() => setPending(null)}
          onRequestSubmit={() => {
            const p = pending;
            setPending(null);
            void create(p)
              .then(() => {
                timeChanged();
                return grid.reload();
              })
              .catch((caught: unknown) => setNotice({ kind: 'error', title: 'The time was not saved', subtitle: callErrorMessage(caught) }));
          }}
        >
          <TextInput
            id="tab-grid-description"
            labelText="Description (your firm requires one)"
            value={pending.description}
            onChange={(e) => setPending({ ...pending, description: e.target.value })}
          />
        </Modal>
      )}
    </>
  );
}
