import { Type, type Static } from '@sinclair/typebox';
import type { SessionEndReason } from '../errors.js';
import type { User } from '../api/auth.js';
import { LoginRequest } from '../api/auth.js';
import type { Session } from '../api/sessions.js';
import type { TimeEntry } from '../api/time.js';
import { Uuid } from '../api/time.js';
import { literalUnion } from '../api/common.js';
import { CODE_MAX, type MfaMethod } from '../api/mfa.js';

/**
 * The shapes that cross the desktop's IPC pipe (besides the API's own):
 * argument schemas (TypeBox, checked in main) and the payload types main
 * answers and pushes. The channels themselves are declared once, in
 * `channels.ts`.
 */

// ---------------------------------------------------------------- arguments

/** An API call the renderer asks main to make with the session's credentials. */
export const HttpRequestArgs = Type.Object(
  {
    method: literalUnion(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const),
    path: Type.String({ minLength: 1, maxLength: 2048 }),
    body: Type.Optional(Type.Unknown()),
  },
  { additionalProperties: false },
);

/** Sign-in from the desktop: the server's LoginRequest without what main adds itself (client kind, device name). */
export const SignInArgs = Type.Pick(LoginRequest, ['email', 'password'], { additionalProperties: false });
export type SignInArgs = Static<typeof SignInArgs>;

/** The second step of a desktop sign-in: the code the person typed (main keeps the challenge). */
export const SignInCodeArgs = Type.Object({ code: Type.String({ minLength: 1, maxLength: CODE_MAX }) }, { additionalProperties: false });
export type SignInCodeArgs = Static<typeof SignInCodeArgs>;

/** Single sign-on from the desktop: main opens the system browser and catches the loopback redirect (RFC 8252). */
export const SsoSignInArgs = Type.Pick(LoginRequest, ['email'], { additionalProperties: false });
export type SsoSignInArgs = Static<typeof SsoSignInArgs>;

/**
 * A passkey sign-in from the desktop, run in the system browser (RFC 8252):
 * `passwordless` (the passkey alone), or `second` (the second step of the
 * pending password sign-in, whose challenge main keeps: the passkey must be
 * that member's).
 */
export const PasskeySignInArgs = Type.Object({ step: literalUnion(['passwordless', 'second'] as const) }, { additionalProperties: false });
export type PasskeySignInArgs = Static<typeof PasskeySignInArgs>;

export const ServerUrlArgs = Type.String({ maxLength: 2048 });

export const EntryIdArgs = Type.Object({ id: Uuid }, { additionalProperties: false });
export const QueuedWriteArgs = Type.Object({ entryId: Uuid }, { additionalProperties: false });

/** "Download this API path to a file the person picks" (CSV exports today, invoice PDFs later). */
export const SaveDownloadArgs = Type.Object(
  {
    /** A GET path under /api/v1/ (query string allowed). */
    path: Type.String({ minLength: 1, maxLength: 2048 }),
    /** The file name the save dialog proposes, e.g. `tab-entries-2026-11.csv`. */
    suggestedName: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
);
export type SaveDownloadArgs = Static<typeof SaveDownloadArgs>;

/** Minutes of system idle time (or sleep, or lock) before TAB asks about a running timer; 0 = never ask. */
export const IDLE_THRESHOLD_CHOICES = [0, 5, 10, 15, 30] as const;
export type IdleThresholdMinutes = (typeof IDLE_THRESHOLD_CHOICES)[number];
export const DEFAULT_IDLE_THRESHOLD_MINUTES: IdleThresholdMinutes = 10;

export const DesktopSettingsPatch = Type.Object(
  {
    idleThresholdMinutes: Type.Optional(literalUnion(IDLE_THRESHOLD_CHOICES)),
    /** Opt-in: send crash reports to the deployment's crash-report address (only when one is configured). */
    uploadCrashReports: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type DesktopSettingsPatch = Static<typeof DesktopSettingsPatch>;

export const IDLE_ACTIONS = ['keep', 'discard', 'stop'] as const;
export type IdleAction = (typeof IDLE_ACTIONS)[number];
export const IdleAnswerArgs = Type.Object({ promptId: Uuid, action: literalUnion(IDLE_ACTIONS) }, { additionalProperties: false });
export type IdleAnswerArgs = Static<typeof IdleAnswerArgs>;

// ---------------------------------------------------------------- answers and pushes

/** What the renderer gets after signing in: never the token or the cookie. */
export interface SignedInView {
  user: User;
  session: Session;
}

/** The password was right and the server asks for a second step (two-factor): send the code with `signInCode`. */
export interface SecondStepView {
  secondStep: { methods: MfaMethod[]; enrolRequired: boolean };
}

/** Enrolment at sign-in (the workspace requires two-factor): signed in, with the recovery codes to show once. */
export interface EnrolledView extends SignedInView {
  recoveryCodes: string[];
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

/** The desktop app's own settings, as the renderer shows them. */
export interface DesktopSettings {
  idleThresholdMinutes: IdleThresholdMinutes;
  uploadCrashReports: boolean;
  /** Where crash reports would go; null when this installation has no crash-report address (then nothing is ever sent). */
  crashReportUrl: string | null;
}

/**
 * "You were away 0:25 — Keep, Discard the idle time, or Stop at 10:42": a
 * running timer went on while the computer was idle, asleep or locked for
 * longer than the person's threshold.
 */
export interface IdlePrompt {
  promptId: string;
  /** The running entry it is about. */
  entryId: string;
  /** When the person was last active (RFC 3339): "Stop at" this time. */
  awayFrom: string;
  /** When they came back: a kept timer runs on, a discarded stretch restarts here. */
  returnedAt: string;
  awayMs: number;
}

export interface SavedDownload {
  /** False when the person cancelled the save dialog. */
  saved: boolean;
  /** The file's name (not its folder) when saved. */
  fileName: string | null;
}

/** What the native app menu asks the window to show. */
export type MenuCommand = 'open-desktop-settings';
