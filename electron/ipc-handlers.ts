import type { HttpRequest } from '../shared/api/client.js';
import { IPC_CHANNELS, type IpcError, type IpcInvokeMap, type IpcResult, type SignInArgs } from '../shared/ipc/contract.js';
import type { AuthController } from './auth-controller.js';
import type { TimeService } from './time-queue/time-service.js';
import { validateEntryId, validateSaveEntry, validateStartTimer, validateStopTimer, type Check as TimeCheck } from './time-queue/validate.js';

/** What a handler needs of Electron's IpcMainInvokeEvent (so this module never imports electron). */
export interface IpcSenderFrameLike {
  url: string;
  /** null for the main frame. */
  parent: unknown;
}
export interface IpcInvokeEventLike {
  senderFrame: IpcSenderFrameLike | null;
}

export type InvokeChannel = keyof IpcInvokeMap;
export type InvokeHandler = (event: IpcInvokeEventLike, ...args: unknown[]) => Promise<unknown>;

/** Thrown for a sender that is not the app's own main frame: Electron rejects the invoke. */
export class IpcSenderRefused extends Error {
  constructor(channel: string) {
    super(`IPC on ${channel} refused: not the app's main frame.`);
    this.name = 'IpcSenderRefused';
  }
}

/** `scheme://host[:port]` of a URL, also for custom schemes (where URL.origin is "null"). */
export function originOf(url: string): string | null {
  try {
    const parsed = new URL(url);
    if (!parsed.host) return null;
    return `${parsed.protocol}//${parsed.host}`.toLowerCase();
  } catch {
    return null;
  }
}

/** The origin the app's renderer is loaded from: `app://tab` packaged, the Vite server in development. */
export const APP_PROTOCOL = 'app';
export const APP_HOST = 'tab';
export const APP_ORIGIN = `${APP_PROTOCOL}://${APP_HOST}`;

export function allowedAppOrigins(devServerUrl: string | null | undefined): string[] {
  const origins = [APP_ORIGIN];
  const dev = devServerUrl ? originOf(devServerUrl) : null;
  if (dev) origins.push(dev);
  return origins;
}

/** True only for the main frame of a page from one of the app's own origins. */
export function isTrustedSender(event: IpcInvokeEventLike | null | undefined, appOrigins: readonly string[]): boolean {
  const frame = event?.senderFrame;
  if (!frame || typeof frame.url !== 'string') return false;
  if (frame.parent !== null && frame.parent !== undefined) return false;
  const origin = originOf(frame.url);
  return origin !== null && appOrigins.includes(origin);
}

export const API_PREFIX = '/api/v1/';
export const MAX_BODY_BYTES = 64 * 1024;
export const MAX_PATH_LENGTH = 2048;
const METHODS = new Set<HttpRequest['method']>(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
/** Main does these itself (sign-in, sign-out, the event stream): never on the renderer's behalf. */
const FORBIDDEN_PATHS = new Set(['/api/v1/auth/login', '/api/v1/auth/logout', '/api/v1/events']);

type Check<T> = { ok: true; value: T } | { ok: false; message: string };
const bad = (message: string): { ok: false; message: string } => ({ ok: false, message });

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

const hasControlChar = (text: string) => [...text].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);

export function validateApiPath(path: unknown): Check<string> {
  if (typeof path !== 'string') return bad('path must be a string');
  if (path.length > MAX_PATH_LENGTH) return bad('path too long');
  if (!path.startsWith(API_PREFIX)) return bad(`path must start with ${API_PREFIX}`);
  if (/[^A-Za-z0-9\-._~%/?&=+,:@!$'()*;]/.test(path)) return bad('path has characters that are not allowed');
  const q = path.indexOf('?');
  const pathname = q === -1 ? path : path.slice(0, q);
  if (pathname.includes('//')) return bad('path has an empty segment');
  for (const segment of pathname.split('/')) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return bad('path has a bad percent-encoding');
    }
    if (decoded === '.' || decoded === '..' || /[/\\]/.test(decoded) || hasControlChar(decoded)) return bad('path may not leave /api/v1/');
  }
  const normalized = pathname.toLowerCase().replace(/\/+$/, '');
  if (FORBIDDEN_PATHS.has(normalized)) return bad('sign-in, sign-out and the event stream go through their own channels');
  return { ok: true, value: path };
}

export function validateHttpRequest(input: unknown): Check<HttpRequest> {
  if (!isPlainObject(input)) return bad('request must be an object');
  for (const key of Object.keys(input)) if (key !== 'method' && key !== 'path' && key !== 'body') return bad(`unexpected field ${key}`);
  const method = input.method;
  if (typeof method !== 'string' || !METHODS.has(method as HttpRequest['method'])) return bad('method not allowed');
  const path = validateApiPath(input.path);
  if (!path.ok) return path;
  const request: HttpRequest = { method: method as HttpRequest['method'], path: path.value };
  if (input.body !== undefined) {
    if (method === 'GET') return bad('a GET has no body');
    let json: string | undefined;
    try {
      json = JSON.stringify(input.body);
    } catch {
      return bad('body must be JSON');
    }
    if (json === undefined) return bad('body must be JSON');
    if (new TextEncoder().encode(json).length > MAX_BODY_BYTES) return bad('body too large');
    request.body = JSON.parse(json) as unknown;
  }
  return { ok: true, value: request };
}

export function validateSignInArgs(input: unknown): Check<SignInArgs> {
  if (!isPlainObject(input)) return bad('sign-in arguments must be an object');
  for (const key of Object.keys(input)) if (key !== 'email' && key !== 'password') return bad(`unexpected field ${key}`);
  const { email, password } = input;
  if (typeof email !== 'string' || email.trim() === '' || email.length > 320) return bad('email must be 1–320 characters');
  if (typeof password !== 'string' || password === '' || password.length > 1024) return bad('password must be 1–1024 characters');
  return { ok: true, value: { email: email.trim(), password } };
}

function invalid(message: string, code: 'invalid_request' | 'invalid_range' = 'invalid_request'): IpcResult<never> {
  const error: IpcError = { status: 400, code, message };
  return { ok: false, error };
}

const timeUnavailable = (): IpcResult<never> => ({
  ok: false,
  error: { status: 503, code: 'internal_error', message: 'Time tracking is not available in this window.' },
});

export interface IpcHandlerOptions {
  controller: Pick<AuthController, 'apiRequest' | 'signIn' | 'signOut' | 'getState' | 'setServerUrl'>;
  /** The offline-safe time queue (absent: the time channels answer an error). */
  time?: Pick<TimeService, 'timerStart' | 'timerStop' | 'saveEntry' | 'deleteEntry' | 'discardQueuedWrite' | 'getSyncStatus'>;
  /** Origins whose main frame may call: see allowedAppOrigins(). */
  appOrigins: readonly string[];
  onRefused?: (channel: string, reason: string) => void;
}

/**
 * One handler per invoke channel, for `ipcMain.handle(channel, handler)`. Each
 * checks its sender (the main frame of the app's own origin) and its arguments,
 * and refuses anything else.
 */
export function createIpcHandlers(options: IpcHandlerOptions): Record<InvokeChannel, InvokeHandler> {
  const { controller, time } = options;
  const guard =
    (channel: InvokeChannel, handle: (args: unknown[]) => Promise<unknown>): InvokeHandler =>
    async (event, ...args) => {
      if (!isTrustedSender(event, options.appOrigins)) {
        options.onRefused?.(channel, 'sender');
        throw new IpcSenderRefused(channel);
      }
      return handle(args);
    };
  const noArgs = (channel: InvokeChannel, args: unknown[]): string | null => {
    if (args.length > 1 || (args.length === 1 && args[0] !== undefined)) {
      options.onRefused?.(channel, 'arguments');
      return `${channel} takes no arguments`;
    }
    return null;
  };

  /** One argument, checked; `optional`: none at all is fine too (validated as undefined). */
  const withArgs = <T>(
    channel: InvokeChannel,
    args: unknown[],
    validate: (input: unknown) => TimeCheck<T>,
    run: (value: T) => unknown,
    optional = false,
  ): unknown => {
    if (args.length > 1 || (args.length === 0 && !optional)) {
      options.onRefused?.(channel, 'arguments');
      return invalid(`${channel} takes one argument`);
    }
    const check = validate(args[0]);
    if (!check.ok) {
      options.onRefused?.(channel, check.message);
      return invalid(check.message, check.code);
    }
    return run(check.value);
  };

  return {
    [IPC_CHANNELS.apiRequest]: guard(IPC_CHANNELS.apiRequest, async (args) => {
      if (args.length !== 1) return invalid('apiRequest takes one request');
      const request = validateHttpRequest(args[0]);
      if (!request.ok) {
        options.onRefused?.(IPC_CHANNELS.apiRequest, request.message);
        return invalid(request.message);
      }
      return controller.apiRequest(request.value);
    }),
    [IPC_CHANNELS.signIn]: guard(IPC_CHANNELS.signIn, async (args) => {
      if (args.length !== 1) return invalid('signIn takes one argument');
      const signIn = validateSignInArgs(args[0]);
      if (!signIn.ok) return invalid(signIn.message);
      return controller.signIn(signIn.value);
    }),
    [IPC_CHANNELS.signOut]: guard(IPC_CHANNELS.signOut, async (args) => {
      const problem = noArgs(IPC_CHANNELS.signOut, args);
      return problem ? invalid(problem) : controller.signOut();
    }),
    [IPC_CHANNELS.getState]: guard(IPC_CHANNELS.getState, async (args) => {
      const problem = noArgs(IPC_CHANNELS.getState, args);
      if (problem) throw new TypeError(problem);
      return controller.getState();
    }),
    [IPC_CHANNELS.setServerUrl]: guard(IPC_CHANNELS.setServerUrl, async (args) => {
      if (args.length !== 1 || typeof args[0] !== 'string') return invalid('setServerUrl takes one string');
      return controller.setServerUrl(args[0]);
    }),
    [IPC_CHANNELS.timerStart]: guard(IPC_CHANNELS.timerStart, async (args) =>
      withArgs(IPC_CHANNELS.timerStart, args, validateStartTimer, (value) => time?.timerStart(value) ?? timeUnavailable()),
    ),
    [IPC_CHANNELS.timerStop]: guard(IPC_CHANNELS.timerStop, async (args) =>
      withArgs(IPC_CHANNELS.timerStop, args, validateStopTimer, (value) => time?.timerStop(value) ?? timeUnavailable(), true),
    ),
    [IPC_CHANNELS.entrySave]: guard(IPC_CHANNELS.entrySave, async (args) =>
      withArgs(IPC_CHANNELS.entrySave, args, validateSaveEntry, (value) => time?.saveEntry(value) ?? timeUnavailable()),
    ),
    [IPC_CHANNELS.entryDelete]: guard(IPC_CHANNELS.entryDelete, async (args) =>
      withArgs(IPC_CHANNELS.entryDelete, args, (input) => validateEntryId(input, 'id'), (id) => time?.deleteEntry({ id }) ?? timeUnavailable()),
    ),
    [IPC_CHANNELS.syncDiscard]: guard(IPC_CHANNELS.syncDiscard, async (args) =>
      withArgs(
        IPC_CHANNELS.syncDiscard,
        args,
        (input) => validateEntryId(input, 'entryId'),
        (entryId) => time?.discardQueuedWrite({ entryId }) ?? timeUnavailable(),
      ),
    ),
    [IPC_CHANNELS.getSyncStatus]: guard(IPC_CHANNELS.getSyncStatus, async (args) => {
      const problem = noArgs(IPC_CHANNELS.getSyncStatus, args);
      if (problem) throw new TypeError(problem);
      return time?.getSyncStatus() ?? { queue: [], runningTimer: null, lastSyncedAt: null, online: false };
    }),
  };
}
