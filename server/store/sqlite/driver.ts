import type Database from 'better-sqlite3';
import {
  CompiledQuery,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type QueryResult,
} from 'kysely';
import { setBounded } from '../../platform/bounded-map.js';
import { retryWhileBusy } from './busy.js';
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
export function sqliteDialect(db: Database.Database, gate: ConnectionGate, writeWaitMs: number): Dialect {
  const connection = new GatedConnection(db, gate, writeWaitMs);
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

class GatedConnection implements DatabaseConnection {
  readonly #statements = new Map<string, Database.Statement>();

  constructor(
    private readonly db: Database.Database,
    private readonly gate: ConnectionGate,
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
    const statement = this.#prepare(compiled.sql);
    const parameters = compiled.parameters as unknown[];
    const run = (): QueryResult<R> => {
      if (statement.reader) return { rows: statement.all(parameters) as R[] };
      const { changes, lastInsertRowid } = statement.run(parameters);
      return { rows: [], numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid) };
    };
    // Inside a transaction the write lock is held already (BEGIN IMMEDIATE); alone, a statement may meet another writer.
    if (this.db.inTransaction) return run();
    return retryWhileBusy(run, this.writeWaitMs, this.#pause);
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
