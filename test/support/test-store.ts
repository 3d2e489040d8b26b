import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { typeParsers } from '../../server/store/postgres/open.js';

/**
 * Which store the server tests run on: SQLite (the `node` vitest project) or
 * PostgreSQL (the `postgres` project sets TAB_TEST_STORE=postgres; the
 * cluster comes from scripts/postgres-cluster.sh as TAB_TEST_PG_URL).
 */
export const onPostgres = process.env.TAB_TEST_STORE === 'postgres';
export const TEMPLATE_DATABASE = 'tab_template';

let admin: pg.Pool | undefined;
/** A connection to the cluster's maintenance database, for making and dropping test databases. */
export function clusterAdmin(): pg.Pool {
  const url = process.env.TAB_TEST_PG_URL;
  if (!url) throw new Error('TAB_TEST_PG_URL is not set: run the tests with `npm test`, which starts a PostgreSQL cluster.');
  return (admin ??= new pg.Pool({ connectionString: url, max: 2, allowExitOnIdle: true }));
}

/** The cluster's URL with another database name. */
export function databaseUrl(name: string): string {
  const url = new URL(process.env.TAB_TEST_PG_URL!);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * A fresh, migrated database for one test server: a file in `dir` on SQLite;
 * on PostgreSQL a new database copied from the migrated template (made once
 * per run by test/support/postgres-setup.ts), which takes a fraction of
 * running the migrations.
 */
export async function freshDatabase(dir: string): Promise<{ location: string; drop(): Promise<void> }> {
  if (!onPostgres) return { location: join(dir, 'tab.sqlite'), drop: async () => {} };
  const name = `tab_test_${randomUUID().replaceAll('-', '')}`;
  // Two copies of the template at once may clash ("being accessed by other users"): try again shortly.
  for (let attempt = 0; ; attempt++) {
    try {
      await clusterAdmin().query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DATABASE}`);
      break;
    } catch (error) {
      if ((error as { code?: string }).code !== '55006' || attempt >= 50) throw error;
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 100));
    }
  }
  return { location: databaseUrl(name), drop: async () => void (await clusterAdmin().query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)) };
}

/**
 * Another connection to the same database, as the admin CLI or a script
 * would be: writes "behind the store's back". `?` placeholders on both.
 */
export async function otherConnection(location: string): Promise<{ run(text: string, ...params: unknown[]): Promise<unknown[]>; close(): Promise<void> }> {
  if (location.startsWith('postgres')) {
    const client = new pg.Client({ connectionString: location, types: typeParsers });
    // A database dropped under it (a test that timed out) must not crash the run.
    client.on('error', () => {});
    await client.connect();
    return {
      run: async (text, ...params) => {
        let n = 0;
        return (await client.query(text.replace(/\?/g, () => `$${++n}`), params)).rows;
      },
      close: () => client.end(),
    };
  }
  const db = new Database(location);
  db.pragma('busy_timeout = 5000');
  return {
    run: async (text, ...params) => {
      if (/^\s*(BEGIN|COMMIT|ROLLBACK)\b/i.test(text)) return void db.exec(text), [];
      const statement = db.prepare(text);
      if (statement.reader) return statement.all(...params);
      statement.run(...params);
      return [];
    },
    close: async () => void db.close(),
  };
}
