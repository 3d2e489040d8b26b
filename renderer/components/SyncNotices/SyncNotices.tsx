import { useState } from 'react';
import { Button } from '@carbon/react';
import { WarningFilled } from '@carbon/icons-react';
import type { QueuedWrite } from '../../../shared/ipc/contract.js';
import { useSignedIn } from '../../auth/auth-context.js';
import { callErrorMessage } from '../../auth/messages.js';
import { useClients } from '../../time/useTimeData.js';
import type { Display } from '../../time/display.js';
import { useDisplay } from '../../time/display-context.js';
import { EntryModal } from '../EntryModal/index.js';
import { PageNotification, type Notice } from '../PageNotification/index.js';
import './SyncNotices.scss';

const OPERATION_NAMES: Record<QueuedWrite['operation'], string> = {
  save: 'Saved entry',
  delete: 'Deleted entry',
  'timer-start': 'Started timer',
  'timer-stop': 'Stopped timer',
};

/** "Saved entry “VAT return”, Mon 23 Nov 09:00" */
export function describeWrite(write: QueuedWrite, display: Display): string {
  const what = OPERATION_NAMES[write.operation];
  if (!write.entry) return what;
  const text = write.entry.description ? ` “${write.entry.description}”` : '';
  return `${what}${text}, ${display.date(write.entry.start)} ${display.time(write.entry.start)}`;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * Desktop only: the local write queue. How many changes wait to sync (or that
 * the app is offline and they are safe on this computer), and every write the
 * server refused, with its reason and a choice: fix it (Edit, which re-sends
 * it with the same id) or drop it (Discard). A refused write never blocks the
 * others.
 */
export function SyncNotices() {
  const { backend, sync, timeChanged } = useSignedIn();
  const [editing, setEditing] = useState<QueuedWrite | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const display = useDisplay();
  if (!sync) return null;

  const refused = sync.queue.filter((w) => w.refused !== null);
  const waiting = sync.queue.length - refused.length;

  async function discard(write: QueuedWrite) {
    if (!backend.discardQueuedWrite) return;
    setBusy(write.entryId);
    setNotice(null);
    try {
      await backend.discardQueuedWrite(write.entryId);
      timeChanged();
    } catch (caught) {
      setNotice({ kind: 'error', title: 'The change could not be discarded', subtitle: callErrorMessage(caught) });
    } finally {
      setBusy(null);
    }
  }

  return (
    <div className="tab-sync-notices" data-testid="sync-notices">
      {!sync.online ? (
        <PageNotification
          notice={{
            kind: 'warning',
            title: 'Offline — saved on this computer',
            subtitle:
              waiting > 0
                ? `${plural(waiting, 'change waits', 'changes wait')} here and will sync when TAB reaches the server again.`
                : 'Your time entries are kept on this computer and sync when TAB reaches the server again.',
          }}
        />
      ) : (
        waiting > 0 && (
          <p className="tab-sync-notices__waiting" role="status" data-testid="sync-waiting">
            {plural(waiting, 'change', 'changes')} waiting to sync
          </p>
        )
      )}
      <PageNotification notice={notice} onClose={() => setNotice(null)} />
      {refused.map((write) => {
        const titleId = `tab-refused-${write.entryId}`;
        return (
          // Not an InlineNotification: Carbon forbids buttons inside one, and this needs two.
          <section key={write.entryId} className="tab-refused" aria-labelledby={titleId} data-testid="refused-write">
            <WarningFilled size={20} className="tab-refused__icon" aria-hidden="true" />
            <div className="tab-refused__body">
              <h2 id={titleId} className="tab-refused__title">
                The server refused a change
              </h2>
              <p className="tab-refused__text" role="alert">
                {describeWrite(write, display)}: {write.refused?.message}
              </p>
              <p className="tab-refused__hint">It is kept on this computer until you fix or discard it; your other changes keep syncing.</p>
              <div className="tab-refused__actions">
                {write.entry && (
                  <Button kind="tertiary" size="sm" onClick={() => setEditing(write)} disabled={busy !== null}>
                    Edit
                  </Button>
                )}
                <Button kind="danger--ghost" size="sm" onClick={() => void discard(write)} disabled={busy !== null}>
                  Discard
                </Button>
              </div>
            </div>
          </section>
        );
      })}
      {editing?.entry && (
        <RefusedEntryEditor
          write={editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            timeChanged();
          }}
        />
      )}
    </div>
  );
}

function RefusedEntryEditor({ write, onClose, onSaved }: { write: QueuedWrite; onClose(): void; onSaved(): void }) {
  const { backend } = useSignedIn();
  const { list } = useClients();
  if (!write.entry || list === null) return null;
  return (
    <EntryModal
      entry={write.entry}
      clients={list}
      heading="Fix the refused entry"
      save={(request, options) => backend.saveEntry(request, options)}
      onSaved={onSaved}
      onClose={onClose}
    />
  );
}
