import { vi } from 'vitest';
import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { ApiError, createTabApi, type HttpRequest } from '../../shared/api/client.js';
import type { User } from '../../shared/api/auth.js';
import type { ServerEvent } from '../../shared/api/events.js';
import type { SessionEndReason } from '../../shared/errors.js';
import { createSignal, type Backend } from '../backend/backend.js';
import { apiTimeWrites } from '../backend/time-writes.js';
import { SignedInContext, type SignedInValue } from '../auth/auth-context.js';
import { RouterProvider } from '../router/router.js';
import { createDisplay } from '../time/display.js';
import { DisplayContext } from '../time/display-context.js';

export const ana: User = { id: 'u-ana', email: 'ana@demo.test', name: 'Ana Accountant', role: 'accountant', workspaceId: 'w', timeZone: 'UTC' };
export const admin: User = { id: 'u-admin', email: 'admin@demo.test', name: 'Ada Admin', role: 'admin', workspaceId: 'w', timeZone: 'UTC' };
export const manager: User = { id: 'u-manager', email: 'manager@demo.test', name: 'Max Manager', role: 'manager', workspaceId: 'w', timeZone: 'UTC' };

export type Responder = (request: HttpRequest) => unknown;

/**
 * A web-like backend whose server answers from a table keyed "METHOD /path"
 * (query strings dropped), whose live events the test pushes with `emit`, and
 * whose calls it can read from `send.mock.calls`.
 */
export function fakeBackend(responses: Record<string, Responder> = {}) {
  const signedOut = createSignal<SessionEndReason | null>();
  const events = createSignal<ServerEvent>();
  const send = vi.fn(async (request: HttpRequest) => {
    const answer = responses[`${request.method} ${request.path.split('?')[0]}`];
    if (!answer) throw new ApiError(404, 'not_found', `No fake answer for ${request.method} ${request.path}`);
    return answer(request);
  });
  const api = createTabApi(send);
  const backend: Backend = {
    kind: 'web',
    api,
    ...apiTimeWrites(api),
    request: send,
    restore: async () => ({ status: 'signed-out', reason: null }),
    signIn: vi.fn(),
    finishSignIn: vi.fn(),
    signOut: vi.fn(async () => {}),
    onSignedOut: (listener) => signedOut.listen(listener),
    subscribeEvents: (listener) => events.listen(listener),
  };
  /** How many calls went to "METHOD /path". */
  const calls = (key: string) => send.mock.calls.filter(([r]) => `${r.method} ${r.path.split('?')[0]}` === key).length;
  return { backend, send, responses, calls, emit: (event: ServerEvent) => events.emit(event), endSession: (reason: SessionEndReason | null) => signedOut.emit(reason) };
}

/** Renders a signed-in page or component with its contexts, without the whole app around it. */
export function renderSignedIn(ui: ReactNode, options: { backend: Backend; user?: User; path?: string; overrides?: Partial<SignedInValue> }) {
  const user = options.user ?? ana;
  const value: SignedInValue = {
    backend: options.backend,
    user,
    updateUser: vi.fn(),
    signOut: vi.fn(),
    sessionsVersion: 0,
    timeVersion: 0,
    timeChanged: vi.fn(),
    accountVersion: 0,
    sync: null,
    ...options.overrides,
  };
  const result = render(
    <RouterProvider initialPath={options.path ?? '/'}>
      <SignedInContext.Provider value={value}>
        <DisplayContext.Provider value={createDisplay(user.timeZone ?? 'UTC')}>{ui}</DisplayContext.Provider>
      </SignedInContext.Provider>
    </RouterProvider>,
  );
  return { ...result, value };
}
