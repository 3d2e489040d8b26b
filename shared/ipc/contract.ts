import type { ErrorCode, SessionEndReason } from '../errors.js';
import type { HttpRequest } from '../api/client.js';
import type { User } from '../api/auth.js';
import type { Session } from '../api/sessions.js';
import type { ServerEvent } from '../api/events.js';
import type { CreateEntryRequest, StartTimerRequest, TimeEntry } from '../api/time.js';

/**
 * The IPC contract between the desktop renderer (through preload) and
 * Electron's main process: the only thing the two agree on. Main is the only
 * desktop part that talks to the server and the only one that ever holds the
 * session cookie or the JWT; the renderer sends requests without credentials
 * and main adds them.
 */
export const IPC_CHANNELS = {
  /** renderer → main (invoke): an API call, sent with the stored credentials. */
  apiRequest: 'tab:api-request',
  /** renderer → main (invoke): sign in with email and password. */
  signIn: 'tab:sign-in',
  /** renderer → main (invoke): sign out (server logout, then forget the credentials even if offline). */
  signOut: 'tab:sign-out',
  /** renderer → main (invoke): the current desktop auth state. */
  getState: 'tab:get-state',
  /** renderer → main (invoke): set the server address (first run / settings). */
  setServerUrl: 'tab:set-server-url',
  /** renderer → main (invoke): start the timer; written locally first, synced in the background. */
  timerStart: 'tab:timer-start',
  /** renderer → main (invoke): stop the running timer; written locally first. */
  timerStop: 'tab:timer-stop',
  /** renderer → main (invoke): create or update an entry (client-generated id); written locally first. */
  entrySave: 'tab:entry-save',
  /** renderer → main (invoke): delete an entry; written locally first. */
  entryDelete: 'tab:entry-delete',
  /** renderer → main (invoke): drop a queued write the server refused (after the person decided so). */
  syncDiscard: 'tab:sync-discard',
  /** renderer → main (invoke): the local queue's state. */
  getSyncStatus: 'tab:get-sync-status',
  /** main → renderer (send): the local queue changed (write queued, synced, or refused). */
  syncChanged: 'tab:sync-changed',
  /** main → renderer (send): the auth state changed. */
  stateChanged: 'tab:state-changed',
  /** main → renderer (send): an event from the server's event stream (`sessions.changed`). */
  serverEvent: 'tab:server-event',
} as const;

export type IpcChannel = (typeof IPC_CHANNELS)[keyof typeof IPC_CHANNELS];

/** A failure crossing IPC: the server's error, or a desktop-side one. */
export interface IpcError {
  status: number;
  code: ErrorCode | 'network_error' | 'invalid_server_url';
  message: string;
  reason?: SessionEndReason;
  retryAfterSeconds?: number;
}

/** Invoke results never reject across IPC (Electron would mangle the error): they say ok or not. */
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcError };

export interface SignInArgs {
  email: string;
  password: string;
}

/** What the renderer gets after signing in: never the token or the cookie. */
export interface SignedInView {
  user: User;
  session: Session;
}

/** Where the credentials live: the OS keychain, or (when it is unavailable) memory for this run only. */
export type CredentialStorage = 'keychain' | 'memory';

export type DesktopAuthState =
  | { status: 'signed-out'; serverUrl: string | null; reason: SessionEndReason | null }
  | { status: 'signing-in'; serverUrl: string }
  | { status: 'signed-in'; serverUrl: string; user: User; session: Session | null; storage: CredentialStorage }
  | { status: 'offline'; serverUrl: string; user: User; storage: CredentialStorage };

/** A write kept in the desktop's local queue until the server has it. */
export interface QueuedWrite {
  /** The entry's id (client-generated UUID). */
  entryId: string;
  operation: 'save' | 'delete' | 'timer-start' | 'timer-stop';
  /** The entry as the person last wrote it (null for a delete). */
  entry: TimeEntry | null;
  queuedAt: string;
  /** Set when the server refused the write (400): it stays here, marked, for the person to fix or discard. */
  refused: { code: string; message: string } | null;
}

export interface SyncStatus {
  /** Writes waiting for the server, oldest first (refused ones included). */
  queue: QueuedWrite[];
  /** The running timer as the desktop knows it (local first). */
  runningTimer: TimeEntry | null;
  lastSyncedAt: string | null;
  /** False while the server cannot be reached: writes are safe locally and sync later. */
  online: boolean;
}

/** Argument and result types of every invoke channel. */
export interface IpcInvokeMap {
  [IPC_CHANNELS.apiRequest]: { args: HttpRequest; result: IpcResult<unknown> };
  [IPC_CHANNELS.signIn]: { args: SignInArgs; result: IpcResult<SignedInView> };
  [IPC_CHANNELS.signOut]: { args: void; result: IpcResult<null> };
  [IPC_CHANNELS.getState]: { args: void; result: DesktopAuthState };
  [IPC_CHANNELS.setServerUrl]: { args: string; result: IpcResult<DesktopAuthState> };
  [IPC_CHANNELS.timerStart]: { args: StartTimerRequest; result: IpcResult<TimeEntry> };
  [IPC_CHANNELS.timerStop]: { args: { id?: string }; result: IpcResult<TimeEntry> };
  [IPC_CHANNELS.entrySave]: { args: CreateEntryRequest; result: IpcResult<TimeEntry> };
  [IPC_CHANNELS.entryDelete]: { args: { id: string }; result: IpcResult<null> };
  [IPC_CHANNELS.syncDiscard]: { args: { entryId: string }; result: IpcResult<null> };
  [IPC_CHANNELS.getSyncStatus]: { args: void; result: SyncStatus };
}

/** Payloads of every main → renderer channel. */
export interface IpcPushMap {
  [IPC_CHANNELS.stateChanged]: DesktopAuthState;
  [IPC_CHANNELS.serverEvent]: ServerEvent;
  [IPC_CHANNELS.syncChanged]: SyncStatus;
}

/**
 * The object preload exposes as `window.tab` through contextBridge. Narrow on
 * purpose: no ipcRenderer, no Node, no secrets.
 */
export interface DesktopBridge {
  apiRequest(request: HttpRequest): Promise<IpcResult<unknown>>;
  signIn(args: SignInArgs): Promise<IpcResult<SignedInView>>;
  signOut(): Promise<IpcResult<null>>;
  getState(): Promise<DesktopAuthState>;
  setServerUrl(url: string): Promise<IpcResult<DesktopAuthState>>;
  onStateChanged(listener: (state: DesktopAuthState) => void): () => void;
  onServerEvent(listener: (event: ServerEvent) => void): () => void;
  /** Offline-safe time writes: main keeps them in a local SQLite queue and syncs in order. */
  timerStart(args: StartTimerRequest): Promise<IpcResult<TimeEntry>>;
  timerStop(args: { id?: string }): Promise<IpcResult<TimeEntry>>;
  saveEntry(args: CreateEntryRequest): Promise<IpcResult<TimeEntry>>;
  deleteEntry(args: { id: string }): Promise<IpcResult<null>>;
  discardQueuedWrite(args: { entryId: string }): Promise<IpcResult<null>>;
  getSyncStatus(): Promise<SyncStatus>;
  onSyncChanged(listener: (status: SyncStatus) => void): () => void;
}

/** The global name the bridge is exposed under. */
export const BRIDGE_GLOBAL = 'tab';
