import { Type, type Static } from '@sinclair/typebox';
import { IsoDateTime, NullableIsoDateTime } from './common.js';
import { ReauthFields } from './mfa.js';

/** A WebAuthn challenge (registration or assertion) lives 5 minutes and is used once. */
export const PASSKEY_CHALLENGE_TTL_MS = 5 * 60_000;
export const PASSKEY_NAME_MAX = 60;

/** One of your passkeys, as the Profile page lists it (no key material). */
export const PasskeyView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  createdAt: IsoDateTime,
  lastUsedAt: NullableIsoDateTime(),
  /** Synced across the member's devices (a platform passkey) rather than bound to one security key. */
  backedUp: Type.Boolean(),
});
export type PasskeyView = Static<typeof PasskeyView>;

export const PasskeyList = Type.Object({ passkeys: Type.Array(PasskeyView) });
export type PasskeyList = Static<typeof PasskeyList>;

/**
 * The options a browser passes to `navigator.credentials.create()` / `.get()`
 * (SimpleWebAuthn's JSON shapes, `@simplewebauthn/browser` reads them as they
 * come). Their `challenge` is kept by the server, single use, 5 minutes.
 */
export const PasskeyOptions = Type.Object({ options: Type.Unknown() });
export type PasskeyOptions = Static<typeof PasskeyOptions>;

/** A browser's answer (`startRegistration()` / `startAuthentication()`), checked by the server library. */
const WebAuthnResponse = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 1024 }), rawId: Type.String({ maxLength: 1024 }), type: Type.String({ maxLength: 40 }), response: Type.Object({}, { additionalProperties: true }) },
  { additionalProperties: true },
);

export const RegisterPasskeyRequest = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: PASSKEY_NAME_MAX }), response: WebAuthnResponse },
  { additionalProperties: false },
);
export type RegisterPasskeyRequest = Static<typeof RegisterPasskeyRequest>;

/** The second step of a sign-in with a passkey: the 202's challenge and the assertion. */
export const PasskeyOptionsForLoginRequest = Type.Object({ challenge: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false });
export const LoginPasskeyRequest = Type.Object(
  { challenge: Type.String({ minLength: 1, maxLength: 200 }), response: WebAuthnResponse },
  { additionalProperties: false },
);
export type LoginPasskeyRequest = Static<typeof LoginPasskeyRequest>;

/** Passwordless sign-in (and a re-check): the assertion alone, plus the device as POST /auth/login takes it. */
export const PasswordlessOptionsRequest = Type.Object(
  {
    client: Type.Optional(Type.Union([Type.Literal('web'), Type.Literal('desktop')])),
    deviceName: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  },
  { additionalProperties: false },
);
export const AssertionRequest = Type.Object({ response: WebAuthnResponse }, { additionalProperties: false });
export type AssertionRequest = Static<typeof AssertionRequest>;

/** Removing a passkey is a re-check, like turning two-factor off. */
export const RemovePasskeyRequest = Type.Object(
  { currentPassword: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })), ...ReauthFields },
  { additionalProperties: false },
);
export type RemovePasskeyRequest = Static<typeof RemovePasskeyRequest>;

/**
 * Why passkeys cannot work with a TAB server at `serverUrl`, or null when
 * they can (or the address is not one yet: its own check says so).
 * WebAuthn binds a passkey to a host name (the RP ID), and browsers refuse
 * an IP address as one, so at `https://10.0.0.5` or `http://127.0.0.1:4000`
 * every passkey ceremony fails in the browser. `localhost` is a name and
 * works. The desktop app says so next to the server address and offers
 * passkey sign-in only where it can work.
 */
export function passkeysUnavailableAt(serverUrl: string): string | null {
  let host: string;
  try {
    host = new URL(serverUrl.trim()).hostname;
  } catch {
    return null;
  }
  // The URL parser writes every IPv4 form dotted (127.1 → 127.0.0.1) and IPv6 in brackets.
  const ip = host.startsWith('[') || /^\d{1,3}(\.\d{1,3}){3}$/.test(host);
  return ip ? 'Passkey sign-in needs the server’s name (like https://tab.yourfirm.com), not an IP address. Ask your firm’s TAB admin for the name, or sign in with your password.' : null;
}
