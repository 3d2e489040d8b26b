import { ApiError } from '../../shared/api/client.js';
import { PasskeyPromptError } from './passkey-prompt.js';

/** Why the sign-in page is showing, after the server ended the session (the desktop's "Signed out" notification says the same). */
export { endReasonMessage } from '../../shared/sessions/end-reason.js';

/** Turns a duration in seconds into "45 seconds", "3 minutes", "1 minute". */
export function waitTime(seconds: number): string {
  if (seconds < 60) return seconds === 1 ? '1 second' : `${seconds} seconds`;
  const minutes = Math.ceil(seconds / 60);
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}

/** What went wrong when signing in, in words a person can act on. */
export function signInErrorMessage(error: unknown): string {
  if (error instanceof PasskeyPromptError) return error.message;
  if (!(error instanceof ApiError)) return 'Something went wrong. Try again.';
  switch (error.code) {
    case 'passkey_invalid':
      return 'That passkey was not accepted. Try again, or sign in another way.';
    case 'passkey_challenge_expired':
      return 'That took too long. Try the passkey again.';
    case 'invalid_credentials':
      return 'The email or password is not right.';
    case 'too_many_attempts':
      return error.retryAfterSeconds
        ? `Too many failed sign-ins. Try again in ${waitTime(error.retryAfterSeconds)}.`
        : 'Too many failed sign-ins. Wait a few minutes and try again.';
    case 'account_disabled':
      return 'This account has been disabled. Ask your firm’s TAB admin.';
    case 'network_error':
      return 'The TAB server is unreachable. Check your connection and try again.';
    case 'server_busy':
      return error.retryAfterSeconds
        ? `The TAB server is busy. Try again in ${waitTime(error.retryAfterSeconds)}.`
        : 'The TAB server is busy. Try again in a moment.';
    case 'mfa_code_invalid':
      return 'That code is not right, or it was used already. Enter the newest code from your app.';
    case 'mfa_challenge_expired':
      return 'That sign-in took too long. Enter your email and password again.';
    case 'needs_newer_client':
      // Said by TabApi.login() (shared/api/client.ts) to callers that only know the 200 answer.
      return error.message;
    case 'invalid_request':
      // The page checks for empty fields itself; what is left (a bad server address…) is best said by the sender.
      return error.message;
    default:
      return error.isUnreachable ? 'The TAB server is unreachable or having trouble. Try again in a moment.' : error.message;
  }
}

/** A short message for a failed call on a page (the 401s never get here: they sign out). */
export function callErrorMessage(error: unknown): string {
  if (error instanceof PasskeyPromptError) return error.message;
  if (error instanceof ApiError) {
    if (error.code === 'network_error') return 'The TAB server is unreachable. Check your connection.';
    if (error.code === 'forbidden') return 'Your role does not allow this.';
    return error.message;
  }
  return 'Something went wrong.';
}
