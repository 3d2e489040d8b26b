import { describe, expect, it, vi } from 'vitest';
import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { HttpRequest } from '../../../shared/api/client.js';
import type { DesktopBridge, QueuedWrite, SyncStatus } from '../../../shared/ipc/contract.js';
import { createDesktopBackend } from '../../backend/desktop-backend.js';
import { RouterProvider } from '../../router/router.js';
import { App } from '../../app/App.js';
import { emptySync, fakeDesktopBridge, fakeSyncBridge } from '../../test-support/bridge.js';
import { acme, makeEntry } from '../../test-support/time.js';

const ana = { id: 'u-ana', email: 'ana@demo.test', name: 'Ana Accountant', role: 'accountant' as const, workspaceId: 'w' };

/** The desktop renderer, signed in, with main's local queue in the given state. */
function desktopApp(initial: SyncStatus) {
  const sync = fakeSyncBridge(initial);
  const { bridge } = fakeDesktopBridge({
    apiRequest: vi.fn(async (req: HttpRequest) => {
      if (req.path === '/api/v1/sessions') return { ok: true as const, value: { sessions: [] } };
      if (req.path === '/api/v1/clients') return { ok: true as const, value: { clients: [acme] } };
      return { ok: false as const, error: { status: 0, code: 'network_error' as const, message: 'offline' } };
    }),
    signIn: vi.fn(),
    signOut: vi.fn(async () => ({ ok: true as const, value: null })),
    getState: vi.fn(async () => ({ ok: true as const, value: { status: 'signed-in' as const, serverUrl: 'http://tab.local', user: ana, session: null, storage: 'keychain' as const } })),
    setServerUrl: vi.fn(),
    onStateChanged: () => () => {},
    onServerEvent: () => () => {},
    ...sync.methods,
  } satisfies Partial<DesktopBridge>);
  render(
    <RouterProvider initialPath="/">
      <App backend={createDesktopBackend(bridge)} />
    </RouterProvider>,
  );
  return { bridge, sync };
}

const bad = makeEntry({ description: 'Client lunch', start: '2026-11-23T12:00:00.000Z', end: '2026-11-23T11:00:00.000Z' });
const refusedWrite: QueuedWrite = {
  entryId: bad.id,
  operation: 'save',
  entry: bad,
  queuedAt: '2026-11-23T12:05:00.000Z',
  refused: { code: 'invalid_range', message: 'end (2026-11-23T11:00:00Z) must be after start (2026-11-23T12:00:00Z).' },
};
const waitingWrite: QueuedWrite = { entryId: 'x', operation: 'save', entry: makeEntry(), queuedAt: '2026-11-23T12:06:00.000Z', refused: null };

describe('SyncNotices (desktop local queue)', () => {
  it('says how many changes wait, and that they are safe on this computer while offline', async () => {
    const { sync } = desktopApp({ ...emptySync, queue: [waitingWrite, { ...waitingWrite, entryId: 'y' }] });
    expect(await screen.findByTestId('sync-waiting')).toHaveTextContent('2 changes waiting to sync');
    act(() => sync.push({ ...emptySync, online: false, queue: [waitingWrite] }));
    expect(await screen.findByText('Offline — saved on this computer')).toBeInTheDocument();
    expect(screen.getByText(/1 change waits here and will sync/)).toBeInTheDocument();
    act(() => sync.push(emptySync));
    await waitFor(() => expect(screen.queryByTestId('sync-waiting')).toBeNull());
    expect(screen.queryByText('Offline — saved on this computer')).toBeNull();
  });

  it('lists a refused write with its message; Discard asks main to drop it', async () => {
    const { bridge, sync } = desktopApp({ ...emptySync, queue: [refusedWrite, waitingWrite] });
    const notice = await screen.findByTestId('refused-write');
    expect(notice).toHaveTextContent('The server refused a change');
    expect(notice).toHaveTextContent('Saved entry “Client lunch”');
    expect(notice).toHaveTextContent('must be after start');
    // The refused one does not count as waiting, and does not hide the others.
    expect(screen.getByTestId('sync-waiting')).toHaveTextContent('1 change waiting to sync');

    await userEvent.setup().click(within(notice).getByRole('button', { name: 'Discard' }));
    expect(bridge.discardQueuedWrite).toHaveBeenCalledWith({ entryId: bad.id });
    act(() => sync.push({ ...emptySync, queue: [waitingWrite] }));
    await waitFor(() => expect(screen.queryByTestId('refused-write')).toBeNull());
  });

  it('Edit opens the entry form prefilled, and saving re-sends it with the same id', async () => {
    const { bridge } = desktopApp({ ...emptySync, queue: [refusedWrite] });
    const user = userEvent.setup();
    await user.click(within(await screen.findByTestId('refused-write')).getByRole('button', { name: 'Edit' }));
    const dialog = await screen.findByRole('dialog', { name: 'Fix the refused entry' });
    expect(within(dialog).getByLabelText('Description')).toHaveValue('Client lunch');
    expect(within(dialog).getByLabelText('Client')).toHaveValue(acme.id);
    const end = within(dialog).getByLabelText('End');
    await user.clear(end);
    await user.type(end, '2026-11-23T23:30');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(bridge.saveEntry).toHaveBeenCalledTimes(1));
    const sent = vi.mocked(bridge.saveEntry).mock.calls[0]![0];
    expect(sent).toMatchObject({ id: bad.id, clientId: acme.id, description: 'Client lunch', billable: true });
    expect(new Date(sent.end!)).toEqual(new Date(2026, 10, 23, 23, 30));
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Fix the refused entry' })).toBeNull());
  });
});
