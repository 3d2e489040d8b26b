import type { ApiTokenStore } from './api-tokens.js';
import type { AttemptStore } from './attempts.js';
import type { AuditStore } from './audit.js';
import type { BillingReadStore } from './billing-reads.js';
import type { BillingSetupStore } from './billing-setup.js';
import type { ClientStore } from './clients.js';
import type { EntryStore } from './entries.js';
import type { IdentityStore } from './identity.js';
import type { InvoiceStore } from './invoices.js';
import type { MemberStore } from './members.js';
import type { MfaStore } from './mfa.js';
import type { PasskeyStore } from './passkeys.js';
import type { DesktopHandoffStore } from './desktop-handoffs.js';
import type { SessionPolicyStore } from './session-policy.js';
import type { SessionStore } from './sessions.js';
import type { SsoStore } from './sso.js';
import type { TimesheetStore } from './timesheets.js';
import type { WorkspaceSettingsStore } from './workspace-settings.js';

export type StoreKind = 'sqlite' | 'postgres';

/**
 * Everything the server keeps: the sum of the domain stores, so that routes
 * and services keep one `store` while the domains stay apart. Each method is
 * one atomic step: a change and its audit row commit together or not at all.
 * One implementation (server/store/sql/) serves SQLite and PostgreSQL; open it
 * with openStore() (server/store/open-store.ts).
 */
export interface TabStore
  extends IdentityStore,
    MemberStore,
    WorkspaceSettingsStore,
    SessionStore,
    AttemptStore,
    ApiTokenStore,
    AuditStore,
    SessionPolicyStore,
    ClientStore,
    EntryStore,
    TimesheetStore,
    InvoiceStore,
    BillingReadStore,
    BillingSetupStore,
    MfaStore,
    SsoStore,
    PasskeyStore,
    DesktopHandoffStore {
  readonly kind: StoreKind;
  close(): Promise<void>;
}
