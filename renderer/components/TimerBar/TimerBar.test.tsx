import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { TimeEntry } from '../../../shared/api/time.js';
import { acme, globex, makeEntry, oldCo } from '../../test-support/time.js';
import { TimerBar } from './TimerBar.js';

afterEach(() => vi.useRealTimers());

function writes() {
  return {
    startTimer: vi.fn(async (req: { id?: string; clientId: string; description: string; billable: boolean }) =>
      makeEntry({ id: req.id, clientId: req.clientId, description: req.description, billable: req.billable, start: new Date().toISOString(), end: null }),
    ),
    stopTimer: vi.fn(async (id?: string) => makeEntry({ id })),
  };
}

describe('TimerBar', () => {
  it('offers only open clients and starts a timer with a fresh UUID, description and billable flag', async () => {
    const w = writes();
    const onChanged = vi.fn();
    render(<TimerBar writes={w} clients={[acme, globex, oldCo]} running={null} onChanged={onChanged} />);
    const user = userEvent.setup();
    expect(screen.getByRole('button', { name: 'Start' })).toBeDisabled();
    expect(screen.getByTestId('timer-elapsed')).toHaveTextContent('00:00:00');

    await user.click(screen.getByRole('combobox', { name: 'Client' }));
    expect(screen.queryByRole('option', { name: 'Old Co' })).toBeNull();
    await user.click(screen.getByRole('option', { name: 'Globex' }));
    await user.type(screen.getByLabelText('Description'), 'VAT return');
    await user.click(screen.getByRole('switch', { name: 'Billable' }));
    await user.click(screen.getByRole('button', { name: 'Start' }));

    expect(w.startTimer).toHaveBeenCalledTimes(1);
    const request = w.startTimer.mock.calls[0]![0];
    expect(request).toMatchObject({ clientId: globex.id, description: 'VAT return', billable: false });
    expect(request.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(onChanged).toHaveBeenCalledTimes(1);
    // Shows the running timer at once, before the page reloads.
    expect(await screen.findByRole('button', { name: 'Stop' })).toBeInTheDocument();
    expect(screen.getByTestId('timer-bar')).toHaveTextContent('Globex');
  });

  it('ticks the elapsed time every second as hh:mm:ss and stops that entry', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    vi.setSystemTime(new Date('2026-11-23T10:00:00.000Z'));
    const w = writes();
    const running: TimeEntry = makeEntry({ start: '2026-11-23T08:58:55.000Z', end: null, description: 'Payroll' });
    const onChanged = vi.fn();
    render(<TimerBar writes={w} clients={[acme]} running={running} onChanged={onChanged} />);
    expect(screen.getByTestId('timer-elapsed')).toHaveTextContent('01:01:05');
    expect(screen.getByTestId('timer-bar')).toHaveTextContent('Acme Ltd · Payroll');
    act(() => vi.advanceTimersByTime(1000));
    expect(screen.getByTestId('timer-elapsed')).toHaveTextContent('01:01:06');
    act(() => vi.advanceTimersByTime(60_000));
    expect(screen.getByTestId('timer-elapsed')).toHaveTextContent('01:02:06');

    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
    await user.click(screen.getByRole('button', { name: 'Stop' }));
    expect(w.stopTimer).toHaveBeenCalledWith(running.id);
    expect(onChanged).toHaveBeenCalled();
    expect(await screen.findByRole('button', { name: 'Start' })).toBeInTheDocument();
    expect(screen.getByTestId('timer-elapsed')).toHaveTextContent('00:00:00');
  });

  it('says why a start failed', async () => {
    const w = writes();
    w.startTimer.mockRejectedValueOnce(Object.assign(new Error('x'), {}));
    render(<TimerBar writes={w} clients={[acme]} running={null} onChanged={() => {}} />);
    const user = userEvent.setup();
    await user.click(screen.getByRole('combobox', { name: 'Client' }));
    await user.click(screen.getByRole('option', { name: 'Acme Ltd' }));
    await user.click(screen.getByRole('button', { name: 'Start' }));
    expect(await screen.findByText('The timer could not be started')).toBeInTheDocument();
  });

  it('after its own start, follows the next answers: the server’s running entry, then "none" when another device stopped it', async () => {
    const w = writes();
    const { rerender } = render(<TimerBar writes={w} clients={[acme]} running={null} onChanged={() => {}} />);
    const user = userEvent.setup();
    await user.click(screen.getByRole('combobox', { name: 'Client' }));
    await user.click(screen.getByRole('option', { name: 'Acme Ltd' }));
    await user.click(screen.getByRole('button', { name: 'Start' }));
    expect(screen.getByTestId('timer-bar')).toHaveAttribute('data-running', 'true');
    const started = makeEntry({ id: w.startTimer.mock.calls[0]![0].id, start: new Date().toISOString(), end: null });
    rerender(<TimerBar writes={w} clients={[acme]} running={started} onChanged={() => {}} />);
    expect(screen.getByTestId('timer-bar')).toHaveAttribute('data-running', 'true');
    // Stopped on the phone: the refetched dashboard says nothing runs.
    rerender(<TimerBar writes={w} clients={[acme]} running={null} onChanged={() => {}} />);
    expect(screen.getByTestId('timer-bar')).toHaveAttribute('data-running', 'false');
    expect(screen.getByRole('button', { name: 'Start' })).toBeInTheDocument();
  });

  it("picks one of the chosen client's open matters and an activity, and starts with them", async () => {
    const w = writes();
    const matter = (id: string, clientId: string, code: string, closed = false) => ({ id, clientId, code, name: code, billingType: 'hourly' as const, fixedFeeCents: null, budget: null, rounding: null, closed, closedAt: null, createdAt: '', updatedAt: '' });
    const matters = [matter('m-acme', acme.id, 'TAX'), matter('m-closed', acme.id, 'OLD', true), matter('m-globex', globex.id, 'AUDIT')];
    const activities = [{ id: 'a1', name: 'Bookkeeping', archived: false, createdAt: '', updatedAt: '' }, { id: 'a2', name: 'Retired', archived: true, createdAt: '', updatedAt: '' }];
    render(<TimerBar writes={w} clients={[acme, globex]} running={null} onChanged={() => {}} matters={matters} activities={activities} />);
    const user = userEvent.setup();
    await user.click(screen.getByRole('combobox', { name: 'Client' }));
    await user.click(screen.getByRole('option', { name: 'Acme Ltd' }));
    const matterSelect = screen.getByLabelText('Matter');
    expect([...matterSelect.querySelectorAll('option')].map((o) => o.textContent)).toEqual(['No matter', 'TAX TAX']);
    await user.selectOptions(matterSelect, 'm-acme');
    expect([...screen.getByLabelText('Activity').querySelectorAll('option')].map((o) => o.textContent)).toEqual(['No activity', 'Bookkeeping']);
    await user.selectOptions(screen.getByLabelText('Activity'), 'a1');
    await user.click(screen.getByRole('button', { name: 'Start' }));
    expect(w.startTimer.mock.calls[0]![0]).toMatchObject({ clientId: acme.id, matterId: 'm-acme', activityId: 'a1' });
  });
});
