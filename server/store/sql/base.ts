import { sql, type AliasedRawBuilder, type Kysely, type RawBuilder, type SelectQueryBuilder, type Transaction } from 'kysely';
import type { AccountSnapshots } from '../account-snapshots.js';
import type { AuditInput } from '../audit.js';
import type { AuthReads } from '../auth-reads.js';
import type { StoreKind } from '../tab-store.js';
import type { TabDatabase, ZeroOne } from './schema.js';

export type Executor = Kysely<TabDatabase> | Transaction<TabDatabase>;
export type Tx = Transaction<TabDatabase>;

/** What every domain implementation shares: one query builder over one dialect, and the hot path's raw reads. */
export interface SqlContext {
  readonly kind: StoreKind;
  readonly db: Kysely<TabDatabase>;
  readonly authReads: AuthReads;
  /** Account snapshots over authReads (server/store/account-snapshots.ts), or null to read SQL every time. */
  readonly snapshots: AccountSnapshots | null;
}

/**
 * The base of every domain's implementation (one file per domain beside
 * this one): the shared transaction and audit helpers, and the few places
 * where SQLite and PostgreSQL must be told apart. A domain class declares only
 * its interface's methods (helpers are `#private` or module functions), since
 * TabStore is the sum of those methods (./sum.ts).
 *
 * What both dialects already agree on needs no helper: booleans are 0/1
 * integers in both; `IS DISTINCT FROM` (Kysely's 'is distinct from') is
 * standard in PostgreSQL and SQLite ≥ 3.39; RETURNING, ON CONFLICT and partial
 * indexes exist in both.
 */
export abstract class SqlDomain {
  constructor(protected readonly ctx: SqlContext) {}

  protected get db(): Kysely<TabDatabase> {
    return this.ctx.db;
  }

  /**
   * One atomic step. On SQLite the driver begins with BEGIN IMMEDIATE, so
   * write transactions run one at a time; on PostgreSQL (READ COMMITTED) a step
   * that reads and then writes on the strength of what it read calls
   * serializeOn() first.
   */
  protected tx<T>(work: (trx: Tx) => Promise<T>): Promise<T> {
    return this.ctx.db.transaction().execute(work);
  }

  /**
   * Serializes this transaction with every other one that serializes on the
   * same key, until it ends: across connections and servers. A no-op on
   * SQLite, where BEGIN IMMEDIATE already serializes every write
   * transaction; pg_advisory_xact_lock on PostgreSQL. Keys are namespaced by
   * their caller, e.g. `sessions-of:<userId>`, `sign-in:<email>`.
   */
  protected async serializeOn(trx: Tx, key: string): Promise<void> {
    if (this.ctx.kind === 'postgres') await sql`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(trx);
  }

  /** SELECT … FOR UPDATE on PostgreSQL (locks the rows read until the transaction ends); as is on SQLite, whose write lock is already held. */
  protected forUpdate<DB, TB extends keyof DB, O>(query: SelectQueryBuilder<DB, TB, O>): SelectQueryBuilder<DB, TB, O> {
    return this.ctx.kind === 'postgres' ? query.forUpdate() : query;
  }

  /** `table AS alias`, with SQLite's `INDEXED BY index` where its planner needs telling; PostgreSQL plans for itself. */
  protected indexedBy<T extends keyof TabDatabase, A extends string>(table: T, alias: A, index: string): AliasedRawBuilder<TabDatabase[T], A> {
    const name = sql.table(table) as unknown as RawBuilder<TabDatabase[T]>;
    return name.as<A>(this.ctx.kind === 'sqlite' ? sql.raw(`${alias} INDEXED BY ${index}`) : sql.raw(alias));
  }

  /** An ORDER BY key that ignores (ASCII) case: SQLite's NOCASE collation, PostgreSQL's lower(). */
  protected caseless(column: string): RawBuilder<string> {
    return this.ctx.kind === 'sqlite' ? sql<string>`${sql.ref(column)} COLLATE NOCASE` : sql<string>`lower(${sql.ref(column)})`;
  }

  /** Appends an audit row; inside the caller's transaction when given one, so that the change and its row commit together. */
  protected async audit(executor: Executor, event: AuditInput): Promise<void> {
    await executor
      .insertInto('audit_events')
      .values({
        workspace_id: event.workspaceId,
        type: event.type,
        at: event.at,
        actor_user_id: event.actorUserId ?? null,
        target_user_id: event.targetUserId ?? null,
        session_id: event.sessionId ?? null,
        ip: event.ip ?? null,
        detail: JSON.stringify(event.detail ?? {}),
      })
      .execute();
  }
}

export const zeroOne = (value: boolean): ZeroOne => (value ? 1 : 0);

/** A constraint failure a request can cause, by kind, whatever the dialect's code for it. */
export function constraintKind(error: unknown): 'unique' | 'foreign_key' | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505') return 'unique';
  if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY' || code === '23503') return 'foreign_key';
  return undefined;
}

/** Rows an UPDATE or DELETE changed, as a number. */
export const changed = (result: { numUpdatedRows?: bigint; numDeletedRows?: bigint }): number =>
  Number(result.numUpdatedRows ?? result.numDeletedRows ?? 0n);
