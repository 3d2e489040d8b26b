import { ApiError } from '../shared/api/client.js';
import { DEVICE_NAME_MAX } from '../shared/api/auth.js';
import type { LoopbackOptions } from './loopback.js';
import { nodeTransport, type ServerTransport } from './server-client.js';

/**
 * Small parts of the desktop's sign-ins that the auth controller
 * (./auth-controller.ts) composes: the pending second step's challenge, and
 * what a sign-in in the system browser (single sign-on, passkeys) needs.
 */

/**
 * The password step's 202 challenge, kept in main's memory only (never given
 * to the renderer) until its second step or the enrolment it requires uses
 * it. A new sign-in forgets it.
 */
export class PendingSecondStep {
  private pending: { serverUrl: string; challenge: string } | null = null;

  keep(serverUrl: string, challenge: string): void {
    this.pending = { serverUrl, challenge };
  }

  clear(): void {
    this.pending = null;
  }

  /** The challenge of the sign-in pending on this server, or 410 `mfa_challenge_expired` (start again). */
  challengeFor(serverUrl: string | null): string {
    if (!this.pending || this.pending.serverUrl !== serverUrl) throw new ApiError(410, 'mfa_challenge_expired', 'This sign-in has expired. Sign in again.');
    return this.pending.challenge;
  }
}

/** The name every "Active sessions" list shows for this computer. */
export const deviceLabel = (deviceName: string): string => (deviceName.trim() || 'Desktop').slice(0, DEVICE_NAME_MAX);

/** What a sign-in in the system browser needs (./loopback.ts): the sign-in transport and the browser. */
export function browserSignIn(
  serverUrl: string,
  options: { transport?: ServerTransport; openExternal?: (url: string) => Promise<void> },
  what: string,
): LoopbackOptions {
  const openExternal = options.openExternal;
  if (!openExternal) throw new ApiError(400, 'invalid_request', `This app cannot open a browser for ${what}.`);
  const transport = options.transport ?? nodeTransport;
  return { serverUrl, fetch: transport.loginFetch ?? transport.fetch, takeLoginCookie: transport.takeLoginCookie, openExternal };
}
