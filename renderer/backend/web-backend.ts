import { ApiError, createHttpTabApi, sendHttp, type FetchLike, type HttpTabApiOptions } from '../../shared/api/client.js';
import { EVENTS_PATH, type ServerEvent } from '../../shared/api/events.js';
import type { SessionEndReason } from '../../shared/errors.js';
import { createSignal, type Backend } from './backend.js';
import { apiTimeWrites } from './time-writes.js';
import { askPasskey } from '../auth/passkey-prompt.js';

/** Server events the pages hear (named SSE events: each needs its own listener). */
const FORWARDED_EVENTS = ['sessions.changed', 'session.created', 'session.alert', 'time.changed', 'account.changed'] as const satisfies readonly ServerEvent['type'][];

export interface WebBackendOptions {
  baseUrl?: string;
  /** Injected in tests; the browser's fetch otherwise. */
  fetch?: FetchLike;
  /** Injected in tests; the browser's EventSource otherwise. */
  EventSource?: typeof EventSource;
  /** First wait before reopening a lost event stream; doubles up to `maxRetryMs`. */
  retryMs?: number;
  maxRetryMs?: number;
  /** Injected in tests; the page's document otherwise (to reopen a parked stream when the tab is shown again). */
  document?: Pick<Document, 'visibilityState' | 'addEventListener' | 'removeEventListener'>;
}

/**
 * The web client: same-origin HTTP with the `tab_session` cookie, and live
 * events from an EventSource on /api/v1/events.
 */
export function createWebBackend(options: WebBackendOptions = {}): Backend {
  const signedOut = createSignal<SessionEndReason | null>();
  const http: HttpTabApiOptions = {
    baseUrl: options.baseUrl ?? '',
    credentials: 'same-origin',
    fetch: options.fetch,
    onSignedOut: (error) => {
      if (error.isSignedOut) signedOut.emit(error.reason ?? null);
    },
  };
  const api = createHttpTabApi(http);
  /** The pending sign-in's second-step challenge (memory only; 5 minutes, single use on the server). */
  let challenge: string | null = null;
  const pendingChallenge = () => {
    if (challenge === null) throw new ApiError(410, 'mfa_challenge_expired', 'This sign-in has expired. Sign in again.');
    return challenge;
  };
  const ES = options.EventSource ?? globalThis.EventSource;
  const page = options.document ?? (typeof document === 'undefined' ? undefined : document);
  const firstRetryMs = options.retryMs ?? 2_000;
  const maxRetryMs = options.maxRetryMs ?? 60_000;

  return {
    kind: 'web',
    api,
    request: (request) => sendHttp(http, request),
    ...apiTimeWrites(api),
    async restore() {
      try {
        const me = await api.me();
        return { status: 'signed-in', user: me.user };
      } catch (error) {
        if (error instanceof ApiError && error.isSignedOut) return { status: 'signed-out', reason: error.reason ?? null };
        throw error;
      }
    },
    async signIn(email, password) {
      const result = await api.signInStep({ email, password, client: 'web' });
      if ('mfaRequired' in result) {
        challenge = result.challenge;
        return { status: 'second-step', methods: result.methods, enrolRequired: result.enrolRequired };
      }
      challenge = null;
      return { status: 'signed-in', user: result.user };
    },
    async finishSignIn(code) {
      const result = await api.loginMfa({ challenge: pendingChallenge(), code });
      challenge = null;
      return result.user;
    },
    async finishSignInWithPasskey() {
      const pending = pendingChallenge();
      const { options } = await api.loginPasskeyOptions(pending);
      const response = await askPasskey(options);
      const result = await api.loginPasskey({ challenge: pending, response });
      challenge = null;
      return result.user;
    },
    async signInWithPasskey() {
      const { options } = await api.passkeySignInOptions({ client: 'web' });
      const result = await api.passkeySignIn({ response: await askPasskey(options) });
      challenge = null;
      return result.user;
    },
    startSignInEnrolment: () => api.loginEnrol(pendingChallenge()),
    async confirmSignInEnrolment(code) {
      const result = await api.loginEnrolConfirm({ challenge: pendingChallenge(), code });
      challenge = null;
      return { user: result.user, recoveryCodes: result.recoveryCodes };
    },
    async signOut() {
      try {
        await api.logout();
      } catch {
        // Already signed out on the server, or unreachable: the cookie is useless either way.
      }
    },
    onSignedOut: (listener) => signedOut.listen(listener),
    subscribeEvents(listener) {
      let source: EventSource | null = null;
      let stopped = false;
      /** The server closed this stream because the session has too many: wait for the person, not a timer. */
      let parked = false;
      let retryTimer: ReturnType<typeof setTimeout> | undefined;
      let retryMs = firstRetryMs;

      const parse = (message: MessageEvent): ServerEvent | null => {
        try {
          return JSON.parse(String(message.data)) as ServerEvent;
        } catch {
          return null;
        }
      };

      const open = () => {
        if (stopped) return;
        source = new ES(`${http.baseUrl}${EVENTS_PATH}`);
        source.addEventListener('open', () => {
          retryMs = firstRetryMs;
        });
        source.addEventListener('session.revoked', (message) => {
          const event = parse(message as MessageEvent);
          if (event?.type === 'session.revoked') signedOut.emit(event.reason);
        });
        // What pages react to: their list of sessions, the "new sign-in" / "unusual change" alerts, time figures and lists, and the account.
        for (const type of FORWARDED_EVENTS) {
          source.addEventListener(type, (message) => {
            const event = parse(message as MessageEvent);
            if (event?.type === type) listener(event);
          });
        }
        // The server ended this stream on purpose. Too many streams for this
        // session (many tabs): stay closed, so that tabs do not take the
        // stream from each other in a loop, and reopen only when this tab is
        // shown again. A shutdown: the usual reconnect, with its growing wait.
        source.addEventListener('stream.closed', (message) => {
          const event = parse(message as MessageEvent);
          if (event?.type !== 'stream.closed' || event.reason !== 'too_many_streams') return;
          parked = true;
          source?.close();
          source = null;
        });
        // The stream ended or could not open. EventSource would retry on its own
        // forever, even after a 401; instead stop it, ask /me whether this
        // session still exists, and only then reopen, waiting longer each time.
        source.addEventListener('error', () => {
          source?.close();
          source = null;
          if (stopped || parked) return;
          api.me().then(
            () => schedule(),
            (error: unknown) => {
              // A 401 already reached onSignedOut through the client; anything else may pass.
              if (!(error instanceof ApiError && error.isSignedOut)) schedule();
            },
          );
        });
      };

      const schedule = () => {
        if (stopped) return;
        clearTimeout(retryTimer);
        retryTimer = setTimeout(open, retryMs);
        retryMs = Math.min(retryMs * 2, maxRetryMs);
      };

      const onVisible = () => {
        if (!parked || stopped || page?.visibilityState !== 'visible') return;
        parked = false;
        retryMs = firstRetryMs;
        open();
      };
      page?.addEventListener('visibilitychange', onVisible);

      open();
      return () => {
        stopped = true;
        clearTimeout(retryTimer);
        page?.removeEventListener('visibilitychange', onVisible);
        source?.close();
        source = null;
      };
    },
  };
}
