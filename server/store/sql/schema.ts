import type { Generated } from 'kysely';

/**
 * The tables as Kysely sees them, the same for both dialects: instants are
 * integer milliseconds since the epoch (INTEGER in SQLite, bigint in
 * PostgreSQL, parsed to numbers), booleans are 0/1 integers, hashes are bytes
 * (BLOB / bytea), e-mails are stored lower-cased. The DDL is per dialect:
 * server/store/sqlite/migrations.ts and server/store/postgres/migrations.ts.
 */
export interface TabDatabase {
  workspaces: WorkspacesTable;
  users: UsersTable;
  device_sessions: DeviceSessionsTable;
  api_tokens: ApiTokensTable;
  auth_attempts: AuthAttemptsTable;
  audit_events: AuditEventsTable;
  clients: ClientsTable;
  time_entries: TimeEntriesTable;
  unbilled_totals: UnbilledTotalsTable;
  wip_days: WipDaysTable;
  account_versions: AccountVersionsTable;
  member_links: MemberLinksTable;
  timesheet_weeks: TimesheetWeeksTable;
  matters: MattersTable;
  activities: ActivitiesTable;
  rates: RatesTable;
  invoice_counters: InvoiceCountersTable;
  invoices: InvoicesTable;
  invoice_lines: InvoiceLinesTable;
  invoice_entries: InvoiceEntriesTable;
  totp_factors: TotpFactorsTable;
  mfa_recovery_codes: MfaRecoveryCodesTable;
  login_challenges: LoginChallengesTable;
  reauth_grants: ReauthGrantsTable;
  sso_configs: SsoConfigsTable;
  sso_domains: SsoDomainsTable;
  external_identities: ExternalIdentitiesTable;
  oidc_login_states: OidcLoginStatesTable;
  passkeys: PasskeysTable;
  webauthn_challenges: WebauthnChallengesTable;
  desktop_handoffs: DesktopHandoffsTable;
}

export type ZeroOne = 0 | 1;

export interface WorkspacesTable {
  id: string;
  name: string;
  created_at: number;
  inactivity_timeout_minutes: Generated<number>;
  absolute_timeout_days: Generated<number>;
  max_concurrent_sessions: number | null;
  ip_change_policy: Generated<string>;
  ua_change_policy: Generated<string>;
  address: Generated<string>;
  time_zone: Generated<string>;
  require_approved_weeks: Generated<ZeroOne>;
  description_required: Generated<ZeroOne>;
  /** Migration 11: off | everyone | admins_managers. */
  require_two_factor: Generated<string>;
}

export interface UsersTable {
  id: string;
  workspace_id: string;
  email: string;
  name: string;
  role: string;
  password_hash: string;
  disabled_at: number | null;
  created_at: number;
  time_zone: Generated<string>;
  invited_at: number | null;
  clock: Generated<string>;
  date_format: Generated<string>;
}

export interface DeviceSessionsTable {
  id: string;
  user_id: string;
  workspace_id: string;
  cookie_hash: Buffer;
  client_kind: string;
  label: string;
  browser: string | null;
  os: string | null;
  user_agent: string;
  ip: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
  idle_timeout_ms: number;
  revoked_at: number | null;
  revoked_by: string | null;
  revoke_reason: string | null;
  expiry_noticed_at: number | null;
  previous_cookie_hash: Buffer | null;
  cookie_issued_at: number;
  cookie_used_at: number | null;
  label_source: Generated<string>;
  /** Migration 5: where the session was last seen, and what unusual changes are measured against. */
  last_ip: string | null;
  location_city: string | null;
  location_region: string | null;
  location_country: string | null;
  location_country_code: string | null;
  baseline_country_code: string | null;
  browser_family: string | null;
  os_family: string | null;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  workspace_id: string;
  name: string;
  token_hash: Buffer;
  created_at: number;
  expires_at: number | null;
  last_used_at: number | null;
  revoked_at: number | null;
  /** Space-separated API token scopes. */
  scopes: Generated<string>;
  revoke_reason: string | null;
}

export interface AuthAttemptsTable {
  id: Generated<number>;
  key: string;
  at: number;
}

export interface AuditEventsTable {
  id: Generated<number>;
  workspace_id: string | null;
  type: string;
  at: number;
  actor_user_id: string | null;
  target_user_id: string | null;
  session_id: string | null;
  ip: string | null;
  /** JSON text in SQLite, jsonb in PostgreSQL (which answers it parsed). */
  detail: string | Record<string, unknown>;
}

export interface ClientsTable {
  id: string;
  workspace_id: string;
  name: string;
  hourly_rate_cents: number;
  currency: string;
  archived_at: number | null;
  created_at: number;
  updated_at: number;
  /** Migration 9: the client's rounding rule (1 / nearest / entry unless set). */
  rounding_increment: Generated<number>;
  rounding_mode: Generated<string>;
  rounding_scope: Generated<string>;
  /** Migration 10: the client's tax (VAT) rate in basis points, and what the invoice calls it. */
  tax_rate_bp: Generated<number>;
  tax_label: Generated<string>;
}

/** Migration 9: a client's engagements. */
export interface MattersTable {
  id: string;
  workspace_id: string;
  client_id: string;
  code: string;
  name: string;
  billing_type: string;
  fixed_fee_cents: number | null;
  budget_minutes: number | null;
  budget_cents: number | null;
  /** A matter's own rounding rule: all three set, or none (the client's applies). */
  rounding_increment: number | null;
  rounding_mode: string | null;
  rounding_scope: string | null;
  closed_at: number | null;
  created_at: number;
  updated_at: number;
}

/** Migration 9: a workspace's activity codes. */
export interface ActivitiesTable {
  id: string;
  workspace_id: string;
  name: string;
  archived_at: number | null;
  created_at: number;
  updated_at: number;
}

/**
 * Migration 9: the rate levels other than the client's own: member on matter
 * (user + client + matter), matter (client + matter), member for client
 * (user + client), member default (user).
 */
export interface RatesTable {
  id: string;
  workspace_id: string;
  user_id: string | null;
  client_id: string | null;
  matter_id: string | null;
  hourly_rate_cents: number;
  created_at: number;
  updated_at: number;
  updated_by: string | null;
}

export interface TimeEntriesTable {
  id: string;
  workspace_id: string;
  user_id: string;
  client_id: string;
  description: string;
  start_at: number;
  end_at: number | null;
  billable: ZeroOne;
  hourly_rate_cents: number;
  currency: string;
  billed_at: number | null;
  created_at: number;
  updated_at: number;
  deleted_at: number | null;
  version: Generated<number>;
  /** Migration 8: who last changed the entry when it was not its owner; null after the owner's own edit. */
  changed_by: string | null;
  /** Migration 9: the entry's matter and activity, both optional. */
  matter_id: string | null;
  activity_id: string | null;
  /** Migration 10: the issued invoice that billed the entry (null again after a void); Mark billed's free-text reference. */
  invoice_id: Generated<string | null>;
  billed_reference: Generated<string | null>;
}

export interface TimesheetWeeksTable {
  workspace_id: string;
  user_id: string;
  monday: string;
  from_at: number;
  to_at: number;
  status: 'submitted' | 'approved';
  submitted_at: number;
  approved_at: number | null;
  approved_by: string | null;
  changed_after_approval_at: number | null;
}

export interface UnbilledTotalsTable {
  workspace_id: string;
  user_id: string;
  currency: string;
  amount_cents: number;
  entries: number;
}

/** Migration 15: unbilled work per workspace, client, matter ('' for none), currency and UTC day (start_at / 86400000), kept by triggers. */
export interface WipDaysTable {
  workspace_id: string;
  client_id: string;
  matter_key: string;
  currency: string;
  day: number;
  entries: number;
  duration_ms: number;
  amount_cents: number;
}

export interface AccountVersionsTable {
  user_id: string;
  version: number;
}

export interface MemberLinksTable {
  id: string;
  workspace_id: string;
  user_id: string;
  kind: string;
  token_hash: Buffer;
  created_by: string | null;
  created_at: number;
  expires_at: number;
  used_at: number | null;
  revoked_at: number | null;
}

/** Migration 10: the last invoice number given per workspace and year (of the workspace's zone). */
export interface InvoiceCountersTable {
  workspace_id: string;
  year: number;
  last_number: number;
}

export type AdjustmentKind = 'amount' | 'percent';

export interface InvoicesTable {
  id: string;
  workspace_id: string;
  client_id: string;
  status: 'draft' | 'issued' | 'void';
  number: string | null;
  year: number | null;
  sequence: number | null;
  currency: string;
  period_from: number;
  period_to: number;
  first_day: string;
  last_day: string;
  /** Space-separated matter ids the draft was limited to; empty: all of the client's work. */
  matter_ids: string;
  standard_cents: number;
  rounding_cents: number;
  lines_cents: number;
  adjustment_kind: AdjustmentKind | null;
  adjustment_value: number | null;
  adjustment_reason: string | null;
  adjustment_cents: number;
  subtotal_cents: number;
  tax_label: string;
  tax_rate_bp: number;
  tax_cents: number;
  total_cents: number;
  notes: string;
  issue_date: string | null;
  due_date: string | null;
  issued_at: number | null;
  issued_by: string | null;
  paid_on: string | null;
  paid_at: number | null;
  voided_at: number | null;
  voided_by: string | null;
  void_reason: string | null;
  created_by: string;
  created_at: number;
  updated_at: number;
}

export interface InvoiceLinesTable {
  invoice_id: string;
  position: number;
  matter_id: string | null;
  activity_id: string | null;
  description: string;
  rate_cents: number;
  entries: number;
  duration_ms: number;
  billable_minutes: number;
  standard_cents: number;
  amount_cents: number;
  adjustment_kind: AdjustmentKind | null;
  adjustment_value: number | null;
  adjustment_reason: string | null;
  adjustment_cents: number;
  total_cents: number;
}

export interface InvoiceEntriesTable {
  invoice_id: string;
  entry_id: string;
  position: number;
  entry_version: number;
  standard_cents: number;
  amount_cents: number;
}

/** Migration 11: two-factor (server/store/mfa.ts). */
export interface TotpFactorsTable {
  user_id: string;
  secret_sealed: Buffer;
  created_at: number;
  confirmed_at: number | null;
  last_used_step: number | null;
}

export interface MfaRecoveryCodesTable {
  code_hash: Buffer;
  user_id: string;
  created_at: number;
  used_at: number | null;
}

export interface LoginChallengesTable {
  secret_hash: Buffer;
  user_id: string;
  purpose: 'verify' | 'enrol';
  via: 'invitation' | 'password_reset' | null;
  client_kind: string;
  device_name: string | null;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

export interface ReauthGrantsTable {
  secret_hash: Buffer;
  session_id: string;
  user_id: string;
  method: string;
  created_at: number;
  expires_at: number;
}

/** Migration 12: single sign-on (server/store/sso.ts). */
export interface SsoConfigsTable {
  workspace_id: string;
  flavor: string;
  issuer: string;
  client_id: string;
  client_secret_sealed: Buffer;
  tenant_id: string | null;
  jit_allowed: ZeroOne;
  require_sso: ZeroOne;
  break_glass_user_id: string | null;
  updated_at: number;
}

export interface SsoDomainsTable {
  domain: string;
  workspace_id: string;
}

export interface ExternalIdentitiesTable {
  issuer: string;
  subject: string;
  user_id: string;
  workspace_id: string;
  email: string;
  linked_at: number;
}

export interface OidcLoginStatesTable {
  state_hash: Buffer;
  workspace_id: string;
  binding_hash: Buffer;
  sealed: Buffer;
  redirect_uri: string;
  client_kind: string;
  device_name: string | null;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

export interface ReauthGrantsTable {
  secret_hash: Buffer;
  session_id: string;
  user_id: string;
  method: string;
  created_at: number;
  expires_at: number;
}

export interface PasskeysTable {
  id: string;
  user_id: string;
  credential_id: string;
  name: string;
  public_key: Buffer;
  counter: number;
  /** JSON array of transport hints. */
  transports: string;
  backed_up: ZeroOne;
  created_at: number;
  last_used_at: number | null;
}

export interface WebauthnChallengesTable {
  challenge_hash: Buffer;
  purpose: string;
  user_id: string | null;
  session_id: string | null;
  login_challenge_hash: Buffer | null;
  client_kind: string | null;
  device_name: string | null;
  created_at: number;
  expires_at: number;
}

export interface DesktopHandoffsTable {
  handoff_hash: Buffer;
  state: string;
  app_challenge: Buffer;
  redirect_uri: string;
  device_name: string | null;
  login_challenge_hash: Buffer | null;
  code_hash: Buffer | null;
  user_id: string | null;
  code_expires_at: number | null;
  created_at: number;
  expires_at: number;
}
