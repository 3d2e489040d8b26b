import { describe, expect, it, vi } from 'vitest';
import { act, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiError, createTabApi } from '../../shared/api/client.js';
import type { SessionEndReason } from '../../shared/errors.js';
import { createSignal, type Backend } from '../backend/backend.js';
import { apiTimeWrites } from '../backend/time-writes.js';
import type { Dashboard } from '../../shared/api/time.js';
import { acme, makeEntry } from '../test-support/time.js';
import { RouterProvider } from '../router/router.js';
import { App } from './App.js';
import { makeSession } from '../test-support/sessions.js';

// As /me answers it (with the profile's time zone), which is what the web client restores.
const ana = { id: 'u-ana', email: 'ana@demo.test', name: 'Ana Accountant', role: 'accountant' as const, workspaceId: 'w', timeZone: 'Europe/Paris' };

const dashboard = (overrides: Partial<Dashboard> = {}): Dashboard => ({
  timeZone: 'Europe/Paris',
  today: '2026-11-23',
  hoursToday: 0,
  hoursThisWeek: 0,
  billableHoursThisWeek: 0,
  billableShareThisWeek: 0,
  perDay: [],
  unbilledScope: 'own',
  unbilledAmounts: [],
  runningTimer: null,
  ...overrides,
});

/** A backend whose server answers from a table, and whose "sign-out" signal the test can fire. */
function fakeBackend(options: { signedIn: boolean }) {
  const signedOut = createSignal<SessionEndReason | null>();
  const responses: Record<string, () => unknown> = {
    'GET /api/v1/sessions': () => ({ sessions: [makeSession({ id: 'cur', isCurrent: true, label: 'Chrome 120, macOS' }), makeSession({ id: 'o', label: 'Ana’s ThinkPad', clientKind: 'desktop' })] }),
    'GET /api/v1/dashboard': () => dashboard(),
    'GET /api/v1/clients': () => ({ clients: [acme] }),
  };
  const send = vi.fn(async (req: { method: string; path: string }) => {
    const answer = responses[`${req.method} ${req.path}`];
    if (!answer) throw new ApiError(404, 'not_found', 'nope');
    return answer();
  });
  const api = createTabApi(send);
  const backend: Backend = {
    kind: 'web',
    api,
    ...apiTimeWrites(api),
    request: send,
    restore: async () => (options.signedIn ? { status: 'signed-in', user: ana } : { status: 'signed-out', reason: null }),
    signIn: vi.fn(async (email: string, password: string) => {
      if (password !== 'right') throw new ApiError(401, 'invalid_credentials', 'The email or password is not right.');
      return { status: 'signed-in' as const, user: { ...ana, email } };
    }),
    finishSignIn: vi.fn(),
    signOut: vi.fn(async () => {}),
    onSignedOut: (l) => signedOut.listen(l),
    subscribeEvents: () => () => {},
  };
  return { backend, endSession: (reason: SessionEndReason | null) => act(() => signedOut.emit(reason)), responses };
}

const renderApp = (backend: Backend) =>
  render(
    <RouterProvider initialPath="/">
      <App backend={backend} />
    </RouterProvider>,
  );

describe('App', () => {
  it('fills the tiles from GET /api/v1/dashboard', async () => {
    const { backend, responses } = fakeBackend({ signedIn: true });
    responses['GET /api/v1/dashboard'] = () =>
      dashboard({
        hoursToday: 3.5,
        hoursThisWeek: 21.25,
        billableHoursThisWeek: 17,
        billableShareThisWeek: 0.8,
        unbilledAmounts: [{ currency: 'EUR', amountCents: 124000 }],
        runningTimer: makeEntry({ start: new Date(Date.now() - 65_000).toISOString(), end: null, description: 'Payroll' }),
      });
    renderApp(backend);
    await waitFor(() => expect(screen.getByTestId('tile-hoursToday')).toHaveTextContent('3.5 h'));
    expect(screen.getByTestId('tile-hoursThisWeek')).toHaveTextContent('21.25 h');
    expect(screen.getByTestId('tile-billableShare')).toHaveTextContent('80%');
    expect(screen.getByTestId('tile-unbilledAmount')).toHaveTextContent(/1,240\.00/);
    expect(screen.getByTestId('tile-runningTimer')).toHaveTextContent(/00:01:0\d/);
    await waitFor(() => expect(screen.getByTestId('tile-runningTimer')).toHaveTextContent('Acme Ltd · Payroll'));
    expect(screen.getByRole('button', { name: 'Stop' })).toBeInTheDocument();
  });

  it('says so when the figures cannot be loaded, and still shows the rest', async () => {
    const { backend, responses } = fakeBackend({ signedIn: true });
    responses['GET /api/v1/dashboard'] = () => {
      throw new ApiError(500, 'internal_error', 'Boom.');
    };
    renderApp(backend);
    expect(await screen.findByText(/The figures could not be loaded right now/)).toBeInTheDocument();
    expect(await screen.findByRole('heading', { name: 'Active sessions' })).toBeInTheDocument();
    expect(screen.getByTestId('tile-runningTimer')).toHaveTextContent('—');
  });

  it.each([
    ['revoked_by_user', 'This session was signed out from another device.'],
    ['revoked_by_admin', 'This session was signed out by an administrator.'],
    ['inactivity', 'Your session expired'],
    ['absolute', 'Your session expired'],
    ['password_changed', 'Signed out after a password change'],
    ['session_limit', 'limits how many devices'],
  ] as const)('drops to the sign-in page with the reason (%s), leaving no data on screen', async (reason, message) => {
    const { backend, endSession } = fakeBackend({ signedIn: true });
    renderApp(backend);
    await screen.findByText('Ana’s ThinkPad');
    endSession(reason);
    expect(await screen.findByRole('heading', { name: 'Sign in to TAB' })).toBeInTheDocument();
    expect(screen.getByTestId('sign-out-reason')).toHaveTextContent(message);
    expect(screen.queryByText('Ana’s ThinkPad')).toBeNull();
    expect(screen.queryByText(/Ana Accountant/)).toBeNull();
  });

  it('shows sign-in errors, then signs in', async () => {
    const { backend } = fakeBackend({ signedIn: false });
    renderApp(backend);
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Email'), 'ana@demo.test');
    await user.type(screen.getByLabelText('Password', { selector: 'input' }), 'wrong');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByTestId('sign-in-error')).toHaveTextContent('The email or password is not right.');
    await user.clear(screen.getByLabelText('Password', { selector: 'input' }));
    await user.type(screen.getByLabelText('Password', { selector: 'input' }), 'right');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('heading', { name: 'Active sessions' })).toBeInTheDocument();
  });

  it('keeps accountants out of the admin area', async () => {
    const { backend } = fakeBackend({ signedIn: true });
    render(
      <RouterProvider initialPath="/admin/members">
        <App backend={backend} />
      </RouterProvider>,
    );
    expect(await screen.findByRole('heading', { name: 'This page is for admins and managers' })).toBeInTheDocument();
  });
});
