import { describe, expect, it, vi } from 'vitest';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createDisplay } from '../../time/display.js';
import { DisplayContext } from '../../time/display-context.js';
import { acme, globex, makeEntry } from '../../test-support/time.js';
import { EntryModal } from './EntryModal.js';

describe('EntryModal', () => {
  it('titles a locked entry as read only, offers only Close, and never saves', async () => {
    const billed = makeEntry({ billedAt: '2026-11-24T00:00:00.000Z' });
    const save = vi.fn();
    const onClose = vi.fn();
    render(<EntryModal entry={billed} clients={[acme]} readOnlyReason="This entry has been billed and is locked." heading="Billed entry (read only)" save={save} onSaved={() => {}} onClose={onClose} />);
    const dialog = screen.getByRole('dialog', { name: 'Billed entry (read only)' });
    expect(within(dialog).queryByRole('button', { name: 'Save' })).toBeNull();
    expect(within(dialog).queryByRole('button', { name: 'Cancel' })).toBeNull();
    await userEvent.setup().click(within(dialog).getAllByRole('button', { name: 'Close' }).at(-1)!);
    expect(onClose).toHaveBeenCalled();
    expect(save).not.toHaveBeenCalled();
  });

  it('reads and writes start and end in the profile’s time zone, not the computer’s', async () => {
    const entry = makeEntry({ start: '2026-11-23T08:30:00.000Z', end: '2026-11-23T09:30:00.000Z' });
    const save = vi.fn(async (request) => ({ entry: { ...entry, ...request }, warnings: [], queued: false }));
    render(
      <DisplayContext.Provider value={createDisplay('Asia/Kolkata')}>
        <EntryModal entry={entry} clients={[acme]} save={save} onSaved={() => {}} onClose={() => {}} />
      </DisplayContext.Provider>,
    );
    const dialog = screen.getByRole('dialog', { name: 'Edit entry' });
    expect(within(dialog).getByLabelText('Start')).toHaveValue('2026-11-23T14:00');
    expect(within(dialog).getByLabelText('End')).toHaveValue('2026-11-23T15:00');
    const user = userEvent.setup();
    await user.clear(within(dialog).getByLabelText('End'));
    await user.type(within(dialog).getByLabelText('End'), '2026-11-23T15:30');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(save).toHaveBeenCalledWith(expect.objectContaining({ start: '2026-11-23T08:30:00.000Z', end: '2026-11-23T10:00:00.000Z' }), { mode: 'update', ownEntry: true });
  });

  it('a duration typed beside start and end sets the end; changing the end shows the new duration', async () => {
    const entry = makeEntry({ start: '2026-11-23T09:00:00.000Z', end: '2026-11-23T10:00:00.000Z' });
    const save = vi.fn(async (request) => ({ entry: { ...entry, ...request }, warnings: [], queued: false }));
    render(
      <DisplayContext.Provider value={createDisplay('UTC')}>
        <EntryModal entry={entry} clients={[acme]} save={save} onSaved={() => {}} onClose={() => {}} />
      </DisplayContext.Provider>,
    );
    const dialog = screen.getByRole('dialog', { name: 'Edit entry' });
    const duration = within(dialog).getByLabelText('Duration');
    expect(duration).toHaveValue('1:00');
    const user = userEvent.setup();
    await user.clear(duration);
    await user.type(duration, '1h30');
    expect(within(dialog).getByLabelText('End')).toHaveValue('2026-11-23T10:30');
    await user.clear(duration);
    await user.type(duration, 'later');
    expect(within(dialog).getByText('Type a duration such as 1:30, 1.5, 1h30 or 90m.')).toBeInTheDocument();
    await user.clear(within(dialog).getByLabelText('End'));
    await user.type(within(dialog).getByLabelText('End'), '2026-11-23T11:15');
    expect(duration).toHaveValue('2:15');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(save).toHaveBeenCalledWith(expect.objectContaining({ end: '2026-11-23T11:15:00.000Z', matterId: null, activityId: null }), { mode: 'update', ownEntry: true });
  });

  it("offers the chosen client's open matters and open activities, keeps the entry's closed matter and archived activity, and saves the picks", async () => {
    const matter = (id: string, clientId: string, code: string, closed = false) => ({ id, clientId, code, name: `${code} work`, billingType: 'hourly' as const, fixedFeeCents: null, budget: null, rounding: null, closed, closedAt: null, createdAt: '', updatedAt: '' });
    const matters = [matter('m-tax', acme.id, 'TAX'), matter('m-old', acme.id, 'OLD', true), matter('m-gone', acme.id, 'GONE', true), matter('m-audit', globex.id, 'AUDIT')];
    const activities = [{ id: 'a-book', name: 'Bookkeeping', archived: false, createdAt: '', updatedAt: '' }, { id: 'a-retired', name: 'Retired', archived: true, createdAt: '', updatedAt: '' }, { id: 'a-other', name: 'Other old', archived: true, createdAt: '', updatedAt: '' }];
    const entry = makeEntry({ matterId: 'm-old', activityId: 'a-retired' });
    const save = vi.fn(async (request) => ({ entry: { ...entry, ...request }, warnings: [], queued: false }));
    render(<EntryModal entry={entry} clients={[acme, globex]} matters={matters} activities={activities} save={save} onSaved={() => {}} onClose={() => {}} />);
    const dialog = screen.getByRole('dialog', { name: 'Edit entry' });
    const options = (label: string) => [...within(dialog).getByLabelText(label).querySelectorAll('option')].map((o) => o.textContent);
    expect(options('Matter')).toEqual(['No matter', 'TAX · TAX work', 'OLD · OLD work (closed)']);
    expect(within(dialog).getByLabelText('Matter')).toHaveValue('m-old');
    expect(options('Activity')).toEqual(['No activity', 'Bookkeeping', 'Retired (archived)']);
    const user = userEvent.setup();
    await user.selectOptions(within(dialog).getByLabelText('Client'), globex.id);
    expect(options('Matter')).toEqual(['No matter', 'AUDIT · AUDIT work']);
    expect(within(dialog).getByLabelText('Matter')).toHaveValue('');
    await user.selectOptions(within(dialog).getByLabelText('Matter'), 'm-audit');
    await user.selectOptions(within(dialog).getByLabelText('Activity'), 'a-book');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(save).toHaveBeenCalledWith(expect.objectContaining({ clientId: globex.id, matterId: 'm-audit', activityId: 'a-book' }), { mode: 'update', ownEntry: true });
  });

  it('a new entry offers no matter until a client is chosen', async () => {
    const save = vi.fn();
    render(<EntryModal entry={null} clients={[acme]} matters={[]} activities={[]} save={save} onSaved={() => {}} onClose={() => {}} />);
    const dialog = screen.getByRole('dialog', { name: 'Add entry' });
    expect(within(dialog).getByLabelText('Matter')).toBeDisabled();
    await userEvent.setup().selectOptions(within(dialog).getByLabelText('Client'), acme.id);
    expect(within(dialog).getByLabelText('Matter')).toBeEnabled();
  });
});
