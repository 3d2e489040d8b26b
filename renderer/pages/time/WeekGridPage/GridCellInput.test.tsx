import { describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { GridCellInput } from './GridCellInput.js';

describe('GridCellInput', () => {
  it('shows h:mm, commits what was typed as whole minutes on Enter or leaving the cell', async () => {
    const onCommit = vi.fn();
    render(<GridCellInput ms={90 * 60_000} label="Acme, Monday" onCommit={onCommit} />);
    const cell = screen.getByRole('textbox', { name: 'Acme, Monday' });
    expect(cell).toHaveValue('1:30');
    await userEvent.clear(cell);
    await userEvent.type(cell, '1h45{Enter}');
    expect(onCommit).toHaveBeenLastCalledWith(105);
    await userEvent.clear(cell);
    await userEvent.type(cell, '2,5');
    await userEvent.tab();
    expect(onCommit).toHaveBeenLastCalledWith(150);
  });

  it('an emptied cell is 0; the same text again commits nothing', async () => {
    const onCommit = vi.fn();
    render(<GridCellInput ms={60 * 60_000} label="cell" onCommit={onCommit} />);
    const cell = screen.getByRole('textbox', { name: 'cell' });
    await userEvent.click(cell);
    await userEvent.tab();
    expect(onCommit).not.toHaveBeenCalled();
    await userEvent.clear(cell);
    await userEvent.tab();
    expect(onCommit).toHaveBeenCalledWith(0);
  });

  it('refuses what is not a duration, or more than a day, marking the cell and saving nothing', async () => {
    const onCommit = vi.fn();
    const onInvalid = vi.fn();
    render(<GridCellInput ms={0} label="cell" onCommit={onCommit} onInvalid={onInvalid} />);
    const cell = screen.getByRole('textbox', { name: 'cell' });
    await userEvent.type(cell, 'soon{Enter}');
    expect(cell).toHaveAttribute('aria-invalid', 'true');
    expect(onInvalid).toHaveBeenCalledWith('soon');
    await userEvent.clear(cell);
    await userEvent.type(cell, '25:00{Enter}');
    expect(onInvalid).toHaveBeenLastCalledWith('25:00');
    expect(onCommit).not.toHaveBeenCalled();
    await userEvent.type(cell, '{Escape}');
    expect(cell).toHaveValue('');
    expect(cell).not.toHaveAttribute('aria-invalid');
  });
});
