import { ApiError, createTabApi } from '../../shared/api/client.js';
import type { DesktopAuthState, DesktopBridge, IpcError, IpcResult } from '../../shared/ipc/contract.js';
import type { SessionEndReason } from '../../shared/errors.js';
import { createSignal, type AuthSnapshot, type Backend, type ConnectionStatus } from './backend.js';
import { apiTimeWrites } from './time-writes.js';

/** An error that crossed IPC, as the same ApiError the web client throws. */
export function toApiError(error: IpcError): ApiError {
  // A bad server address is the person's input to fix, like any invalid request; keep main's wording.
  if (error.code === 'invalid_server_url') return new ApiError(error.status || 400, 'invalid_request', error.message);
  return new ApiError(error.status, error.code, error.message, error.reason, error.retryAfterSeconds);
}

export function connectionStatusOf(state: DesktopAuthState): ConnectionStatus {
  const storage = state.status === 'signed-in' || state.status === 'offline' ? state.storage : 'keychain';
  return { offline: state.status === 'offline', memoryOnly: storage === 'memory' };
}

function snapshotOf(state: DesktopAuthState): AuthSnapshot {
  if (state.status === 'signed-in' || state.status === 'offline') return { status: 'signed-in', user: state.user };
  return { status: 'signed-out', reason: state.status === 'signed-out' ? state.reason : null };
}

/**
 * The desktop renderer: every call goes through the preload bridge
 * (`window.tab`), and Electron's main process adds the credentials, which
 * the renderer never sees. Main also owns the event stream and forwards it.
 */
export function createDesktopBackend(bridge: DesktopBridge): Backend {
  const signedOut = createSignal<SessionEndReason | null>();

  const unwrap = <T>(result: IpcResult<T>): T => {
    if (result.ok) return result.value;
    const error = toApiError(result.error);
    if (error.isSignedOut) signedOut.emit(error.reason ?? null);
    throw error;
  };

  const send = async (request: Parameters<DesktopBridge['apiRequest']>[0]) => unwrap(await bridge.apiRequest(request));
  const api = createTabApi(send);
  const online = apiTimeWrites(api);

  // Main says when the session ended (e.g. it saw a 401 or a revoked event first).
  bridge.onStateChanged((state) => {
    if (state.status === 'signed-out') signedOut.emit(state.reason);
  });

  return {
    kind: 'desktop',
    api,
    request: send,
    // Time writes go to main's local SQLite queue first and sync in the background,
    // so a crash, a quit or an offline day loses nothing.
    startTimer: async (request) => unwrap(await bridge.timerStart({ ...request, id: request.id ?? crypto.randomUUID() })),
    stopTimer: async (id) => unwrap(await bridge.timerStop(id === undefined ? {} : { id })),
    async saveEntry(entry, options) {
      // Someone else's entry (a manager's correction) is not this person's to queue: main
      // replays saves as their own POSTs. That one goes to the server directly, online only.
      if (!options.ownEntry) return online.saveEntry(entry, options);
      return { entry: unwrap(await bridge.saveEntry(entry)), warnings: [], queued: true };
    },
    async deleteEntry(id) {
      unwrap(await bridge.deleteEntry({ id }));
    },
    onSyncStatus(listener) {
      // Same stale-first-answer guard as onConnectionStatus.
      let heardChange = false;
      let live = true;
      void bridge.getSyncStatus().then((status) => live && !heardChange && listener(status));
      const stop = bridge.onSyncChanged((status) => {
        heardChange = true;
        listener(status);
      });
      return () => {
        live = false;
        stop();
      };
    },
    async discardQueuedWrite(entryId) {
      unwrap(await bridge.discardQueuedWrite({ entryId }));
    },
    restore: async () => snapshotOf(await bridge.getState()),
    async signIn(email, password) {
      const result = await bridge.signIn({ email, password });
      if (result.ok) return result.value.user;
      throw toApiError(result.error);
    },
    async signOut() {
      await bridge.signOut().catch(() => undefined);
    },
    onSignedOut: (listener) => signedOut.listen(listener),
    onConnectionStatus(listener) {
      // The first answer of getState() is stale once a change has arrived.
      let heardChange = false;
      let live = true;
      void bridge.getState().then((state) => live && !heardChange && listener(connectionStatusOf(state)));
      const stop = bridge.onStateChanged((state) => {
        heardChange = true;
        listener(connectionStatusOf(state));
      });
      return () => {
        live = false;
        stop();
      };
    },
    subscribeEvents(listener) {
      return bridge.onServerEvent((event) => {
        if (event.type === 'session.revoked') signedOut.emit(event.reason);
        else listener(event);
      });
    },
    async serverUrl() {
      const state = await bridge.getState();
      return state.serverUrl;
    },
    async setServerUrl(url) {
      const result = await bridge.setServerUrl(url);
      if (!result.ok) throw toApiError(result.error);
    },
  };
}
