import { totpCodeAt } from '../../server/mfa/totp.js';
import type { Clock } from '../../server/platform/clock.js';
import { call, CHROME_MAC, type SignedIn } from './api.js';

/** Enrols an authenticator for `who` from the Profile API, acting as the app; answers its secret and recovery codes. */
export async function enrolTotp(url: string, who: SignedIn, clock: Clock): Promise<{ secret: string; recoveryCodes: string[] }> {
  const started = await call(url, 'POST', '/api/v1/me/two-factor/totp', { headers: who.auth });
  if (started.status !== 200) throw new Error(`enrolment failed: ${started.status} ${JSON.stringify(started.body)}`);
  const secret = started.body.secret as string;
  const confirmed = await call(url, 'POST', '/api/v1/me/two-factor/totp/confirm', { headers: who.auth, body: { code: totpCodeAt(secret, clock.now()) } });
  if (confirmed.status !== 200) throw new Error(`confirmation failed: ${confirmed.status} ${JSON.stringify(confirmed.body)}`);
  return { secret, recoveryCodes: confirmed.body.recoveryCodes };
}

/** The first step of a sign-in, as it answers (200 or 202). */
export function passwordStep(url: string, email: string, options: { password?: string; client?: 'web' | 'desktop'; deviceName?: string; headers?: Record<string, string> } = {}) {
  return call(url, 'POST', '/api/v1/auth/login', {
    body: { email, password: options.password ?? 'demo-pass-2026', client: options.client, deviceName: options.deviceName },
    headers: { 'user-agent': CHROME_MAC, ...options.headers },
  });
}

/** The second step. */
export function codeStep(url: string, challenge: string, code: string, headers: Record<string, string> = {}) {
  return call(url, 'POST', '/api/v1/auth/login/mfa', { body: { challenge, code }, headers: { 'user-agent': CHROME_MAC, ...headers } });
}

/** Both steps with the authenticator's code at the clock's now: a signed-in session like signIn()'s. */
export async function signInWithTotp(url: string, email: string, secret: string, clock: Clock, options: { client?: 'web' | 'desktop'; at?: number } = {}): Promise<SignedIn> {
  const first = await passwordStep(url, email, { client: options.client });
  if (first.status !== 202) throw new Error(`expected a challenge: ${first.status} ${JSON.stringify(first.body)}`);
  const second = await codeStep(url, first.body.challenge, totpCodeAt(secret, options.at ?? clock.now()));
  if (second.status !== 200) throw new Error(`second step failed: ${second.status} ${JSON.stringify(second.body)}`);
  const cookie = /tab_session=([^;]+)/.exec(second.headers.get('set-cookie') ?? '')?.[1] ?? '';
  return { ...second.body, cookie, auth: { authorization: `Bearer ${second.body.token}` } };
}
