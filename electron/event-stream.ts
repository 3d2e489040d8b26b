import { ApiError, type FetchLike } from '../shared/api/client.js';
import { isApiErrorBody } from '../shared/errors.js';
import { EVENTS_PATH, HEARTBEAT_MS, type ServerEvent, type SessionLocation, type SessionSummary, type TimeChangeKind } from '../shared/api/events.js';
import { END_REASONS, type SessionEndReason } from '../shared/errors.js';

/** One message of a `text/event-stream`. */
export interface SseMessage {
  event: string;
  data: string;
  id?: string;
}

/**
 * A small incremental parser for Server-Sent Events (the WHATWG rules that
 * matter here: `event`, `data` (multi-line), `id`, `retry`, `:` comments,
 * CR/LF/CRLF line ends, a blank line dispatches).
 */
export class SseParser {
  private buffer = '';
  private event = '';
  private data: string[] = [];
  private id: string | undefined;
  private sawCr = false;
  /** The server's `retry:` hint in ms, if it sent one. */
  retryMs: number | undefined;

  constructor(private readonly onMessage: (message: SseMessage) => void) {}

  push(chunk: string): void {
    let text = chunk;
    if (this.sawCr && text.startsWith('\n')) text = text.slice(1);
    this.sawCr = false;
    this.buffer += text;
    for (;;) {
      const match = /\r\n|\r|\n/.exec(this.buffer);
      if (!match) break;
      // A lone CR at the very end may be the first half of a CRLF split across chunks.
      if (match[0] === '\r' && match.index === this.buffer.length - 1) {
        this.sawCr = true;
      }
      const line = this.buffer.slice(0, match.index);
      this.buffer = this.buffer.slice(match.index + match[0].length);
      this.line(line);
    }
  }

  private line(line: string): void {
    if (line === '') {
      if (this.data.length > 0) this.onMessage({ event: this.event || 'message', data: this.data.join('\n'), id: this.id });
      this.event = '';
      this.data = [];
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'event':
        this.event = value;
        break;
      case 'data':
        this.data.push(value);
        break;
      case 'id':
        if (!value.includes('\0')) this.id = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.retryMs = Number(value);
        break;
      default:
        break;
    }
  }
}

const isString = (value: unknown): value is string => typeof value === 'string';
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A session summary (new sign-in, unusual change) as the server sends it; null when malformed. */
function sessionSummary(value: unknown): SessionSummary | null {
  if (!isRecord(value) || !isString(value.id) || !isString(value.label) || !isString(value.createdAt)) return null;
  if (value.clientKind !== 'web' && value.clientKind !== 'desktop') return null;
  const loc = value.location;
  let location: SessionLocation | null = null;
  if (isRecord(loc)) {
    const field = (key: string) => (isString(loc[key]) ? (loc[key] as string) : null);
    location = { city: field('city'), region: field('region'), country: field('country'), countryCode: field('countryCode') };
  } else if (loc !== null && loc !== undefined) return null;
  return { id: value.id, label: value.label, clientKind: value.clientKind, location, createdAt: value.createdAt };
}

/** Parses a message's data into a ServerEvent, or null for anything unknown or malformed. */
export function toServerEvent(message: SseMessage): ServerEvent | null {
  let data: unknown;
  try {
    data = JSON.parse(message.data);
  } catch {
    return null;
  }
  if (!isRecord(data)) return null;
  switch (message.event) {
    case 'session.revoked':
      return isString(data.sessionId) && (END_REASONS as readonly unknown[]).includes(data.reason)
        ? { type: 'session.revoked', sessionId: data.sessionId, reason: data.reason as SessionEndReason }
        : null;
    case 'sessions.changed':
      return isString(data.userId) ? { type: 'sessions.changed', userId: data.userId } : null;
    case 'session.created': {
      const session = sessionSummary(data.session);
      return session ? { type: 'session.created', session } : null;
    }
    case 'session.alert': {
      const session = sessionSummary(data.session);
      if (!session || (data.kind !== 'ip_changed' && data.kind !== 'ua_changed')) return null;
      const text = (v: unknown) => (isString(v) ? v : null);
      return { type: 'session.alert', kind: data.kind, session, from: text(data.from), to: text(data.to) };
    }
    case 'time.changed':
      return isString(data.userId) && isString(data.change) && (data.entryId === null || isString(data.entryId))
        ? { type: 'time.changed', userId: data.userId, entryId: data.entryId, change: data.change as TimeChangeKind }
        : null;
    case 'stream.closed':
      return data.reason === 'too_many_streams' || data.reason === 'server_shutdown' ? { type: 'stream.closed', reason: data.reason } : null;
    default:
      return null;
  }
}

export interface Backoff {
  initialMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { initialMs: 1000, maxMs: 30_000 };

/** Delay before retry number `attempt` (0-based): doubling, capped, with ±20 % jitter. */
export function backoffDelay(backoff: Backoff, attempt: number, random: () => number = Math.random): number {
  const base = Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.min(attempt, 20));
  return Math.round(base * (0.8 + 0.4 * random()));
}

export interface EventStreamOptions {
  baseUrl: string;
  token: () => string | null;
  onEvent: (event: ServerEvent) => void;
  /** The stream is connected (the server accepted the credentials). */
  onOpen?: () => void;
  /** A (re)connection failed: network error or 5xx. The stream keeps retrying. */
  onError?: (error: ApiError) => void;
  /** The server answered 401 with a signed-out code: the stream stops for good. */
  onUnauthorized?: (error: ApiError) => void;
  /** The server answered 401 `token_expired`: refresh the access token, then the stream reconnects at once. */
  onTokenExpired?: () => Promise<unknown>;
  fetch?: FetchLike;
  backoff?: Backoff;
  /** No byte for this long (the server sends a heartbeat every 25 s) → reconnect. */
  idleTimeoutMs?: number;
}

export interface EventStream {
  start(): void;
  stop(): void;
  readonly running: boolean;
}

/**
 * The event-stream listener: `GET /api/v1/events` over fetch with the Bearer
 * token (Node has no EventSource), reconnecting with backoff when the network
 * drops or the stream ends, stopping on 401.
 */
export function createEventStream(options: EventStreamOptions): EventStream {
  const doFetch: FetchLike = options.fetch ?? ((url, init) => globalThis.fetch(url, init));
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const idleTimeoutMs = options.idleTimeoutMs ?? HEARTBEAT_MS * 2 + 5000;
  let running = false;
  let controller: AbortController | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let attempt = 0;
  let generation = 0;
  /** The last connection was refused as token_expired and refreshed: a second one in a row backs off. */
  let refreshedJustBefore = false;

  const schedule = (gen: number, delay: number) => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (running && gen === generation) void connect(gen);
    }, delay);
  };

  const fail = (gen: number, error: ApiError) => {
    if (!running || gen !== generation) return;
    options.onError?.(error);
    schedule(gen, backoffDelay(backoff, attempt++));
  };

  async function connect(gen: number): Promise<void> {
    const token = options.token();
    if (!token) {
      running = false;
      options.onUnauthorized?.(new ApiError(401, 'unauthenticated', 'Not signed in.'));
      return;
    }
    const abort = new AbortController();
    controller = abort;
    let idle: ReturnType<typeof setTimeout> | undefined;
    const touch = () => {
      clearTimeout(idle);
      idle = setTimeout(() => abort.abort(), idleTimeoutMs);
    };
    let response: Response;
    try {
      touch();
      response = await doFetch(options.baseUrl + EVENTS_PATH, {
        method: 'GET',
        headers: { accept: 'text/event-stream', authorization: `Bearer ${token}`, 'cache-control': 'no-store' },
        credentials: 'omit',
        signal: abort.signal,
      });
    } catch {
      clearTimeout(idle);
      return fail(gen, new ApiError(0, 'network_error', 'The TAB server could not be reached.'));
    }
    if (!running || gen !== generation) {
      clearTimeout(idle);
      abort.abort();
      return;
    }
    if (response.status === 401) {
      clearTimeout(idle);
      let body: unknown;
      try {
        body = await response.json();
      } catch {
        body = undefined;
      }
      const error = isApiErrorBody(body)
        ? new ApiError(401, body.error.code, body.error.message, body.error.reason)
        : new ApiError(401, 'unauthenticated', 'The server refused the credentials.');
      if (!error.isSignedOut && error.code === 'token_expired' && options.onTokenExpired) {
        // Not a sign-out: a fresh access token, then straight back (once; again in a row waits like any drop).
        try {
          await options.onTokenExpired();
        } catch (cause) {
          return fail(gen, cause instanceof ApiError ? cause : new ApiError(0, 'network_error', 'The access token could not be refreshed.'));
        }
        if (refreshedJustBefore) return fail(gen, error);
        refreshedJustBefore = true;
        return schedule(gen, 0);
      }
      running = false;
      options.onUnauthorized?.(error);
      return;
    }
    if (!response.ok || !response.body) {
      clearTimeout(idle);
      await response.body?.cancel().catch(() => undefined);
      return fail(gen, new ApiError(response.status, response.status >= 500 ? 'internal_error' : 'invalid_request', `The event stream answered ${response.status}.`));
    }
    attempt = 0;
    refreshedJustBefore = false;
    options.onOpen?.();
    let closedOnPurpose: 'too_many_streams' | 'server_shutdown' | null = null;
    const parser = new SseParser((message) => {
      if (!running || gen !== generation) return;
      const event = toServerEvent(message);
      if (event?.type === 'stream.closed') closedOnPurpose = event.reason;
      if (event) options.onEvent(event);
    });
    const decoder = new TextDecoder();
    const reader = response.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        touch();
        parser.push(decoder.decode(value, { stream: true }));
        if (!running || gen !== generation) break;
      }
    } catch {
      /* network loss or our own abort: handled below */
    } finally {
      clearTimeout(idle);
      abort.abort();
      void reader.cancel().catch(() => undefined);
    }
    if (!running || gen !== generation) return;
    // The server closed it on purpose: never reconnect in a loop (too many streams: wait the longest backoff).
    if (closedOnPurpose === 'too_many_streams') return schedule(gen, backoff.maxMs);
    if (closedOnPurpose === 'server_shutdown') return schedule(gen, backoffDelay(backoff, attempt++));
    // The stream ended (proxy, idle timeout): reconnect at once, then back off.
    schedule(gen, Math.min(parser.retryMs ?? 0, 250));
  }

  return {
    get running() {
      return running;
    },
    start() {
      if (running) return;
      running = true;
      attempt = 0;
      const gen = ++generation;
      void connect(gen);
    },
    stop() {
      running = false;
      generation++;
      clearTimeout(timer);
      controller?.abort();
      controller = null;
    },
  };
}
