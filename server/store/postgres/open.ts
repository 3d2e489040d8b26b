import pg from 'pg';
import { MIGRATIONS } from './migrations.js';

/** int8 (counts, bigint instants) and numeric (sums of bigints) as JS numbers: every value TAB keeps is far below 2^53. */
const NUMBER_TYPES = new Set([pg.types.builtins.INT8, pg.types.builtins.NUMERIC]);
export const typeParsers = {
  getTypeParser: ((oid: number, format?: string) =>
    NUMBER_TYPES.has(oid) ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/** Where a URL points, for messages: never its password. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.username ? `${decodeURIComponent(u.username)}@` : ''}${u.host}${u.pathname}`;
  } catch {
    return 'the PostgreSQL URL';
  }
}

/**
 * A pool of connections to the database at `url`, checked (one round trip)
 * and migrated to this TAB's schema. A URL that is not one, an unreachable
 * server or a refused login throws one clear line naming the URL (without its
 * password).
 */
export async function openPostgresPool(url: string, options: { max?: number } = {}): Promise<pg.Pool> {
  try {
    const parsed = new URL(url);
    if (!parsed.hostname && !parsed.searchParams.get('host')) throw new Error('no host');
  } catch {
    throw new Error(`"${describeUrl(url)}" is not a PostgreSQL URL: use postgres://user[:password]@host[:port]/database.`);
  }
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10, connectionTimeoutMillis: 5_000, types: typeParsers });
  // An idle connection dropped by the server (restart, failover) is replaced on next use; the error must not crash the process.
  pool.on('error', () => {});
  try {
    await pool.query('SELECT 1');
    await migrate(pool);
  } catch (error) {
    await pool.end().catch(() => {});
    throw new Error(`Cannot use the PostgreSQL database at ${describeUrl(url)}: ${(error as Error).message}`);
  }
  return pool;
}

/** Any fixed number: the advisory lock that makes servers starting together migrate one at a time. */
const MIGRATION_LOCK = 7_333_001;

/**
 * Applies the migrations the database lacks, each in its own transaction
 * (PostgreSQL's DDL is transactional); `schema_version` records how far it has
 * come, as `PRAGMA user_version` does for SQLite. The same connection also
 * creates `server_keys` (secrets servers share, e.g. the JWT key: see
 * server-key.ts), which SQLite has no need of.
 */
export async function migrate(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL)`);
    await client.query(`INSERT INTO schema_version (version) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM schema_version)`);
    await client.query(`CREATE TABLE IF NOT EXISTS server_keys (name text PRIMARY KEY, key bytea NOT NULL)`);
    const current = (await client.query<{ version: number }>('SELECT version FROM schema_version')).rows[0]!.version;
    if (current > MIGRATIONS.length) {
      throw new Error(`the database is at schema version ${current}, newer than this TAB (${MIGRATIONS.length}). Upgrade TAB.`);
    }
    for (let version = current; version < MIGRATIONS.length; version++) {
      await client.query('BEGIN');
      try {
        await client.query(MIGRATIONS[version]!);
        await client.query('UPDATE schema_version SET version = $1', [version + 1]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
    client.release();
  }
}

export async function schemaVersion(pool: pg.Pool): Promise<number> {
  return (await pool.query<{ version: number }>('SELECT version FROM schema_version')).rows[0]!.version;
}
