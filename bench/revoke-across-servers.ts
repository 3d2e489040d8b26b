import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { startBenchServer } from './fixtures.js';
import { benchRevokeToEvent } from './revoke-latency.js';

/**
 * Revoke on server A → `session.revoked` on the event stream held by server B,
 * both on one PostgreSQL database, their hubs joined by LISTEN/NOTIFY
 * (server/events/bus-event-hub.ts): A runs in this process, B as its own
 * process, started as `npm run server` starts it. A sample is the time from
 * sending the revoke to A until the event arrives from B. Target: p99 < 50 ms.
 */
export async function benchRevokeAcrossServers(samples = 200) {
  const a = await startBenchServer('postgres', { busHub: true });
  const b = spawn(process.execPath, ['--import', 'tsx', 'server/cli/main.ts', '--port', '0', '--db', a.location], {
    cwd: resolve(import.meta.dirname, '..'),
    env: { ...process.env, TAB_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const bUrl = await new Promise<string>((resolveUrl, reject) => {
      let out = '';
      b.stdout.on('data', (chunk) => {
        out += String(chunk);
        const match = /listening on (http\S+)/.exec(out);
        if (match) resolveUrl(match[1]!);
      });
      b.on('exit', (code) => reject(new Error(`server B exited (${code}): ${out}`)));
    });
    return await benchRevokeToEvent(a, samples, bUrl);
  } finally {
    b.kill('SIGTERM');
    await new Promise((r) => (b.exitCode === null ? b.on('exit', r) : r(null)));
    await a.close();
  }
}
