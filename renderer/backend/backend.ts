import type { HttpRequest, TabApi } from '../../shared/api/client.js';
import type { User } from '../../shared/api/auth.js';
import type { ClientKind } from '../../shared/api/sessions.js';
import type { MfaMethod, TotpEnrolment } from '../../shared/api/mfa.js';
import type { ServerEvent } from '../../shared/api/events.js';
import type { SessionEndReason } from '../../shared/errors.js';
import type { CreateEntryRequest, EntryWarning, StartTimerRequest, TimeEntry } from '../../shared/api/time.js';
import type { DesktopSettings, DesktopSettingsPatch, IdleAction, IdlePrompt, MenuCommand, SavedDownload, SyncStatus } from '../../shared/ipc/contract.js';

/** What the app knows about the signed-in person when it starts or signs in. */
export type AuthSnapshot =
  | { status: 'signed-in'; user: User }
  | { status: 'signed-out'; reason: SessionEndReason | null };

/**
 * What the password step led to: signed in, or a second step (two-factor).
 * The challenge stays inside the backend (on the desktop, in the main
 * process); the page only sends the code.
 */
export type SignInStep =
  | { status: 'signed-in'; user: User }
  | { status: 'second-step'; methods: MfaMethod[]; enrolRequired: boolean };

/** What the desktop shell says about its link to the server and where it keeps the sign-in. */
export interface ConnectionStatus {
  /** The server could not be reached; main keeps the credentials and retries. */
  offline: boolean;
  /** The OS keychain was unavailable: the sign-in lives in memory and ends with the app. */
  memoryOnly: boolean;
}

/** An entry as saved: on the web the server's answer, on the desktop the local copy. */
export interface SavedEntry {
  entry: TimeEntry;
  /** The server's warnings (overlap); none while a desktop write waits in the queue. */
  warnings: EntryWarning[];
  /** Desktop: written to this computer first; the server gets it in the background. */
  queued: boolean;
}

export interface SaveEntryOptions {
  /** 'create' for a new id (generated with crypto.randomUUID()), 'update' for an existing entry. */
  mode: 'create' | 'update';
  /** False when a manager or admin corrects someone else's entry (never queued: it needs the server). */
  ownEntry: boolean;
}

/**
 * Time writes. They go through the Backend, not `api`, because the desktop
 * writes them to a local queue first (offline-safe) while the web sends them
 * straight to the server. Reads (entries, dashboard, reports) use `api`.
 */
export interface TimeWrites {
  /** Stops a running timer first (server side); pass an `id` to make a retry idempotent. */
  startTimer(request: StartTimerRequest): Promise<TimeEntry>;
  /** With `id`, stops only that entry (a replay never stops a newer timer). */
  stopTimer(id?: string): Promise<TimeEntry>;
  saveEntry(entry: CreateEntryRequest, options: SaveEntryOptions): Promise<SavedEntry>;
  deleteEntry(id: string): Promise<void>;
}

/**
 * Everything the renderer needs from "the outside": the typed API plus the few
 * things that differ between the web (cookie, EventSource) and the desktop
 * (the preload bridge). Components only ever see this interface.
 */
export interface Backend extends TimeWrites {
  readonly kind: ClientKind;
  readonly api: TabApi;
  /** An API call not (yet) in TabApi, e.g. `GET /api/v1/dashboard`; same errors as `api`. */
  request(request: HttpRequest): Promise<unknown>;
  /** Who is signed in right now, asked once at start-up. */
  restore(): Promise<AuthSnapshot>;
  /** Throws ApiError (invalid_credentials, too_many_attempts, account_disabled, network_error…). */
  signIn(email: string, password: string): Promise<SignInStep>;
  /** The second step of the pending sign-in: an authenticator or recovery code (mfa_code_invalid, mfa_challenge_expired…). */
  finishSignIn(code: string): Promise<User>;
  /** Finish the pending sign-in's second step with a passkey (web: this browser asks; desktop: the system browser, never the app's window). */
  finishSignInWithPasskey?(): Promise<User>;
  /** Sign in with a passkey alone (discoverable; web: this browser; desktop: the system browser, RFC 8252). */
  signInWithPasskey?(): Promise<User>;
  /** Desktop only: single sign-on in the system browser (main catches the loopback redirect). */
  signInWithSso?(email: string): Promise<User>;
  /** Desktop only: stop waiting for a sign-in in the system browser (SSO, passkey); it then fails as cancelled. */
  cancelBrowserSignIn?(): Promise<void>;
  /**
   * A sign-in the workspace policy sent to enrol (`enrolRequired`), web and
   * desktop: the secret to scan, then its first code, which signs in and
   * answers the recovery codes (shown once). A passkey is added afterwards on
   * the Profile page (the web's).
   */
  startSignInEnrolment?(): Promise<TotpEnrolment>;
  confirmSignInEnrolment?(code: string): Promise<{ user: User; recoveryCodes: string[] }>;
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
  /** Desktop only: the local write queue (waiting, refused, running timer), now and whenever it changes. */
  onSyncStatus?(listener: (status: SyncStatus) => void): () => void;
  /** Desktop only: drop a write the server refused, after the person chose to. */
  discardQueuedWrite?(entryId: string): Promise<void>;
  /**
   * Desktop only: save what a GET of an API path answers (CSV, invoice PDF) to a
   * file the person picks. The web client uses a plain download link instead.
   */
  saveDownload?(path: string, suggestedName: string): Promise<SavedDownload>;
  /**
   * Desktop only: open the web client's Profile page in the system browser.
   * API tokens are created there: the desktop app never mints one.
   */
  openProfileInBrowser?(): Promise<void>;
  /** Desktop only: the idle prompt ("You were away 0:25 — Keep / Discard / Stop at …"). */
  idle?: {
    /** The pending prompt now, then every change (null: none). */
    onPrompt(listener: (prompt: IdlePrompt | null) => void): () => void;
    answer(promptId: string, action: IdleAction): Promise<void>;
  };
  /** Desktop only: the desktop app's own settings (idle threshold, crash-report opt-in). */
  desktopSettings?: {
    get(): Promise<DesktopSettings>;
    set(patch: DesktopSettingsPatch): Promise<DesktopSettings>;
  };
  /** Desktop only: the native menu asked for something the window shows (e.g. the settings). */
  onMenuCommand?(listener: (command: MenuCommand) => void): () => void;
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
