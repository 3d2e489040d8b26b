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

/**
 * Migration 15's building blocks (the WIP day table; the rule is SQLite's
 * migration 15): one statement's change to wip_days, set-based over its
 * transition tables like applyUnbilledDelta, keys upserted in key order.
 */
const WIP_DAY_KEY = (r: string) => `${r}.workspace_id, ${r}.client_id, COALESCE(${r}.matter_id, ''), ${r}.currency, ${r}.start_at / 86400000`;
const applyWipDayDelta = (sources: { rows: 'old_rows' | 'new_rows'; sign: 1 | -1 }[]) => `
      INSERT INTO wip_days AS t (workspace_id, client_id, matter_key, currency, day, entries, duration_ms, amount_cents)
        SELECT workspace_id, client_id, matter_key, currency, day, SUM(entries), SUM(duration_ms), SUM(amount_cents)
        FROM (${sources
          .map(({ rows, sign }) => `SELECT ${WIP_DAY_KEY('r')}, ${sign} AS entries, ${sign} * (r.end_at - r.start_at) AS duration_ms, ${sign} * (${amountOf('r')}) AS amount_cents FROM ${rows} r WHERE ${countsAsUnbilled('r')}`)
          .join(' UNION ALL ')}) AS changes (workspace_id, client_id, matter_key, currency, day, entries, duration_ms, amount_cents)
        GROUP BY workspace_id, client_id, matter_key, currency, day
        HAVING SUM(entries) <> 0 OR SUM(duration_ms) <> 0 OR SUM(amount_cents) <> 0
        ORDER BY workspace_id, client_id, matter_key, currency, day
        ON CONFLICT (workspace_id, client_id, matter_key, currency, day) DO UPDATE
          SET entries = t.entries + excluded.entries, duration_ms = t.duration_ms + excluded.duration_ms, amount_cents = t.amount_cents + excluded.amount_cents;${sources.some((s) => s.sign === -1) ? `
      DELETE FROM wip_days t
        USING (SELECT DISTINCT ${WIP_DAY_KEY('r')} FROM old_rows r WHERE ${countsAsUnbilled('r')}) AS o (workspace_id, client_id, matter_key, currency, day)
        WHERE t.entries = 0 AND t.workspace_id = o.workspace_id AND t.client_id = o.client_id AND t.matter_key = o.matter_key
          AND t.currency = o.currency AND t.day = o.day;` : ''}`;

/**
 * Migration 14's building blocks: apply one statement's change to the unbilled
 * totals, set-based over its transition tables. `sources` are old_rows (taken
 * out where they counted) and/or new_rows (put in where they count); the net
 * change per key is upserted in key order (concurrent statements lock totals
 * rows in the same order), and keys whose count fell to 0 lose their row.
 */
const applyUnbilledDelta = (sources: { rows: 'old_rows' | 'new_rows'; sign: 1 | -1 }[]) => `
      INSERT INTO unbilled_totals AS t (workspace_id, user_id, currency, amount_cents, entries)
        SELECT workspace_id, user_id, currency, SUM(amount_cents), SUM(entries)
        FROM (${sources
          .map(({ rows, sign }) => `SELECT r.workspace_id, r.user_id, r.currency, ${sign} * (${amountOf('r')}) AS amount_cents, ${sign} AS entries FROM ${rows} r WHERE ${countsAsUnbilled('r')}`)
          .join(' UNION ALL ')}) AS changes
        GROUP BY workspace_id, user_id, currency
        HAVING SUM(amount_cents) <> 0 OR SUM(entries) <> 0
        ORDER BY workspace_id, user_id, currency
        ON CONFLICT (workspace_id, user_id, currency) DO UPDATE
          SET amount_cents = t.amount_cents + excluded.amount_cents, entries = t.entries + excluded.entries;${sources.some((s) => s.sign === -1) ? `
      DELETE FROM unbilled_totals t
        USING (SELECT DISTINCT workspace_id, user_id, currency FROM old_rows) AS o
        WHERE t.entries = 0 AND t.workspace_id = o.workspace_id AND t.user_id = o.user_id AND t.currency = o.currency;` : ''}`;

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
  // 9: matters, activities, rates, rounding rules; entries' matter and activity (issue #14): see SQLite's migration 9.
  `
  CREATE TABLE matters (
    id text PRIMARY KEY,
    workspace_id text NOT NULL REFERENCES workspaces(id),
    client_id text NOT NULL REFERENCES clients(id),
    code text NOT NULL,
    name text NOT NULL,
    billing_type text NOT NULL DEFAULT 'hourly' CHECK (billing_type IN ('hourly', 'fixed')),
    fixed_fee_cents bigint CHECK (fixed_fee_cents IS NULL OR fixed_fee_cents >= 0),
    budget_minutes bigint CHECK (budget_minutes IS NULL OR budget_minutes > 0),
    budget_cents bigint CHECK (budget_cents IS NULL OR budget_cents > 0),
    rounding_increment integer CHECK (rounding_increment IS NULL OR rounding_increment IN (1, 6, 10, 15, 30)),
    rounding_mode text CHECK (rounding_mode IS NULL OR rounding_mode IN ('up', 'nearest', 'down')),
    rounding_scope text CHECK (rounding_scope IS NULL OR rounding_scope IN ('entry', 'day-per-matter')),
    closed_at bigint,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL,
    CHECK (budget_minutes IS NULL OR budget_cents IS NULL),
    CHECK ((rounding_increment IS NULL) = (rounding_mode IS NULL) AND (rounding_mode IS NULL) = (rounding_scope IS NULL))
  );
  CREATE UNIQUE INDEX matters_code_per_client ON matters(client_id, lower(code));
  CREATE INDEX matters_by_workspace ON matters(workspace_id, client_id);

  CREATE TABLE activities (
    id text PRIMARY KEY,
    workspace_id text NOT NULL REFERENCES workspaces(id),
    name text NOT NULL,
    archived_at bigint,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL
  );
  CREATE UNIQUE INDEX activities_name_per_workspace ON activities(workspace_id, lower(name));

  CREATE TABLE rates (
    id text PRIMARY KEY,
    workspace_id text NOT NULL REFERENCES workspaces(id),
    user_id text REFERENCES users(id),
    client_id text REFERENCES clients(id),
    matter_id text REFERENCES matters(id),
    hourly_rate_cents bigint NOT NULL CHECK (hourly_rate_cents >= 0),
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL,
    updated_by text,
    -- member on matter, matter (both with the matter's client), member for client, member default
    CHECK (
      (matter_id IS NOT NULL AND client_id IS NOT NULL)
      OR (matter_id IS NULL AND client_id IS NOT NULL AND user_id IS NOT NULL)
      OR (matter_id IS NULL AND client_id IS NULL AND user_id IS NOT NULL)
    )
  );
  CREATE UNIQUE INDEX rates_one_per_target ON rates(workspace_id, COALESCE(user_id, ''), COALESCE(client_id, ''), COALESCE(matter_id, ''));
  CREATE INDEX rates_by_client ON rates(client_id) WHERE client_id IS NOT NULL;

  ALTER TABLE clients ADD COLUMN rounding_increment integer NOT NULL DEFAULT 1 CHECK (rounding_increment IN (1, 6, 10, 15, 30));
  ALTER TABLE clients ADD COLUMN rounding_mode text NOT NULL DEFAULT 'nearest' CHECK (rounding_mode IN ('up', 'nearest', 'down'));
  ALTER TABLE clients ADD COLUMN rounding_scope text NOT NULL DEFAULT 'entry' CHECK (rounding_scope IN ('entry', 'day-per-matter'));

  ALTER TABLE time_entries ADD COLUMN matter_id text REFERENCES matters(id);
  ALTER TABLE time_entries ADD COLUMN activity_id text REFERENCES activities(id);
  CREATE INDEX time_entries_by_matter ON time_entries(matter_id, start_at) WHERE matter_id IS NOT NULL AND deleted_at IS NULL;
  `,
  // 10: invoices (issue #14 items 4, 5): see SQLite's migration 10.
  `
  ALTER TABLE clients ADD COLUMN tax_rate_bp integer NOT NULL DEFAULT 0 CHECK (tax_rate_bp BETWEEN 0 AND 10000);
  ALTER TABLE clients ADD COLUMN tax_label text NOT NULL DEFAULT 'Tax';
  ALTER TABLE time_entries ADD COLUMN invoice_id text;
  ALTER TABLE time_entries ADD COLUMN billed_reference text;
  CREATE INDEX time_entries_by_invoice ON time_entries(invoice_id) WHERE invoice_id IS NOT NULL;
  CREATE INDEX time_entries_wip ON time_entries(workspace_id, client_id, start_at, end_at, hourly_rate_cents, currency)
    WHERE billed_at IS NULL AND deleted_at IS NULL AND billable = 1 AND end_at IS NOT NULL;

  CREATE TABLE invoice_counters (
    workspace_id text NOT NULL REFERENCES workspaces(id),
    year integer NOT NULL,
    last_number integer NOT NULL,
    PRIMARY KEY (workspace_id, year)
  );

  CREATE TABLE invoices (
    id text PRIMARY KEY,
    workspace_id text NOT NULL REFERENCES workspaces(id),
    client_id text NOT NULL REFERENCES clients(id),
    status text NOT NULL CHECK (status IN ('draft', 'issued', 'void')),
    number text,
    year integer,
    sequence integer,
    currency text NOT NULL,
    period_from bigint NOT NULL,
    period_to bigint NOT NULL,
    first_day text NOT NULL,
    last_day text NOT NULL,
    matter_ids text NOT NULL DEFAULT '',
    standard_cents bigint NOT NULL,
    rounding_cents bigint NOT NULL,
    lines_cents bigint NOT NULL,
    adjustment_kind text CHECK (adjustment_kind IN ('amount', 'percent')),
    adjustment_value bigint,
    adjustment_reason text,
    adjustment_cents bigint NOT NULL DEFAULT 0,
    subtotal_cents bigint NOT NULL,
    tax_label text NOT NULL,
    tax_rate_bp integer NOT NULL,
    tax_cents bigint NOT NULL,
    total_cents bigint NOT NULL,
    notes text NOT NULL DEFAULT '',
    issue_date text,
    due_date text,
    issued_at bigint,
    issued_by text,
    paid_on text,
    paid_at bigint,
    voided_at bigint,
    voided_by text,
    void_reason text,
    created_by text NOT NULL,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL,
    UNIQUE (workspace_id, number)
  );
  CREATE INDEX invoices_by_workspace ON invoices(workspace_id, created_at);

  CREATE TABLE invoice_lines (
    invoice_id text NOT NULL REFERENCES invoices(id) ON DELETE CASCADE,
    position integer NOT NULL,
    matter_id text,
    activity_id text,
    description text NOT NULL,
    rate_cents bigint NOT NULL,
    entries integer NOT NULL,
    duration_ms bigint NOT NULL,
    billable_minutes bigint NOT NULL,
    standard_cents bigint NOT NULL,
    amount_cents bigint NOT NULL,
    adjustment_kind text CHECK (adjustment_kind IN ('amount', 'percent')),
    adjustment_value bigint,
    adjustment_reason text,
    adjustment_cents bigint NOT NULL DEFAULT 0,
    total_cents bigint NOT NULL,
    PRIMARY KEY (invoice_id, position)
  );

  CREATE TABLE invoice_entries (
    invoice_id text NOT NULL REFERENCES invoices(id) ON DELETE CASCADE,
    entry_id text NOT NULL REFERENCES time_entries(id),
    position integer NOT NULL,
    entry_version integer NOT NULL,
    standard_cents bigint NOT NULL,
    amount_cents bigint NOT NULL,
    PRIMARY KEY (invoice_id, entry_id)
  );
  CREATE INDEX invoice_entries_by_entry ON invoice_entries(entry_id);
  `,
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
  // 14 (issue #14's bench: issuing 10,000 entries took 8.6 s in migration 3's
  // per-row trigger): the unbilled totals kept by per-statement triggers over
  // transition tables, as migration 4 does for account versions. One UPDATE of
  // 10,000 entries now runs one grouped upsert of its net change per
  // (workspace, user, currency) instead of 10,000 upserts of ~20 rows. Same
  // rule as migration 3 (take out the OLD rows that counted, put in the NEW
  // rows that count, drop a key at count 0), so the totals stay exactly the
  // sum; the statement's rows are all in its transition tables, whatever wrote
  // them. SQLite keeps migration 3's per-row triggers (cheap in-process there).
  // The WIP index becomes covering, in the report's GROUP BY order (see
  // SQLite's migration 14): an index-only scan, already grouped.
  `
  DROP INDEX time_entries_wip;
  CREATE INDEX time_entries_wip ON time_entries(workspace_id, client_id, matter_id, currency, start_at) INCLUDE (end_at, hourly_rate_cents)
    WHERE billed_at IS NULL AND deleted_at IS NULL AND billable = 1 AND end_at IS NOT NULL;

  DROP TRIGGER unbilled_totals_on_change ON time_entries;
  DROP FUNCTION unbilled_totals_apply();

  CREATE FUNCTION unbilled_totals_on_insert() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN ${applyUnbilledDelta([{ rows: 'new_rows', sign: 1 }])}
    RETURN NULL;
  END $$;
  CREATE FUNCTION unbilled_totals_on_update() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN ${applyUnbilledDelta([{ rows: 'old_rows', sign: -1 }, { rows: 'new_rows', sign: 1 }])}
    RETURN NULL;
  END $$;
  CREATE FUNCTION unbilled_totals_on_delete() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN ${applyUnbilledDelta([{ rows: 'old_rows', sign: -1 }])}
    RETURN NULL;
  END $$;

  CREATE TRIGGER unbilled_totals_on_insert AFTER INSERT ON time_entries
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION unbilled_totals_on_insert();
  CREATE TRIGGER unbilled_totals_on_update AFTER UPDATE ON time_entries
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION unbilled_totals_on_update();
  CREATE TRIGGER unbilled_totals_on_delete AFTER DELETE ON time_entries
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION unbilled_totals_on_delete();
  `,
  // 15: the WIP day table, kept by per-statement triggers over transition
  // tables (as migration 14's unbilled totals): see SQLite's migration 15.
  `
  CREATE TABLE wip_days (
    workspace_id text NOT NULL,
    client_id text NOT NULL,
    matter_key text NOT NULL,
    currency text NOT NULL,
    day bigint NOT NULL,
    entries bigint NOT NULL,
    duration_ms bigint NOT NULL,
    amount_cents bigint NOT NULL,
    PRIMARY KEY (workspace_id, client_id, matter_key, currency, day)
  );

  INSERT INTO wip_days (workspace_id, client_id, matter_key, currency, day, entries, duration_ms, amount_cents)
    SELECT ${WIP_DAY_KEY('e')}, COUNT(*), SUM(e.end_at - e.start_at), SUM(${amountOf('e')})
    FROM time_entries e
    WHERE ${countsAsUnbilled('e')}
    GROUP BY 1, 2, 3, 4, 5;

  CREATE FUNCTION wip_days_on_insert() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN ${applyWipDayDelta([{ rows: 'new_rows', sign: 1 }])}
    RETURN NULL;
  END $$;
  CREATE FUNCTION wip_days_on_update() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN ${applyWipDayDelta([{ rows: 'old_rows', sign: -1 }, { rows: 'new_rows', sign: 1 }])}
    RETURN NULL;
  END $$;
  CREATE FUNCTION wip_days_on_delete() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN ${applyWipDayDelta([{ rows: 'old_rows', sign: -1 }])}
    RETURN NULL;
  END $$;

  CREATE TRIGGER wip_days_on_insert AFTER INSERT ON time_entries
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION wip_days_on_insert();
  CREATE TRIGGER wip_days_on_update AFTER UPDATE ON time_entries
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION wip_days_on_update();
  CREATE TRIGGER wip_days_on_delete AFTER DELETE ON time_entries
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION wip_days_on_delete();

  -- PostgreSQL only: the cutoffs' days read index-only (time_entries_by_workspace_start has no columns to
  -- cover them, so each day cost a heap visit per entry). Partial, so an issue's UPDATE adds nothing to it:
  -- the billed row versions do not match its condition.
  CREATE INDEX time_entries_wip_by_start ON time_entries(workspace_id, start_at) INCLUDE (end_at, client_id, matter_id, currency, hourly_rate_cents)
    WHERE billed_at IS NULL AND deleted_at IS NULL AND billable = 1 AND end_at IS NOT NULL;
  `,
  // 16 (issue #14's bench): see
  // SQLite's migration 16. On PostgreSQL an UPDATE that changes an indexed
  // column is never HOT, so the issue's 10,000-row UPDATE wrote a new entry in
  // each of these indexes per billed entry, with no query reading them.
  `
  DROP INDEX time_entries_by_matter;
  DROP INDEX time_entries_by_invoice;
  `,
  // 17: desktop passkey hand-offs: see SQLite's migration 17.
  `
  CREATE TABLE desktop_handoffs (
    handoff_hash bytea PRIMARY KEY,
    state text NOT NULL,
    app_challenge bytea NOT NULL,
    redirect_uri text NOT NULL,
    device_name text,
    login_challenge_hash bytea,
    code_hash bytea UNIQUE,
    user_id text,
    code_expires_at bigint,
    created_at bigint NOT NULL,
    expires_at bigint NOT NULL
  );
  CREATE INDEX desktop_handoffs_by_expiry ON desktop_handoffs(expires_at);
  `,
  // 18 (the revoke-all bench): migration 4's UPDATE triggers took both
  // transition tables, a copy of every changed row as it was and as it is, to
  // find the owners of both; a workspace's revoke-all (one UPDATE of 100,000
  // sessions) spilled 200,000 row copies (~70 MB) to temporary files to read
  // back 1,000 user ids: the trigger took ~95 ms of the UPDATE, now ~25 ms.
  // The statement triggers now take the new rows only (their owners),
  // and a row trigger moves the old owner's version when the owner column does
  // change — as SQLite's triggers do (its migration 4). It fires only for an
  // UPDATE whose SET names the owner column, which none of TAB's does today, so
  // every UPDATE pays for one transition table instead of two.
  `
  ${[['users', 'id'], ['device_sessions', 'user_id']].map(([table, owner]) => `
  CREATE OR REPLACE FUNCTION account_version_on_${table}_update() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN ${bumpOwnersOf('new_rows', owner!)} RETURN NULL; END $$;
  DROP TRIGGER account_version_on_${table}_update ON ${table};
  CREATE TRIGGER account_version_on_${table}_update AFTER UPDATE ON ${table}
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION account_version_on_${table}_update();
  CREATE FUNCTION account_version_on_${table}_owner_change() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    INSERT INTO account_versions AS v (user_id, version) VALUES (OLD.${owner}, 1)
      ON CONFLICT (user_id) DO UPDATE SET version = v.version + 1;
    RETURN NULL;
  END $$;
  CREATE TRIGGER account_version_on_${table}_owner_change AFTER UPDATE OF ${owner} ON ${table}
    FOR EACH ROW WHEN (OLD.${owner} IS DISTINCT FROM NEW.${owner}) EXECUTE FUNCTION account_version_on_${table}_owner_change();`).join('\n')}
  `,
  // 19 (the revoke-all bench): a revocation (revoked_at, revoked_by,
  // revoke_reason) is a HOT update — the new row version on the same page, no
  // new index entries — when no index mentions those columns, even in its
  // condition, and the page has room. Migration 1's two partial indexes
  // (WHERE revoked_at IS NULL) made every revocation write a new entry in each
  // other index (primary key, cookie_hash, last_seen_by_user): ~15 buffers per
  // row, ~1 s of a workspace's revoke-all of 100,000 sessions. They become
  // indexes on (owner, expires_at): a live session is unexpired, so the live
  // reads (account snapshot, sessions list, the session limit, revoke-all)
  // scan only the sessions still inside their absolute lifetime, revoked ones
  // among them, instead of every unrevoked session ever made (an expired
  // session is never marked, so the old indexes grew without bound).
  // expires_at is set at sign-in and never changed. A fillfactor of 40
  // leaves each page room for a new version of every row it holds, so even a
  // revoke of every row on a page stays HOT: a revocation makes a row ~63
  // bytes longer (revoked_at, revoked_by's id, the reason), and at 50 the last
  // row of a full page did not fit (a row is ~300–600 bytes: 40 leaves room
  // for all down to the smallest). The old versions are pruned from the page
  // on later visits. New pages only: rows already stored keep their packing
  // until the table is rewritten (DEVELOPERS.md, "device_sessions").
  `
  DROP INDEX device_sessions_active_by_user;
  DROP INDEX device_sessions_active_by_workspace;
  CREATE INDEX device_sessions_by_user_expiry ON device_sessions(user_id, expires_at);
  CREATE INDEX device_sessions_by_workspace_expiry ON device_sessions(workspace_id, expires_at);
  ALTER TABLE device_sessions SET (fillfactor = 40);
  `,
];
