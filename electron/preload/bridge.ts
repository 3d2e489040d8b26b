import { IPC_CHANNELS, type DesktopAuthState, type DesktopBridge, type SyncStatus } from '../shared/ipc/contract.js';
import type { ServerEvent } from '../shared/api/events.js';

/**
 * What the bridge needs of the IPC pipe: in preload, thin wrappers around
 * ipcRenderer (which itself is never exposed); in the end-to-end test, a
 * stand-in over Playwright bindings.
 */
export interface BridgeTransport {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  /** Subscribes to a main → renderer channel; answers the unsubscribe. Listeners get the payload only. */
  on(channel: string, listener: (payload: unknown) => void): () => void;
}

/** Builds the `window.tab` object of the DesktopBridge contract: functions only, no secrets. */
export function createDesktopBridge(transport: BridgeTransport): DesktopBridge {
  const invoke = <T>(channel: string, ...args: unknown[]) => transport.invoke(channel, ...args) as Promise<T>;
  return Object.freeze({
    apiRequest: (request) => invoke(IPC_CHANNELS.apiRequest, { method: request.method, path: request.path, body: request.body }),
    signIn: (args) => invoke(IPC_CHANNELS.signIn, { email: args.email, password: args.password }),
    signOut: () => invoke(IPC_CHANNELS.signOut),
    getState: () => invoke(IPC_CHANNELS.getState),
    setServerUrl: (url) => invoke(IPC_CHANNELS.setServerUrl, url),
    onStateChanged: (listener: (state: DesktopAuthState) => void) =>
      transport.on(IPC_CHANNELS.stateChanged, (payload) => listener(payload as DesktopAuthState)),
    onServerEvent: (listener: (event: ServerEvent) => void) =>
      transport.on(IPC_CHANNELS.serverEvent, (payload) => listener(payload as ServerEvent)),
    // Only the contract's fields cross (an extra property on the argument never reaches main).
    timerStart: (args) =>
      invoke(IPC_CHANNELS.timerStart, { ...(args.id === undefined ? {} : { id: args.id }), clientId: args.clientId, description: args.description, billable: args.billable }),
    timerStop: (args) => invoke(IPC_CHANNELS.timerStop, args?.id === undefined ? {} : { id: args.id }),
    saveEntry: (args) =>
      invoke(IPC_CHANNELS.entrySave, {
        id: args.id,
        clientId: args.clientId,
        description: args.description,
        start: args.start,
        end: args.end,
        billable: args.billable,
        ...(args.hourlyRateCents === undefined ? {} : { hourlyRateCents: args.hourlyRateCents }),
      }),
    deleteEntry: (args) => invoke(IPC_CHANNELS.entryDelete, { id: args.id }),
    discardQueuedWrite: (args) => invoke(IPC_CHANNELS.syncDiscard, { entryId: args.entryId }),
    getSyncStatus: () => invoke(IPC_CHANNELS.getSyncStatus),
    onSyncChanged: (listener: (status: SyncStatus) => void) =>
      transport.on(IPC_CHANNELS.syncChanged, (payload) => listener(payload as SyncStatus)),
  } satisfies DesktopBridge);
}
