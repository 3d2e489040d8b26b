import { ApiError } from '../api/client.js';
import type { ErrorCode, SessionEndReason } from '../errors.js';

/**
 * A failure crossing IPC: the server's error, or a desktop-side one with the
 * same codes. Electron clones a thrown Error down to its message, so invoke
 * channels never throw across the pipe: they answer an IpcResult, and the two
 * conversions below are the only place an ApiError becomes an IpcError and back.
 */
export interface IpcError {
  status: number;
  code: ErrorCode | 'network_error' | 'needs_newer_client';
  message: string;
  reason?: SessionEndReason;
  retryAfterSeconds?: number;
}

/** Invoke results never reject across IPC (Electron would mangle the error): they say ok or not. */
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcError };

const UNEXPECTED: IpcError = { status: 500, code: 'internal_error', message: 'Something went wrong in the desktop app.' };

/** Main's side: what a handler threw, as the IpcError the renderer gets. Anything but an ApiError is unexpected. */
export function toIpcError(error: unknown): IpcError {
  if (!(error instanceof ApiError)) return { ...UNEXPECTED };
  const out: IpcError = { status: error.status, code: error.code, message: error.message };
  if (error.reason) out.reason = error.reason;
  if (error.retryAfterSeconds) out.retryAfterSeconds = error.retryAfterSeconds;
  return out;
}

/** The renderer's side: the IpcError as the same ApiError the web client throws. */
export function fromIpcError(error: IpcError): ApiError {
  return new ApiError(error.status, error.code, error.message, error.reason, error.retryAfterSeconds);
}

/** The value of a result, or its error thrown as an ApiError. */
export function unwrapIpcResult<T>(result: IpcResult<T>): T {
  if (result.ok) return result.value;
  throw fromIpcError(result.error);
}
