import { useEffect, useState } from 'react';
import { Button, ComboBox, Select, SelectItem, Toggle } from '@carbon/react';
import { TextInput } from '../Fields/index.js';
import { Play, StopFilledAlt } from '@carbon/icons-react';
import type { Activity, Matter } from '../../../shared/api/billing.js';
import type { Client, TimeEntry } from '../../../shared/api/time.js';
import type { TimeWrites } from '../../backend/backend.js';
import { callErrorMessage } from '../../auth/messages.js';
import { useSecondTick } from '../../hooks/useNow.js';
import { formatElapsed } from '../../time/format.js';
import { PageNotification } from '../PageNotification/index.js';
import './TimerBar.scss';

export interface TimerBarProps {
  writes: Pick<TimeWrites, 'startTimer' | 'stopTimer'>;
  /** Every client; archived ones are not offered (but still named when a timer runs on one). */
  clients: Client[] | null;
  /** The running timer as last loaded (server dashboard, or the desktop's local queue). */
  running: TimeEntry | null;
  /** Called after a start or a stop, so that the page reloads its figures. */
  onChanged(): void;
  /** Open matters (the chosen client's are offered) and activity codes; left out, the bar offers neither. */
  matters?: Matter[] | null;
  activities?: Activity[] | null;
}

/**
 * Client, matter and activity (when the page gives them), description, billable, Start/Stop and the elapsed time, ticking
 * every second while a timer runs. After a start or stop the bar shows the
 * new state at once, until the page has reloaded the running timer.
 */
export function TimerBar({ writes, clients, running, onChanged, matters, activities }: TimerBarProps) {
  const [clientId, setClientId] = useState<string | null>(null);
  const [matterId, setMatterId] = useState('');
  const [activityId, setActivityId] = useState('');
  const [description, setDescription] = useState('');
  const [billable, setBillable] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // What this bar just did, shown until the next answer about the running timer arrives. (Comparing
  // with the answer it replaced is not enough: "none ran" before a start and "none runs" after another
  // device's stop are both null.)
  const [local, setLocal] = useState<{ entry: TimeEntry | null } | null>(null);
  useEffect(() => setLocal(null), [running]);
  const current = local ? local.entry : running;
  const now = useSecondTick(current !== null);

  const open = (clients ?? []).filter((c) => !c.archived);
  const selected = open.find((c) => c.id === clientId) ?? null;
  const clientMatters = (matters ?? []).filter((m) => m.clientId === selected?.id && !m.closed);
  const openActivities = (activities ?? []).filter((a) => !a.archived);
  const runningMatter = current?.matterId ? (matters ?? []).find((m) => m.id === current.matterId) : undefined;
  const runningClient = current ? (clients ?? []).find((c) => c.id === current.clientId) : undefined;

  async function start() {
    if (!selected) return;
    setBusy(true);
    setError(null);
    try {
      const entry = await writes.startTimer({
        id: crypto.randomUUID(),
        clientId: selected.id,
        matterId: clientMatters.some((m) => m.id === matterId) ? matterId : null,
        activityId: activityId || null,
        description: description.trim(),
        billable,
      });
      setLocal({ entry });
      setDescription('');
      onChanged();
    } catch (caught) {
      setError(callErrorMessage(caught));
    } finally {
      setBusy(false);
    }
  }

  async function stop() {
    if (!current) return;
    setBusy(true);
    setError(null);
    try {
      await writes.stopTimer(current.id);
      setLocal({ entry: null });
      onChanged();
    } catch (caught) {
      setError(callErrorMessage(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="tab-timer-bar" aria-label="Timer" data-testid="timer-bar" data-running={current ? 'true' : 'false'}>
      {current ? (
        <div className="tab-timer-bar__running">
          <span className="tab-timer-bar__label">Running</span>
          <span className="tab-timer-bar__what">
            <strong>{runningClient?.name ?? 'Client'}</strong>
            {runningMatter && <> · {runningMatter.code}</>}
            {current.description && <> · {current.description}</>}
            {!current.billable && <span className="tab-muted"> · not billable</span>}
          </span>
        </div>
      ) : (
        <div className="tab-timer-bar__fields">
          <ComboBox<Client>
            id="tab-timer-client"
            className="tab-timer-bar__client"
            titleText="Client"
            placeholder={clients === null ? 'Loading clients…' : open.length === 0 ? 'No clients yet' : 'Choose a client'}
            items={open}
            itemToString={(item) => item?.name ?? ''}
            selectedItem={selected}
            onChange={({ selectedItem }) => {
              setClientId(selectedItem?.id ?? null);
              setMatterId('');
            }}
            disabled={busy || clients === null}
            size="md"
          />
          {matters !== undefined && (
            <Select id="tab-timer-matter" className="tab-timer-bar__pick" labelText="Matter" size="md" value={matterId} disabled={busy || clientMatters.length === 0} onChange={(event) => setMatterId(event.target.value)}>
              <SelectItem value="" text="No matter" />
              {clientMatters.map((m) => (
                <SelectItem key={m.id} value={m.id} text={`${m.code} ${m.name}`} />
              ))}
            </Select>
          )}
          {activities !== undefined && (
            <Select id="tab-timer-activity" className="tab-timer-bar__pick" labelText="Activity" size="md" value={activityId} disabled={busy || openActivities.length === 0} onChange={(event) => setActivityId(event.target.value)}>
              <SelectItem value="" text="No activity" />
              {openActivities.map((a) => (
                <SelectItem key={a.id} value={a.id} text={a.name} />
              ))}
            </Select>
          )}
          <TextInput
            id="tab-timer-description"
            className="tab-timer-bar__description"
            labelText="Description"
            placeholder="What are you working on?"
            value={description}
            maxLength={2000}
            onChange={(event) => setDescription(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Enter' && selected) void start();
            }}
            disabled={busy}
            size="md"
          />
          <Toggle
            id="tab-timer-billable"
            className="tab-timer-bar__billable"
            labelText="Billable"
            labelA="No"
            labelB="Yes"
            toggled={billable}
            onToggle={(checked: boolean) => setBillable(checked)}
            disabled={busy}
            size="sm"
          />
        </div>
      )}
      <div className="tab-timer-bar__actions">
        <span className="tab-timer-bar__elapsed" role="timer" aria-label="Elapsed time" data-testid="timer-elapsed">
          {formatElapsed(current ? now - Date.parse(current.start) : 0)}
        </span>
        {current ? (
          <Button kind="danger" size="md" renderIcon={StopFilledAlt} onClick={() => void stop()} disabled={busy}>
            Stop
          </Button>
        ) : (
          <Button kind="primary" size="md" renderIcon={Play} onClick={() => void start()} disabled={busy || !selected}>
            Start
          </Button>
        )}
      </div>
      {error && (
        <div className="tab-timer-bar__error">
          <PageNotification notice={{ kind: 'error', title: current ? 'The timer could not be stopped' : 'The timer could not be started', subtitle: error }} onClose={() => setError(null)} />
        </div>
      )}
    </section>
  );
}
