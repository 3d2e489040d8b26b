import { describe, expect, it } from 'vitest';

/**
 * The server tests run a second time on PostgreSQL (vitest project
 * `postgres`) when scripts/postgres-cluster.sh found PostgreSQL and started a
 * cluster. This says so when it did not — and fails under CI=true, where a
 * missing PostgreSQL must not pass unnoticed.
 */
describe('PostgreSQL for the second run of the server tests', () => {
  const url = process.env.TAB_TEST_PG_URL;
  if (!url && process.env.CI !== 'true') {
    it.skip('is not installed here: the postgres project did not run (install postgresql, or set TAB_TEST_PG_URL)', () => {});
    return;
  }
  it('is there (TAB_TEST_PG_URL from scripts/postgres-cluster.sh)', () => {
    expect(url, 'CI=true needs PostgreSQL: .ci/run installs it and scripts/test.sh starts a cluster').toMatch(/^postgres(ql)?:\/\//);
  });
});
