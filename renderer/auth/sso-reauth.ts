import type { TabApi } from '../../shared/api/client.js';

/**
 * A re-check by single sign-on in the web client, without leaving the page:
 * the provider's sign-in (`max_age=0`, `prompt=login`) opens in a pop-up;
 * the provider sends that pop-up back to /sso/callback, whose page sees the
 * state this tab is waiting for and hands the code over here (a same-origin
 * BroadcastChannel), then closes. This tab then trades the code for a grant
 * with its own session (`/auth/sso/reauth/complete`), so the dialog that
 * asked stays open with what was typed in it.
 *
 * The desktop app has no pop-up to the system browser here: its dialogs offer
 * the password and passkeys (it signs in by SSO through the system browser).
 */

const CHANNEL = 'tab-sso-reauth';
const PENDING_KEY = 'tab.sso-reauth.state';

type Answer = { state: string; code: string; iss?: string } | { state: string; error: string };

export class SsoReauthCancelled extends Error {}

/** Whether this browser can do the pop-up round trip. */
export const ssoReauthSupported = (): boolean => typeof window !== 'undefined' && typeof BroadcastChannel !== 'undefined';

/**
 * Runs the round trip and answers the grant. Call it straight from a click:
 * the pop-up is opened before anything is awaited, or browsers block it.
 */
export async function confirmWithSso(api: Pick<TabApi, 'ssoReauthStart' | 'ssoReauthComplete'>): Promise<string> {
  const popup = window.open('about:blank', 'tab-sso-reauth', 'popup,width=520,height=700');
  if (!popup) throw new Error('Your browser blocked the sign-in window. Allow pop-ups for TAB and try again.');
  let channel: BroadcastChannel | null = null;
  let timer: ReturnType<typeof setInterval> | undefined;
  try {
    const { authorizationUrl } = await api.ssoReauthStart();
    const state = new URL(authorizationUrl).searchParams.get('state') ?? '';
    localStorage.setItem(PENDING_KEY, state);
    channel = new BroadcastChannel(CHANNEL);
    const listening = channel;
    const answer = await new Promise<Answer>((resolve, reject) => {
      listening.onmessage = (event: MessageEvent<Answer>) => {
        if (event.data?.state === state) resolve(event.data);
      };
      // Closed by the person before the provider sent them back: cancelled, not an error.
      timer = setInterval(() => {
        if (!popup.closed) return;
        clearInterval(timer);
        setTimeout(() => reject(new SsoReauthCancelled('The sign-in window was closed.')), 300);
      }, 400);
      popup.location.href = authorizationUrl;
    });
    if ('error' in answer) throw new Error(answer.error);
    const { grant } = await api.ssoReauthComplete({ code: answer.code, state: answer.state, ...(answer.iss ? { iss: answer.iss } : {}) });
    return grant;
  } finally {
    clearInterval(timer);
    channel?.close();
    localStorage.removeItem(PENDING_KEY);
    if (!popup.closed) popup.close();
  }
}

/**
 * On /sso/callback: when the state is one a tab of this browser is waiting
 * for as a re-check, hand the code (or the provider's refusal) to it and
 * answer true; the page then only says so and closes. False: a sign-in.
 */
export function handOffSsoReauth(params: URLSearchParams): boolean {
  const state = params.get('state');
  if (!state || !ssoReauthSupported() || localStorage.getItem(PENDING_KEY) !== state) return false;
  const error = params.get('error');
  const code = params.get('code');
  const iss = params.get('iss');
  const answer: Answer = error || !code
    ? { state, error: error === 'access_denied' ? 'The re-check was cancelled at your identity provider.' : params.get('error_description') || 'Your identity provider refused the re-check.' }
    : { state, code, ...(iss ? { iss } : {}) };
  const channel = new BroadcastChannel(CHANNEL);
  channel.postMessage(answer);
  channel.close();
  return true;
}
