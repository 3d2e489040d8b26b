import type { AuditEventType } from './admin.js';
import type { SessionLocation } from './events.js';
import { locationText } from '../text/location-text.js';

/**
 * The audit log in words, shared by the web client's page and the server's
 * CSV export: a name for each type (the filter's options) and one sentence per
 * event, with people by name and devices by label, never a raw id or JSON.
 */
export const AUDIT_TYPE_TEXT: Record<AuditEventType, string> = {
  sign_in: 'Signed in',
  sign_in_failed: 'Failed sign-in',
  sign_out: 'Signed out',
  session_revoked: 'Signed out a session',
  sessions_revoked_others: 'Signed out other sessions',
  workspace_sessions_revoked: 'Signed out everyone',
  session_expired: 'Session expired',
  session_limit_revoked: 'Signed out by the device limit',
  session_ip_changed: 'Session changed country',
  session_ua_changed: 'Session changed browser or OS',
  policy_changed: 'Changed the session policy',
  password_changed: 'Changed password',
  api_token_created: 'Created an API token',
  api_token_revoked: 'Revoked an API token',
  reauth_failed: 'Wrong password at a re-check',
  token_reuse_detected: 'Session ended: its cookie was reused',
  two_factor_enabled: 'Turned on two-factor',
  two_factor_disabled: 'Turned off two-factor',
  two_factor_policy_changed: 'Changed the two-factor policy',
  recovery_code_used: 'Used a recovery code',
  recovery_codes_regenerated: 'Made new recovery codes',
  two_factor_reset: 'Reset a member’s two-factor',
  passkey_added: 'Added a passkey',
  passkey_removed: 'Removed a passkey',
  sso_settings_changed: 'Changed single sign-on',
  sso_identity_linked: 'Linked a single sign-on identity',
  sso_member_created: 'Joined by single sign-on',
  member_invited: 'Invited a member',
  invitation_reissued: 'Sent a new invitation link',
  invitation_cancelled: 'Cancelled an invitation',
  invitation_accepted: 'Accepted an invitation',
  member_role_changed: 'Changed a role',
  member_disabled: 'Deactivated a member',
  member_enabled: 'Reactivated a member',
  password_reset_issued: 'Issued a password-reset link',
  password_reset_completed: 'Reset a password by link',
  profile_changed: 'Changed a profile',
  workspace_settings_changed: 'Changed the workspace settings',
  client_created: 'Added a client',
  client_changed: 'Changed a client',
  client_archived: 'Archived a client',
  client_deleted: 'Deleted a client',
  entry_changed: 'Corrected an entry',
  entry_deleted: 'Deleted an entry',
  entries_billed: 'Marked entries billed',
  entries_unbilled: 'Un-billed entries',
  week_submitted: 'Submitted a week',
  week_approved: 'Approved a week',
  week_changed_after_approval: 'Changed an approved week',
  week_reopened: 'Reopened a week',
  matter_created: 'Added a matter',
  matter_changed: 'Changed a matter',
  activity_created: 'Added an activity',
  activity_changed: 'Changed an activity',
  rate_changed: 'Changed a rate',
  invoice_drafted: 'Drafted, changed or deleted a draft invoice',
  invoice_issued: 'Issued an invoice',
  invoice_voided: 'Voided an invoice',
  invoice_paid: 'Marked an invoice paid',
};

/** How a sign-in proved who it was, beyond the password (the audit row's `detail.method`). */
const METHOD_TEXT: Record<string, string> = {
  'password+totp': ' with an authenticator code',
  'password+recovery_code': ' with a recovery code',
  oidc: ' with single sign-on',
};

/** The two-factor policy, as the Security page and the audit log say it. */
export const TWO_FACTOR_POLICY_TEXT: Record<string, string> = {
  off: 'not required',
  everyone: 'required for everyone',
  admins_managers: 'required for admins and managers',
};

/** What a sentence needs of an event: its type and detail, and people and device as they read now. */
export interface DescribableAuditEvent {
  type: AuditEventType;
  actorUserId: string | null;
  actorName: string | null;
  targetUserId: string | null;
  targetName: string | null;
  session: { label: string } | null;
  detail: Record<string, unknown>;
}

const ROLE_TEXT: Record<string, string> = { admin: 'admin', manager: 'manager', accountant: 'accountant' };
const REASON_TEXT: Record<string, string> = {
  wrong_password: 'wrong password',
  unknown_email: 'unknown e-mail',
  account_disabled: 'account deactivated',
  sso_required: 'single sign-on required',
  sso_state_invalid: 'single sign-on expired or started elsewhere',
  desktop_code_invalid: 'desktop passkey code not this app’s',
  sso_token_invalid: 'identity provider’s answer refused',
  sso_email_unverified: 'e-mail not vouched for by the identity provider',
  sso_domain_not_allowed: 'e-mail domain not allowed',
  sso_no_account: 'not a member',
  sso_provider_unreachable: 'identity provider unreachable',
  inactivity: 'unused too long',
  absolute: 'too old',
  password_changed: 'a password change',
  password_reset: 'a password reset',
  revoked_by_admin: 'signed out by an admin',
  member_disabled: 'account deactivated',
  workspace_revoked: 'everyone signed out',
  api_token_create: 'creating an API token',
  password_change: 'changing the password',
  workspace_revoke_all: 'signing everyone out',
  two_factor_disable: 'turning off two-factor',
  two_factor_enrol: 'adding an authenticator',
  two_factor_reset: 'resetting a member’s two-factor',
  recovery_codes_regenerate: 'making new recovery codes',
  passkey_remove: 'removing a passkey',
  member_passkey_remove: 'removing a member’s passkey',
};
const FIELD_TEXT: Record<string, string> = {
  name: 'name',
  address: 'address',
  timeZone: 'time zone',
  requireApprovedWeeks: '“require approved weeks before billing”',
  descriptionRequired: '“description required”',
  hourlyRateCents: 'rate',
  currency: 'currency',
  archived: 'archived',
  clientId: 'client',
  description: 'description',
  start: 'start',
  end: 'end',
  billable: 'billable',
  clock: 'clock',
  dateFormat: 'date format',
  inactivityTimeoutMinutes: 'inactivity timeout',
  absoluteTimeoutDays: 'maximum session age',
  maxConcurrentSessions: 'device limit',
  ipChangePolicy: 'country-change policy',
  userAgentChangePolicy: 'browser-change policy',
};

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
const count = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const quoted = (value: unknown) => (text(value) ? `“${text(value)}”` : '');
const list = (items: string[]) => (items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`);

/** A location as the server records it (sign-in, unusual changes). */
export const isAuditLocation = (value: unknown): value is SessionLocation =>
  typeof value === 'object' && value !== null && 'countryCode' in value && 'city' in value;

/** " from Lisbon, Portugal", or nothing when the place is unknown. */
const from = (value: unknown) => {
  const place = isAuditLocation(value) ? locationText(value) : null;
  return place ? ` from ${place}` : '';
};

/** The fields a change touched, in words: from `fields` (a list) or the keys of `changes`/`new`. */
function changedFields(detail: Record<string, unknown>): string {
  const keys = Array.isArray(detail.fields)
    ? (detail.fields as unknown[]).filter((k): k is string => typeof k === 'string')
    : detail.changes && typeof detail.changes === 'object'
      ? Object.keys(detail.changes)
      : [];
  return list(keys.map((k) => FIELD_TEXT[k] ?? k));
}

/** "Sessions and API tokens that ended": from the counts a detail may carry. */
function ended(detail: Record<string, unknown>): string {
  const sessions = count(detail.sessionsRevoked) ?? count(detail.revoked);
  const tokens = count(detail.apiTokensRevoked);
  const parts = [sessions !== null ? plural(sessions, 'session') : null, tokens !== null ? plural(tokens, 'API token') : null].filter((p): p is string => p !== null);
  return parts.length ? ` (${list(parts)} ended)` : '';
}

/** One event in a sentence, e.g. "Alex Admin changed Ana Accountant’s role from accountant to manager". */
export function describeAuditEvent(event: DescribableAuditEvent): string {
  const d = event.detail ?? {};
  const actor = event.actorName ?? (event.actorUserId ? 'A former member' : 'TAB');
  const target = event.targetName ?? text(d.name) ?? (event.targetUserId ? 'a former member' : 'someone');
  const self = event.actorUserId !== null && event.actorUserId === event.targetUserId;
  const whose = self ? 'their' : `${target}’s`;
  const device = event.session?.label ?? text(d.label);
  const on = device ? ` on ${device}` : '';
  switch (event.type) {
    case 'sign_in':
      return `${actor} signed in${on}${from(d.location)}${METHOD_TEXT[d.method as string] ?? ''}${d.via === 'invitation' ? ' (first sign-in, from the invitation)' : d.via === 'password_reset' ? ' (after a password reset)' : ''}`;
    case 'sign_in_failed':
      return `Failed sign-in${event.targetUserId ? ` for ${target}` : ''}${text(d.reason) ? `: ${REASON_TEXT[d.reason as string] ?? d.reason}` : ''}`;
    case 'sign_out':
      return `${actor} signed out${on}`;
    case 'session_revoked':
      return self ? `${actor} signed out a session${on}` : `${actor} signed out ${target}’s session${on}`;
    case 'sessions_revoked_others':
      return d.reason === 'password_changed' ? `${actor} signed out their other sessions after a password change` : `${actor} signed out their other sessions`;
    case 'workspace_sessions_revoked':
      return `${actor} signed out everyone in the workspace`;
    case 'session_expired':
      return `${target}’s session${on} expired${text(d.reason) ? ` (${REASON_TEXT[d.reason as string] ?? d.reason})` : ''}`;
    case 'session_limit_revoked':
      return `${target}’s oldest session${on} was signed out: the workspace allows ${count(d.limit) !== null ? plural(count(d.limit)!, 'device') : 'fewer devices'}`;
    case 'session_ip_changed':
      return `${target}’s session${on} was used from another country${text(d.from) || text(d.to) ? `: ${text(d.from) ?? 'unknown'} → ${text(d.to) ?? 'unknown'}` : ''}${d.reason === 'ip_changed' ? ' (signed out: the policy asks to sign in again)' : ''}`;
    case 'session_ua_changed':
      return `${target}’s session${on} was used from another browser or operating system${text(d.from) || text(d.to) ? `: ${text(d.from) ?? 'unknown'} → ${text(d.to) ?? 'unknown'}` : ''}${d.reason === 'ua_changed' ? ' (signed out: the policy asks to sign in again)' : ''}`;
    case 'policy_changed': {
      const old = (d.old ?? {}) as Record<string, unknown>;
      const next = (d.new ?? {}) as Record<string, unknown>;
      const keys = Object.keys(next).filter((k) => JSON.stringify(old[k]) !== JSON.stringify(next[k]));
      return `${actor} changed the session policy${keys.length ? `: ${list(keys.map((k) => FIELD_TEXT[k] ?? k))}` : ''}`;
    }
    case 'password_changed':
      return `${actor} changed their password${d.signOutOtherSessions ? ' and signed out their other sessions' : ''}`;
    case 'api_token_created':
      return `${actor} created the API token ${quoted(d.name)}`.trimEnd();
    case 'api_token_revoked':
      // Several at once: they ended with a sign-out path (issue #10), e.g. a password change that signed out the other devices.
      if (count(d.count) !== null && !text(d.name)) {
        return `${plural(count(d.count)!, 'API token')} of ${target} ended${text(d.reason) ? ` (${REASON_TEXT[d.reason as string] ?? d.reason})` : ''}`;
      }
      return `${actor} revoked ${self || !event.targetUserId ? 'an' : `${target}’s`} API token${text(d.name) ? ` ${quoted(d.name)}` : ''}`;
    case 'reauth_failed':
      return `${actor} gave a wrong password${text(d.action) ? ` when ${REASON_TEXT[d.action as string] ?? d.action}` : ''}`;
    case 'token_reuse_detected':
      return `${target}’s session${on} was ended: a replaced sign-in cookie was used again (stolen or copied)`;
    case 'two_factor_enabled':
      return `${actor} turned on two-factor (authenticator app)`;
    case 'two_factor_disabled':
      return `${actor} turned off two-factor`;
    case 'two_factor_policy_changed':
      return `${actor} changed the two-factor policy${text(d.to) ? ` to ${TWO_FACTOR_POLICY_TEXT[d.to as string] ?? d.to}` : ''}`;
    case 'recovery_code_used':
      return `${actor} used a recovery code${count(d.left) !== null ? ` (${plural(count(d.left)!, 'code')} left)` : ''}`;
    case 'recovery_codes_regenerated':
      return `${actor} made new recovery codes (the old ones stopped working)`;
    case 'two_factor_reset':
      return `${actor} reset ${whose} two-factor${count(d.signedOut) !== null ? ` and signed out ${plural(count(d.signedOut)!, 'session')}` : ''}`;
    case 'passkey_added':
      return `${actor} added a passkey${text(d.name) ? ` ${quoted(d.name)}` : ''}`;
    case 'passkey_removed':
      // An admin's removal names the member (`d.name` is the passkey's, never the member's).
      return `${actor} removed ${self || !event.targetUserId ? 'a' : `${event.targetName ?? 'a former member'}’s`} passkey${text(d.name) ? ` ${quoted(d.name)}` : ''}`;
    case 'sso_settings_changed':
      return `${actor} changed single sign-on${text(d.issuer) ? ` (${d.issuer})` : ''}${d.requireSso === true ? ': required for everyone but the break-glass admin' : ''}`;
    case 'sso_identity_linked':
      return `${target}’s single sign-on identity was linked${text(d.issuer) ? ` (${d.issuer})` : ''}`;
    case 'sso_member_created':
      return `${target} joined by single sign-on as ${ROLE_TEXT[(d.role as string) ?? ''] ?? 'accountant'}`;
    case 'member_invited':
      return `${actor} invited ${target}${text(d.email) ? ` (${d.email})` : ''}${text(d.role) ? ` as ${ROLE_TEXT[d.role as string] ?? d.role}` : ''}`;
    case 'invitation_reissued':
      return `${actor} made a new invitation link for ${target}`;
    case 'invitation_cancelled':
      return `${actor} cancelled the invitation of ${text(d.name) ?? target}${text(d.email) ? ` (${d.email})` : ''}`;
    case 'invitation_accepted':
      return `${target} accepted the invitation and set a password`;
    case 'member_role_changed':
      return `${actor} changed ${whose} role${text(d.from) ? ` from ${ROLE_TEXT[d.from as string] ?? d.from}` : ''}${text(d.to) ? ` to ${ROLE_TEXT[d.to as string] ?? d.to}` : ''}`;
    case 'member_disabled':
      return `${actor} deactivated ${target}${ended(d)}`;
    case 'member_enabled':
      return `${actor} reactivated ${target}`;
    case 'password_reset_issued':
      return `${actor} made a password-reset link for ${target}`;
    case 'password_reset_completed':
      return `${target} set a new password with a reset link${ended(d)}`;
    case 'profile_changed':
      return text(d.fromName) && text(d.toName) ? `${actor} changed ${whose} name from ${quoted(d.fromName)} to ${quoted(d.toName)}` : `${actor} changed ${whose} profile`;
    case 'workspace_settings_changed': {
      const fields = changedFields(d);
      return `${actor} changed the workspace settings${fields ? `: ${fields}` : ''}`;
    }
    case 'client_created':
      return `${actor} added the client ${quoted(d.name)}`.trimEnd();
    case 'client_changed': {
      const fields = changedFields(d);
      return `${actor} changed the client ${quoted(d.name)}${fields ? `: ${fields}` : ''}`;
    }
    case 'client_archived':
      return `${actor} archived the client ${quoted(d.name)}`.trimEnd();
    case 'client_deleted':
      return `${actor} deleted the client ${quoted(d.name)}`.trimEnd();
    case 'entry_changed': {
      const fields = changedFields(d);
      return `${actor} corrected ${whose} time entry${text(d.date) ? ` of ${d.date}` : ''}${fields ? `: ${fields}` : ''}`;
    }
    case 'entry_deleted':
      return `${actor} deleted ${whose} time entry${text(d.date) ? ` of ${d.date}` : ''}`;
    case 'entries_billed':
      return `${actor} marked ${count(d.entries) !== null ? plural(count(d.entries)!, 'entry', 'entries') : 'entries'} billed`;
    case 'entries_unbilled':
      return `${actor} un-billed ${count(d.entries) !== null ? plural(count(d.entries)!, 'entry', 'entries') : 'entries'}`;
    case 'week_submitted':
      return `${actor} submitted ${self || !event.targetUserId ? 'their' : `${target}’s`} week${text(d.week) ? ` of ${d.week}` : ''}`;
    case 'week_approved':
      return `${actor} approved ${whose} week${text(d.week) ? ` of ${d.week}` : ''}`;
    case 'week_reopened':
      return `${actor} reopened ${whose} week${text(d.week) ? ` of ${d.week}` : ''}`;
    case 'matter_created':
      return `${actor} added the matter ${quoted(d.code)}`.trimEnd();
    case 'matter_changed': {
      const fields = changedFields(d);
      return `${actor} changed the matter ${quoted(d.code)}${fields ? `: ${fields}` : ''}`;
    }
    case 'activity_created':
      return `${actor} added the activity ${quoted(d.name)}`.trimEnd();
    case 'activity_changed': {
      const fields = changedFields(d);
      return `${actor} changed the activity ${quoted(d.name)}${fields ? `: ${fields}` : ''}`;
    }
    case 'rate_changed':
      return `${actor} changed a rate${text(d.level) ? ` (${String(d.level).replaceAll('-', ' ')})` : ''}`;
    case 'week_changed_after_approval':
      return `${actor} changed ${self || !event.targetUserId ? 'their' : `${target}’s`} approved week${text(d.week) ? ` of ${d.week}` : ''} (a write made offline): it is back in the approval queue`;
    case 'invoice_drafted': {
      // One type for a draft's whole life before issue (made, changed, deleted): the detail's action says which.
      const verb = d.action === 'changed' ? 'changed a draft invoice' : d.action === 'deleted' ? 'deleted a draft invoice' : 'drafted an invoice';
      return `${actor} ${verb}${text(d.client) ? ` for ${quoted(d.client)}` : ''}${d.action === undefined && count(d.entries) !== null ? ` from ${plural(count(d.entries)!, 'entry', 'entries')}` : ''}`;
    }
    case 'invoice_issued':
      return `${actor} issued invoice ${text(d.number) ? d.number : ''}`.trimEnd();
    case 'invoice_voided':
      return `${actor} voided invoice ${text(d.number) ? d.number : ''}`.trimEnd();
    case 'invoice_paid':
      return `${actor} marked invoice ${text(d.number) ? d.number : ''} paid${text(d.paidOn) ? ` on ${d.paidOn}` : ''}`;
  }
}
