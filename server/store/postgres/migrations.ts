/**
 * PostgreSQL's versioned schema migrations, numbered like SQLite's
 * (server/store/sqlite/migrations.ts, whose comments explain each one): the
 * same tables and columns, in PostgreSQL's types. Instants are bigint
 * milliseconds (parsed to numbers), booleans 0/1 smallints, hashes bytea,
 * e-mails lower-cased with a unique index, audit details jsonb. Applied in
 * order at start, each in its own transaction, under an advisory lock so that
 * servers starting together migrate once (server/store/postgres/open.ts).
 * Append new migrations, never edit a released one.
 */

/** Migration 3's building blocks, as in SQLite: what "counts" as unbilled, and an entry's amount (integer division: half up to the cent). */
const countsAsUnbilled = (row: string) =>
  `${row}.billable = 1 AND ${row}.billed_at IS NULL AND ${row}.deleted_at IS NULL AND ${row}.end_at IS NOT NULL`;
const amountOf = (row: string) => `((${row}.end_at - ${row}.start_at) * ${row}.hourly_rate_cents + 1800000) / 3600000`;

/** Migration 4's building blocks: move the version of every user owning a row in `rows` (creating it at 1). */
const bumpOwnersOf = (rows: string, owner: string) => `
      INSERT INTO account_versions AS v (user_id, version)
        SELECT DISTINCT ${owner}, 1 FROM ${rows} WHERE ${owner} IS NOT NULL
        ON CONFLICT (user_id) DO UPDATE SET version = v.version + 1;`;
/** ... after each INSERT, UPDATE (both the new and the old owners) and DELETE statement on `table`. */
const accountVersionTriggers = (table: string, owner: string) => `
  CREATE FUNCTION account_version_on_${table}_insert() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN ${bumpOwnersOf('new_rows', owner)} RETURN NULL; END $$;
  CREATE FUNCTION account_version_on_${table}_update() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN ${bumpOwnersOf(`(SELECT ${owner} FROM new_rows UNION SELECT ${owner} FROM old_rows) AS owners`, owner)} RETURN NULL; END $$;
  CREATE FUNCTION account_version_on_${table}_delete() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN ${bumpOwnersOf('old_rows', owner)} RETURN NULL; END $$;
  CREATE TRIGGER account_version_on_${table}_insert AFTER INSERT ON ${table}
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION account_version_on_${table}_insert();
  CREATE TRIGGER account_version_on_${table}_update AFTER UPDATE ON ${table}
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION account_version_on_${table}_update();
  CREATE TRIGGER account_version_on_${table}_delete AFTER DELETE ON ${table}
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION account_version_on_${table}_delete();
`;

export const MIGRATIONS: readonly string[] = [
  // 1: workspaces, users, sessions, API tokens, login throttle, audit log
  `
  CREATE TABLE workspaces (
    id text PRIMARY KEY,
    name text NOT NULL,
    created_at bigint NOT NULL,
    inactivity_timeout_minutes integer NOT NULL DEFAULT 10080,
    absolute_timeout_days integer NOT NULL DEFAULT 30,
    max_concurrent_sessions integer
  );

  CREATE TABLE users (
    id text PRIMARY KEY,
    workspace_id text NOT NULL REFERENCES workspaces(id),
    -- Kept lower-cased (SQLite's column compares without case instead): one unique index serves lookups.
    email text NOT NULL UNIQUE CHECK (email = lower(email)),
    name text NOT NULL,
    role text NOT NULL CHECK (role IN ('admin', 'manager', 'accountant')),
    password_hash text NOT NULL,
    disabled_at bigint,
    created_at bigint NOT NULL
  );
  CREATE INDEX users_by_workspace ON users(workspace_id);

  CREATE TABLE device_sessions (
    id text PRIMARY KEY,
    user_id text NOT NULL REFERENCES users(id),
    workspace_id text NOT NULL REFERENCES workspaces(id),
    cookie_hash bytea NOT NULL UNIQUE,
    client_kind text NOT NULL CHECK (client_kind IN ('web', 'desktop')),
    label text NOT NULL,
    browser text,
    os text,
    user_agent text NOT NULL,
    ip text NOT NULL,
    created_at bigint NOT NULL,
    last_seen_at bigint NOT NULL,
    expires_at bigint NOT NULL,
    idle_timeout_ms bigint NOT NULL,
    revoked_at bigint,
    revoked_by text,
    revoke_reason text,
    expiry_noticed_at bigint
  );
  CREATE INDEX device_sessions_active_by_user ON device_sessions(user_id, created_at) WHERE revoked_at IS NULL;
  CREATE INDEX device_sessions_active_by_workspace ON device_sessions(workspace_id) WHERE revoked_at IS NULL;

  CREATE TABLE api_tokens (
    id text PRIMARY KEY,
    user_id text NOT NULL REFERENCES users(id),
    workspace_id text NOT NULL REFERENCES workspaces(id),
    name text NOT NULL,
    token_hash bytea NOT NULL UNIQUE,
    created_at bigint NOT NULL,
    expires_at bigint,
    last_used_at bigint,
    revoked_at bigint
  );
  CREATE INDEX api_tokens_by_user ON api_tokens(user_id);

  CREATE TABLE login_failures (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email text NOT NULL,
    at bigint NOT NULL
  );
  CREATE INDEX login_failures_by_email ON login_failures(email, at);
  CREATE INDEX login_failures_by_at ON login_failures(at);

  CREATE TABLE audit_events (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id text,
    type text NOT NULL,
    at bigint NOT NULL,
    actor_user_id text,
    target_user_id text,
    session_id text,
    ip text,
    detail jsonb NOT NULL DEFAULT '{}'
  );
  CREATE INDEX audit_by_workspace ON audit_events(workspace_id, id);
  CREATE INDEX audit_by_target ON audit_events(workspace_id, target_user_id, id);
  CREATE INDEX audit_by_type ON audit_events(workspace_id, type, id);
  `,
  // 2: time and billing: each user's time zone, clients, time entries (with tombstones)
  `
  ALTER TABLE users ADD COLUMN time_zone text NOT NULL DEFAULT 'UTC';

  CREATE TABLE clients (
    id text PRIMARY KEY,
    workspace_id text NOT NULL REFERENCES workspaces(id),
    name text NOT NULL,
    hourly_rate_cents bigint NOT NULL CHECK (hourly_rate_cents >= 0),
    currency text NOT NULL,
    archived_at bigint,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL
  );
  CREATE INDEX clients_by_workspace ON clients(workspace_id);

  CREATE TABLE time_entries (
    id text PRIMARY KEY,
    workspace_id text NOT NULL REFERENCES workspaces(id),
    user_id text NOT NULL REFERENCES users(id),
    client_id text NOT NULL REFERENCES clients(id),
    description text NOT NULL,
    start_at bigint NOT NULL,
    end_at bigint,
    billable smallint NOT NULL CHECK (billable IN (0, 1)),
    hourly_rate_cents bigint NOT NULL CHECK (hourly_rate_cents >= 0),
    currency text NOT NULL,
    billed_at bigint,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL,
    deleted_at bigint,
    version integer NOT NULL DEFAULT 1,
    CHECK (end_at IS NULL OR end_at > start_at)
  );
  CREATE UNIQUE INDEX time_entries_one_running ON time_entries(user_id) WHERE end_at IS NULL AND deleted_at IS NULL;
  CREATE INDEX time_entries_running_by_workspace ON time_entries(workspace_id) WHERE end_at IS NULL AND deleted_at IS NULL;
  CREATE INDEX time_entries_by_user_start ON time_entries(user_id, start_at, end_at) WHERE deleted_at IS NULL;
  CREATE INDEX time_entries_by_user_end ON time_entries(user_id, end_at, start_at, billable) WHERE deleted_at IS NULL;
  CREATE INDEX time_entries_by_workspace_start ON time_entries(workspace_id, start_at)
    INCLUDE (end_at, user_id, client_id, billable, hourly_rate_cents, currency, billed_at) WHERE deleted_at IS NULL;
  CREATE INDEX time_entries_by_client ON time_entries(client_id);
  `,
  // 3: unbilled totals per (workspace, user, currency), kept by a trigger. The
  // reasoning is SQLite's migration 3: the trigger sees every row write inside
  // its transaction, takes the OLD row out if it counted and puts the NEW one
  // in if it counts. Row locks on the totals row make concurrent writers from
  // several servers add up exactly.
  `
  CREATE TABLE unbilled_totals (
    workspace_id text NOT NULL,
    user_id text NOT NULL,
    currency text NOT NULL,
    amount_cents bigint NOT NULL,
    entries bigint NOT NULL,
    PRIMARY KEY (workspace_id, user_id, currency)
  );

  INSERT INTO unbilled_totals (workspace_id, user_id, currency, amount_cents, entries)
    SELECT e.workspace_id, e.user_id, e.currency, SUM(${amountOf('e')}), COUNT(*)
    FROM time_entries e
    WHERE ${countsAsUnbilled('e')}
    GROUP BY e.workspace_id, e.user_id, e.currency;

  CREATE FUNCTION unbilled_totals_apply() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND ${countsAsUnbilled('OLD')} THEN
      UPDATE unbilled_totals
        SET amount_cents = amount_cents - ${amountOf('OLD')}, entries = entries - 1
        WHERE workspace_id = OLD.workspace_id AND user_id = OLD.user_id AND currency = OLD.currency;
      DELETE FROM unbilled_totals
        WHERE workspace_id = OLD.workspace_id AND user_id = OLD.user_id AND currency = OLD.currency AND entries = 0;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND ${countsAsUnbilled('NEW')} THEN
      INSERT INTO unbilled_totals AS t (workspace_id, user_id, currency, amount_cents, entries)
        VALUES (NEW.workspace_id, NEW.user_id, NEW.currency, ${amountOf('NEW')}, 1)
        ON CONFLICT (workspace_id, user_id, currency) DO UPDATE
          SET amount_cents = t.amount_cents + excluded.amount_cents, entries = t.entries + 1;
    END IF;
    RETURN NULL;
  END $$;

  CREATE TRIGGER unbilled_totals_on_change AFTER INSERT OR UPDATE OR DELETE ON time_entries
    FOR EACH ROW EXECUTE FUNCTION unbilled_totals_apply();
  `,
  // 4: a version per user that moves with every committed change to the
  // user's row or to any of their sessions, whoever writes it — on every
  // server sharing the database: each authenticated request reads it, so a
  // revocation on one server bites on the next request on any other. The
  // triggers run once per statement over its transition tables (a workspace's
  // revoke-all moves each affected user's version once, not once per row);
  // an owner change moves both users.
  `
  CREATE TABLE account_versions (
    user_id text PRIMARY KEY,
    version bigint NOT NULL
  );

  INSERT INTO account_versions (user_id, version) SELECT id, 1 FROM users;

  ${accountVersionTriggers('users', 'id')}
  ${accountVersionTriggers('device_sessions', 'user_id')}
  `,
  // 5: where a session is (issue #16): its last address and that address's
  // location, its baseline (country, browser family, OS), and the workspace's
  // policies for unusual changes. Migration 4's statement triggers fire on any
  // UPDATE of device_sessions, so these columns move the account version too.
  `
  ALTER TABLE device_sessions
    ADD COLUMN last_ip text,
    ADD COLUMN location_city text,
    ADD COLUMN location_region text,
    ADD COLUMN location_country text,
    ADD COLUMN location_country_code text,
    ADD COLUMN baseline_country_code text,
    ADD COLUMN browser_family text,
    ADD COLUMN os_family text;
  UPDATE device_sessions SET last_ip = ip;

  ALTER TABLE workspaces
    ADD COLUMN ip_change_policy text NOT NULL DEFAULT 'notify' CHECK (ip_change_policy IN ('off', 'notify', 'reauth')),
    ADD COLUMN ua_change_policy text NOT NULL DEFAULT 'notify' CHECK (ua_change_policy IN ('off', 'notify', 'reauth'));
  `,
  // 6: the firm in the app (issue #13): invitations and password-reset
  // links, display preferences, the firm's settings, the members list's "last
  // seen" index and the audit log's (at, id) indexes (see SQLite's migration 6).
  `
  ALTER TABLE users ADD COLUMN invited_at bigint;
  ALTER TABLE users ADD COLUMN clock text NOT NULL DEFAULT 'auto' CHECK (clock IN ('auto', '12h', '24h'));
  ALTER TABLE users ADD COLUMN date_format text NOT NULL DEFAULT 'auto' CHECK (date_format IN ('auto', 'dmy', 'mdy', 'ymd'));

  ALTER TABLE workspaces ADD COLUMN address text NOT NULL DEFAULT '';
  ALTER TABLE workspaces ADD COLUMN time_zone text NOT NULL DEFAULT 'UTC';
  ALTER TABLE workspaces ADD COLUMN require_approved_weeks smallint NOT NULL DEFAULT 0 CHECK (require_approved_weeks IN (0, 1));
  ALTER TABLE workspaces ADD COLUMN description_required smallint NOT NULL DEFAULT 0 CHECK (description_required IN (0, 1));

  CREATE TABLE member_links (
    id text PRIMARY KEY,
    workspace_id text NOT NULL REFERENCES workspaces(id),
    user_id text NOT NULL REFERENCES users(id),
    kind text NOT NULL CHECK (kind IN ('invitation', 'password_reset')),
    token_hash bytea NOT NULL UNIQUE,
    created_by text,
    created_at bigint NOT NULL,
    expires_at bigint NOT NULL,
    used_at bigint,
    revoked_at bigint
  );
  CREATE INDEX member_links_open_by_user ON member_links(user_id, kind, expires_at) WHERE used_at IS NULL AND revoked_at IS NULL;

  CREATE INDEX device_sessions_last_seen_by_user ON device_sessions(user_id, last_seen_at);

  DROP INDEX audit_by_workspace;
  DROP INDEX audit_by_target;
  DROP INDEX audit_by_type;
  CREATE INDEX audit_by_workspace_at ON audit_events(workspace_id, at, id);
  CREATE INDEX audit_by_target_at ON audit_events(workspace_id, target_user_id, at, id);
  CREATE INDEX audit_by_actor_at ON audit_events(workspace_id, actor_user_id, at, id);
  CREATE INDEX audit_by_type_at ON audit_events(workspace_id, type, at, id);
  `,  // 7: credentials you can trust (issue #10 phase 2): rotating session
  // cookies (the previous cookie remembered, when the current one was issued
  // and first used), where a session's label came from, API token scopes and
  // revocation reasons, and auth_attempts in place of login_failures (see
  // SQLite's migration 7). Migration 4's statement triggers already cover
  // every device_sessions column; API tokens and attempts are read per
  // request, never through an account snapshot, so they need none.
  `
  ALTER TABLE device_sessions
    ADD COLUMN previous_cookie_hash bytea,
    ADD COLUMN cookie_issued_at bigint NOT NULL DEFAULT 0,
    ADD COLUMN cookie_used_at bigint,
    ADD COLUMN label_source text NOT NULL DEFAULT 'user-agent' CHECK (label_source IN ('device', 'user-agent', 'kind'));
  UPDATE device_sessions SET
    cookie_issued_at = created_at,
    cookie_used_at = created_at,
    label_source = CASE
      WHEN label = client_kind THEN 'kind'
      WHEN client_kind = 'desktop' AND label IS DISTINCT FROM COALESCE(browser || ', ' || os, browser, os) THEN 'device'
      ELSE 'user-agent'
    END;
  CREATE UNIQUE INDEX device_sessions_by_previous_cookie ON device_sessions(previous_cookie_hash) WHERE previous_cookie_hash IS NOT NULL;

  ALTER TABLE api_tokens
    ADD COLUMN scopes text NOT NULL DEFAULT 'time:read time:write reports:read billing:write',
    ADD COLUMN revoke_reason text;
  CREATE INDEX api_tokens_live_by_workspace ON api_tokens(workspace_id) WHERE revoked_at IS NULL;

  CREATE TABLE auth_attempts (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key text NOT NULL,
    at bigint NOT NULL
  );
  CREATE INDEX auth_attempts_by_key ON auth_attempts(key, at);
  CREATE INDEX auth_attempts_by_at ON auth_attempts(at);
  INSERT INTO auth_attempts (key, at) SELECT 'sign-in:' || lower(email), at FROM login_failures;
  DROP TABLE login_failures;
  `,
  // 8: team timesheets (issue #13 item 4): see SQLite's migration 8.
  `
  CREATE TABLE timesheet_weeks (
    workspace_id text NOT NULL REFERENCES workspaces(id),
    user_id text NOT NULL REFERENCES users(id),
    monday text NOT NULL,
    from_at bigint NOT NULL,
    to_at bigint NOT NULL,
    status text NOT NULL CHECK (status IN ('submitted', 'approved')),
    submitted_at bigint NOT NULL,
    approved_at bigint,
    approved_by text,
    changed_after_approval_at bigint,
    PRIMARY KEY (user_id, monday)
  );
  CREATE INDEX timesheet_weeks_queue ON timesheet_weeks(workspace_id, status, from_at);
  CREATE INDEX timesheet_weeks_by_user_span ON timesheet_weeks(user_id, from_at, to_at);

  ALTER TABLE time_entries ADD COLUMN changed_by text;
  `,
  // 9 and 10: placeholders for billing-core's and invoices' migrations (see SQLite's).
  `SELECT 1;`,
  `SELECT 1;`,
  // 11: two-factor with authenticator apps: see SQLite's migration 11.
  `
  ALTER TABLE workspaces ADD COLUMN require_two_factor text NOT NULL DEFAULT 'off'
    CHECK (require_two_factor IN ('off', 'everyone', 'admins_managers'));

  CREATE TABLE totp_factors (
    user_id text PRIMARY KEY REFERENCES users(id),
    secret_sealed bytea NOT NULL,
    created_at bigint NOT NULL,
    confirmed_at bigint,
    last_used_step bigint
  );

  CREATE TABLE mfa_recovery_codes (
    code_hash bytea PRIMARY KEY,
    user_id text NOT NULL REFERENCES users(id),
    created_at bigint NOT NULL,
    used_at bigint
  );
  CREATE INDEX mfa_recovery_codes_by_user ON mfa_recovery_codes(user_id);

  CREATE TABLE login_challenges (
    secret_hash bytea PRIMARY KEY,
    user_id text NOT NULL REFERENCES users(id),
    purpose text NOT NULL CHECK (purpose IN ('verify', 'enrol')),
    via text CHECK (via IN ('invitation', 'password_reset')),
    client_kind text NOT NULL,
    device_name text,
    created_at bigint NOT NULL,
    expires_at bigint NOT NULL,
    used_at bigint
  );
  CREATE INDEX login_challenges_by_expiry ON login_challenges(expires_at);

  CREATE TABLE reauth_grants (
    secret_hash bytea PRIMARY KEY,
    session_id text NOT NULL,
    user_id text NOT NULL REFERENCES users(id),
    method text NOT NULL,
    created_at bigint NOT NULL,
    expires_at bigint NOT NULL
  );
  CREATE INDEX reauth_grants_by_expiry ON reauth_grants(expires_at);
  `,
  // 12: single sign-on with OpenID Connect: see SQLite's migration 12.
  `
  CREATE TABLE sso_configs (
    workspace_id text PRIMARY KEY REFERENCES workspaces(id),
    flavor text NOT NULL CHECK (flavor IN ('generic', 'google', 'entra')),
    issuer text NOT NULL,
    client_id text NOT NULL,
    client_secret_sealed bytea NOT NULL,
    tenant_id text,
    jit_allowed smallint NOT NULL DEFAULT 0,
    require_sso smallint NOT NULL DEFAULT 0,
    break_glass_user_id text REFERENCES users(id),
    updated_at bigint NOT NULL
  );
  CREATE TABLE sso_domains (
    domain text PRIMARY KEY,
    workspace_id text NOT NULL REFERENCES workspaces(id)
  );
  CREATE INDEX sso_domains_by_workspace ON sso_domains(workspace_id);
  CREATE TABLE external_identities (
    issuer text NOT NULL,
    subject text NOT NULL,
    user_id text NOT NULL REFERENCES users(id),
    workspace_id text NOT NULL REFERENCES workspaces(id),
    email text NOT NULL,
    linked_at bigint NOT NULL,
    PRIMARY KEY (issuer, subject)
  );
  CREATE INDEX external_identities_by_user ON external_identities(user_id);
  CREATE TABLE oidc_login_states (
    state_hash bytea PRIMARY KEY,
    workspace_id text NOT NULL REFERENCES workspaces(id),
    binding_hash bytea NOT NULL,
    sealed bytea NOT NULL,
    redirect_uri text NOT NULL,
    client_kind text NOT NULL,
    device_name text,
    created_at bigint NOT NULL,
    expires_at bigint NOT NULL
  );
  CREATE INDEX oidc_login_states_by_expiry ON oidc_login_states(expires_at);
  `,
  // 13: passkeys (WebAuthn): see SQLite's migration 13.
  `
  CREATE TABLE passkeys (
    id text PRIMARY KEY,
    user_id text NOT NULL REFERENCES users(id),
    credential_id text NOT NULL UNIQUE,
    name text NOT NULL,
    public_key bytea NOT NULL,
    counter bigint NOT NULL,
    transports text NOT NULL,
    backed_up smallint NOT NULL,
    created_at bigint NOT NULL,
    last_used_at bigint
  );
  CREATE INDEX passkeys_by_user ON passkeys(user_id);
  CREATE TABLE webauthn_challenges (
    challenge_hash bytea PRIMARY KEY,
    purpose text NOT NULL CHECK (purpose IN ('register', 'second_factor', 'passwordless', 'reauth')),
    user_id text REFERENCES users(id),
    session_id text,
    login_challenge_hash bytea,
    client_kind text,
    device_name text,
    created_at bigint NOT NULL,
    expires_at bigint NOT NULL
  );
  CREATE INDEX webauthn_challenges_by_expiry ON webauthn_challenges(expires_at);
  `,
];
