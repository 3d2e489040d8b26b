import type { HttpRequest, TabApi } from '../../shared/api/client.js';
import type { User } from '../../shared/api/auth.js';
import type { ClientKind } from '../../shared/api/sessions.js';
import type { ServerEvent } from '../../shared/api/events.js';
import type { SessionEndReason } from '../../shared/errors.js';

/** What the app knows about the signed-in person when it starts or signs in. */
export type AuthSnapshot =
  | { status: 'signed-in'; user: User }
  | { status: 'signed-out'; reason: SessionEndReason | null };

/** What the desktop shell says about its link to the server and where it keeps the sign-in. */
export interface ConnectionStatus {
  /** The server could not be reached; main keeps the credentials and retries. */
  offline: boolean;
  /** The OS keychain was unavailable: the sign-in lives in memory and ends with the app. */
  memoryOnly: boolean;
}

/**
 * Everything the renderer needs from "the outside": the typed API plus the few
 * things that differ between the web (cookie, EventSource) and the desktop
 * (the preload bridge). Components only ever see this interface.
 */
export interface Backend {
  readonly kind: ClientKind;
  readonly api: TabApi;
  /** An API call not (yet) in TabApi, e.g. `GET /api/v1/dashboard`; same errors as `api`. */
  request(request: HttpRequest): Promise<unknown>;
  /** Who is signed in right now, asked once at start-up. */
  restore(): Promise<AuthSnapshot>;
  /** Throws ApiError (invalid_credentials, too_many_attempts, account_disabled, network_error…). */
  signIn(email: string, password: string): Promise<User>;
  /** Ends this session; never throws (the user wants out even when the server is unreachable). */
  signOut(): Promise<void>;
  /** Called whenever the server ends this session: a 401 from any call, or a `session.revoked` event. */
  onSignedOut(listener: (reason: SessionEndReason | null) => void): () => void;
  /** Live server events while signed in; the returned function stops listening. */
  subscribeEvents(listener: (event: ServerEvent) => void): () => void;
  /** Desktop only: offline and keychain status, now and whenever it changes. */
  onConnectionStatus?(listener: (status: ConnectionStatus) => void): () => void;
  /** Desktop only: the server address, which the person may have to type on first run. */
  serverUrl?(): Promise<string | null>;
  setServerUrl?(url: string): Promise<void>;
}

/** A tiny listener set, so that several parts of the app can hear "signed out". */
export function createSignal<T>(): { emit(value: T): void; listen(listener: (value: T) => void): () => void } {
  const listeners = new Set<(value: T) => void>();
  return {
    emit: (value) => {
      for (const listener of [...listeners]) listener(value);
    },
    listen: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
