import { describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { shiftWeek, thisWeek } from '../../../shared/time/periods.js';
import { WeekStepper } from './WeekStepper.js';

describe('WeekStepper', () => {
  const zone = 'Europe/Lisbon';
  const current = thisWeek(Date.now(), zone).monday;

  it('steps a week back and forward; "This week" shows only on another week', async () => {
    const onChange = vi.fn();
    const { rerender } = render(<WeekStepper monday={current} zone={zone} onChange={onChange} />);
    expect(screen.queryByRole('button', { name: 'This week' })).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Previous week' }));
    await userEvent.click(screen.getByRole('button', { name: 'Next week' }));
    expect(onChange.mock.calls).toEqual([[shiftWeek({ monday: current }, -1, zone).monday], [shiftWeek({ monday: current }, 1, zone).monday]]);

    const earlier = shiftWeek({ monday: current }, -3, zone).monday;
    rerender(<WeekStepper monday={earlier} zone={zone} onChange={onChange} />);
    await userEvent.click(screen.getByRole('button', { name: 'This week' }));
    expect(onChange).toHaveBeenLastCalledWith(current);
  });
});
