import type { SessionEndReason } from '../errors.js';

/**
 * Why a session ended, in words for the person whose device it was. The web
 * and desktop sign-in pages show it, and the desktop app's "Signed out"
 * notification says the same thing.
 */
export function endReasonMessage(reason: SessionEndReason | null): string | null {
  switch (reason) {
    case 'revoked_by_user':
      return 'This session was signed out from another device.';
    case 'revoked_by_admin':
      return 'This session was signed out by an administrator.';
    case 'workspace_revoked':
      return 'This session was signed out by an administrator, who signed out everyone in your workspace.';
    case 'member_disabled':
      return 'This session was signed out by an administrator: your account has been disabled.';
    case 'inactivity':
      return 'Your session expired because it was not used for a while. Sign in again to continue.';
    case 'absolute':
      return 'Your session expired. Sign in again to continue.';
    case 'password_changed':
      return 'Signed out after a password change. Sign in with your new password.';
    case 'password_reset':
      return 'Signed out because your password was reset. Sign in with the new password.';
    case 'session_limit':
      return 'Signed out because your workspace limits how many devices can be signed in at once, and you signed in on another one.';
    case 'signed_out':
      return 'You signed out of this device.';
    case 'ip_changed':
      return 'Signed out because this session moved to another country. If that was you, sign in again.';
    case 'ua_changed':
      return 'Signed out because this session was used from another browser or operating system. If that was you, sign in again.';
    case 'superseded':
      return 'You signed in again in this browser, which ended the earlier session here.';
    case 'token_reuse':
      return 'This session was ended for your safety: its sign-in credential was used from two places. If that was not you, change your password.';
    case null:
      return null;
  }
}
