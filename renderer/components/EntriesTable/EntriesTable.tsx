import { IconButton, Table, TableBody, TableCell, TableContainer, TableHead, TableHeader, TableRow, Tag } from '@carbon/react';
import { Edit, TrashCan, View } from '@carbon/icons-react';
import type { TimeEntry } from '../../../shared/api/time.js';
import { entryAmount, entryDurationMs, formatDuration, formatMoney } from '../../time/format.js';
import { useDisplay } from '../../time/display-context.js';
import type { ListedEntry } from '../../time/running.js';
import './EntriesTable.scss';

export interface EntriesTableProps {
  rows: ListedEntry[];
  clientName(clientId: string): string | undefined;
  now: number;
  /** Billed entries are locked for everyone but admins. */
  canChange(entry: TimeEntry): boolean;
  onEdit(entry: TimeEntry): void;
  onDelete(entry: TimeEntry): void;
  title?: string;
  description?: string;
}

const entryName = (entry: TimeEntry, client: string) => (entry.description ? `${client}: ${entry.description}` : `${client} entry`);

/** A time sheet: date, client, description, start–end, duration, billable, amount, billed, and actions. */
export function EntriesTable({ rows, clientName, now, canChange, onEdit, onDelete, title = 'Time entries', description }: EntriesTableProps) {
  const display = useDisplay();
  return (
    <TableContainer title={title} description={description} className="tab-entries-table">
      <Table aria-label={title} size="md">
        <TableHead>
          <TableRow>
            <TableHeader>Date</TableHeader>
            <TableHeader>Client</TableHeader>
            <TableHeader>Description</TableHeader>
            <TableHeader>Start–end</TableHeader>
            <TableHeader>Duration</TableHeader>
            <TableHeader>Billable</TableHeader>
            <TableHeader>Amount</TableHeader>
            <TableHeader>Billed</TableHeader>
            <TableHeader>
              <span className="tab-visually-hidden">Actions</span>
            </TableHeader>
          </TableRow>
        </TableHead>
        <TableBody>
          {rows.length === 0 && (
            <TableRow>
              <TableCell colSpan={9} className="tab-muted">
                No entries in this period.
              </TableCell>
            </TableRow>
          )}
          {rows.map(({ entry, pending, refused }) => {
            const client = clientName(entry.clientId) ?? 'Unknown client';
            const amount = entryAmount(entry, now);
            const changeable = canChange(entry);
            const name = entryName(entry, client);
            return (
              <TableRow key={entry.id} data-testid="entry-row" data-entry-id={entry.id}>
                <TableCell className="tab-entries-table__nowrap">{display.date(entry.start)}</TableCell>
                <TableCell>{client}</TableCell>
                <TableCell>
                  {entry.description || <span className="tab-muted">—</span>}
                  {pending && !refused && (
                    <Tag type="cool-gray" size="sm" className="tab-entries-table__tag">
                      Waiting to sync
                    </Tag>
                  )}
                  {refused && (
                    <Tag type="red" size="sm" className="tab-entries-table__tag" title={refused}>
                      Refused by the server
                    </Tag>
                  )}
                </TableCell>
                <TableCell className="tab-entries-table__nowrap">
                  {display.time(entry.start)}–{entry.end ? display.time(entry.end) : 'running'}
                </TableCell>
                <TableCell className="tab-entries-table__num">{formatDuration(entryDurationMs(entry, now))}</TableCell>
                <TableCell>{entry.billable ? 'Yes' : 'No'}</TableCell>
                <TableCell className="tab-entries-table__num">{amount ? formatMoney(amount) : '—'}</TableCell>
                <TableCell>
                  {entry.billedAt ? (
                    <Tag type="green" size="sm">
                      Billed
                    </Tag>
                  ) : (
                    <span className="tab-muted">No</span>
                  )}
                </TableCell>
                <TableCell className="tab-entries-table__actions">
                  <IconButton kind="ghost" size="sm" align="left" label={changeable ? `Edit ${name}` : `View ${name}`} onClick={() => onEdit(entry)}>
                    {changeable ? <Edit /> : <View />}
                  </IconButton>
                  {changeable && (
                    <IconButton kind="ghost" size="sm" align="left" label={`Delete ${name}`} onClick={() => onDelete(entry)}>
                      <TrashCan />
                    </IconButton>
                  )}
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </TableContainer>
  );
}
