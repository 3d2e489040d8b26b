import { createTabApi } from '../../shared/api/client.js';
import { fromIpcError, type DesktopAuthState, type DesktopBridge, type IpcResult } from '../../shared/ipc/contract.js';
import type { SessionEndReason } from '../../shared/errors.js';
import { createSignal, type AuthSnapshot, type Backend, type ConnectionStatus } from './backend.js';
import { apiTimeWrites } from './time-writes.js';

export function connectionStatusOf(state: DesktopAuthState): ConnectionStatus {
  const storage = state.status === 'signed-in' || state.status === 'offline' ? state.storage : 'keychain';
  return { offline: state.status === 'offline', memoryOnly: storage === 'memory' };
}

function snapshotOf(state: DesktopAuthState): AuthSnapshot {
  if (state.status === 'signed-in' || state.status === 'offline') return { status: 'signed-in', user: state.user };
  return { status: 'signed-out', reason: state.status === 'signed-out' ? state.reason : null };
}

/**
 * First the current value (read once), then every push; the first answer is
 * dropped when a push arrived before it (it would be stale).
 */
function currentThenChanges<T>(read: () => Promise<T>, subscribe: (listener: (value: T) => void) => () => void, listener: (value: T) => void): () => void {
  let heardChange = false;
  let live = true;
  void read().then(
    (value) => live && !heardChange && listener(value),
    () => undefined,
  );
  const stop = subscribe((value) => {
    heardChange = true;
    listener(value);
  });
  return () => {
    live = false;
    stop();
  };
}

/**
 * The desktop renderer: every call goes through the preload bridge
 * (`window.tab`), and Electron's main process adds the credentials, which
 * the renderer never sees. Main also owns the event stream and forwards it.
 */
export function createDesktopBackend(bridge: DesktopBridge): Backend {
  const signedOut = createSignal<SessionEndReason | null>();

  /** The IpcResult's value, or its error as the same ApiError the web client throws (a 401 also signs out). */
  const unwrap = <T>(result: IpcResult<T>): T => {
    if (result.ok) return result.value;
    const error = fromIpcError(result.error);
    if (error.isSignedOut) signedOut.emit(error.reason ?? null);
    throw error;
  };
  const state = async () => unwrap(await bridge.getState());

  const send = async (request: Parameters<DesktopBridge['apiRequest']>[0]) => unwrap(await bridge.apiRequest(request));
  const api = createTabApi(send);
  const online = apiTimeWrites(api);

  // Main says when the session ended (e.g. it saw a 401 or a revoked event first).
  bridge.onStateChanged((s) => {
    if (s.status === 'signed-out') signedOut.emit(s.reason);
  });

  return {
    kind: 'desktop',
    api: {
      ...api,
      // API tokens are created on the web Profile page, never through the desktop's session (main
      // refuses to mint one): a "Create API token" in this window opens that page in the browser.
      createApiToken: async () => {
        await backendOpenProfile();
        throw fromIpcError({ status: 400, code: 'invalid_request', message: 'API tokens are created on your Profile page, which just opened in your browser.' });
      },
    },
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
    onSyncStatus: (listener) => currentThenChanges(async () => unwrap(await bridge.getSyncStatus()), bridge.onSyncChanged, listener),
    async discardQueuedWrite(entryId) {
      unwrap(await bridge.discardQueuedWrite({ entryId }));
    },
    restore: async () => snapshotOf(await state()),
    async signInWithSso(email) {
      const result = await bridge.signInWithSso({ email });
      if (result.ok) return result.value.user;
      throw fromIpcError(result.error);
    },
    async signIn(email, password) {
      const result = await bridge.signIn({ email, password });
      // A wrong password is not the end of a session: no signed-out signal.
      if (!result.ok) throw fromIpcError(result.error);
      const value = result.value;
      if ('secondStep' in value) return { status: 'second-step', methods: value.secondStep.methods, enrolRequired: value.secondStep.enrolRequired };
      return { status: 'signed-in', user: value.user };
    },
    async finishSignIn(code) {
      const result = await bridge.signInCode({ code });
      if (result.ok) return result.value.user;
      throw fromIpcError(result.error);
    },
    // Passkeys run in the system browser, never in this window: main opens TAB's page there and
    // catches the loopback redirect (RFC 8252). A failed sign-in is not the end of a session: no signal.
    async signInWithPasskey() {
      const result = await bridge.signInWithPasskey({ step: 'passwordless' });
      if (result.ok) return result.value.user;
      throw fromIpcError(result.error);
    },
    async finishSignInWithPasskey() {
      const result = await bridge.signInWithPasskey({ step: 'second' });
      if (result.ok) return result.value.user;
      throw fromIpcError(result.error);
    },
    async cancelBrowserSignIn() {
      await bridge.cancelBrowserSignIn().catch(() => undefined);
    },
    // The enrolment a workspace's two-factor policy requires at sign-in, as on the web (main keeps the challenge).
    async startSignInEnrolment() {
      const result = await bridge.signInEnrolStart();
      if (result.ok) return result.value;
      throw fromIpcError(result.error);
    },
    async confirmSignInEnrolment(code) {
      const result = await bridge.signInEnrolConfirm({ code });
      if (result.ok) return { user: result.value.user, recoveryCodes: result.value.recoveryCodes };
      throw fromIpcError(result.error);
    },
    async signOut() {
      await bridge.signOut().catch(() => undefined);
    },
    onSignedOut: (listener) => signedOut.listen(listener),
    onConnectionStatus: (listener) => currentThenChanges(state, bridge.onStateChanged, (s) => listener(connectionStatusOf(s))),
    subscribeEvents(listener) {
      return bridge.onServerEvent((event) => {
        if (event.type === 'session.revoked') signedOut.emit(event.reason);
        else listener(event);
      });
    },
    serverUrl: async () => (await state()).serverUrl,
    async setServerUrl(url) {
      const result = await bridge.setServerUrl(url);
      if (!result.ok) throw fromIpcError(result.error);
    },
    saveDownload: async (path, suggestedName) => unwrap(await bridge.saveDownload({ path, suggestedName })),
    openProfileInBrowser: backendOpenProfile,
    idle: {
      onPrompt: (listener) => currentThenChanges(async () => unwrap(await bridge.getIdlePrompt()), bridge.onIdlePrompt, listener),
      async answer(promptId, action) {
        unwrap(await bridge.answerIdlePrompt({ promptId, action }));
      },
    },
    desktopSettings: {
      get: async () => unwrap(await bridge.getDesktopSettings()),
      set: async (patch) => unwrap(await bridge.setDesktopSettings(patch)),
    },
    onMenuCommand: (listener) => bridge.onMenuCommand(listener),
  };

  async function backendOpenProfile(): Promise<void> {
    unwrap(await bridge.openProfileInBrowser());
  }
}
