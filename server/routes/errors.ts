import { ErrorResponse } from '../../shared/api/common.js';

/** Error responses for the OpenAPI document, by status. */
export function errors(...statuses: number[]): Record<number, typeof ErrorResponse> {
  return Object.fromEntries(statuses.map((s) => [s, ErrorResponse]));
}

/** The 401s and 403s every authenticated route can answer. */
export const AUTH_ERRORS = [401, 403] as const;
