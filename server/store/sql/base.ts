import { sql, type AliasedRawBuilder, type Compilable, type CompiledQuery, type Kysely, type QueryResult, type RawBuilder, type SelectQueryBuilder, type Transaction } from 'kysely';
import type { AccountSnapshots } from '../account-snapshots.js';
import type { AuditInput } from '../audit.js';
import type { AuthReads } from '../auth-reads.js';
import type { StoreKind } from '../tab-store.js';
import { FixedQuery, pick, type FixedQueryMode } from './fixed-query.js';
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
  /** Fixed queries compiled once (the default), or anew at each run as the reference (./fixed-query.ts). */
  readonly fixedQueries?: FixedQueryMode;
  /** SQLite: runs a compiled fixed query at once when the one connection allows it (sqlite/driver.ts). */
  readonly direct?: DirectRunner;
}

/** A way around Kysely's executor for compiled queries, where the dialect has a quicker one. */
export interface DirectRunner {
  /** The result at once, or undefined when the query must go the usual way (through Kysely). */
  tryNow<R>(compiled: CompiledQuery<R>, inTransaction: boolean): QueryResult<R> | undefined;
  /** The transaction's outcome, begun at once; or undefined when it must go the usual way (through Kysely). */
  tryTransaction<T>(work: (trx: Tx) => Promise<T>): Promise<T> | undefined;
}

/** An audit row's columns, as the audit insert takes them. */
type AuditRow = {
  workspace_id: string | null; type: string; at: number; actor_user_id: string | null; target_user_id: string | null;
  session_id: string | null; ip: string | null; detail: string;
};
const AUDIT_COLUMNS = ['workspace_id', 'type', 'at', 'actor_user_id', 'target_user_id', 'session_id', 'ip', 'detail'] as const;

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
   * A query whose shape never changes, compiled once for this store's
   * dialect (./fixed-query.ts): declare it as a `#private` field of the
   * domain class, run it with `.rows()`, `.first()` or `.run()`.
   */
  protected fixed<P extends object, R>(build: ($: P) => Compilable<R>): FixedQuery<P, R> {
    return new FixedQuery(build, this.ctx.fixedQueries, this.ctx.direct);
  }

  // Made on first use: a field initializer here would run before `ctx` is set.
  #auditInsert?: FixedQuery<AuditRow, unknown>;

  /**
   * One atomic step. On SQLite the driver begins with BEGIN IMMEDIATE, so
   * write transactions run one at a time; on PostgreSQL (READ COMMITTED) a step
   * that reads and then writes on the strength of what it read calls
   * serializeOn() first.
   */
  protected tx<T>(work: (trx: Tx) => Promise<T>): Promise<T> {
    // The quick way is off in the reference mode, which is Kysely's own way throughout.
    const now = this.ctx.fixedQueries === 'compile-each-time' ? undefined : this.ctx.direct?.tryTransaction(work);
    return now ?? this.ctx.db.transaction().execute(work);
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

  /**
   * serializeOn() for several keys, taken in the order given, in one round
   * trip (a hot path's locks): the function scan yields the keys in array
   * order and each row's lock is taken as the row is produced. Callers give
   * keys in the order every other transaction takes them, or they deadlock.
   */
  protected async serializeOnAll(trx: Tx, keys: readonly string[]): Promise<void> {
    if (this.ctx.kind !== 'postgres' || keys.length === 0) return;
    if (keys.length === 1) return this.serializeOn(trx, keys[0]!);
    await sql`SELECT pg_advisory_xact_lock(hashtextextended(t.k, 0)) FROM unnest(${[...keys]}::text[]) WITH ORDINALITY AS t(k, n) ORDER BY t.n`.execute(trx);
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
    this.#auditInsert ??= this.fixed(($: AuditRow) => this.db.insertInto('audit_events').values(pick($, AUDIT_COLUMNS)));
    await this.#auditInsert.run(executor, auditRow(event));
  }
}

/** An audit event as its row's columns (also for an insert that carries its audit row along, ./sessions.ts). */
export function auditRow(event: AuditInput): AuditRow {
  return {
    workspace_id: event.workspaceId,
    type: event.type,
    at: event.at,
    actor_user_id: event.actorUserId ?? null,
    target_user_id: event.targetUserId ?? null,
    session_id: event.sessionId ?? null,
    ip: event.ip ?? null,
    detail: JSON.stringify(event.detail ?? {}),
  };
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
