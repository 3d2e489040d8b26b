import { ERROR_STATUS, type ErrorCode, type SessionEndReason } from '../../shared/errors.js';

/** An error the API answers with, in the contract's shape. */
export class HttpError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly options: { reason?: SessionEndReason; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.status = ERROR_STATUS[code];
  }

  toBody() {
    return { error: { code: this.code, message: this.message, ...(this.options.reason ? { reason: this.options.reason } : {}) } };
  }
}

export const notFound = (what = 'That') => new HttpError('not_found', `${what} was not found.`);
export const forbidden = (message = 'Your role does not allow this.') => new HttpError('forbidden', message);
