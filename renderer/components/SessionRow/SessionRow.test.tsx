import { describe, expect, it, vi } from 'vitest';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { SessionRow } from './SessionRow.js';
import { makeSession } from '../../test-support/sessions.js';

const NOW = Date.parse('2026-03-10T12:00:00Z');
const renderRow = (ui: React.ReactElement) => render(<ul>{ui}</ul>);

describe('SessionRow', () => {
  it('shows the label, "Last seen … · started …" and the IP', () => {
    const session = makeSession({
      label: 'Firefox 121, Windows',
      ip: '198.51.100.4',
      lastSeenAt: new Date(NOW - 2 * 60_000).toISOString(),
      createdAt: new Date(NOW - 26 * 3_600_000).toISOString(),
    });
    renderRow(<SessionRow session={session} now={NOW} onRevoke={() => {}} />);
    expect(screen.getByText('Firefox 121, Windows')).toBeInTheDocument();
    expect(screen.getByText('Last seen 2 min ago · started 1 day ago')).toBeInTheDocument();
    expect(screen.getByText('IP 198.51.100.4')).toBeInTheDocument();
  });

  it('shows where the session is before the IP, and the sign-in IP when it was another', () => {
    const lisbon = { city: 'Lisbon', region: 'Lisbon', country: 'Portugal', countryCode: 'PT' };
    const { unmount } = renderRow(<SessionRow session={makeSession({ ip: '193.136.0.1', location: lisbon })} now={NOW} />);
    expect(screen.getByTestId('session-where')).toHaveTextContent(/^Lisbon, Portugal · IP 193\.136\.0\.1$/);
    unmount();
    renderRow(<SessionRow session={makeSession({ ip: '8.8.8.8', lastIp: '193.136.0.1', location: lisbon })} now={NOW} />);
    expect(screen.getByTestId('session-where')).toHaveTextContent(/^Lisbon, Portugal · IP 193\.136\.0\.1 \(signed in from 8\.8\.8\.8\)$/);
  });

  it('shows the IP alone where the location is unknown (a private address)', () => {
    renderRow(<SessionRow session={makeSession({ ip: '10.0.0.4', location: null })} now={NOW} />);
    expect(screen.getByTestId('session-where')).toHaveTextContent(/^IP 10\.0\.0\.4$/);
  });

  it('says "just now" mid-sentence for a session seen under a minute ago', () => {
    const session = makeSession({ lastSeenAt: new Date(NOW - 59_000).toISOString(), createdAt: new Date(NOW - 60_000).toISOString() });
    renderRow(<SessionRow session={session} now={NOW} />);
    expect(screen.getByText('Last seen just now · started 1 min ago')).toBeInTheDocument();
  });

  it('uses a globe for web and a laptop for desktop', () => {
    const { unmount } = renderRow(<SessionRow session={makeSession({ clientKind: 'web' })} now={NOW} />);
    expect(screen.getByTestId('session-icon-web')).toHaveAccessibleName('Web browser');
    expect(screen.queryByTestId('session-icon-desktop')).toBeNull();
    unmount();
    renderRow(<SessionRow session={makeSession({ clientKind: 'desktop', label: 'Ana’s ThinkPad' })} now={NOW} />);
    expect(screen.getByTestId('session-icon-desktop')).toHaveAccessibleName('Desktop app');
    expect(screen.queryByTestId('session-icon-web')).toBeNull();
  });

  it('names its trash can after the session and revokes on click', async () => {
    const onRevoke = vi.fn();
    const session = makeSession({ label: 'Chrome 120, macOS' });
    renderRow(<SessionRow session={session} now={NOW} onRevoke={onRevoke} />);
    await userEvent.click(screen.getByRole('button', { name: 'Sign out Chrome 120, macOS' }));
    expect(onRevoke).toHaveBeenCalledWith(session);
  });

  it('has the "This device" tag and no trash can on the current session', () => {
    renderRow(<SessionRow session={makeSession({ isCurrent: true })} now={NOW} onRevoke={() => {}} />);
    const row = screen.getByTestId('session-row');
    expect(within(row).getByText('This device')).toBeInTheDocument();
    expect(within(row).queryByRole('button')).toBeNull();
  });

  it('is read-only without onRevoke (a manager looking at a member)', () => {
    renderRow(<SessionRow session={makeSession()} now={NOW} />);
    expect(screen.queryByRole('button')).toBeNull();
  });

  it('falls back to the client kind when the label is empty', () => {
    renderRow(<SessionRow session={makeSession({ label: ' ', clientKind: 'desktop' })} now={NOW} onRevoke={() => {}} />);
    expect(screen.getByRole('button', { name: 'Sign out desktop' })).toBeInTheDocument();
  });
});
