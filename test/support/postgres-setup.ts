import pg from 'pg';
import { openStore } from '../../server/store/open-store.js';

/**
 * vitest globalSetup of the `postgres` project: the template every test
 * database is copied from, migrated once per run.
 */
export async function setup(): Promise<void> {
  const url = process.env.TAB_TEST_PG_URL;
  if (!url) throw new Error('The postgres test project needs TAB_TEST_PG_URL (scripts/postgres-cluster.sh sets it; `npm test` runs it).');
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query('DROP DATABASE IF EXISTS tab_template WITH (FORCE)');
    await admin.query('CREATE DATABASE tab_template');
  } finally {
    await admin.end();
  }
  const template = new URL(url);
  template.pathname = '/tab_template';
  const store = await openStore(template.toString());
  await store.close();
}
