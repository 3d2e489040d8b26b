import type { RoundingRule } from '../../shared/billing/rounding.js';
import type { RateLevel } from '../../shared/billing/rates.js';
import type { AuditInput } from './audit.js';

/**
 * Billing set-up (issue #14, migration 9): matters under a client, the
 * workspace's activity codes, and the rate levels other than a client's own.
 * Matters are closed, activities archived, never deleted: entries point at them.
 */
export interface BillingSetupStore {
  /** A workspace's matters (one client's when given), by client then code. */
  listMatters(workspaceId: string, clientId?: string): Promise<StoredMatter[]>;
  findMatter(id: string): Promise<StoredMatter | undefined>;
  /** 'code_taken': the client has a matter with that code (case ignored). */
  createMatter(matter: StoredMatter, audit?: AuditInput): Promise<'created' | 'code_taken'>;
  /** Writes every field as given (the caller merged the change). */
  updateMatter(matter: StoredMatter, audit?: AuditInput): Promise<'updated' | 'code_taken'>;

  listActivities(workspaceId: string): Promise<StoredActivity[]>;
  findActivity(id: string): Promise<StoredActivity | undefined>;
  /** 'name_taken': the workspace has an activity of that name (case ignored). */
  createActivity(activity: StoredActivity, audit?: AuditInput): Promise<'created' | 'name_taken'>;
  updateActivity(activity: StoredActivity, audit?: AuditInput): Promise<'updated' | 'name_taken'>;

  /** A client's rates (matter, member on matter, member for client), or without a client the members' defaults. */
  listRates(workspaceId: string, clientId: string | null): Promise<StoredRate[]>;
  /** Sets (or with null cents removes) the rate of one target; answers it as stored, or null when removed. */
  setRate(target: RateTarget, hourlyRateCents: number | null, at: number, by: string | null, audit?: AuditInput): Promise<StoredRate | null>;
  /** The levels that may apply to a member's work for a client (and matter), in one read. */
  rateCandidates(workspaceId: string, userId: string, clientId: string, matterId: string | null): Promise<Partial<Record<RateLevel, number>>>;
}

export interface StoredMatter {
  id: string;
  workspaceId: string;
  clientId: string;
  code: string;
  name: string;
  billingType: 'hourly' | 'fixed';
  fixedFeeCents: number | null;
  budgetMinutes: number | null;
  budgetCents: number | null;
  /** The matter's own rule; null: its client's applies. */
  rounding: RoundingRule | null;
  closedAt: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface StoredActivity {
  id: string;
  workspaceId: string;
  name: string;
  archivedAt: number | null;
  createdAt: number;
  updatedAt: number;
}

/** Which level a rate is: user + matter, matter, user + client, user. `clientId` is the matter's client for matter levels. */
export interface RateTarget {
  workspaceId: string;
  userId: string | null;
  clientId: string | null;
  matterId: string | null;
}

export interface StoredRate extends RateTarget {
  level: RateLevel;
  hourlyRateCents: number;
  updatedAt: number;
}

export function rateLevelOf(target: Pick<RateTarget, 'userId' | 'clientId' | 'matterId'>): RateLevel | null {
  if (target.matterId !== null) return target.userId !== null ? 'member-on-matter' : 'matter';
  if (target.clientId !== null) return target.userId !== null ? 'member-for-client' : null; // the client's own rate lives on the client
  return target.userId !== null ? 'member-default' : null;
}
