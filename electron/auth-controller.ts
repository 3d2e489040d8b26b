import { ApiError, sendHttp, type HttpRequest } from '../shared/api/client.js';
import { SESSION_COOKIE, type User } from '../shared/api/auth.js';
import type { Session } from '../shared/api/sessions.js';
import type { ServerEvent } from '../shared/api/events.js';
import type { SessionEndReason } from '../shared/errors.js';
import type { DesktopAuthState, EnrolledView, PasskeySignInArgs, SecondStepView, SignInArgs, SignInCodeArgs, SignedInView } from '../shared/ipc/contract.js';
import type { TotpEnrolment } from '../shared/api/mfa.js';
import type { StoredCredentials } from './credential-store.js';
import { createServerClient, nodeTransport, withTimeout, type DownloadedFile, type ServerClient } from './server-client.js';
import { DEFAULT_BACKOFF, type Backoff } from './event-stream.js';
import { DEFAULT_SERVER_URL, validateServerUrl } from './server-url.js';
import { silentLogger, type Logger } from './logger.js';
import { SignInFlows } from './sign-in-flows.js';
import { AuthUpkeep } from './auth-upkeep.js';
import type { AuthControllerOptions } from './auth-controller-options.js';

export type { AuthControllerOptions } from './auth-controller-options.js';

/**
 * The desktop's auth state machine, in the main process:
 *
 *   signed-out → signing-in → signed-in ⇄ offline → signed-out
 *
 * Any 401 (any call, or `session.revoked` on the event stream) deletes both
 * keychain items and goes to signed-out with the reason. A network error or a
 * 5xx is not a sign-out: the state goes offline, the credentials stay, and
 * `GET /me` is retried with backoff. The renderer only ever sees
 * DesktopAuthState and SignedInView: never the JWT or the cookie.
 *
 * Methods throw ApiError; the IPC dispatcher turns it into an IpcResult once.
 */
export class AuthController {
  private state: DesktopAuthState = { status: 'signed-out', serverUrl: null, reason: null };
  private creds: StoredCredentials | null = null;
  private user: User | null = null;
  private session: Session | null = null;
  private client: ServerClient | null = null;
  /** Bumped on every sign-in and sign-out: late answers from an older epoch are ignored. */
  private epoch = 0;
  private readyPromise: Promise<void> | null = null;
  /** A sign-out the server asked for, while its keychain deletion runs (the stream and a call may both see it). */
  private signOutInFlight: Promise<void> | null = null;
  private readonly stateListeners = new Set<(state: DesktopAuthState) => void>();
  private readonly eventListeners = new Set<(event: ServerEvent) => void>();
  private readonly log: Logger;
  private readonly backoff: Backoff;
  private readonly flows: SignInFlows;
  /** The event stream, the access-token keeper (issue #10) and the offline probe (./auth-upkeep.ts). */
  private readonly upkeep: AuthUpkeep;

  constructor(private readonly options: AuthControllerOptions) {
    this.log = options.log ?? silentLogger;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.upkeep = new AuthUpkeep({
      options,
      log: this.log,
      backoff: this.backoff,
      epoch: () => this.epoch,
      creds: () => this.creds,
      keepCreds: (creds) => {
        this.creds = creds;
      },
      state: () => this.state,
      setState: (state) => this.setState(state),
      sessionId: () => this.session?.id ?? null,
      me: (serverUrl) => this.withRefresh(serverUrl, (client) => client.api.me()),
      becomeSignedIn: (serverUrl, user, session) => this.becomeSignedIn(serverUrl, user, session),
      signedOutByServer: (reason, source) => this.signedOutByServer(reason, source),
      emit: (event) => {
        for (const listener of [...this.eventListeners]) {
          try {
            listener(event);
          } catch (error) {
            this.log.log('error', 'event listener failed', { error: String(error) });
          }
        }
      },
    });
    // The sign-ins and their second steps (./sign-in-flows.ts); on success they come back here through `signedInWith`.
    this.flows = new SignInFlows({
      options,
      log: () => this.log,
      prepare: async () => {
        if (this.readyPromise) await this.readyPromise;
        if (this.creds) await this.signOut();
        const serverUrl = this.serverUrl ?? DEFAULT_SERVER_URL;
        if (this.options.settings.read().serverUrl !== serverUrl) this.options.settings.write({ serverUrl });
        return serverUrl;
      },
      serverUrl: () => this.serverUrl,
      nextEpoch: () => ++this.epoch,
      isCurrent: (epoch) => epoch === this.epoch,
      setState: (state) => this.setState(state),
      clientFor: (serverUrl) => this.clientFor(serverUrl),
      signedInWith: (serverUrl, creds, response) => {
        this.creds = creds;
        this.session = response.session;
        this.becomeSignedIn(serverUrl, response.user, response.session);
      },
    });
  }

  /** Restores the saved credentials (if any) and checks them with `GET /me`. Idempotent. */
  start(): Promise<void> {
    this.readyPromise ??= this.restore();
    return this.readyPromise;
  }

  async getState(): Promise<DesktopAuthState> {
    if (this.readyPromise) await this.readyPromise;
    return this.state;
  }

  /** The state right now, without waiting for the restore. */
  get current(): DesktopAuthState {
    return this.state;
  }

  /** This device's session id while signed in (to tell "a new sign-in" from this one). */
  get currentSessionId(): string | null {
    return this.session?.id ?? null;
  }

  onStateChanged(listener: (state: DesktopAuthState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  onServerEvent(listener: (event: ServerEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  private get serverUrl(): string | null {
    return this.state.serverUrl;
  }

  private setState(state: DesktopAuthState): void {
    this.state = state;
    this.log.log('info', 'auth state', { status: state.status, serverUrl: state.serverUrl, reason: 'reason' in state ? state.reason : undefined });
    for (const listener of [...this.stateListeners]) {
      try {
        listener(state);
      } catch (error) {
        this.log.log('error', 'state listener failed', { error: String(error) });
      }
    }
  }

  private clientFor(serverUrl: string): ServerClient {
    if (this.client?.baseUrl !== serverUrl) {
      this.client = createServerClient({
        baseUrl: serverUrl,
        token: () => this.creds?.jwt ?? null,
        transport: this.options.transport,
        timeoutMs: this.options.timeoutMs,
      });
    }
    return this.client;
  }

  private async restore(): Promise<void> {
    const saved = this.options.serverUrl ?? this.options.settings.read().serverUrl;
    const check = saved ? validateServerUrl(saved) : null;
    if (!check?.ok) {
      // First run (or a bad saved value): offer the local demo server; saved only once used.
      if (saved) this.log.log('warn', 'ignoring an invalid server address', { serverUrl: saved });
      this.setState({ status: 'signed-out', serverUrl: DEFAULT_SERVER_URL, reason: null });
      return;
    }
    const serverUrl = check.origin;
    if (this.options.serverUrl) this.options.settings.write({ serverUrl });
    const creds = await this.options.credentials.load(serverUrl);
    if (!creds) {
      this.setState({ status: 'signed-out', serverUrl, reason: null });
      return;
    }
    this.creds = creds;
    const epoch = this.epoch;
    try {
      const me = await this.withRefresh(serverUrl, (client) => client.api.me());
      if (epoch !== this.epoch) return;
      this.becomeSignedIn(serverUrl, me.user, me.session);
    } catch (error) {
      if (epoch !== this.epoch) return;
      if (error instanceof ApiError && error.isSignedOut) {
        // Set a signed-out base state first so the sign-out keeps the address.
        this.state = { status: 'signed-out', serverUrl, reason: null };
        await this.signedOutByServer(error.reason ?? null, 'restore');
        return;
      }
      this.log.log('warn', 'server unreachable at launch: offline', { status: error instanceof ApiError ? error.status : 0 });
      this.user = this.options.settings.read().lastUser ?? { id: '', email: '', name: '', role: 'accountant', workspaceId: '' };
      this.setState({ status: 'offline', serverUrl, user: this.user, storage: this.options.credentials.storage });
      this.upkeep.scheduleProbe();
    }
  }

  private becomeSignedIn(serverUrl: string, user: User, session: Session | null): void {
    this.user = user;
    this.session = session ?? this.session;
    this.upkeep.stopProbe();
    this.options.settings.write({ lastUser: user });
    this.setState({ status: 'signed-in', serverUrl, user, session: this.session, storage: this.options.credentials.storage });
    this.upkeep.online(serverUrl);
  }

  signIn(args: SignInArgs): Promise<SignedInView | SecondStepView> {
    return this.flows.signIn(args);
  }

  signInCode(args: SignInCodeArgs): Promise<SignedInView> {
    return this.flows.signInCode(args);
  }

  signInWithSso(args: { email: string }): Promise<SignedInView> {
    return this.flows.signInWithSso(args);
  }

  signInWithPasskey(args: PasskeySignInArgs): Promise<SignedInView> {
    return this.flows.signInWithPasskey(args);
  }

  signInEnrolStart(): Promise<TotpEnrolment> {
    return this.flows.signInEnrolStart();
  }

  signInEnrolConfirm(args: SignInCodeArgs): Promise<EnrolledView> {
    return this.flows.signInEnrolConfirm(args);
  }

  cancelBrowserSignIn(): null {
    return this.flows.cancelBrowserSignIn();
  }

  /** Sign out from the user menu: tell the server, then forget the credentials even if it did not answer. */
  async signOut(): Promise<null> {
    if (this.readyPromise) await this.readyPromise;
    const serverUrl = this.serverUrl;
    ++this.epoch;
    this.upkeep.stop();
    const creds = this.creds;
    this.creds = null;
    if (serverUrl && creds) {
      try {
        // With the cookie, which outlives the 15-minute access token: a sign-out after a quiet hour still ends the session.
        const transport = this.options.transport ?? nodeTransport;
        await sendHttp(
          {
            baseUrl: serverUrl,
            fetch: withTimeout(transport.loginFetch ?? transport.fetch, this.options.logoutTimeoutMs ?? 5000),
            headers: () => ({ cookie: `${SESSION_COOKIE}=${creds.cookie}` }),
          },
          { method: 'POST', path: '/api/v1/auth/logout' },
        );
      } catch (error) {
        this.log.log('info', 'server logout did not complete; forgetting the credentials anyway', {
          status: error instanceof ApiError ? error.status : 0,
        });
      }
    }
    if (serverUrl) await this.options.credentials.clear(serverUrl);
    this.user = null;
    this.session = null;
    this.setState({ status: 'signed-out', serverUrl, reason: creds ? 'signed_out' : null });
    return null;
  }

  /** An API call with the stored credentials (the renderer's, the time queue's). Throws ApiError. */
  send(request: HttpRequest): Promise<unknown> {
    return this.authorized((client) => client.send(request));
  }

  /** A GET whose answer is a file (CSV, later invoice PDFs), with the stored credentials. */
  download(path: string): Promise<DownloadedFile> {
    return this.authorized((client) => client.download(path));
  }

  /**
   * The one place an authenticated call's failure is judged: a 401 signs out
   * (answering only once the keychain items are gone and the renderer was
   * told), no answer or a 5xx goes offline. A 401 `token_expired` (the
   * 15-minute access token ran out; the session is live) refreshes once and
   * sends the call again (withRefresh).
   */
  private async authorized<T>(call: (client: ServerClient) => Promise<T>): Promise<T> {
    if (this.readyPromise) await this.readyPromise;
    const serverUrl = this.serverUrl;
    if (!this.creds || !serverUrl) {
      // Mid sign-out (the keychain deletion runs): answer once the state says why.
      if (this.signOutInFlight) await this.signOutInFlight;
      throw this.notSignedInError();
    }
    const epoch = this.epoch;
    try {
      const value = await this.withRefresh(serverUrl, call);
      if (epoch === this.epoch && this.state.status === 'offline') void this.upkeep.probeNow();
      return value;
    } catch (error) {
      if (error instanceof ApiError && error.isSignedOut) {
        if (epoch === this.epoch) await this.signedOutByServer(error.reason ?? null, 'api');
        else if (this.signOutInFlight) await this.signOutInFlight;
      } else if (epoch === this.epoch && error instanceof ApiError && error.isUnreachable) {
        this.upkeep.goOffline();
      }
      throw error;
    }
  }

  /**
   * Sends `call`; if it meets 401 `token_expired`, refreshes the access token
   * with the cookie (unless another call already did since this one was
   * sent) and sends it once more. A second token_expired, and every other
   * answer, go back as they came; a 401 from the refresh itself is a sign-out.
   */
  private async withRefresh<T>(serverUrl: string, call: (client: ServerClient) => Promise<T>): Promise<T> {
    const sentWith = this.creds?.jwt;
    try {
      return await call(this.clientFor(serverUrl));
    } catch (error) {
      if (!(error instanceof ApiError && error.code === 'token_expired')) throw error;
      if (this.creds?.jwt === sentWith) await this.upkeep.keeperFor(serverUrl).refresh();
      return call(this.clientFor(serverUrl));
    }
  }

  /**
   * The 401 for a call made while signed out. It repeats why the session ended
   * (a call still in flight when the server revoked it must not blank the
   * reason the renderer shows).
   */
  private notSignedInError(): ApiError {
    const reason = this.state.status === 'signed-out' ? this.state.reason : null;
    if (!reason || reason === 'signed_out') return new ApiError(401, 'unauthenticated', 'You are not signed in.', reason ?? undefined);
    const expired = reason === 'inactivity' || reason === 'absolute';
    return new ApiError(401, expired ? 'session_expired' : 'session_revoked', 'This session has ended.', reason);
  }

  async setServerUrl(input: string): Promise<DesktopAuthState> {
    if (this.readyPromise) await this.readyPromise;
    const check = validateServerUrl(input);
    if (!check.ok) throw new ApiError(400, 'invalid_request', check.message);
    if (this.state.status !== 'signed-out') {
      if (check.origin === this.state.serverUrl) return this.state;
      throw new ApiError(409, 'conflict', 'Sign out before changing the server address.');
    }
    this.options.settings.write({ serverUrl: check.origin });
    this.setState({ status: 'signed-out', serverUrl: check.origin, reason: null });
    return this.state;
  }

  /** The web client's page for `path` on this server (e.g. `/profile`), or null before an address is known. */
  webPageUrl(path: `/${string}`): string | null {
    return this.serverUrl ? `${this.serverUrl}${path}` : null;
  }

  /** The computer woke up or was unlocked (powerMonitor): reconnect the stream, or probe now while offline. */
  reconnectNow(): void {
    this.upkeep.reconnectNow();
  }

  /** The server said this session is over: forget both keychain items, then tell the renderer why. */
  private signedOutByServer(reason: SessionEndReason | null, source: string): Promise<void> {
    if (this.signOutInFlight) return this.signOutInFlight;
    if (!this.creds && this.state.status === 'signed-out') return Promise.resolve();
    const done = this.forgetAfterServerSignOut(reason, source).finally(() => {
      if (this.signOutInFlight === done) this.signOutInFlight = null;
    });
    this.signOutInFlight = done;
    return done;
  }

  private async forgetAfterServerSignOut(reason: SessionEndReason | null, source: string): Promise<void> {
    const serverUrl = this.serverUrl;
    ++this.epoch;
    this.upkeep.stop();
    this.creds = null;
    this.user = null;
    this.session = null;
    this.log.log('info', 'signed out by the server', { reason, source });
    if (serverUrl) await this.options.credentials.clear(serverUrl);
    this.setState({ status: 'signed-out', serverUrl, reason });
  }

  /** Stops the stream and timers (app quit, tests). Keeps the credentials. */
  dispose(): void {
    ++this.epoch;
    this.upkeep.stop();
  }
}
