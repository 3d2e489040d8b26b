import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

/** Server tests that are about SQLite itself (its files, its locks): the `postgres` project leaves them out; test/postgres/ is only its own. */
const SQLITE_ONLY = ['test/server/sqlite-*.test.ts'];

/**
 * Three projects: everything that runs in Node (server, shared, electron main
 * logic, end-to-end with the real browser and keychain) on SQLite; the server
 * tests again on PostgreSQL (TAB_TEST_STORE=postgres: each test server gets
 * its own database, copied from a migrated template; scripts/test.sh starts
 * the cluster); and the renderer's component tests in jsdom.
 */
export default defineConfig({
  test: {
    // Server tests start real servers and scrypt is memory-hard: keep to the 2 cores.
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: 'node',
          environment: 'node',
          include: ['test/**/*.test.ts', 'shared/**/*.test.ts', 'server/**/*.test.ts', 'electron/**/*.test.ts'],
          exclude: ['test/postgres/**'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      ...(process.env.TAB_TEST_PG_URL || process.env.CI === 'true'
        ? [
            {
              test: {
                name: 'postgres',
                environment: 'node',
                include: ['test/server/**/*.test.ts', 'test/postgres/**/*.test.ts'],
                exclude: SQLITE_ONLY,
                env: { TAB_TEST_STORE: 'postgres' },
                globalSetup: ['test/support/postgres-setup.ts'],
                testTimeout: 30_000,
                hookTimeout: 60_000,
              },
            },
          ]
        : []),
      {
        plugins: [react()],
        test: {
          name: 'renderer',
          environment: 'jsdom',
          include: ['renderer/**/*.test.{ts,tsx}'],
          setupFiles: ['renderer/test-setup.ts'],
          // userEvent types character by character: generous on a shared 2-core machine.
          testTimeout: 20_000,
        },
      },
    ],
  },
});
