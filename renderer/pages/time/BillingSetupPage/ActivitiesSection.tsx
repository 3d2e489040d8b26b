import { useState } from 'react';
import { Button, IconButton, Table, TableBody, TableCell, TableContainer, TableHead, TableHeader, TableRow, Tag } from '@carbon/react';
import { TextInput } from '../../../components/Fields/index.js';
import { Add, Archive, Undo } from '@carbon/icons-react';
import type { Activity } from '../../../../shared/api/billing.js';
import { useSignedIn } from '../../../auth/auth-context.js';
import type { Notice } from '../../../components/PageNotification/index.js';
import { setupErrorMessage } from './messages.js';

const NAME_TAKEN = 'An activity code with that name already exists.';

/** The workspace's activity codes (shared by every client): add, archive, restore. Archived ones stay on the entries that have them. */
export function ActivitiesSection({ activities, onChanged, onNotice }: { activities: Activity[]; onChanged(): void; onNotice(notice: Notice): void }) {
  const { backend } = useSignedIn();
  const [name, setName] = useState('');
  const [busy, setBusy] = useState<string | null>(null);
  const [nameError, setNameError] = useState<string | null>(null);
  const list = [...activities].sort((a, b) => Number(a.archived) - Number(b.archived) || a.name.localeCompare(b.name));

  async function add() {
    if (name.trim() === '') {
      setNameError('Enter a name, such as Bookkeeping.');
      return;
    }
    setBusy('new');
    setNameError(null);
    try {
      const created = await backend.api.createActivity({ name: name.trim() });
      setName('');
      onNotice({ kind: 'success', title: `${created.name} added` });
      onChanged();
    } catch (caught) {
      setNameError(setupErrorMessage(caught, NAME_TAKEN));
    } finally {
      setBusy(null);
    }
  }

  async function setArchived(activity: Activity, archived: boolean) {
    setBusy(activity.id);
    try {
      await backend.api.updateActivity(activity.id, { archived });
      onNotice({ kind: 'success', title: archived ? `${activity.name} archived` : `${activity.name} restored` });
      onChanged();
    } catch (caught) {
      onNotice({ kind: 'error', title: 'The activity was not changed', subtitle: setupErrorMessage(caught, NAME_TAKEN) });
    } finally {
      setBusy(null);
    }
  }

  return (
    <TableContainer title="Activity codes" description="Shared by every client of the firm. An archived code is no longer offered; entries keep it.">
      <form
        className="tab-billing-setup__inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          void add();
        }}
      >
        <TextInput id="tab-activity-name" labelText="New activity code" placeholder="e.g. Tax return preparation" value={name} maxLength={100} onChange={(e) => setName(e.target.value)} invalid={nameError !== null} invalidText={nameError ?? undefined} />
        <Button type="submit" kind="tertiary" size="md" renderIcon={Add} disabled={busy !== null}>
          Add activity
        </Button>
      </form>
      <Table aria-label="Activity codes" size="md">
        <TableHead>
          <TableRow>
            <TableHeader>Name</TableHeader>
            <TableHeader>Status</TableHeader>
            <TableHeader>
              <span className="tab-visually-hidden">Actions</span>
            </TableHeader>
          </TableRow>
        </TableHead>
        <TableBody>
          {list.length === 0 && (
            <TableRow>
              <TableCell colSpan={3} className="tab-muted">
                No activity codes yet.
              </TableCell>
            </TableRow>
          )}
          {list.map((activity) => (
            <TableRow key={activity.id} data-testid="activity-row">
              <TableCell>{activity.name}</TableCell>
              <TableCell>
                <Tag type={activity.archived ? 'gray' : 'green'} size="sm">
                  {activity.archived ? 'Archived' : 'Active'}
                </Tag>
              </TableCell>
              <TableCell className="tab-entries-table__actions">
                <IconButton kind="ghost" size="sm" align="left" label={activity.archived ? `Restore ${activity.name}` : `Archive ${activity.name}`} onClick={() => void setArchived(activity, !activity.archived)} disabled={busy !== null}>
                  {activity.archived ? <Undo /> : <Archive />}
                </IconButton>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}
