import { describe, expect, it } from 'vitest';
import { act, render, screen } from '@testing-library/react';
import type { DesktopAuthState, DesktopBridge } from '../../../shared/ipc/contract.js';
import { createDesktopBackend } from '../../backend/desktop-backend.js';
import { createWebBackend } from '../../backend/web-backend.js';
import { ConnectionNotices } from './ConnectionNotices.js';
import { fakeDesktopBridge } from '../../test-support/bridge.js';

const user = { id: 'u', email: 'ana@demo.test', name: 'Ana', role: 'accountant' as const, workspaceId: 'w' };

function bridgeIn(initial: DesktopAuthState) {
  let state = initial;
  const fake = fakeDesktopBridge({ getState: async () => ({ ok: true as const, value: state }) } satisfies Partial<DesktopBridge>);
  return { bridge: fake.bridge, set: (next: DesktopAuthState) => ((state = next), fake.push('stateChanged', next)) };
}

describe('ConnectionNotices', () => {
  it('shows "Offline, retrying" while main is offline, and hides it when back', async () => {
    const { bridge, set } = bridgeIn({ status: 'signed-in', serverUrl: 'http://localhost:4000', user, session: null, storage: 'keychain' });
    render(<ConnectionNotices backend={createDesktopBackend(bridge)} />);
    expect(screen.queryByText('Offline, retrying')).toBeNull();
    act(() => set({ status: 'offline', serverUrl: 'http://localhost:4000', user, storage: 'keychain' }));
    expect(await screen.findByText('Offline, retrying')).toBeInTheDocument();
    act(() => set({ status: 'signed-in', serverUrl: 'http://localhost:4000', user, session: null, storage: 'keychain' }));
    expect(screen.queryByText('Offline, retrying')).toBeNull();
  });

  it('says the sign-in is not saved when the keychain was unavailable', async () => {
    const { bridge } = bridgeIn({ status: 'signed-in', serverUrl: 'http://localhost:4000', user, session: null, storage: 'memory' });
    render(<ConnectionNotices backend={createDesktopBackend(bridge)} />);
    expect(await screen.findByText('Sign-in not saved')).toBeInTheDocument();
    expect(screen.getByText(/sign in again the next time you open TAB/)).toBeInTheDocument();
  });

  it('renders nothing on the web', () => {
    render(<ConnectionNotices backend={createWebBackend({ fetch: async () => new Response('{}') })} />);
    expect(screen.getByTestId('connection-notices')).toBeEmptyDOMElement();
  });
});
