import type Database from 'better-sqlite3';
import {
  CompiledQuery,
  DefaultQueryExecutor,
  SingleConnectionProvider,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  Transaction,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type QueryResult,
} from 'kysely';
import { setBounded } from '../../platform/bounded-map.js';
import type { DirectRunner } from '../sql/base.js';
import type { TabDatabase } from '../sql/schema.js';
import { isBusy, retryWhileBusy } from './busy.js';
import type { ConnectionGate } from './gate.js';

/** Prepared statements kept per SQL text; Kysely's `IN (?, ?, …)` lists make some texts one-offs, hence the bound. */
const STATEMENT_CACHE_MAX = 500;

/**
 * Kysely over TAB's one better-sqlite3 connection. Unlike Kysely's own SQLite
 * driver: transactions start with BEGIN IMMEDIATE (the write lock is taken
 * first, so two transactions never deadlock upgrading a read); statements are
 * prepared once per SQL text; and a write that meets another process's lock
 * waits on timers (the event loop never blocks) with the gate released, so
 * reads go on, for up to `writeWaitMs`, then fails 503 `server_busy`.
 */
export function sqliteDialect(connection: GatedConnection): Dialect {
  const { db, gate } = connection;
  const driver: Driver = {
    init: async () => {},
    acquireConnection: async () => {
      await gate.lock();
      return connection;
    },
    beginTransaction: (conn) => (conn as GatedConnection).begin(),
    commitTransaction: async () => {
      db.exec('COMMIT');
    },
    rollbackTransaction: async () => {
      // A failed statement may have rolled the transaction back already.
      if (db.inTransaction) db.exec('ROLLBACK');
    },
    releaseConnection: async () => gate.unlock(),
    destroy: async () => {
      if (db.open) db.close();
    },
  };
  return {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => driver,
    createIntrospector: (kysely) => new SqliteIntrospector(kysely),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  };
}

export class GatedConnection implements DatabaseConnection, DirectRunner {
  readonly #statements = new Map<string, Database.Statement>();

  constructor(
    readonly db: Database.Database,
    readonly gate: ConnectionGate,
    private readonly writeWaitMs: number,
  ) {}

  /** Lets go of the connection while sleeping on another process's lock. */
  readonly #pause = {
    before: () => this.gate.unlock(),
    after: () => this.gate.lock(),
  };

  begin(): Promise<void> {
    return retryWhileBusy(() => void this.db.exec('BEGIN IMMEDIATE'), this.writeWaitMs, this.#pause);
  }

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const run = () => this.#run<R>(compiled);
    // Inside a transaction the write lock is held already (BEGIN IMMEDIATE); alone, a statement may meet another writer.
    if (this.db.inTransaction) return run();
    return retryWhileBusy(run, this.writeWaitMs, this.#pause);
  }

  /**
   * Runs a statement at once, synchronously, where that is safe: inside the
   * caller's transaction (which holds the gate), or alone while nobody holds
   * the gate (nothing can start in between: the event loop is ours until
   * this returns). Otherwise, or when another process holds the write lock,
   * answers undefined and the caller takes the usual way, through the gate.
   * The promises and connection hand-over of the usual way cost the write
   * path more than the statement itself.
   */
  tryNow<R>(compiled: CompiledQuery<R>, inTransaction: boolean): QueryResult<R> | undefined {
    if (inTransaction ? !this.db.inTransaction : this.gate.held) return undefined;
    try {
      return this.#run<R>(compiled);
    } catch (error) {
      if (!inTransaction && isBusy(error)) return undefined;
      throw error;
    }
  }

  /**
   * A write transaction begun at once, where nobody holds the gate and no
   * other process holds the write lock: the gate is taken and BEGIN IMMEDIATE
   * run synchronously, `work` runs on one Transaction object kept for the
   * connection (only the gate's holder ever uses it), then COMMIT (ROLLBACK
   * on a throw) and the gate is let go. Undefined otherwise: the caller takes
   * Kysely's way, which waits for the gate and the lock. Kysely's own
   * transaction() builds an executor, a connection provider and a
   * Transaction per call and hands the connection over through several
   * promises, which on the write path cost more than the statements.
   */
  tryTransaction<T>(work: (trx: Transaction<TabDatabase>) => Promise<T>): Promise<T> | undefined {
    if (this.gate.held) return undefined;
    void this.gate.lock(); // free: taken synchronously
    try {
      this.db.exec('BEGIN IMMEDIATE');
    } catch (error) {
      this.gate.unlock();
      if (isBusy(error)) return undefined;
      throw error;
    }
    return this.#inTransaction(work);
  }

  async #inTransaction<T>(work: (trx: Transaction<TabDatabase>) => Promise<T>): Promise<T> {
    try {
      const result = await work(this.#transaction());
      this.db.exec('COMMIT');
      return result;
    } catch (error) {
      // A failed statement may have rolled the transaction back already.
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw error;
    } finally {
      this.gate.unlock();
    }
  }

  #kept?: Transaction<TabDatabase>;

  #transaction(): Transaction<TabDatabase> {
    if (!this.#kept) {
      const dialect = sqliteDialect(this);
      const executor = new DefaultQueryExecutor(dialect.createQueryCompiler(), dialect.createAdapter(), new SingleConnectionProvider(this), []);
      this.#kept = new Transaction<TabDatabase>({ config: { dialect }, dialect, driver: dialect.createDriver(), executor });
    }
    return this.#kept;
  }

  #run<R>(compiled: CompiledQuery): QueryResult<R> {
    const statement = this.#prepare(compiled.sql);
    const parameters = compiled.parameters as unknown[];
    if (statement.reader) return { rows: statement.all(parameters) as R[] };
    const { changes, lastInsertRowid } = statement.run(parameters);
    return { rows: [], numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid) };
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('TAB does not stream SQLite queries.');
  }

  #prepare(sql: string): Database.Statement {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      setBounded(this.#statements, sql, statement, STATEMENT_CACHE_MAX);
    }
    return statement;
  }
}
