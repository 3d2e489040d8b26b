import type { ErrorCode, SessionEndReason } from '../errors.js';
import type { HttpRequest } from '../api/client.js';
import type { User } from '../api/auth.js';
import type { Session } from '../api/sessions.js';
import type { ServerEvent } from '../api/events.js';

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

/** Argument and result types of every invoke channel. */
export interface IpcInvokeMap {
  [IPC_CHANNELS.apiRequest]: { args: HttpRequest; result: IpcResult<unknown> };
  [IPC_CHANNELS.signIn]: { args: SignInArgs; result: IpcResult<SignedInView> };
  [IPC_CHANNELS.signOut]: { args: void; result: IpcResult<null> };
  [IPC_CHANNELS.getState]: { args: void; result: DesktopAuthState };
  [IPC_CHANNELS.setServerUrl]: { args: string; result: IpcResult<DesktopAuthState> };
}

/** Payloads of every main → renderer channel. */
export interface IpcPushMap {
  [IPC_CHANNELS.stateChanged]: DesktopAuthState;
  [IPC_CHANNELS.serverEvent]: ServerEvent;
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
}

/** The global name the bridge is exposed under. */
export const BRIDGE_GLOBAL = 'tab';
