import { useState } from 'react';
import { InlineNotification, Modal, Select, SelectItem, Stack, Toggle } from '@carbon/react';
import { TextInput } from '../Fields/index.js';
import { ApiError } from '../../../shared/api/client.js';
import type { Activity, Matter } from '../../../shared/api/billing.js';
import type { Client, CreateEntryRequest, TimeEntry } from '../../../shared/api/time.js';
import type { SavedEntry, SaveEntryOptions } from '../../backend/backend.js';
import { callErrorMessage } from '../../auth/messages.js';
import type { Display } from '../../time/display.js';
import { useDisplay } from '../../time/display-context.js';
import { formatDuration, parseDuration } from '../../../shared/time/duration.js';

export interface EntryModalProps {
  /** The entry to edit; null for a new manual entry. */
  entry: TimeEntry | null;
  /** Whose entry it is, when editing: decides whether the desktop may queue the save. */
  ownEntry?: boolean;
  clients: Client[];
  /**
   * Matters and activity codes to pick from (the chosen client's matters only).
   * Closed matters and archived activities are left out unless the entry already
   * has them; left out entirely (undefined), the entry keeps what it has.
   */
  matters?: Matter[] | null;
  activities?: Activity[] | null;
  /** Why the entry cannot be changed (billed, not admin); shows the fields read-only, titled so. */
  readOnlyReason?: string | null;
  heading?: string;
  save(request: CreateEntryRequest, options: SaveEntryOptions): Promise<SavedEntry>;
  onSaved(result: SavedEntry): void;
  onClose(): void;
}

const QUARTER = 15 * 60_000;

/** The server's invalid_range message quotes UTC instants; "end after start" reads better in local terms. */
export function rangeMessage(serverMessage: string): string {
  if (/must be after/.test(serverMessage) && /start/.test(serverMessage)) return 'The end must be after the start.';
  return serverMessage.replace(/`/g, '');
}

/** A new entry: the last hour, to the quarter hour. */
function defaults(display: Display): { start: string; end: string } {
  const end = Math.floor(Date.now() / QUARTER) * QUARTER;
  return { start: display.inputValue(end - 3_600_000), end: display.inputValue(end) };
}

/**
 * Add or edit one entry: client, description, start and end (local time),
 * billable. The server checks the range; its `invalid_range` message shows
 * next to the end field. Saving an existing entry re-sends its id, so the save
 * is idempotent (and on the desktop replaces a refused queued write).
 */
/** What the matter and activity pickers offer: open ones, plus the entry's own even when closed or archived. */
export function pickerOptions(clientId: string, entry: TimeEntry | null, matters: Matter[], activities: Activity[]) {
  const keptMatter = entry?.clientId === clientId ? entry.matterId : null;
  const matterOptions = matters
    .filter((m) => m.clientId === clientId && (!m.closed || m.id === keptMatter))
    .map((m) => ({ id: m.id, text: `${m.code} · ${m.name}${m.closed ? ' (closed)' : ''}` }));
  // A closed matter may be missing from an open-only list: the entry still keeps it.
  if (keptMatter && !matterOptions.some((o) => o.id === keptMatter)) matterOptions.unshift({ id: keptMatter, text: 'This entry’s matter (closed)' });
  const activityOptions = activities
    .filter((a) => !a.archived || a.id === entry?.activityId)
    .map((a) => ({ id: a.id, text: a.archived ? `${a.name} (archived)` : a.name }));
  if (entry?.activityId && !activityOptions.some((o) => o.id === entry.activityId)) activityOptions.unshift({ id: entry.activityId, text: 'This entry’s activity (archived)' });
  return { matterOptions, activityOptions };
}

export function EntryModal({ entry, ownEntry = true, clients, matters, activities, readOnlyReason, heading, save, onSaved, onClose }: EntryModalProps) {
  // Start and end are typed in the person's own time zone, whatever the computer's.
  const display = useDisplay();
  const [initial] = useState(() => defaults(display));
  const [clientId, setClientId] = useState(entry?.clientId ?? '');
  const [description, setDescription] = useState(entry?.description ?? '');
  const [start, setStart] = useState(entry ? display.inputValue(entry.start) : initial.start);
  const [end, setEnd] = useState(entry ? display.inputValue(entry.end) : initial.end);
  const [billable, setBillable] = useState(entry?.billable ?? true);
  const [matterId, setMatterId] = useState(entry?.matterId ?? '');
  const [activityId, setActivityId] = useState(entry?.activityId ?? '');
  const { matterOptions, activityOptions } = pickerOptions(clientId, entry, matters ?? [], activities ?? []);
  // The duration beside start and end: typing 1:30, 1.5, 1h30 or 90m sets the end from the start.
  const spanText = (from: string, to: string) => {
    const [a, b] = [display.parseInput(from), display.parseInput(to)];
    return a && b && Date.parse(b) > Date.parse(a) ? formatDuration(Date.parse(b) - Date.parse(a)) : '';
  };
  const [duration, setDuration] = useState(() => spanText(entry ? display.inputValue(entry.start) : initial.start, entry ? display.inputValue(entry.end) : initial.end));
  const [durationError, setDurationError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [rangeError, setRangeError] = useState<string | null>(null);
  const [clientError, setClientError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [idForNew] = useState(() => crypto.randomUUID());
  const readOnly = Boolean(readOnlyReason);
  // A running entry may stay open-ended; a manual one needs its end.
  const endOptional = entry !== null && entry.end === null;
  const offered = clients.filter((c) => !c.archived || c.id === entry?.clientId);

  async function submit() {
    if (readOnly || busy) return;
    setError(null);
    setRangeError(null);
    setClientError(clientId ? null : 'Choose a client.');
    const startIso = display.parseInput(start);
    const endIso = end === '' && endOptional ? null : display.parseInput(end);
    if (!clientId) return;
    if (!startIso || (endIso === null && !endOptional)) {
      setRangeError(!startIso ? 'Enter the start date and time.' : 'Enter the end date and time.');
      return;
    }
    setBusy(true);
    try {
      const result = await save(
        {
          id: entry?.id ?? idForNew,
          clientId,
          // Without pickers they are kept as they are: a save re-sends the whole entry (the desktop's queued write is an upsert).
          matterId: matters === undefined ? (entry?.clientId === clientId ? (entry?.matterId ?? null) : null) : matterOptions.some((o) => o.id === matterId) ? matterId : null,
          activityId: activities === undefined ? (entry?.activityId ?? null) : activityId || null,
          description: description.trim(),
          start: startIso,
          end: endIso,
          billable,
        },
        { mode: entry ? 'update' : 'create', ownEntry },
      );
      onSaved(result);
    } catch (caught) {
      if (caught instanceof ApiError && caught.code === 'invalid_range') setRangeError(rangeMessage(caught.message));
      else setError(callErrorMessage(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal
      open
      size="sm"
      // A locked entry says so in its title, and offers only Close (no disabled Save to puzzle over).
      modalHeading={heading ?? (readOnly ? 'Entry (read only)' : entry ? 'Edit entry' : 'Add entry')}
      primaryButtonText={readOnly ? 'Close' : busy ? 'Saving…' : 'Save'}
      secondaryButtonText={readOnly ? undefined : 'Cancel'}
      primaryButtonDisabled={busy}
      onRequestSubmit={() => (readOnly ? onClose() : void submit())}
      onRequestClose={onClose}
      data-testid="entry-modal"
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <Stack gap={5}>
          {readOnlyReason && <InlineNotification kind="info" lowContrast hideCloseButton title="Read only" subtitle={readOnlyReason} />}
          {error && <InlineNotification kind="error" lowContrast role="alert" hideCloseButton title="The entry was not saved" subtitle={error} />}
          <Select
            id="tab-entry-client"
            labelText="Client"
            value={clientId}
            onChange={(event) => {
              setClientId(event.target.value);
              // Matters belong to one client: another client starts with none.
              setMatterId(event.target.value === entry?.clientId ? (entry?.matterId ?? '') : '');
            }}
            disabled={readOnly}
            invalid={clientError !== null}
            invalidText={clientError ?? undefined}
          >
            <SelectItem value="" text="Choose a client" disabled hidden={clientId !== ''} />
            {offered.map((c) => (
              <SelectItem key={c.id} value={c.id} text={c.archived ? `${c.name} (archived)` : c.name} />
            ))}
          </Select>
          {matters !== undefined && (
            <Select id="tab-entry-matter" labelText="Matter" value={matterId} onChange={(event) => setMatterId(event.target.value)} disabled={readOnly || !clientId}>
              <SelectItem value="" text={clientId ? 'No matter' : 'Choose a client first'} />
              {matterOptions.map((o) => (
                <SelectItem key={o.id} value={o.id} text={o.text} />
              ))}
            </Select>
          )}
          {activities !== undefined && (
            <Select id="tab-entry-activity" labelText="Activity" value={activityId} onChange={(event) => setActivityId(event.target.value)} disabled={readOnly}>
              <SelectItem value="" text="No activity" />
              {activityOptions.map((o) => (
                <SelectItem key={o.id} value={o.id} text={o.text} />
              ))}
            </Select>
          )}
          <TextInput
            id="tab-entry-description"
            labelText="Description"
            value={description}
            maxLength={2000}
            onChange={(event) => setDescription(event.target.value)}
            readOnly={readOnly}
          />
          <TextInput
            id="tab-entry-start"
            type="datetime-local"
            labelText="Start"
            value={start}
            onChange={(event) => {
              setStart(event.target.value);
              setDuration(spanText(event.target.value, end));
            }}
            readOnly={readOnly}
            invalid={rangeError !== null && start === ''}
            invalidText="Enter the start date and time."
          />
          <TextInput
            id="tab-entry-duration"
            labelText="Duration"
            helperText="1:30, 1.5, 1h30 or 90m: sets the end from the start"
            value={duration}
            inputMode="decimal"
            onChange={(event) => {
              const text = event.target.value;
              setDuration(text);
              const minutes = parseDuration(text);
              const startIso = display.parseInput(start);
              if (minutes === null || minutes === 0) {
                setDurationError(text.trim() === '' ? null : 'Type a duration such as 1:30, 1.5, 1h30 or 90m.');
                return;
              }
              setDurationError(null);
              if (startIso) setEnd(display.inputValue(Date.parse(startIso) + minutes * 60_000));
            }}
            readOnly={readOnly}
            invalid={durationError !== null}
            invalidText={durationError ?? undefined}
          />
          <TextInput
            id="tab-entry-end"
            type="datetime-local"
            labelText="End"
            helperText={endOptional ? 'Leave empty while the timer runs.' : undefined}
            value={end}
            onChange={(event) => {
              setEnd(event.target.value);
              setDuration(spanText(start, event.target.value));
              setDurationError(null);
            }}
            readOnly={readOnly}
            invalid={rangeError !== null}
            invalidText={rangeError ?? undefined}
          />
          <Toggle id="tab-entry-billable" labelText="Billable" labelA="No" labelB="Yes" toggled={billable} onToggle={(checked: boolean) => setBillable(checked)} disabled={readOnly} size="sm" />
          {/* Enter in a field submits; the visible buttons are the modal's own. */}
          <button type="submit" hidden aria-hidden="true" tabIndex={-1} />
        </Stack>
      </form>
    </Modal>
  );
}
