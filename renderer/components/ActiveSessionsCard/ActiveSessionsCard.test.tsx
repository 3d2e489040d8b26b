import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiError } from '../../../shared/api/client.js';
import type { Session } from '../../../shared/api/sessions.js';
import { ActiveSessionsCard, otherSessionsMessage, type ActiveSessionsCardProps } from './ActiveSessionsCard.js';
import { makeSession } from '../../test-support/sessions.js';

type CardApi = ActiveSessionsCardProps['api'];

/** A fake of the three calls the card makes, backed by a mutable list; `apiTokens` live tokens survive "sign out everywhere else". */
function fakeApi(initial: Session[], apiTokens = 0) {
  let sessions = [...initial];
  const api = {
    listSessions: vi.fn(async () => ({ sessions: [...sessions] })),
    revokeSession: vi.fn(async (id: string) => {
      sessions = sessions.filter((s) => s.id !== id);
    }),
    revokeOtherSessions: vi.fn(async () => {
      const revoked = sessions.filter((s) => !s.isCurrent).length;
      sessions = sessions.filter((s) => s.isCurrent);
      return { revoked, apiTokens };
    }),
  } satisfies CardApi;
  return { api, set: (next: Session[]) => (sessions = next) };
}

const current = makeSession({ id: 'cur', label: 'Chrome 120, macOS', isCurrent: true, clientKind: 'web' });
const laptop = makeSession({ id: 'lap', label: 'Ana’s ThinkPad', clientKind: 'desktop' });
const firefox = makeSession({ id: 'ff', label: 'Firefox 121, Windows', clientKind: 'web' });

const rows = () => screen.getAllByTestId('session-row');
const rowOf = (label: string) => rows().find((row) => within(row).queryByText(label)) as HTMLElement;

afterEach(() => {
  vi.useRealTimers();
});

describe('ActiveSessionsCard', () => {
  it('shows one row per session with the icon of its kind', async () => {
    const { api } = fakeApi([current, laptop, firefox]);
    render(<ActiveSessionsCard api={api} />);
    await waitFor(() => expect(rows()).toHaveLength(3));
    expect(within(rowOf('Chrome 120, macOS')).getByTestId('session-icon-web')).toBeInTheDocument();
    expect(within(rowOf('Ana’s ThinkPad')).getByTestId('session-icon-desktop')).toBeInTheDocument();
    expect(within(rowOf('Firefox 121, Windows')).getByTestId('session-icon-web')).toBeInTheDocument();
  });

  it('tags only the current row "This device", and gives it no trash can', async () => {
    const { api } = fakeApi([current, laptop, firefox]);
    render(<ActiveSessionsCard api={api} />);
    await waitFor(() => expect(rows()).toHaveLength(3));
    expect(screen.getAllByText('This device')).toHaveLength(1);
    expect(within(rowOf('Chrome 120, macOS')).getByText('This device')).toBeInTheDocument();
    expect(within(rowOf('Chrome 120, macOS')).queryByRole('button')).toBeNull();
    expect(within(rowOf('Ana’s ThinkPad')).getByRole('button', { name: 'Sign out Ana’s ThinkPad' })).toBeInTheDocument();
    expect(within(rowOf('Firefox 121, Windows')).getByRole('button', { name: 'Sign out Firefox 121, Windows' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Sign out Chrome 120, macOS' })).toBeNull();
  });

  it('shows "Sign out everywhere else" only when there are other sessions', async () => {
    const { api } = fakeApi([current]);
    const { unmount } = render(<ActiveSessionsCard api={api} />);
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(screen.queryByRole('button', { name: 'Sign out everywhere else' })).toBeNull();
    unmount();

    const two = fakeApi([current, laptop]);
    render(<ActiveSessionsCard api={two.api} />);
    expect(await screen.findByRole('button', { name: 'Sign out everywhere else' })).toBeInTheDocument();
  });

  it('revokes a row at once (no confirmation) and refreshes the list', async () => {
    const { api } = fakeApi([current, laptop, firefox]);
    render(<ActiveSessionsCard api={api} />);
    await userEvent.click(await screen.findByRole('button', { name: 'Sign out Ana’s ThinkPad' }));
    expect(api.revokeSession).toHaveBeenCalledWith('lap');
    await waitFor(() => expect(rows()).toHaveLength(2));
    expect(screen.queryByText('Ana’s ThinkPad', { selector: '.tab-session-row__label' })).toBeNull();
    expect(api.listSessions).toHaveBeenCalledTimes(2);
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('signs out everywhere else, tells how many, and keeps only the current row', async () => {
    const { api } = fakeApi([current, laptop, firefox]);
    render(<ActiveSessionsCard api={api} />);
    await userEvent.click(await screen.findByRole('button', { name: 'Sign out everywhere else' }));
    expect(await screen.findByText('Signed out 2 other sessions')).toBeInTheDocument();
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(screen.queryByRole('button', { name: 'Sign out everywhere else' })).toBeNull();
  });

  it('words the count for one session in the singular', () => {
    expect(otherSessionsMessage(1)).toBe('Signed out 1 other session');
    expect(otherSessionsMessage(0)).toBe('Signed out 0 other sessions');
    expect(otherSessionsMessage(3)).toBe('Signed out 3 other sessions');
  });

  it('shows a loading state, then an error state a person understands, with a retry', async () => {
    let fail = true;
    const api: CardApi = {
      listSessions: vi.fn(async () => {
        if (fail) throw new ApiError(0, 'network_error', 'The TAB server could not be reached.');
        return { sessions: [current] };
      }),
      revokeSession: vi.fn(),
      revokeOtherSessions: vi.fn(),
    };
    render(<ActiveSessionsCard api={api} />);
    expect(screen.getByText('Loading your sessions…')).toBeInTheDocument();
    expect(await screen.findByRole('alert')).toHaveTextContent('Your sessions could not be loaded');
    fail = false;
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('shows an empty state when there are no sessions (e.g. signed in with an API token)', async () => {
    const { api } = fakeApi([]);
    render(<ActiveSessionsCard api={api} />);
    expect(await screen.findByText(/No active sessions/)).toBeInTheDocument();
  });

  it('refetches at once when refreshKey changes (a sessions.changed event)', async () => {
    const { api, set } = fakeApi([current]);
    const { rerender } = render(<ActiveSessionsCard api={api} refreshKey={0} />);
    await waitFor(() => expect(rows()).toHaveLength(1));
    set([current, firefox]);
    rerender(<ActiveSessionsCard api={api} refreshKey={1} />);
    await waitFor(() => expect(rows()).toHaveLength(2));
  });

  it('refreshes every 30 s, and re-renders relative times without refetching', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    const start = Date.now();
    const seen = makeSession({ id: 'cur', isCurrent: true, lastSeenAt: new Date(start - 30_000).toISOString(), createdAt: new Date(start - 30_000).toISOString() });
    const { api } = fakeApi([seen]);
    render(<ActiveSessionsCard api={api} />);
    await act(async () => {});
    expect(screen.getByText('Last seen just now · started just now')).toBeInTheDocument();
    expect(api.listSessions).toHaveBeenCalledTimes(1);

    // t=20 s: the relative-time tick re-renders (the session is 50 s old: still "just now"), no request.
    await act(async () => vi.advanceTimersByTime(20_000));
    expect(screen.getByText('Last seen just now · started just now')).toBeInTheDocument();
    expect(api.listSessions).toHaveBeenCalledTimes(1);
    // t=30 s: the periodic refresh asks the server again.
    await act(async () => vi.advanceTimersByTime(10_000));
    expect(api.listSessions).toHaveBeenCalledTimes(2);
    // t=40 s: the next tick alone turns 70 s into "1 min ago", without a request.
    await act(async () => vi.advanceTimersByTime(10_000));
    expect(screen.getByText('Last seen 1 min ago · started 1 min ago')).toBeInTheDocument();
    expect(api.listSessions).toHaveBeenCalledTimes(2);
  });

  it('lets a 401 pass silently (the app signs out) instead of showing an error', async () => {
    const api: CardApi = {
      listSessions: vi.fn(async () => {
        throw new ApiError(401, 'session_revoked', 'Signed out', 'revoked_by_user');
      }),
      revokeSession: vi.fn(),
      revokeOtherSessions: vi.fn(),
    };
    render(<ActiveSessionsCard api={api} />);
    await waitFor(() => expect(api.listSessions).toHaveBeenCalled());
    await act(async () => {});
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('is keyboard reachable: Tab reaches the header button and each trash can', async () => {
    const { api } = fakeApi([current, laptop]);
    render(<ActiveSessionsCard api={api} />);
    await screen.findByRole('button', { name: 'Sign out everywhere else' });
    const user = userEvent.setup();
    await user.tab();
    expect(screen.getByRole('button', { name: 'Sign out everywhere else' })).toHaveFocus();
    await user.tab();
    expect(screen.getByRole('button', { name: 'Sign out Ana’s ThinkPad' })).toHaveFocus();
    await user.keyboard('{Enter}');
    expect(api.revokeSession).toHaveBeenCalledWith('lap');
  });
});

describe('ActiveSessionsCard: API tokens after signing out everywhere else', () => {
  it('says how many API tokens still work, with a link to the profile', async () => {
    const { api } = fakeApi([current, laptop, firefox], 2);
    const openProfile = vi.fn();
    render(<ActiveSessionsCard api={api} onOpenProfile={openProfile} />);
    await userEvent.click(await screen.findByRole('button', { name: 'Sign out everywhere else' }));
    const note = await screen.findByTestId('tokens-still-work');
    expect(note).toHaveTextContent('2 API tokens still work — manage them in your profile.');
    await userEvent.click(within(note).getByRole('link', { name: 'manage them in your profile' }));
    expect(openProfile).toHaveBeenCalledTimes(1);
  });

  it('says nothing about tokens when none are left', async () => {
    const { api } = fakeApi([current, laptop], 0);
    render(<ActiveSessionsCard api={api} />);
    await userEvent.click(await screen.findByRole('button', { name: 'Sign out everywhere else' }));
    await screen.findByText(otherSessionsMessage(1));
    expect(screen.queryByTestId('tokens-still-work')).not.toBeInTheDocument();
  });
});
