/**
 * Every error code the API can answer with, and the HTTP status it travels with.
 * The server, the renderer and the Electron main process all read this map, so a
 * code is added here once and every layer knows it.
 */
export const ERROR_STATUS = {
  invalid_request: 400,
  current_session: 400,
  invalid_range: 400,
  /** The workspace requires a description on time entries, and this one has none. */
  description_required: 400,
  /** The change would leave the workspace without an active admin. */
  last_admin: 409,
  /** The entry is in a week a manager approved: it is locked for its owner until the week is reopened. */
  week_approved: 409,
  /** Only a submitted week can be approved. */
  week_not_submitted: 409,
  /** The workspace bills only approved weeks, and some entries are in weeks not approved yet. */
  week_not_approved: 409,
  /** The member has a timer running in the week: it cannot be approved until the timer stops (Harvest's guard). */
  week_timer_running: 409,
  invalid_credentials: 401,
  unauthenticated: 401,
  session_revoked: 401,
  session_expired: 401,
  /**
   * The access token (JWT) is past its 15 minutes but its session is live:
   * refresh (`POST /api/v1/auth/refresh`) and retry once. NOT a sign-out.
   */
  token_expired: 401,
  forbidden: 403,
  csrf_rejected: 403,
  api_token_forbidden: 403,
  account_disabled: 403,
  reauth_failed: 403,
  /** An API token called a data endpoint outside its scopes (`time:read`, `time:write`, `reports:read`, `billing:write`). */
  insufficient_scope: 403,
  not_found: 404,
  /** An invitation or password-reset link that was used already (links are single use). */
  link_used: 410,
  /** An invitation or password-reset link past its expiry: ask the admin for a new one. */
  link_expired: 410,
  /** The client took too long to send its request. */
  request_timeout: 408,
  conflict: 409,
  payload_too_large: 413,
  /** A path parameter longer than the router accepts. */
  uri_too_long: 414,
  unsupported_media_type: 415,
  too_many_attempts: 429,
  /** The request line and headers together exceed 16 KiB (Node's limit). */
  headers_too_large: 431,
  // single sign-on (issue #15, mfa-sso)
  /** The workspace requires single sign-on: password sign-in is refused (but for its break-glass admin). */
  sso_required: 403,
  /** No single sign-on for this e-mail domain or workspace. */
  sso_not_configured: 404,
  /** The sign-in's state is unknown, used, expired, or belongs to another browser or app: start again. */
  sso_state_invalid: 400,
  /** The provider's answer failed verification (signature, issuer, audience, nonce, expiry, code): start again. */
  sso_token_invalid: 401,
  /** The provider did not vouch for the e-mail (unverified, wrong tenant or hosted domain): it cannot be linked to a member. */
  sso_email_unverified: 403,
  /** The e-mail's domain is not among the workspace's allowed domains. */
  sso_domain_not_allowed: 403,
  /** No member has this e-mail, and the workspace does not create members at first sign-in. */
  sso_no_account: 403,
  /** The identity provider could not be reached or answered nonsense. */
  sso_provider_unreachable: 502,
  internal_error: 500,
  // billing-core (issue #14)
  /** The entry's matter is closed: it takes no new work (work that started before it closed is still accepted). */
  matter_closed: 400,
  /** The entry id belongs to another person's entry: a client must make a new id, never retry this one. */
  entry_of_another_person: 409,
  /** A matter code (per client) or an activity name (per workspace) that is already used. */
  name_taken: 409,
  // Invoices (issue #14 items 4, 5):
  /** The entry is on an issued invoice: nobody changes or un-bills it (admins included) until that invoice is voided. */
  entry_invoiced: 409,
  /** The invoice is not in the state the action needs (issue a draft; void or mark paid an issued one; edit or delete a draft). */
  invoice_state: 409,
  /** An entry of the draft changed, was deleted or was billed since it was drafted: make the draft again. */
  invoice_stale: 409,
  /** A timer of the invoice's client is still running in its period (Harvest's guard): stop it, then issue. */
  invoice_timer_running: 409,
  /** The server is saturated (password-hashing queue full, database write lock held too long): retry after `Retry-After`. */
  server_busy: 503,
  // Two-factor with authenticator apps (mfa-totp, issue #15):
  /** A wrong authenticator or recovery code, or one used already (each code works once). */
  mfa_code_invalid: 403,
  /** The account has two-factor: a password re-check needs its code too (or use a re-check grant). */
  mfa_code_required: 403,
  /** The sign-in's second step is unknown, used or past its 5 minutes: sign in again. */
  mfa_challenge_expired: 410,
  /** Two-factor is on already: turn it off first to enrol a new authenticator. */
  mfa_already_enabled: 409,
  /** Two-factor is not on (nothing to confirm or turn off; or an admin's policy would lock its own admin out). */
  mfa_not_enabled: 409,
  /** The re-check grant is unknown, of another session, or past its 5 minutes: re-check again. */
  reauth_grant_invalid: 403,
  // Passkeys (WebAuthn; passkeys, issue #15 item 2):
  /** The passkey's answer did not verify (wrong or unknown passkey, wrong origin, no user verification, a cloned counter). */
  passkey_invalid: 403,
  /** The WebAuthn challenge is unknown, used or past its 5 minutes: start again. */
  passkey_challenge_expired: 410,
  /** No such passkey of yours (removed already). */
  passkey_not_found: 404,
  /** The account's only second factor is a passkey: confirm with it (POST /auth/reauth/passkey) rather than the password alone. */
  passkey_required: 403,
  /** Desktop passkey sign-in: the one-time code is unknown, used, past its minute, or presented without this app's verifier: sign in again. */
  desktop_code_invalid: 400,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export const ERROR_CODES = Object.keys(ERROR_STATUS) as ErrorCode[];

/**
 * Why a session stopped being valid. Travels in the `reason` field of a 401
 * `session_revoked` / `session_expired` error and of the `session.revoked` event,
 * so that a client can tell its user what happened.
 */
export const END_REASONS = [
  'signed_out', // the user signed out of this device
  'revoked_by_user', // the user revoked it from another of their devices
  'revoked_by_admin', // an admin revoked it (one session, or all of a member's)
  'workspace_revoked', // an admin signed the whole workspace out
  'member_disabled', // an admin disabled the account
  'session_limit', // a newer sign-in pushed it over the workspace's session limit
  'password_changed', // the user changed the password and signed out other devices
  'superseded', // the same browser signed in again: its older session ends
  'token_reuse', // a rotated-out session cookie was presented again: stolen, or copied; the whole session ends
  'ip_changed', // workspace policy `reauth`: the session was used from another country
  'ua_changed', // workspace policy `reauth`: the session was used from another browser or operating system
  'password_reset', // the password was set through an admin's reset link: every session and API token ends
  'inactivity', // expired: unused for longer than the inactivity timeout
  'absolute', // expired: older than the absolute timeout
] as const;

export type SessionEndReason = (typeof END_REASONS)[number];

export const REVOKE_REASONS = END_REASONS.filter(
  (r) => r !== 'inactivity' && r !== 'absolute',
) as Exclude<SessionEndReason, 'inactivity' | 'absolute'>[];
export type RevokeReason = (typeof REVOKE_REASONS)[number];

export interface ApiErrorBody {
  error: {
    code: ErrorCode;
    message: string;
    /** Only on `session_revoked` and `session_expired`. */
    reason?: SessionEndReason;
  };
}

export function isApiErrorBody(value: unknown): value is ApiErrorBody {
  if (typeof value !== 'object' || value === null) return false;
  const error = (value as { error?: unknown }).error;
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { code?: unknown }).code === 'string' &&
    typeof (error as { message?: unknown }).message === 'string'
  );
}

/**
 * The 401 codes that mean "this session is over: go back to sign-in". A 401
 * means that only when its code is one of these: `invalid_credentials` (a
 * wrong password at sign-in) had no session to end, and `token_expired` asks
 * the client to refresh its access token and retry once.
 */
export const SIGNED_OUT_CODES: readonly ErrorCode[] = ['unauthenticated', 'session_revoked', 'session_expired'];
