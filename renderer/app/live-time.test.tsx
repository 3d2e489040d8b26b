import { describe, expect, it, vi } from 'vitest';
import { act, render, screen, waitFor } from '@testing-library/react';
import type { HttpRequest } from '../../shared/api/client.js';
import type { ServerEvent } from '../../shared/api/events.js';
import type { Dashboard } from '../../shared/api/time.js';
import type { DesktopBridge } from '../../shared/ipc/contract.js';
import { createDesktopBackend } from '../backend/desktop-backend.js';
import { RouterProvider } from '../router/router.js';
import { ana, fakeBackend } from '../test-support/fake-backend.js';
import { fakeDesktopBridge, fakeSyncBridge } from '../test-support/bridge.js';
import { acme, makeEntry } from '../test-support/time.js';
import { App } from './App.js';

const running = makeEntry({ start: new Date(Date.now() - 60_000).toISOString(), end: null, description: 'Payroll' });
const dashboard = (runningTimer: Dashboard['runningTimer']): Dashboard => ({
  timeZone: 'UTC',
  today: '2026-11-23',
  hoursToday: runningTimer ? 0.02 : 1,
  hoursThisWeek: 1,
  billableHoursThisWeek: 1,
  billableShareThisWeek: 1,
  perDay: [],
  unbilledScope: 'own',
  unbilledAmounts: [],
  runningTimer,
});
const stoppedElsewhere: ServerEvent = { type: 'time.changed', entryId: running.id, userId: ana.id, change: 'timer_stopped' };

describe('live time: another device’s change shows without a reload', () => {
  it('web: a timer stopped elsewhere leaves the timer bar and the tiles; a burst of events is one refetch', async () => {
    let timer: Dashboard['runningTimer'] = running;
    const fake = fakeBackend({
      'GET /api/v1/dashboard': () => dashboard(timer),
      'GET /api/v1/clients': () => ({ clients: [acme] }),
      'GET /api/v1/sessions': () => ({ sessions: [] }),
    });
    fake.backend.restore = async () => ({ status: 'signed-in', user: ana });
    render(
      <RouterProvider initialPath="/">
        <App backend={fake.backend} />
      </RouterProvider>,
    );
    await screen.findByRole('button', { name: 'Stop' });
    expect(screen.getByTestId('timer-bar')).toHaveAttribute('data-running', 'true');
    const before = fake.calls('GET /api/v1/dashboard');

    timer = null;
    act(() => {
      for (let i = 0; i < 5; i++) fake.emit(stoppedElsewhere);
    });
    await screen.findByRole('button', { name: 'Start' });
    expect(screen.getByTestId('timer-bar')).toHaveAttribute('data-running', 'false');
    await waitFor(() => expect(screen.getByTestId('tile-runningTimer')).toHaveTextContent('No timer running.'));
    expect(fake.calls('GET /api/v1/dashboard')).toBe(before + 1);
  });

  it('desktop: the same event, forwarded by main over the bridge, refetches too', async () => {
    let timer: Dashboard['runningTimer'] = running;
    const serverEvents = new Set<(event: ServerEvent) => void>();
    const apiRequest = vi.fn(async (req: HttpRequest) => {
      if (req.path === '/api/v1/dashboard') return { ok: true as const, value: dashboard(timer) };
      if (req.path === '/api/v1/clients') return { ok: true as const, value: { clients: [acme] } };
      if (req.path === '/api/v1/sessions') return { ok: true as const, value: { sessions: [] } };
      return { ok: false as const, error: { status: 404, code: 'not_found' as const, message: 'nope' } };
    });
    const { bridge } = fakeDesktopBridge({
      apiRequest,
      signOut: vi.fn(async () => ({ ok: true as const, value: null })),
      getState: vi.fn(async () => ({ ok: true as const, value: { status: 'signed-in' as const, serverUrl: 'http://tab.local', user: ana, session: null, storage: 'keychain' as const } })),
      onStateChanged: () => () => {},
      onServerEvent: (listener) => (serverEvents.add(listener), () => serverEvents.delete(listener)),
      ...fakeSyncBridge().methods,
    } satisfies Partial<DesktopBridge>);
    render(
      <RouterProvider initialPath="/">
        <App backend={createDesktopBackend(bridge)} />
      </RouterProvider>,
    );
    await screen.findByRole('button', { name: 'Stop' });
    timer = null;
    act(() => serverEvents.forEach((listener) => listener(stoppedElsewhere)));
    await screen.findByRole('button', { name: 'Start' });
    await waitFor(() => expect(screen.getByTestId('tile-runningTimer')).toHaveTextContent('No timer running.'));
  });

  it('account.changed: the profile is read again, so a new role shows in the navigation at once', async () => {
    let role: 'accountant' | 'manager' = 'accountant';
    const fake = fakeBackend({
      'GET /api/v1/me': () => ({ user: { ...ana, role, clock: 'auto', dateFormat: 'auto' }, session: null }),
      'GET /api/v1/dashboard': () => dashboard(null),
      'GET /api/v1/clients': () => ({ clients: [acme] }),
      'GET /api/v1/sessions': () => ({ sessions: [] }),
    });
    fake.backend.restore = async () => ({ status: 'signed-in', user: { ...ana, clock: 'auto', dateFormat: 'auto' } });
    render(
      <RouterProvider initialPath="/">
        <App backend={fake.backend} />
      </RouterProvider>,
    );
    const bar = await screen.findByRole('navigation', { name: 'TAB' });
    expect(bar).not.toHaveTextContent('Team');
    role = 'manager';
    act(() => fake.emit({ type: 'account.changed', userId: ana.id }));
    await waitFor(() => expect(screen.getByRole('navigation', { name: 'TAB' })).toHaveTextContent('Team'));
  });
});
