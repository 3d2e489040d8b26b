import type { Kysely } from 'kysely';
import type { TabStore } from '../tab-store.js';
import { ApiTokenSql } from './api-tokens.js';
import { AttemptSql } from './attempts.js';
import { AuditSql } from './audit.js';
import { BillingReadSql } from './billing-reads.js';
import { BillingSetupSql } from './billing-setup.js';
import type { SqlContext } from './base.js';
import { ClientSql } from './clients.js';
import { EntrySql } from './entries.js';
import { IdentitySql } from './identity.js';
import { InvoiceSql } from './invoices.js';
import { MemberSql } from './members.js';
import { MfaSql } from './mfa.js';
import { WorkspaceSettingsSql } from './workspace-settings.js';
import type { TabDatabase } from './schema.js';
import { SessionPolicySql } from './session-policy.js';
import { SessionSql } from './sessions.js';
import { SsoSql } from './sso.js';
import { PasskeySql } from './passkeys.js';
import { DesktopHandoffSql } from './desktop-handoffs.js';
import { sumOf } from './sum.js';
import { TimesheetSql } from './timesheets.js';

/** A TabStore as opened, with its query builder for what only tests and benchmarks do (bulk fixtures, raw checks). */
export type OpenedStore = TabStore & {
  readonly kysely: Kysely<TabDatabase>;
  /** PostgreSQL only: a secret every server on the database shares, made on first use (SQLite keeps its key in a file). */
  sharedKey?: (name: string) => Promise<Buffer>;
};

/** The one implementation of every domain, over either dialect's context. */
export function sqlStore(ctx: SqlContext, close: () => Promise<void>): OpenedStore {
  const domains = sumOf(
    new IdentitySql(ctx),
    new MemberSql(ctx),
    new WorkspaceSettingsSql(ctx),
    new SessionSql(ctx),
    new AttemptSql(ctx),
    new ApiTokenSql(ctx),
    new AuditSql(ctx),
    new SessionPolicySql(ctx),
    new ClientSql(ctx),
    new EntrySql(ctx),
    new TimesheetSql(ctx),
    new BillingSetupSql(ctx),
    new InvoiceSql(ctx),
    new BillingReadSql(ctx),
    new MfaSql(ctx),
    new SsoSql(ctx),
    new PasskeySql(ctx),
    new DesktopHandoffSql(ctx),
  );
  let closed: Promise<void> | undefined;
  return Object.assign(domains, {
    kind: ctx.kind,
    kysely: ctx.db,
    close: () => (closed ??= (async () => {
      ctx.snapshots?.clear();
      await close();
    })()),
  });
}
