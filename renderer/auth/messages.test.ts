import { describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/api/client.js';
import { END_REASONS } from '../../shared/errors.js';
import { endReasonMessage, signInErrorMessage, waitTime } from './messages.js';

describe('sign-in messages', () => {
  it('explains every way a session can end', () => {
    for (const reason of END_REASONS) expect(endReasonMessage(reason)).toMatch(/\w/);
    expect(endReasonMessage('revoked_by_user')).toBe('This session was signed out from another device.');
    expect(endReasonMessage('workspace_revoked')).toMatch(/^This session was signed out by an administrator/);
    expect(endReasonMessage('member_disabled')).toMatch(/^This session was signed out by an administrator/);
    expect(endReasonMessage('ip_changed')).toMatch(/^Signed out because this session moved to another country/);
    expect(endReasonMessage('ua_changed')).toMatch(/^Signed out because this session was used from another browser/);
    expect(endReasonMessage(null)).toBeNull();
  });

  it('says what went wrong at sign-in', () => {
    expect(signInErrorMessage(new ApiError(401, 'invalid_credentials', 'x'))).toBe('The email or password is not right.');
    expect(signInErrorMessage(new ApiError(429, 'too_many_attempts', 'x', undefined, 90))).toBe('Too many failed sign-ins. Try again in 2 minutes.');
    expect(signInErrorMessage(new ApiError(429, 'too_many_attempts', 'x', undefined, 45))).toBe('Too many failed sign-ins. Try again in 45 seconds.');
    expect(signInErrorMessage(new ApiError(403, 'account_disabled', 'x'))).toMatch(/disabled/);
    expect(signInErrorMessage(new ApiError(0, 'network_error', 'x'))).toMatch(/unreachable/);
  });

  it('words waits', () => {
    expect(waitTime(1)).toBe('1 second');
    expect(waitTime(60)).toBe('1 minute');
    expect(waitTime(61)).toBe('2 minutes');
  });
});
