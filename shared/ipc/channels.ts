import type { Static, TSchema } from '@sinclair/typebox';
import type { ServerEvent } from '../api/events.js';
import type { TotpEnrolment } from '../api/mfa.js';
import { CreateEntryRequest, StartTimerRequest, StopTimerRequest, type TimeEntry } from '../api/time.js';
import type { IpcResult } from './errors.js';
import {
  DesktopSettingsPatch,
  EntryIdArgs,
  HttpRequestArgs,
  IdleAnswerArgs,
  PasskeySignInArgs,
  QueuedWriteArgs,
  SaveDownloadArgs,
  ServerUrlArgs,
  SignInArgs,
  SignInCodeArgs,
  SsoSignInArgs,
  type DesktopAuthState,
  type DesktopSettings,
  type EnrolledView,
  type IdlePrompt,
  type MenuCommand,
  type SavedDownload,
  type SignedInView,
  type SecondStepView,
  type SyncStatus,
} from './types.js';

/**
 * THE IPC map of the desktop app: every channel between the renderer (through
 * preload) and Electron's main process, declared once. Everything else is
 * derived from it:
 *
 * - the channel's wire name, `tab:<key>`;
 * - `DesktopBridge`, the type of `window.tab` (an invoke `k` becomes
 *   `tab.k(args)`, a push `k` becomes `tab.onK(listener)`), and the bridge
 *   object preload builds by walking this map;
 * - `IpcHandlers`, the handler table main must provide (the compiler refuses
 *   a missing or mistyped handler), and the dispatcher that checks each
 *   call's sender and validates its argument against the channel's TypeBox
 *   schema (the server's own schemas where the argument is an API request).
 *
 * Adding a channel is one entry here plus its handler (invoke) or its `push`
 * call (push). Invokes take at most one argument and always answer an
 * IpcResult: they never reject across the pipe.
 */

/** An invoke channel: renderer → main → answer. `args` null: takes no argument. */
export interface InvokeSpec<A extends TSchema | null, R> {
  readonly kind: 'invoke';
  readonly args: A;
  /** Type only (never read): what the channel answers when it succeeds. */
  readonly result?: R;
}

/** A push channel: main → renderer, a payload of type P. */
export interface PushSpec<P> {
  readonly kind: 'push';
  /** Type only (never read). */
  readonly payload?: P;
}

const invoke = <R>() => <A extends TSchema | null>(args: A): InvokeSpec<A, R> => ({ kind: 'invoke', args });
const push = <P>(): PushSpec<P> => ({ kind: 'push' });

export const IPC = {
  // ---- session (auth-controller.ts)
  /** An API call, sent by main with the stored credentials. Never sign-in, sign-out, the event stream or minting API tokens. */
  apiRequest: invoke<unknown>()(HttpRequestArgs),
  /** The password step: signed in, or a second step (two-factor) whose challenge main keeps for `signInCode`. */
  signIn: invoke<SignedInView | SecondStepView>()(SignInArgs),
  signInCode: invoke<SignedInView>()(SignInCodeArgs),
  /** Single sign-on in the system browser with a loopback redirect; main exchanges the code through TAB and keeps the credentials. */
  signInWithSso: invoke<SignedInView>()(SsoSignInArgs),
  /** A passkey in the system browser (never this window): passwordless, or the pending sign-in's second step. Main exchanges the loopback code. */
  signInWithPasskey: invoke<SignedInView>()(PasskeySignInArgs),
  /** Stops waiting for a sign-in in the system browser (SSO or passkey): it ends as cancelled. */
  cancelBrowserSignIn: invoke<null>()(null),
  /** The pending sign-in must enrol (workspace policy): the authenticator secret and its QR code to scan. */
  signInEnrolStart: invoke<TotpEnrolment>()(null),
  /** Its first code: two-factor on, signed in, and the recovery codes (shown once). */
  signInEnrolConfirm: invoke<EnrolledView>()(SignInCodeArgs),
  /** Server logout, then the credentials are forgotten even if the server did not answer. */
  signOut: invoke<null>()(null),
  getState: invoke<DesktopAuthState>()(null),
  /** The server address (first run, or signed out). */
  setServerUrl: invoke<DesktopAuthState>()(ServerUrlArgs),
  /** Opens the web client's Profile page (API tokens live there) in the system browser. */
  openProfileInBrowser: invoke<null>()(null),

  // ---- offline-safe time (time-queue/time-service.ts): written locally first, synced in order
  timerStart: invoke<TimeEntry>()(StartTimerRequest),
  timerStop: invoke<TimeEntry>()(StopTimerRequest),
  saveEntry: invoke<TimeEntry>()(CreateEntryRequest),
  deleteEntry: invoke<null>()(EntryIdArgs),
  /** Drops queued writes the server refused (after the person decided so). */
  discardQueuedWrite: invoke<null>()(QueuedWriteArgs),
  getSyncStatus: invoke<SyncStatus>()(null),

  // ---- idle detection (idle/idle-monitor.ts)
  getIdlePrompt: invoke<IdlePrompt | null>()(null),
  answerIdlePrompt: invoke<null>()(IdleAnswerArgs),

  // ---- the desktop app itself
  getDesktopSettings: invoke<DesktopSettings>()(null),
  setDesktopSettings: invoke<DesktopSettings>()(DesktopSettingsPatch),
  /** Saves what a GET of an API path answers to a file the person picks in the save dialog. */
  saveDownload: invoke<SavedDownload>()(SaveDownloadArgs),

  // ---- main → renderer
  stateChanged: push<DesktopAuthState>(),
  /** Server events main forwards from its event stream (`session.revoked` is handled in main, never forwarded). */
  serverEvent: push<ServerEvent>(),
  syncChanged: push<SyncStatus>(),
  /** The pending idle prompt, or null once it is answered or moot. */
  idlePrompt: push<IdlePrompt | null>(),
  settingsChanged: push<DesktopSettings>(),
  menuCommand: push<MenuCommand>(),
} as const;

export type IpcMap = typeof IPC;
export type IpcKey = keyof IpcMap;
export type InvokeKey = { [K in IpcKey]: IpcMap[K] extends InvokeSpec<TSchema | null, unknown> ? K : never }[IpcKey];
export type PushKey = { [K in IpcKey]: IpcMap[K] extends PushSpec<unknown> ? K : never }[IpcKey];

/** The argument of invoke `K` (undefined when it takes none). */
export type InvokeArgs<K extends InvokeKey> = IpcMap[K] extends InvokeSpec<infer A, unknown> ? (A extends TSchema ? Static<A> : undefined) : never;
/** What invoke `K` answers when it succeeds. */
export type InvokeValue<K extends InvokeKey> = IpcMap[K] extends InvokeSpec<TSchema | null, infer R> ? R : never;
export type PushPayload<K extends PushKey> = IpcMap[K] extends PushSpec<infer P> ? P : never;

/** `onStateChanged` for the push `stateChanged`. */
export type PushListenerName<K extends string> = `on${Capitalize<K>}`;

/** The wire name of a channel. */
export const channelName = (key: IpcKey): string => `tab:${key}`;
export const pushListenerName = <K extends string>(key: K): PushListenerName<K> =>
  `on${key.charAt(0).toUpperCase()}${key.slice(1)}` as PushListenerName<K>;

export const INVOKE_KEYS = (Object.keys(IPC) as IpcKey[]).filter((key): key is InvokeKey => IPC[key].kind === 'invoke');
export const PUSH_KEYS = (Object.keys(IPC) as IpcKey[]).filter((key): key is PushKey => IPC[key].kind === 'push');

/**
 * `window.tab`, derived from the map. Narrow on purpose: functions only, no
 * ipcRenderer, no Node, no secrets.
 */
export type DesktopBridge = {
  readonly [K in InvokeKey]: InvokeArgs<K> extends undefined ? () => Promise<IpcResult<InvokeValue<K>>> : (args: InvokeArgs<K>) => Promise<IpcResult<InvokeValue<K>>>;
} & {
  readonly [K in PushKey as PushListenerName<K>]: (listener: (payload: PushPayload<K>) => void) => () => void;
};

/** The global name the bridge is exposed under. */
export const BRIDGE_GLOBAL = 'tab';
