import { describe, expect, it, vi } from 'vitest';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { acme, globex, makeEntry } from '../../test-support/time.js';
import { EntriesTable } from './EntriesTable.js';

const names = new Map([
  [acme.id, acme.name],
  [globex.id, globex.name],
]);
const now = Date.parse('2026-11-23T12:00:00.000Z');

describe('EntriesTable', () => {
  it('shows client, description, start–end, duration, billable, amount and billed per entry', () => {
    const done = makeEntry({ description: 'Year-end close', start: '2026-11-23T09:00:00.000Z', end: '2026-11-23T10:30:00.000Z', hourlyRateCents: 12000 });
    const internal = makeEntry({ clientId: globex.id, description: 'Admin', billable: false, currency: 'USD' });
    const billed = makeEntry({ description: 'Audit', billedAt: '2026-11-23T11:00:00.000Z' });
    const running = makeEntry({ description: 'Payroll', start: '2026-11-23T11:15:00.000Z', end: null });
    render(
      <EntriesTable
        rows={[done, internal, billed, running].map((entry) => ({ entry, pending: false, refused: null }))}
        clientName={(id) => names.get(id)}
        now={now}
        canChange={(e) => e.billedAt === null}
        onEdit={() => {}}
        onDelete={() => {}}
      />,
    );
    const rows = screen.getAllByTestId('entry-row');
    expect(rows).toHaveLength(4);
    const first = within(rows[0]!);
    expect(first.getByText('Acme Ltd')).toBeInTheDocument();
    expect(first.getByText('Year-end close')).toBeInTheDocument();
    expect(first.getByText('1:30')).toBeInTheDocument();
    expect(rows[0]).toHaveTextContent('180.00'); // 1.5 h × 120.00
    expect(rows[0]).toHaveTextContent('Yes');
    expect(within(rows[1]!).getByText('Globex')).toBeInTheDocument();
    expect(rows[1]).toHaveTextContent('No');
    expect(within(rows[2]!).getByText('Billed')).toBeInTheDocument();
    // Billed and locked: a view button, no delete.
    expect(within(rows[2]!).getByRole('button', { name: 'View Acme Ltd: Audit' })).toBeInTheDocument();
    expect(within(rows[2]!).queryByRole('button', { name: /^Delete/ })).toBeNull();
    // Running: counts up to now.
    expect(rows[3]).toHaveTextContent('running');
    expect(within(rows[3]!).getByText('0:45')).toBeInTheDocument();
  });

  it('has named edit and delete buttons, and marks unsynced and refused rows', async () => {
    const entry = makeEntry({ description: 'VAT return' });
    const refused = makeEntry({ description: 'Broken' });
    const onEdit = vi.fn();
    const onDelete = vi.fn();
    render(
      <EntriesTable
        rows={[
          { entry, pending: true, refused: null },
          { entry: refused, pending: true, refused: 'end must be after start' },
        ]}
        clientName={(id) => names.get(id)}
        now={now}
        canChange={() => true}
        onEdit={onEdit}
        onDelete={onDelete}
      />,
    );
    expect(screen.getByText('Waiting to sync')).toBeInTheDocument();
    expect(screen.getByText('Refused by the server')).toBeInTheDocument();
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Edit Acme Ltd: VAT return' }));
    expect(onEdit).toHaveBeenCalledWith(entry);
    await user.click(screen.getByRole('button', { name: 'Delete Acme Ltd: VAT return' }));
    expect(onDelete).toHaveBeenCalledWith(entry);
  });

  it('says when the period is empty', () => {
    render(<EntriesTable rows={[]} clientName={() => undefined} now={now} canChange={() => true} onEdit={() => {}} onDelete={() => {}} />);
    expect(screen.getByText('No entries in this period.')).toBeInTheDocument();
  });
});
