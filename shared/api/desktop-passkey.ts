import { Type, type Static } from '@sinclair/typebox';
import { DEVICE_NAME_MAX } from './auth.js';

/**
 * Passkey sign-in for the desktop app through the system browser (issue #15
 * item 3, RFC 8252): Electron's window never runs WebAuthn. Main starts a
 * hand-off with its loopback redirect and a PKCE S256 challenge, opens the
 * answered `browserUrl` (the web client's `/desktop/passkey` page) in the
 * system browser, which runs the passkey ceremony and is sent to the
 * loopback with a one-time code; main exchanges code + verifier for the
 * usual sign-in answer. For the second step after a password, main passes
 * the 202's challenge: the passkey must be that member's.
 */

/** The web client's page that runs the ceremony; the hand-off id follows `#` (never sent to a server log or a Referer). */
export const DESKTOP_PASSKEY_PATH = '/desktop/passkey';
/** The one-time code lives this long after the browser's passkey verified (main exchanges it at once). */
export const DESKTOP_CODE_TTL_MS = 60_000;

const Base64Url43 = Type.String({ minLength: 43, maxLength: 43, pattern: '^[A-Za-z0-9_-]+$' });
const Secret = Type.String({ minLength: 1, maxLength: 200 });

export const DesktopPasskeyStartRequest = Type.Object(
  {
    /** `http://127.0.0.1:<port>/callback` (RFC 8252 §7.3). */
    redirectUri: Type.String({ maxLength: 100 }),
    /** BASE64URL(SHA-256(app verifier)). */
    appChallenge: Base64Url43,
    /** The app's random state, echoed on the redirect. */
    state: Base64Url43,
    deviceName: Type.Optional(Type.String({ minLength: 1, maxLength: DEVICE_NAME_MAX })),
    /** The second step: the 202's challenge of the password step this passkey finishes. Absent: a passwordless sign-in. */
    challenge: Type.Optional(Secret),
  },
  { additionalProperties: false },
);
export type DesktopPasskeyStartRequest = Static<typeof DesktopPasskeyStartRequest>;

export const DesktopPasskeyStartResponse = Type.Object({ browserUrl: Type.String() });
export type DesktopPasskeyStartResponse = Static<typeof DesktopPasskeyStartResponse>;

/** What the browser page sends: the hand-off id it read after `#`. */
export const DesktopHandoffRequest = Type.Object({ handoff: Secret }, { additionalProperties: false });
export type DesktopHandoffRequest = Static<typeof DesktopHandoffRequest>;

export const DesktopPasskeyOptionsResponse = Type.Object({
  options: Type.Unknown(),
  /** True for the second step after a password (the page says so; the passkey must be that member's). */
  secondStep: Type.Boolean(),
});
export type DesktopPasskeyOptionsResponse = Static<typeof DesktopPasskeyOptionsResponse>;

export const DesktopPasskeyFinishRequest = Type.Object(
  {
    handoff: Secret,
    response: Type.Object(
      { id: Type.String({ minLength: 1, maxLength: 1024 }), rawId: Type.String({ maxLength: 1024 }), type: Type.String({ maxLength: 40 }), response: Type.Object({}, { additionalProperties: true }) },
      { additionalProperties: true },
    ),
  },
  { additionalProperties: false },
);
export type DesktopPasskeyFinishRequest = Static<typeof DesktopPasskeyFinishRequest>;

/** Where the browser goes next: the app's loopback, with `code` and `state` (or `error=access_denied` after a cancel). */
export const DesktopRedirectResponse = Type.Object({ redirectTo: Type.String() });
export type DesktopRedirectResponse = Static<typeof DesktopRedirectResponse>;

export const DesktopPasskeyCompleteRequest = Type.Object(
  {
    code: Secret,
    appVerifier: Type.String({ minLength: 43, maxLength: 128, pattern: '^[A-Za-z0-9._~-]+$' }),
  },
  { additionalProperties: false },
);
export type DesktopPasskeyCompleteRequest = Static<typeof DesktopPasskeyCompleteRequest>;
