/**
 * The store contract in one import: each domain's interface and records
 * (one file per domain beside this one) and TabStore, their sum. The session
 * records are the sessions domain's own (server/sessions/session-records.ts).
 */
export type * from './identity.js';
export type * from './members.js';
export type * from './workspace-settings.js';
export type * from './sessions.js';
export type * from './attempts.js';
export type * from './api-tokens.js';
export type * from './audit.js';
export type * from './session-policy.js';
export type * from './clients.js';
export type * from './entries.js';
export type * from './sso.js';
export type * from './timesheets.js';
export type * from './invoices.js';
export type * from './billing-reads.js';
export type * from './mfa.js';
export type * from './passkeys.js';
export type * from './desktop-handoffs.js';
export type { TabStore, StoreKind } from './tab-store.js';
export type * from './billing-setup.js';
