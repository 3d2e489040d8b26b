import { describe, expect, it, vi } from 'vitest';
import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { HttpRequest } from '../../shared/api/client.js';
import type { ServerEvent } from '../../shared/api/events.js';
import type { DesktopAuthState, DesktopBridge } from '../../shared/ipc/contract.js';
import { createDesktopBackend } from '../backend/desktop-backend.js';
import { RouterProvider } from '../router/router.js';
import { App } from './App.js';
import { makeSession } from '../test-support/sessions.js';
import { fakeDesktopBridge, fakeSyncBridge } from '../test-support/bridge.js';

const ana = { id: 'u-ana', email: 'ana@demo.test', name: 'Ana Accountant', role: 'accountant' as const, workspaceId: 'w' };

/** The renderer inside Electron, with a fake preload bridge standing in for main. */
function fakeBridge() {
  let state: DesktopAuthState = { status: 'signed-out', serverUrl: 'http://tab.local:4000', reason: null };
  const stateListeners = new Set<(s: DesktopAuthState) => void>();
  const eventListeners = new Set<(e: ServerEvent) => void>();
  const sessions = [makeSession({ id: 'me', isCurrent: true, clientKind: 'desktop', label: 'Ana’s ThinkPad' }), makeSession({ id: 'web', label: 'Chrome 120, macOS' })];
  const setState = (next: DesktopAuthState) => {
    state = next;
    stateListeners.forEach((l) => l(next));
  };
  const { bridge } = fakeDesktopBridge({
    apiRequest: vi.fn(async (req: HttpRequest) => {
      if (req.path === '/api/v1/sessions') return { ok: true as const, value: { sessions } };
      return { ok: false as const, error: { status: 404, code: 'not_found' as const, message: 'nope' } };
    }),
    signIn: vi.fn(async () => {
      setState({ status: 'signed-in', serverUrl: 'http://tab.local:4000', user: ana, session: sessions[0]!, storage: 'keychain' });
      return { ok: true as const, value: { user: ana, session: sessions[0]! } };
    }),
    signOut: vi.fn(async () => ({ ok: true as const, value: null })),
    getState: vi.fn(async () => ({ ok: true as const, value: state })),
    setServerUrl: vi.fn(async () => ({ ok: true as const, value: state })),
    onStateChanged: (l) => (stateListeners.add(l), () => stateListeners.delete(l)),
    onServerEvent: (l) => (eventListeners.add(l), () => eventListeners.delete(l)),
    ...fakeSyncBridge().methods,
  } satisfies Partial<DesktopBridge>);
  return { bridge, setState };
}

describe('App on the desktop (window.tab bridge)', () => {
  it('signs in through the bridge, shows the laptop row as this device, and drops out when main says signed-out', async () => {
    const { bridge, setState } = fakeBridge();
    render(
      <RouterProvider initialPath="/">
        <App backend={createDesktopBackend(bridge)} />
      </RouterProvider>,
    );
    const user = userEvent.setup();
    expect(await screen.findByLabelText('Server address')).toHaveValue('http://tab.local:4000');
    await user.type(screen.getByLabelText('Email'), 'ana@demo.test');
    await user.type(screen.getByLabelText('Password', { selector: 'input' }), 'demo-pass-2026');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(bridge.signIn).toHaveBeenCalledWith({ email: 'ana@demo.test', password: 'demo-pass-2026' });
    expect(bridge.setServerUrl).not.toHaveBeenCalled();

    const row = (await screen.findAllByTestId('session-row'))[0]!;
    expect(within(row).getByTestId('session-icon-desktop')).toBeInTheDocument();
    expect(within(row).getByText('This device')).toBeInTheDocument();
    expect(bridge.apiRequest).toHaveBeenCalledWith({ method: 'GET', path: '/api/v1/sessions', body: undefined });

    act(() => setState({ status: 'signed-out', serverUrl: 'http://tab.local:4000', reason: 'revoked_by_user' }));
    expect(await screen.findByTestId('sign-out-reason')).toHaveTextContent('This session was signed out from another device.');
    expect(screen.queryByText('Ana’s ThinkPad')).toBeNull();
  });
});
