import { describe, expect, it, vi } from 'vitest';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createDisplay } from '../../time/display.js';
import { DisplayContext } from '../../time/display-context.js';
import { acme, makeEntry } from '../../test-support/time.js';
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
});
