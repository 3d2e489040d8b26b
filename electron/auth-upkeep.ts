import { ApiError } from '../shared/api/client.js';
import type { User } from '../shared/api/auth.js';
import type { Session } from '../shared/api/sessions.js';
import type { ServerEvent } from '../shared/api/events.js';
import type { SessionEndReason } from '../shared/errors.js';
import type { DesktopAuthState } from '../shared/ipc/contract.js';
import type { StoredCredentials } from './credential-store.js';
import { nodeTransport } from './server-client.js';
import { backoffDelay, createEventStream, type Backoff, type EventStream } from './event-stream.js';
import { AccessTokenKeeper } from './access-token-keeper.js';
import type { Logger } from './logger.js';
import type { AuthControllerOptions } from './auth-controller-options.js';

/** What the upkeep needs of the auth controller (./auth-controller.ts), which owns the state and the credentials. */
export interface UpkeepHost {
  readonly options: AuthControllerOptions;
  readonly log: Logger;
  readonly backoff: Backoff;
  /** The sign-in epoch: bumped on every sign-in and sign-out; late answers of an older one are ignored. */
  epoch(): number;
  creds(): StoredCredentials | null;
  /** A refreshed access token, for the current epoch. */
  keepCreds(creds: StoredCredentials): void;
  state(): DesktopAuthState;
  setState(state: DesktopAuthState): void;
  /** This device's session, to tell its own `session.revoked` from another's. */
  sessionId(): string | null;
  /** `GET /me` with the stored credentials (refreshing once on token_expired). */
  me(serverUrl: string): Promise<{ user: User; session: Session | null }>;
  becomeSignedIn(serverUrl: string, user: User, session: Session | null): void;
  signedOutByServer(reason: SessionEndReason | null, source: string): Promise<void>;
  /** A server event for the app (the renderer, notifications). */
  emit(event: ServerEvent): void;
}

/**
 * What keeps a signed-in desktop connected, in main: the event stream (a
 * `session.revoked` for this device signs out), the access-token keeper (the
 * 15-minute token refreshed ahead of expiry with the cookie), and while
 * offline the `GET /me` probe with backoff (back online, or signed out on a
 * 401). Everything it starts belongs to one sign-in epoch and stops with it.
 */
export class AuthUpkeep {
  private stream: EventStream | null = null;
  private keeper: AccessTokenKeeper | null = null;
  private probeTimer: ReturnType<typeof setTimeout> | undefined;
  private probeAttempt = 0;

  constructor(private readonly host: UpkeepHost) {}

  /** Signed in (again): no probe pending (called before the state says so). */
  stopProbe(): void {
    this.probeAttempt = 0;
    clearTimeout(this.probeTimer);
  }

  /** Signed in (again): the token kept fresh, the stream open. */
  online(serverUrl: string): void {
    this.keeperFor(serverUrl).scheduleAhead();
    this.startStream(serverUrl);
  }

  /** The access-token keeper of this sign-in; a 401 from its refresh is a sign-out like any other. */
  keeperFor(serverUrl: string): AccessTokenKeeper {
    if (this.keeper) return this.keeper;
    const { host } = this;
    const epoch = host.epoch();
    this.keeper = new AccessTokenKeeper({
      ...host.options.accessTokenTimers,
      baseUrl: serverUrl,
      transport: host.options.transport ?? nodeTransport,
      timeoutMs: host.options.timeoutMs,
      current: () => (epoch === host.epoch() ? host.creds() : null),
      save: async (creds) => {
        await host.options.credentials.save(serverUrl, creds);
        if (epoch === host.epoch()) host.keepCreds(creds);
      },
      onSignedOut: (error) => {
        if (epoch === host.epoch()) void host.signedOutByServer(error.reason ?? null, 'refresh');
      },
    });
    return this.keeper;
  }

  /**
   * The computer woke up or was unlocked (powerMonitor): a stream that was
   * open across a sleep is very likely dead without knowing it, and an
   * offline state may be over. Reconnect and probe now instead of waiting
   * for the heartbeat timeout or the backoff.
   */
  reconnectNow(): void {
    const state = this.host.state();
    if (state.status === 'signed-in' && state.serverUrl) {
      this.stream?.stop();
      this.stream = null;
      this.startStream(state.serverUrl);
    } else if (state.status === 'offline') {
      this.probeAttempt = 0;
      void this.probeNow();
    }
  }

  goOffline(): void {
    const state = this.host.state();
    if (state.status !== 'signed-in') return;
    this.host.setState({ status: 'offline', serverUrl: state.serverUrl, user: state.user, storage: state.storage });
    this.scheduleProbe();
  }

  scheduleProbe(): void {
    clearTimeout(this.probeTimer);
    const epoch = this.host.epoch();
    this.probeTimer = setTimeout(() => {
      if (epoch === this.host.epoch()) void this.probeNow();
    }, backoffDelay(this.host.backoff, this.probeAttempt++));
  }

  /** While offline: `GET /me` → back online, 401 → signed out, anything else → retry later. */
  async probeNow(): Promise<void> {
    const { host } = this;
    const serverUrl = host.state().serverUrl;
    if (!serverUrl || !host.creds() || host.state().status !== 'offline') return;
    const epoch = host.epoch();
    try {
      const me = await host.me(serverUrl);
      if (epoch !== host.epoch() || host.state().status !== 'offline') return;
      host.log.log('info', 'server reachable again');
      host.becomeSignedIn(serverUrl, me.user, me.session);
    } catch (error) {
      if (epoch !== host.epoch()) return;
      if (error instanceof ApiError && error.isSignedOut) return host.signedOutByServer(error.reason ?? null, 'probe');
      if (host.state().status === 'offline') this.scheduleProbe();
    }
  }

  /** Stops the stream, the probe and the keeper (sign-out, a new sign-in, quit). */
  stop(): void {
    clearTimeout(this.probeTimer);
    this.probeAttempt = 0;
    this.stream?.stop();
    this.stream = null;
    this.keeper?.stop();
    this.keeper = null;
  }

  private startStream(serverUrl: string): void {
    if (this.stream?.running) return;
    const { host } = this;
    const epoch = host.epoch();
    const current = () => epoch === host.epoch();
    this.stream = createEventStream({
      baseUrl: serverUrl,
      token: () => host.creds()?.jwt ?? null,
      fetch: host.options.transport?.fetch,
      backoff: host.options.streamBackoff ?? host.backoff,
      onEvent: (event) => {
        if (!current()) return;
        if (event.type === 'session.revoked') {
          const own = host.sessionId();
          if (own && event.sessionId !== own) return;
          void host.signedOutByServer(event.reason, 'event-stream');
          return;
        }
        host.emit(event);
      },
      onOpen: () => {
        if (current() && host.state().status === 'offline') void this.probeNow();
      },
      onError: () => {
        if (current()) this.goOffline();
      },
      onUnauthorized: (error) => {
        if (current()) void host.signedOutByServer(error.reason ?? null, 'event-stream');
      },
      onTokenExpired: () => this.keeperFor(serverUrl).refresh(),
    });
    this.stream.start();
  }
}
