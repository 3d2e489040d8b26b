/** Migration 3's building blocks: one definition of "counts", of the amount, and of adding and taking out. */
const countsAsUnbilled = (row: string) =>
  `${row}billable = 1 AND ${row}billed_at IS NULL AND ${row}deleted_at IS NULL AND ${row}end_at IS NOT NULL`;
const amountOf = (row: string) => `((${row}end_at - ${row}start_at) * ${row}hourly_rate_cents + 1800000) / 3600000`;
const WATCHED_COLUMNS = 'workspace_id, user_id, start_at, end_at, billable, hourly_rate_cents, currency, billed_at, deleted_at';
const addToTotals = `
    INSERT INTO unbilled_totals (workspace_id, user_id, currency, amount_cents, entries)
      VALUES (NEW.workspace_id, NEW.user_id, NEW.currency, ${amountOf('NEW.')}, 1)
      ON CONFLICT (workspace_id, user_id, currency) DO UPDATE
        SET amount_cents = amount_cents + excluded.amount_cents, entries = entries + 1;
  `;
const subtractFromTotals = `
    UPDATE unbilled_totals
      SET amount_cents = amount_cents - ${amountOf('OLD.')}, entries = entries - 1
      WHERE workspace_id = OLD.workspace_id AND user_id = OLD.user_id AND currency = OLD.currency;
    DELETE FROM unbilled_totals
      WHERE workspace_id = OLD.workspace_id AND user_id = OLD.user_id AND currency = OLD.currency AND entries = 0;
  `;

/**
 * Migration 15's building blocks: the WIP day table (wip_days) keeps, per
 * workspace, client, matter ('' for none), currency and UTC day of the start
 * (start_at / 86400000), the count, duration and amount (rounded per entry) of
 * the entries that count as unbilled (migration 3's rule). Same induction as
 * migration 3: an insert adds the NEW row where it counts, a delete takes the
 * OLD row out where it counted, an update does both; a key at count 0 loses
 * its row.
 */
const WIP_DAY_KEY = (row: string) => `${row}workspace_id, ${row}client_id, COALESCE(${row}matter_id, ''), ${row}currency, ${row}start_at / 86400000`;
const WIP_DAY_WATCHED = 'workspace_id, client_id, matter_id, start_at, end_at, billable, hourly_rate_cents, currency, billed_at, deleted_at';
const addToWipDays = `
    INSERT INTO wip_days (workspace_id, client_id, matter_key, currency, day, entries, duration_ms, amount_cents)
      VALUES (${WIP_DAY_KEY('NEW.')}, 1, NEW.end_at - NEW.start_at, ${amountOf('NEW.')})
      ON CONFLICT (workspace_id, client_id, matter_key, currency, day) DO UPDATE
        SET entries = entries + 1, duration_ms = duration_ms + excluded.duration_ms, amount_cents = amount_cents + excluded.amount_cents;
  `;
const wipDayOfOld = `workspace_id = OLD.workspace_id AND client_id = OLD.client_id AND matter_key = COALESCE(OLD.matter_id, '')
        AND currency = OLD.currency AND day = OLD.start_at / 86400000`;
/** Migration 3's subtractFromTotals without its DELETE: migration 15 drops a totals row at 0 by a trigger on unbilled_totals. */
const subtractFromTotalsOnly = `
    UPDATE unbilled_totals
      SET amount_cents = amount_cents - ${amountOf('OLD.')}, entries = entries - 1
      WHERE workspace_id = OLD.workspace_id AND user_id = OLD.user_id AND currency = OLD.currency;
  `;
// One statement per row taken out (a 10,000-entry issue is 10,000 of them):
// the row that falls to 0 is dropped by wip_days_drop_empty, which fires only then.
const subtractFromWipDays = `
    UPDATE wip_days
      SET entries = entries - 1, duration_ms = duration_ms - (OLD.end_at - OLD.start_at), amount_cents = amount_cents - ${amountOf('OLD.')}
      WHERE ${wipDayOfOld};
  `;

/** Migration 4's building blocks: move one user's account version forward (creating it at 1), ... */
const bumpAccountVersion = (userId: string) => `
    INSERT INTO account_versions (user_id, version) VALUES (${userId}, 1)
      ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
  `;
/** ... whenever a row of `table`, owned by the user in its column `owner`, is written; on an owner change, both users'. */
const accountVersionTriggers = (table: string, owner: string) => `
  CREATE TRIGGER account_version_on_${table}_insert AFTER INSERT ON ${table}
  BEGIN ${bumpAccountVersion(`NEW.${owner}`)} END;
  CREATE TRIGGER account_version_on_${table}_update AFTER UPDATE ON ${table}
  BEGIN ${bumpAccountVersion(`NEW.${owner}`)} END;
  CREATE TRIGGER account_version_on_${table}_owner_change AFTER UPDATE OF ${owner} ON ${table}
  WHEN OLD.${owner} IS NOT NEW.${owner}
  BEGIN ${bumpAccountVersion(`OLD.${owner}`)} END;
  CREATE TRIGGER account_version_on_${table}_delete AFTER DELETE ON ${table}
  BEGIN ${bumpAccountVersion(`OLD.${owner}`)} END;
`;

/**
 * SQLite's versioned schema migrations, applied in order at start inside one
 * transaction each (server/store/sqlite/open.ts); `PRAGMA user_version` records
 * how far a database has come. Append new migrations, never edit a released
 * one. PostgreSQL has the same migrations under the same numbers
 * (server/store/postgres/migrations.ts): a new one is written for both.
 *
 * Instants are stored as integer milliseconds since the epoch (UTC).
 */
export const MIGRATIONS: readonly string[] = [
  // 1: workspaces, users, sessions, API tokens, login throttle, audit log
  `
  CREATE TABLE workspaces (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    inactivity_timeout_minutes INTEGER NOT NULL DEFAULT 10080,
    absolute_timeout_days INTEGER NOT NULL DEFAULT 30,
    max_concurrent_sessions INTEGER
  );

  CREATE TABLE users (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces(id),
    email TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'manager', 'accountant')),
    password_hash TEXT NOT NULL,
    disabled_at INTEGER,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX users_by_workspace ON users(workspace_id);

  CREATE TABLE device_sessions (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    workspace_id TEXT NOT NULL REFERENCES workspaces(id),
    cookie_hash BLOB NOT NULL UNIQUE,
    client_kind TEXT NOT NULL CHECK (client_kind IN ('web', 'desktop')),
    label TEXT NOT NULL,
    browser TEXT,
    os TEXT,
    user_agent TEXT NOT NULL,
    ip TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    idle_timeout_ms INTEGER NOT NULL,
    revoked_at INTEGER,
    revoked_by TEXT,
    revoke_reason TEXT,
    expiry_noticed_at INTEGER
  );
  CREATE INDEX device_sessions_active_by_user ON device_sessions(user_id, created_at) WHERE revoked_at IS NULL;
  CREATE INDEX device_sessions_active_by_workspace ON device_sessions(workspace_id) WHERE revoked_at IS NULL;

  CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    workspace_id TEXT NOT NULL REFERENCES workspaces(id),
    name TEXT NOT NULL,
    token_hash BLOB NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER,
    last_used_at INTEGER,
    revoked_at INTEGER
  );
  CREATE INDEX api_tokens_by_user ON api_tokens(user_id);

  CREATE TABLE login_failures (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL COLLATE NOCASE,
    at INTEGER NOT NULL
  );
  CREATE INDEX login_failures_by_email ON login_failures(email, at);

  CREATE TABLE audit_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id TEXT,
    type TEXT NOT NULL,
    at INTEGER NOT NULL,
    actor_user_id TEXT,
    target_user_id TEXT,
    session_id TEXT,
    ip TEXT,
    detail TEXT NOT NULL DEFAULT '{}'
  );
  CREATE INDEX audit_by_workspace ON audit_events(workspace_id, id);
  CREATE INDEX audit_by_target ON audit_events(workspace_id, target_user_id, id);
  CREATE INDEX audit_by_type ON audit_events(workspace_id, type, id);
  `,
  // 2: time and billing: each user's time zone, clients, time entries (with tombstones)
  `
  ALTER TABLE users ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC';

  CREATE TABLE clients (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces(id),
    name TEXT NOT NULL,
    hourly_rate_cents INTEGER NOT NULL CHECK (hourly_rate_cents >= 0),
    currency TEXT NOT NULL,
    archived_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX clients_by_workspace ON clients(workspace_id);

  -- Ids come from the clients (UUIDs) so that a replayed write is recognised.
  -- A deleted entry keeps its row (deleted_at set): a replay never resurrects it.
  CREATE TABLE time_entries (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    client_id TEXT NOT NULL REFERENCES clients(id),
    description TEXT NOT NULL,
    start_at INTEGER NOT NULL,
    end_at INTEGER,
    billable INTEGER NOT NULL CHECK (billable IN (0, 1)),
    hourly_rate_cents INTEGER NOT NULL CHECK (hourly_rate_cents >= 0),
    currency TEXT NOT NULL,
    billed_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    deleted_at INTEGER,
    version INTEGER NOT NULL DEFAULT 1,
    CHECK (end_at IS NULL OR end_at > start_at)
  );
  -- At most one running entry per user.
  CREATE UNIQUE INDEX time_entries_one_running ON time_entries(user_id) WHERE end_at IS NULL AND deleted_at IS NULL;
  CREATE INDEX time_entries_running_by_workspace ON time_entries(workspace_id) WHERE end_at IS NULL AND deleted_at IS NULL;
  -- A user's entries by start (lists, overlap checks) and by end (the dashboard's "ends after the week began").
  CREATE INDEX time_entries_by_user_start ON time_entries(user_id, start_at, end_at) WHERE deleted_at IS NULL;
  CREATE INDEX time_entries_by_user_end ON time_entries(user_id, end_at, start_at, billable) WHERE deleted_at IS NULL;
  -- The workspace's entries by start, covering what the summary report reads.
  CREATE INDEX time_entries_by_workspace_start ON time_entries(workspace_id, start_at, end_at, user_id, client_id,
    billable, hourly_rate_cents, currency, billed_at) WHERE deleted_at IS NULL;
  -- Finished, billable, unbilled entries: the dashboard's unbilled amounts.
  CREATE INDEX time_entries_unbilled ON time_entries(workspace_id, user_id, currency, start_at, end_at, hourly_rate_cents)
    WHERE billable = 1 AND billed_at IS NULL AND deleted_at IS NULL AND end_at IS NOT NULL;
  CREATE INDEX time_entries_by_client ON time_entries(client_id);
  `,
  // 3: time and billing: unbilled totals per (workspace, user, currency), kept by triggers
  //
  // The dashboard's unbilled amount summed every finished, billable, unbilled,
  // live entry (a scan of the whole firm's history when nothing is billed).
  // unbilled_totals holds that sum and its entry count per (workspace, user,
  // currency), so the dashboard reads at most users × currencies small rows.
  //
  // Why it is never wrong: the triggers below fire on every INSERT, UPDATE and
  // DELETE of a time_entries row, whatever statement or code path runs it (the
  // API, the admin CLI, a bulk load), inside that statement and so inside its
  // transaction: a rolled-back write rolls its totals back too. A row "counts"
  // when billable = 1 AND billed_at IS NULL AND deleted_at IS NULL AND end_at IS
  // NOT NULL; an insert of a counting row adds its amount, a delete of one
  // subtracts it, an update subtracts the OLD row (if it counted) and adds the
  // NEW one (if it counts). The amount is a pure function of the row,
  // ((end_at - start_at) × hourly_rate_cents + 1800000) / 3600000 in integers
  // (half up to the cent, as amountCents() in shared/api/time.ts; durations and
  // rates are never negative, and the API keeps the product far below 2^63), so
  // what an update or delete subtracts is exactly what was added for that row
  // state. By induction each totals row equals SUM/COUNT over the counting
  // entries of its key. Timer stop (end_at set), edits (span, rate, billable,
  // user, currency), tombstones (deleted_at), mark-billed (billed_at) are all
  // UPDATEs of those columns. A client's rate change does not touch its
  // entries (each entry keeps a snapshot of the rate), so it needs nothing.
  // Running entries (end_at IS NULL) never count here: the dashboard adds them
  // up to "now" at read time. A key whose count falls to 0 loses its row.
  `
  CREATE TABLE unbilled_totals (
    workspace_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    currency TEXT NOT NULL,
    amount_cents INTEGER NOT NULL,
    entries INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, user_id, currency)
  ) WITHOUT ROWID;

  INSERT INTO unbilled_totals (workspace_id, user_id, currency, amount_cents, entries)
    SELECT workspace_id, user_id, currency, SUM(${amountOf('')}), COUNT(*)
    FROM time_entries
    WHERE ${countsAsUnbilled('')}
    GROUP BY workspace_id, user_id, currency;

  CREATE TRIGGER unbilled_totals_on_insert AFTER INSERT ON time_entries
  WHEN ${countsAsUnbilled('NEW.')}
  BEGIN ${addToTotals} END;

  CREATE TRIGGER unbilled_totals_on_delete AFTER DELETE ON time_entries
  WHEN ${countsAsUnbilled('OLD.')}
  BEGIN ${subtractFromTotals} END;

  -- An update takes the OLD row out and puts the NEW one in. The two triggers
  -- may run in either order: sums and counts only add and subtract, and a row
  -- dropped at count 0 is recreated by the upsert.
  CREATE TRIGGER unbilled_totals_on_update_add AFTER UPDATE OF ${WATCHED_COLUMNS} ON time_entries
  WHEN ${countsAsUnbilled('NEW.')}
  BEGIN ${addToTotals} END;

  CREATE TRIGGER unbilled_totals_on_update_subtract AFTER UPDATE OF ${WATCHED_COLUMNS} ON time_entries
  WHEN ${countsAsUnbilled('OLD.')}
  BEGIN ${subtractFromTotals} END;

  -- The dashboard no longer scans unbilled entries.
  DROP INDEX time_entries_unbilled;
  `,
  // 4: a version per user that moves with every committed change to the
  // user's row or to any of their sessions, whoever writes it (this server,
  // the admin CLI, a script on the same file): triggers see every write. The
  // server reads it on each authenticated request and reuses what it read
  // about the account only while it is unchanged (server/store/account-snapshots.ts).
  // Triggers fire on any UPDATE, whatever the columns, so a column added later
  // is covered too. A user's id and a session's user never change; the update
  // triggers also move OLD's when it differs, so that even such a write is seen.
  `
  CREATE TABLE account_versions (
    user_id TEXT PRIMARY KEY,
    version INTEGER NOT NULL
  ) WITHOUT ROWID;

  INSERT INTO account_versions (user_id, version) SELECT id, 1 FROM users;

  ${accountVersionTriggers('users', 'id')}
  ${accountVersionTriggers('device_sessions', 'user_id')}
  `,
  // 5: where a session is (issue #16). The address it was last seen from
  // (written with last_seen_at, at most once a minute) and that address's
  // location from the offline geo-IP database; what unusual changes are
  // measured against: the baseline country (the sign-in location's, or the
  // first known one) and the browser family and OS it signed in with; and the
  // workspace's policies for such changes. Migration 4's triggers fire on any
  // UPDATE of device_sessions, so writes of these columns move the account
  // version like every other. Existing sessions were last seen from their
  // sign-in address; their location and baselines stay unknown (null), so
  // they adopt the first known country and never compare browsers.
  `
  ALTER TABLE device_sessions ADD COLUMN last_ip TEXT;
  ALTER TABLE device_sessions ADD COLUMN location_city TEXT;
  ALTER TABLE device_sessions ADD COLUMN location_region TEXT;
  ALTER TABLE device_sessions ADD COLUMN location_country TEXT;
  ALTER TABLE device_sessions ADD COLUMN location_country_code TEXT;
  ALTER TABLE device_sessions ADD COLUMN baseline_country_code TEXT;
  ALTER TABLE device_sessions ADD COLUMN browser_family TEXT;
  ALTER TABLE device_sessions ADD COLUMN os_family TEXT;
  UPDATE device_sessions SET last_ip = ip;

  ALTER TABLE workspaces ADD COLUMN ip_change_policy TEXT NOT NULL DEFAULT 'notify'
    CHECK (ip_change_policy IN ('off', 'notify', 'reauth'));
  ALTER TABLE workspaces ADD COLUMN ua_change_policy TEXT NOT NULL DEFAULT 'notify'
    CHECK (ua_change_policy IN ('off', 'notify', 'reauth'));
  `,
  // 6: the firm in the app (issue #13): invitations and password-reset links,
  // each person's name-independent display preferences, the firm's settings,
  // and audit indexes for the log's filters (newest first by time, by person
  // as actor or target, by type).
  //
  // An invited member is a users row with invited_at set (and a password
  // nobody knows) until the invitation is used. A link is kept only as the
  // SHA-256 of its 256-bit secret; it is used once (used_at) or set aside
  // (revoked_at: re-issued, cancelled, or the member deleted as an unused
  // invitation). None of these tables is read by authentication: a link
  // completes through its own endpoint, which then starts a session.
  `
  ALTER TABLE users ADD COLUMN invited_at INTEGER;
  ALTER TABLE users ADD COLUMN clock TEXT NOT NULL DEFAULT 'auto' CHECK (clock IN ('auto', '12h', '24h'));
  ALTER TABLE users ADD COLUMN date_format TEXT NOT NULL DEFAULT 'auto' CHECK (date_format IN ('auto', 'dmy', 'mdy', 'ymd'));

  ALTER TABLE workspaces ADD COLUMN address TEXT NOT NULL DEFAULT '';
  ALTER TABLE workspaces ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC';
  ALTER TABLE workspaces ADD COLUMN require_approved_weeks INTEGER NOT NULL DEFAULT 0 CHECK (require_approved_weeks IN (0, 1));
  ALTER TABLE workspaces ADD COLUMN description_required INTEGER NOT NULL DEFAULT 0 CHECK (description_required IN (0, 1));

  CREATE TABLE member_links (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    kind TEXT NOT NULL CHECK (kind IN ('invitation', 'password_reset')),
    token_hash BLOB NOT NULL UNIQUE,
    created_by TEXT,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER,
    revoked_at INTEGER
  );
  CREATE INDEX member_links_open_by_user ON member_links(user_id, kind, expires_at) WHERE used_at IS NULL AND revoked_at IS NULL;

  -- The members list's "last seen" is each member's newest session, revoked ones included:
  -- one index probe per member instead of a scan of every session.
  CREATE INDEX device_sessions_last_seen_by_user ON device_sessions(user_id, last_seen_at);

  DROP INDEX audit_by_workspace;
  DROP INDEX audit_by_target;
  DROP INDEX audit_by_type;
  CREATE INDEX audit_by_workspace_at ON audit_events(workspace_id, at, id);
  CREATE INDEX audit_by_target_at ON audit_events(workspace_id, target_user_id, at, id);
  CREATE INDEX audit_by_actor_at ON audit_events(workspace_id, actor_user_id, at, id);
  CREATE INDEX audit_by_type_at ON audit_events(workspace_id, type, at, id);
  `,
  // 7: credentials you can trust (issue #10 phase 2)
  //
  // Rotating session cookies: the current cookie's hash stays in cookie_hash;
  // the one it replaced in previous_cookie_hash (exactly one is remembered);
  // cookie_issued_at is when the current one was issued; cookie_used_at is
  // NULL from a rotation until the new cookie is first presented (before that,
  // the previous cookie answers with the current pair again; 60 s after it,
  // presenting the previous cookie revokes the session: token_reuse).
  // Existing sessions: their cookie was issued at sign-in and is in use.
  //
  // label_source says where a session's label came from: the desktop's own
  // device name ('device'), the User-Agent ('user-agent'), or neither ('kind').
  //
  // API tokens get scopes (space-separated; tokens that exist keep all four,
  // which is what they could already do) and the reason they were revoked.
  //
  // auth_attempts replaces login_failures: one row per attempt under a key
  // (a sign-in's email, its client address, a user's password re-check),
  // reserved before the password is checked so that concurrent attempts all
  // count; a successful attempt's rows are deleted.
  `
  ALTER TABLE device_sessions ADD COLUMN previous_cookie_hash BLOB;
  ALTER TABLE device_sessions ADD COLUMN cookie_issued_at INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE device_sessions ADD COLUMN cookie_used_at INTEGER;
  ALTER TABLE device_sessions ADD COLUMN label_source TEXT NOT NULL DEFAULT 'user-agent'
    CHECK (label_source IN ('device', 'user-agent', 'kind'));
  UPDATE device_sessions SET
    cookie_issued_at = created_at,
    cookie_used_at = created_at,
    label_source = CASE
      WHEN label = client_kind THEN 'kind'
      WHEN client_kind = 'desktop' AND label IS NOT COALESCE(browser || ', ' || os, browser, os) THEN 'device'
      ELSE 'user-agent'
    END;
  CREATE UNIQUE INDEX device_sessions_by_previous_cookie ON device_sessions(previous_cookie_hash) WHERE previous_cookie_hash IS NOT NULL;

  ALTER TABLE api_tokens ADD COLUMN scopes TEXT NOT NULL DEFAULT 'time:read time:write reports:read billing:write';
  ALTER TABLE api_tokens ADD COLUMN revoke_reason TEXT;
  CREATE INDEX api_tokens_live_by_workspace ON api_tokens(workspace_id) WHERE revoked_at IS NULL;

  CREATE TABLE auth_attempts (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL,
    at INTEGER NOT NULL
  );
  CREATE INDEX auth_attempts_by_key ON auth_attempts(key, at);
  CREATE INDEX auth_attempts_by_at ON auth_attempts(at);
  INSERT INTO auth_attempts (key, at) SELECT 'sign-in:' || lower(email), at FROM login_failures;
  DROP TABLE login_failures;
  `,
  // 8: team timesheets (issue #13 item 4). A member's week is submitted and
  // approved as one row, keyed by the member and the week's Monday in the
  // member's zone when it was submitted, with the week's [from_at, to_at) so
  // that the lock never depends on a zone again. No row: the week is open
  // (reopening deletes it, audited). changed_after_approval_at: a desktop's
  // queued write landed in the approved week; the week went back to
  // 'submitted' (the manager's queue) with this flag until approved again.
  // time_entries.changed_by: who last changed an entry when it was not its
  // owner (a manager's or admin's correction), cleared when the owner edits
  // it; what "changed by <name>" shows the member.
  `
  CREATE TABLE timesheet_weeks (
    workspace_id TEXT NOT NULL REFERENCES workspaces(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    monday TEXT NOT NULL,
    from_at INTEGER NOT NULL,
    to_at INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('submitted', 'approved')),
    submitted_at INTEGER NOT NULL,
    approved_at INTEGER,
    approved_by TEXT,
    changed_after_approval_at INTEGER,
    PRIMARY KEY (user_id, monday)
  );
  CREATE INDEX timesheet_weeks_queue ON timesheet_weeks(workspace_id, status, from_at);
  CREATE INDEX timesheet_weeks_by_user_span ON timesheet_weeks(user_id, from_at, to_at);

  ALTER TABLE time_entries ADD COLUMN changed_by TEXT;
  `,
  // 9: billing the way accounting firms bill (issue #14 items 1-3).
  //
  // matters: engagements under a client, with a code unique per client (case
  // ignored), hourly or fixed fee (fixed_fee_cents), an optional budget in
  // minutes or in cents (not both), and closed_at (NULL = open). A matter may
  // override its client's rounding (all three rounding columns set, or none).
  //
  // activities: a workspace's activity codes ("Bookkeeping"), archived, never
  // deleted (entries keep pointing at them).
  //
  // rates: the levels of the rate hierarchy that are not the client's own
  // rate (clients.hourly_rate_cents, where 0 means "no client rate"): a
  // member on a matter (user + matter), a matter (matter), a member for a
  // client (user + client), a member's default (user only). One row per
  // level and target; a change updates it in place, and entries keep the rate
  // snapshotted when they were made. Rates are in the client's currency.
  //
  // clients get their rounding rule (increment 1/6/10/15/30 minutes; up,
  // nearest or down; per entry or per day per matter); the default (1 minute,
  // nearest, per entry) is "to the nearest minute". Raw times stay stored.
  //
  // time_entries gain matter_id and activity_id (both optional).
  `
  CREATE TABLE matters (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces(id),
    client_id TEXT NOT NULL REFERENCES clients(id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    billing_type TEXT NOT NULL DEFAULT 'hourly' CHECK (billing_type IN ('hourly', 'fixed')),
    fixed_fee_cents INTEGER CHECK (fixed_fee_cents IS NULL OR fixed_fee_cents >= 0),
    budget_minutes INTEGER CHECK (budget_minutes IS NULL OR budget_minutes > 0),
    budget_cents INTEGER CHECK (budget_cents IS NULL OR budget_cents > 0),
    rounding_increment INTEGER CHECK (rounding_increment IS NULL OR rounding_increment IN (1, 6, 10, 15, 30)),
    rounding_mode TEXT CHECK (rounding_mode IS NULL OR rounding_mode IN ('up', 'nearest', 'down')),
    rounding_scope TEXT CHECK (rounding_scope IS NULL OR rounding_scope IN ('entry', 'day-per-matter')),
    closed_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    CHECK (budget_minutes IS NULL OR budget_cents IS NULL),
    CHECK ((rounding_increment IS NULL) = (rounding_mode IS NULL) AND (rounding_mode IS NULL) = (rounding_scope IS NULL))
  );
  CREATE UNIQUE INDEX matters_code_per_client ON matters(client_id, lower(code));
  CREATE INDEX matters_by_workspace ON matters(workspace_id, client_id);

  CREATE TABLE activities (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces(id),
    name TEXT NOT NULL,
    archived_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE UNIQUE INDEX activities_name_per_workspace ON activities(workspace_id, lower(name));

  CREATE TABLE rates (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces(id),
    user_id TEXT REFERENCES users(id),
    client_id TEXT REFERENCES clients(id),
    matter_id TEXT REFERENCES matters(id),
    hourly_rate_cents INTEGER NOT NULL CHECK (hourly_rate_cents >= 0),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    updated_by TEXT,
    -- member on matter, matter (both with the matter's client), member for client, member default
    CHECK (
      (matter_id IS NOT NULL AND client_id IS NOT NULL)
      OR (matter_id IS NULL AND client_id IS NOT NULL AND user_id IS NOT NULL)
      OR (matter_id IS NULL AND client_id IS NULL AND user_id IS NOT NULL)
    )
  );
  CREATE UNIQUE INDEX rates_one_per_target ON rates(workspace_id, COALESCE(user_id, ''), COALESCE(client_id, ''), COALESCE(matter_id, ''));
  CREATE INDEX rates_by_client ON rates(client_id) WHERE client_id IS NOT NULL;

  ALTER TABLE clients ADD COLUMN rounding_increment INTEGER NOT NULL DEFAULT 1 CHECK (rounding_increment IN (1, 6, 10, 15, 30));
  ALTER TABLE clients ADD COLUMN rounding_mode TEXT NOT NULL DEFAULT 'nearest' CHECK (rounding_mode IN ('up', 'nearest', 'down'));
  ALTER TABLE clients ADD COLUMN rounding_scope TEXT NOT NULL DEFAULT 'entry' CHECK (rounding_scope IN ('entry', 'day-per-matter'));

  ALTER TABLE time_entries ADD COLUMN matter_id TEXT REFERENCES matters(id);
  ALTER TABLE time_entries ADD COLUMN activity_id TEXT REFERENCES activities(id);
  CREATE INDEX time_entries_by_matter ON time_entries(matter_id, start_at) WHERE matter_id IS NOT NULL AND deleted_at IS NULL;
  `,
  // 10: invoices (issue #14 item 4, 5). An invoice is a draft until issued;
  // issuing takes the next number of invoice_counters (one row per workspace
  // and year of the workspace's zone, bumped in the issuing transaction, so the
  // numbers stay gapless: a rolled-back issue rolls its number back too).
  // invoice_lines keep each line's figures as issued; invoice_entries keep
  // which entries (and at which version) a line bills, also after a void, as
  // history. time_entries.invoice_id: the issued invoice that billed the entry
  // (null again after a void); billed_reference: Mark billed's free text.
  // clients.tax_rate_bp / tax_label: the client's tax (VAT) in basis points.
  `
  ALTER TABLE clients ADD COLUMN tax_rate_bp INTEGER NOT NULL DEFAULT 0 CHECK (tax_rate_bp BETWEEN 0 AND 10000);
  ALTER TABLE clients ADD COLUMN tax_label TEXT NOT NULL DEFAULT 'Tax';
  ALTER TABLE time_entries ADD COLUMN invoice_id TEXT;
  ALTER TABLE time_entries ADD COLUMN billed_reference TEXT;
  CREATE INDEX time_entries_by_invoice ON time_entries(invoice_id) WHERE invoice_id IS NOT NULL;
  CREATE INDEX time_entries_wip ON time_entries(workspace_id, client_id, start_at, end_at, hourly_rate_cents, currency)
    WHERE billed_at IS NULL AND deleted_at IS NULL AND billable = 1 AND end_at IS NOT NULL;

  CREATE TABLE invoice_counters (
    workspace_id TEXT NOT NULL REFERENCES workspaces(id),
    year INTEGER NOT NULL,
    last_number INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, year)
  );

  CREATE TABLE invoices (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces(id),
    client_id TEXT NOT NULL REFERENCES clients(id),
    status TEXT NOT NULL CHECK (status IN ('draft', 'issued', 'void')),
    number TEXT,
    year INTEGER,
    sequence INTEGER,
    currency TEXT NOT NULL,
    period_from INTEGER NOT NULL,
    period_to INTEGER NOT NULL,
    first_day TEXT NOT NULL,
    last_day TEXT NOT NULL,
    matter_ids TEXT NOT NULL DEFAULT '',
    standard_cents INTEGER NOT NULL,
    rounding_cents INTEGER NOT NULL,
    lines_cents INTEGER NOT NULL,
    adjustment_kind TEXT CHECK (adjustment_kind IN ('amount', 'percent')),
    adjustment_value INTEGER,
    adjustment_reason TEXT,
    adjustment_cents INTEGER NOT NULL DEFAULT 0,
    subtotal_cents INTEGER NOT NULL,
    tax_label TEXT NOT NULL,
    tax_rate_bp INTEGER NOT NULL,
    tax_cents INTEGER NOT NULL,
    total_cents INTEGER NOT NULL,
    notes TEXT NOT NULL DEFAULT '',
    issue_date TEXT,
    due_date TEXT,
    issued_at INTEGER,
    issued_by TEXT,
    paid_on TEXT,
    paid_at INTEGER,
    voided_at INTEGER,
    voided_by TEXT,
    void_reason TEXT,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (workspace_id, number)
  );
  CREATE INDEX invoices_by_workspace ON invoices(workspace_id, created_at);

  CREATE TABLE invoice_lines (
    invoice_id TEXT NOT NULL REFERENCES invoices(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    matter_id TEXT,
    activity_id TEXT,
    description TEXT NOT NULL,
    rate_cents INTEGER NOT NULL,
    entries INTEGER NOT NULL,
    duration_ms INTEGER NOT NULL,
    billable_minutes INTEGER NOT NULL,
    standard_cents INTEGER NOT NULL,
    amount_cents INTEGER NOT NULL,
    adjustment_kind TEXT CHECK (adjustment_kind IN ('amount', 'percent')),
    adjustment_value INTEGER,
    adjustment_reason TEXT,
    adjustment_cents INTEGER NOT NULL DEFAULT 0,
    total_cents INTEGER NOT NULL,
    PRIMARY KEY (invoice_id, position)
  );

  CREATE TABLE invoice_entries (
    invoice_id TEXT NOT NULL REFERENCES invoices(id) ON DELETE CASCADE,
    entry_id TEXT NOT NULL REFERENCES time_entries(id),
    position INTEGER NOT NULL,
    entry_version INTEGER NOT NULL,
    standard_cents INTEGER NOT NULL,
    amount_cents INTEGER NOT NULL,
    PRIMARY KEY (invoice_id, entry_id)
  );
  CREATE INDEX invoice_entries_by_entry ON invoice_entries(entry_id);
  `,
  // 11: two-factor with authenticator apps (issue #15 items 1, 4, 5).
  //
  // totp_factors: one per user. The shared secret is encrypted at rest
  // (AES-256-GCM under the server's two-factor key: iv | tag | ciphertext);
  // confirmed_at is NULL while an enrolment waits for its first code.
  // last_used_step is the newest 30-second step a code was accepted for: a
  // code is accepted only for a LATER step (RFC 6238 §5.2), in one UPDATE, so
  // a code is single use across every server on the store.
  //
  // mfa_recovery_codes: ten per enrolment, stored as SHA-256 of the user and
  // the code; used_at marks the one-time use.
  //
  // login_challenges: the second step of a sign-in (or the enrolment a
  // workspace policy requires first): stored by the hash of its secret,
  // single use (used_at), five minutes (expires_at). It keeps what the first
  // step was told (client, device name, how: password or a member link).
  //
  // reauth_grants: a re-check passed in this session, good for five minutes,
  // stored by its secret's hash.
  //
  // workspaces.require_two_factor: off | everyone | admins_managers.
  // The sign-in audit row's method (password, password+totp) is in its detail.
  `
  ALTER TABLE workspaces ADD COLUMN require_two_factor TEXT NOT NULL DEFAULT 'off'
    CHECK (require_two_factor IN ('off', 'everyone', 'admins_managers'));

  CREATE TABLE totp_factors (
    user_id TEXT PRIMARY KEY REFERENCES users(id),
    secret_sealed BLOB NOT NULL,
    created_at INTEGER NOT NULL,
    confirmed_at INTEGER,
    last_used_step INTEGER
  );

  CREATE TABLE mfa_recovery_codes (
    code_hash BLOB PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL,
    used_at INTEGER
  );
  CREATE INDEX mfa_recovery_codes_by_user ON mfa_recovery_codes(user_id);

  CREATE TABLE login_challenges (
    secret_hash BLOB PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    purpose TEXT NOT NULL CHECK (purpose IN ('verify', 'enrol')),
    via TEXT CHECK (via IN ('invitation', 'password_reset')),
    client_kind TEXT NOT NULL,
    device_name TEXT,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER
  );
  CREATE INDEX login_challenges_by_expiry ON login_challenges(expires_at);

  CREATE TABLE reauth_grants (
    secret_hash BLOB PRIMARY KEY,
    session_id TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id),
    method TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  );
  CREATE INDEX reauth_grants_by_expiry ON reauth_grants(expires_at);
  `,
  // 12: single sign-on with OpenID Connect (issue #15 items 3 and 4; numbered
  // 12 in the session plan: 9-11 are other branches'). One provider per
  // workspace; its client secret sealed with the two-factor key (AES-256-GCM,
  // server/security/sealed-secret.ts), never in clear. Each allowed e-mail domain
  // belongs to one workspace (the e-mail-first sign-in finds it). External
  // identities are keyed by issuer + subject (Entra: tenant id + object id),
  // never by e-mail. A login state lives 10 minutes and is taken once; it
  // keeps the hash of the state and of the browser's or desktop's binding,
  // and the PKCE verifier and nonce sealed.
  `
  CREATE TABLE sso_configs (
    workspace_id TEXT PRIMARY KEY REFERENCES workspaces(id),
    flavor TEXT NOT NULL CHECK (flavor IN ('generic', 'google', 'entra')),
    issuer TEXT NOT NULL,
    client_id TEXT NOT NULL,
    client_secret_sealed BLOB NOT NULL,
    tenant_id TEXT,
    jit_allowed INTEGER NOT NULL DEFAULT 0,
    require_sso INTEGER NOT NULL DEFAULT 0,
    break_glass_user_id TEXT REFERENCES users(id),
    updated_at INTEGER NOT NULL
  );
  CREATE TABLE sso_domains (
    domain TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces(id)
  );
  CREATE INDEX sso_domains_by_workspace ON sso_domains(workspace_id);
  CREATE TABLE external_identities (
    issuer TEXT NOT NULL,
    subject TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id),
    workspace_id TEXT NOT NULL REFERENCES workspaces(id),
    email TEXT NOT NULL,
    linked_at INTEGER NOT NULL,
    PRIMARY KEY (issuer, subject)
  );
  CREATE INDEX external_identities_by_user ON external_identities(user_id);
  CREATE TABLE oidc_login_states (
    state_hash BLOB PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces(id),
    binding_hash BLOB NOT NULL,
    sealed BLOB NOT NULL,
    redirect_uri TEXT NOT NULL,
    client_kind TEXT NOT NULL,
    device_name TEXT,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  );
  CREATE INDEX oidc_login_states_by_expiry ON oidc_login_states(expires_at);
  `,
  // 13: passkeys (WebAuthn; issue #15 item 2). A credential's public key
  // (COSE), signature counter and transports; never a private key. WebAuthn
  // challenges are kept here by hash, used once (DELETE … RETURNING) and live
  // 5 minutes, so that the options from one server verify on another.
  `
  CREATE TABLE passkeys (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    credential_id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    public_key BLOB NOT NULL,
    counter INTEGER NOT NULL,
    transports TEXT NOT NULL,
    backed_up INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    last_used_at INTEGER
  );
  CREATE INDEX passkeys_by_user ON passkeys(user_id);
  CREATE TABLE webauthn_challenges (
    challenge_hash BLOB PRIMARY KEY,
    purpose TEXT NOT NULL CHECK (purpose IN ('register', 'second_factor', 'passwordless', 'reauth')),
    user_id TEXT REFERENCES users(id),
    session_id TEXT,
    login_challenge_hash BLOB,
    client_kind TEXT,
    device_name TEXT,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  );
  CREATE INDEX webauthn_challenges_by_expiry ON webauthn_challenges(expires_at);
  `,
  // 14 (issue #14's bench). PostgreSQL moves the unbilled totals to
  // per-statement triggers over transition tables (its per-row trigger made
  // issuing 10,000 entries take 3.4-8.6 s). SQLite keeps migration 3's per-row
  // triggers: they run in-process, and the same issue takes ~230 ms here.
  //
  // Both: the partial WIP index becomes covering and in the report's GROUP BY
  // order (workspace, client, matter, currency, then start), so the WIP report
  // reads the unbilled entries from the index alone, already grouped, instead
  // of one table row per unbilled entry plus a sort. The flags of the index's
  // condition are columns too: SQLite counts an index as covering only when
  // every column the query names is in it. A draft still reads a client's
  // unbilled entries through it (start is filtered within the client).
  `
  DROP INDEX time_entries_wip;
  CREATE INDEX time_entries_wip ON time_entries(workspace_id, client_id, matter_id, currency, start_at, end_at, hourly_rate_cents, billable, billed_at, deleted_at)
    WHERE billed_at IS NULL AND deleted_at IS NULL AND billable = 1 AND end_at IS NOT NULL;
  `,
  // 15 (issue #14's bench: the WIP report and the dashboard's "WIP over 60
  // days" grouped every unbilled entry at each request). wip_days holds the
  // unbilled work per (workspace, client, matter, currency, UTC day), kept by
  // per-row triggers like migration 3's (see the building blocks above), so
  // the reports read whole days from it and only the one UTC day around each
  // aging cutoff (a local midnight of the workspace's zone) from the entries,
  // through time_entries_by_workspace_start (migration 2: a one-day range of a
  // workspace's entries; no new index, so writes pay only the triggers).
  // DEVELOPERS.md, "Invoices, WIP and realization".
  `
  CREATE TABLE wip_days (
    workspace_id TEXT NOT NULL,
    client_id TEXT NOT NULL,
    matter_key TEXT NOT NULL,
    currency TEXT NOT NULL,
    day INTEGER NOT NULL,
    entries INTEGER NOT NULL,
    duration_ms INTEGER NOT NULL,
    amount_cents INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, client_id, matter_key, currency, day)
  ) WITHOUT ROWID;
  -- No second index: every reader takes a workspace's rows by the key's prefix, and an index holding the
  -- amount would be rewritten by every trigger update (a 10,000-entry issue: 10,000 of them).

  INSERT INTO wip_days (workspace_id, client_id, matter_key, currency, day, entries, duration_ms, amount_cents)
    SELECT ${WIP_DAY_KEY('')}, COUNT(*), SUM(end_at - start_at), SUM(${amountOf('')})
    FROM time_entries
    WHERE ${countsAsUnbilled('')}
    GROUP BY ${WIP_DAY_KEY('')};

  CREATE TRIGGER wip_days_on_insert AFTER INSERT ON time_entries
  WHEN ${countsAsUnbilled('NEW.')}
  BEGIN ${addToWipDays} END;

  CREATE TRIGGER wip_days_on_delete AFTER DELETE ON time_entries
  WHEN ${countsAsUnbilled('OLD.')}
  BEGIN ${subtractFromWipDays} END;

  CREATE TRIGGER wip_days_on_update_add AFTER UPDATE OF ${WIP_DAY_WATCHED} ON time_entries
  WHEN ${countsAsUnbilled('NEW.')}
  BEGIN ${addToWipDays} END;

  CREATE TRIGGER wip_days_on_update_subtract AFTER UPDATE OF ${WIP_DAY_WATCHED} ON time_entries
  WHEN ${countsAsUnbilled('OLD.')}
  BEGIN ${subtractFromWipDays} END;

  -- Migration 3's unbilled totals the same way: their subtract was an UPDATE and a DELETE per row; now one UPDATE,
  -- and the totals row that falls to 0 is dropped by its own trigger. Same totals; a 10,000-entry issue runs as
  -- many trigger statements as before this migration, though it now keeps the day table too.
  DROP TRIGGER unbilled_totals_on_delete;
  DROP TRIGGER unbilled_totals_on_update_subtract;
  CREATE TRIGGER unbilled_totals_on_delete AFTER DELETE ON time_entries
  WHEN ${countsAsUnbilled('OLD.')}
  BEGIN ${subtractFromTotalsOnly} END;
  CREATE TRIGGER unbilled_totals_on_update_subtract AFTER UPDATE OF ${WATCHED_COLUMNS} ON time_entries
  WHEN ${countsAsUnbilled('OLD.')}
  BEGIN ${subtractFromTotalsOnly} END;
  CREATE TRIGGER unbilled_totals_drop_empty AFTER UPDATE OF entries ON unbilled_totals
  WHEN NEW.entries = 0
  BEGIN
    DELETE FROM unbilled_totals WHERE workspace_id = NEW.workspace_id AND user_id = NEW.user_id AND currency = NEW.currency;
  END;

  CREATE TRIGGER wip_days_drop_empty AFTER UPDATE OF entries ON wip_days
  WHEN NEW.entries = 0
  BEGIN
    DELETE FROM wip_days WHERE workspace_id = NEW.workspace_id AND client_id = NEW.client_id AND matter_key = NEW.matter_key
      AND currency = NEW.currency AND day = NEW.day;
  END;
  `,
  // 16 (issue #14's bench). Two
  // indexes of time_entries that no query needs, which every write of an entry
  // kept up, and which issuing an invoice updated once per entry (the issue's
  // UPDATE changes billed_at and invoice_id, so each billed row is a new entry
  // in every index whose condition it meets):
  // - time_entries_by_matter: no query looks entries up by matter; the WIP
  //   report and a draft's "some matters" read the WIP index, which has the
  //   matter in its key. Matters are closed, never deleted, so no foreign-key
  //   check needs it either.
  // - time_entries_by_invoice: "the entries of an invoice" is invoice_entries'
  //   primary key (invoice_id, entry_id), and each of those rows leads to its
  //   entry by the entry's primary key; void and the owners' read go that way
  //   (server/store/sql/invoices.ts), keeping time_entries.invoice_id as a check.
  // The other indexes each serve a read no other index serves well (DEVELOPERS.md,
  // "Invoices, WIP and realization": the table of reads and indexes).
  `
  DROP INDEX time_entries_by_matter;
  DROP INDEX time_entries_by_invoice;
  `,
  // 17: desktop passkey sign-in through the system browser (issue #15
  // item 3, RFC 8252). A hand-off from the browser's passkey ceremony to the
  // app's main process: the app's S256 challenge and loopback redirect, and
  // (second step) the hash of the password step's login challenge; once the
  // browser's passkey verifies, the hash of a one-time code and whose passkey
  // it was. Every secret by SHA-256 only; the code is taken (DELETE …
  // RETURNING) by the one exchange that presents it with the app's verifier.
  // Rows live 5 minutes (a code 1 minute) and go as new ones come.
  `
  CREATE TABLE desktop_handoffs (
    handoff_hash BLOB PRIMARY KEY,
    state TEXT NOT NULL,
    app_challenge BLOB NOT NULL,
    redirect_uri TEXT NOT NULL,
    device_name TEXT,
    login_challenge_hash BLOB,
    code_hash BLOB UNIQUE,
    user_id TEXT,
    code_expires_at INTEGER,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  );
  CREATE INDEX desktop_handoffs_by_expiry ON desktop_handoffs(expires_at);
  `,
  // 18: PostgreSQL's account-version UPDATE triggers take the new rows only,
  // with a row trigger for an owner change (its migration 18). SQLite's
  // migration 4 triggers were written that way already: nothing to do here,
  // and the number stays the same in both dialects.
  `
  SELECT 1;
  `,
  // 19: PostgreSQL's device_sessions indexes and fillfactor, so that a
  // revocation is a HOT update there (its migration 19). SQLite has no row
  // versions to place: a revocation rewrites the row in place and touches
  // only the partial indexes it leaves, so its indexes stay as they are.
  `
  SELECT 1;
  `,
];
