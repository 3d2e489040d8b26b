import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

/**
 * Two projects: everything that runs in Node (server, shared, electron main
 * logic, end-to-end with the real browser and keychain), and the renderer's
 * component tests in jsdom.
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
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
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
