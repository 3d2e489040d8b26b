import { describe, expect, it, vi } from 'vitest';
import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiError } from '../../../shared/api/client.js';
import type { ServerEvent, SessionSummary } from '../../../shared/api/events.js';
import { alertText, MAX_ALERTS, SignInAlerts, type SignInAlertsProps } from './SignInAlerts.js';

const LISBON = { city: 'Lisbon', region: 'Lisbon', country: 'Portugal', countryCode: 'PT' };
const phone: SessionSummary = { id: 's-new', label: 'Chrome 120, Windows', clientKind: 'web', location: LISBON, createdAt: '2026-03-10T12:00:00.000Z' };

function setup(revokeSession: SignInAlertsProps['backend']['api']['revokeSession'] = vi.fn(async () => undefined)) {
  let push: (event: ServerEvent) => void = () => {};
  const backend = {
    subscribeEvents: vi.fn((listener: (event: ServerEvent) => void) => {
      push = listener;
      return () => {};
    }),
    api: { revokeSession },
  };
  render(<SignInAlerts backend={backend} />);
  return { backend, push: (event: ServerEvent) => act(() => push(event)) };
}

describe('SignInAlerts', () => {
  it('shows "New sign-in: Chrome 120, Windows · Lisbon, Portugal" with "Not you? Sign it out", which revokes that session', async () => {
    const revoke = vi.fn(async () => undefined);
    const { push } = setup(revoke);
    push({ type: 'session.created', session: phone });
    const alert = screen.getByText('New sign-in: Chrome 120, Windows · Lisbon, Portugal').closest('.cds--actionable-notification') as HTMLElement;
    expect(alert).not.toBeNull();
    const action = within(alert).getByRole('button', { name: 'Not you? Sign it out' });
    await userEvent.hover(action);
    await userEvent.click(action);
    expect(revoke).toHaveBeenCalledWith('s-new');
    expect(await screen.findByText('Signed out Chrome 120, Windows')).toBeInTheDocument();
    expect(screen.queryByText(/^New sign-in/)).toBeNull();
  });

  it('leaves the place out when the location is unknown, and does not take the focus', () => {
    const { push } = setup();
    const before = document.activeElement;
    push({ type: 'session.created', session: { ...phone, location: null } });
    expect(screen.getByText('New sign-in: Chrome 120, Windows')).toBeInTheDocument();
    expect(document.activeElement).toBe(before);
  });

  it('says what moved for the unusual-change alerts', () => {
    expect(alertText({ type: 'session.alert', kind: 'ip_changed', session: phone, from: 'Lisbon, Portugal', to: 'Paris, France' })).toEqual({
      title: 'Chrome 120, Windows is now in another country',
      subtitle: 'Now Paris, France (was Lisbon, Portugal).',
    });
    expect(alertText({ type: 'session.alert', kind: 'ua_changed', session: phone, from: 'Chrome, Windows', to: 'Firefox, Linux' })).toEqual({
      title: 'Chrome 120, Windows is now used from another browser',
      subtitle: 'Now Firefox, Linux (was Chrome, Windows).',
    });
  });

  it('treats a session already gone as signed out, and shows other failures', async () => {
    const revoke = vi
      .fn()
      .mockRejectedValueOnce(new ApiError(404, 'not_found', 'That session was not found.'))
      .mockRejectedValueOnce(new ApiError(0, 'network_error', 'offline'));
    const { push } = setup(revoke);
    push({ type: 'session.created', session: phone });
    await userEvent.click(screen.getByRole('button', { name: 'Not you? Sign it out' }));
    expect(await screen.findByText('Signed out Chrome 120, Windows')).toBeInTheDocument();
    push({ type: 'session.alert', kind: 'ua_changed', session: { ...phone, id: 's-2', label: 'Firefox 121, Linux' }, from: 'Firefox, Linux', to: 'Chrome, Windows' });
    await userEvent.click(screen.getByRole('button', { name: 'Not you? Sign it out' }));
    expect(await screen.findByText('Could not sign out Firefox 121, Linux')).toBeInTheDocument();
    expect(screen.getByText(/unreachable/)).toBeInTheDocument();
  });

  it(`keeps at most ${MAX_ALERTS}, newest first, one per event, and closes on request`, async () => {
    const { push } = setup();
    for (let i = 0; i < 5; i++) push({ type: 'session.created', session: { ...phone, id: `s${i}`, label: `Device ${i}` } });
    push({ type: 'session.created', session: { ...phone, id: 's4', label: 'Device 4' } });
    const titles = screen.getAllByText(/^New sign-in/).map((n) => n.textContent);
    expect(titles).toEqual(['New sign-in: Device 4 · Lisbon, Portugal', 'New sign-in: Device 3 · Lisbon, Portugal', 'New sign-in: Device 2 · Lisbon, Portugal']);
    const first = screen.getByText('New sign-in: Device 4 · Lisbon, Portugal').closest('.cds--actionable-notification') as HTMLElement;
    await userEvent.click(within(first).getByRole('button', { name: /close/i }));
    expect(screen.queryByText('New sign-in: Device 4 · Lisbon, Portugal')).toBeNull();
  });
});
