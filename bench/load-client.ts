/**
 * The load generator, run as its own process (`runLoadClient`) so that it does
 * not share the server's event loop and garbage collector: on a 2-core machine
 * the server gets one core and the client the other.
 */
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';

export type LoadJob =
  | { kind: 'autocannon'; url: string; headers: Record<string, string>; seconds: number; connections: number }
  | { kind: 'sequential'; url: string; headers: Record<string, string>; warmup: number; samples: number };

export interface LoadResult {
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
}

async function run(job: LoadJob): Promise<LoadResult> {
  if (job.kind === 'autocannon') {
    const r = await autocannon({ url: job.url, headers: job.headers, duration: job.seconds, connections: job.connections });
    return { reqPerSec: r.requests.average, p50Ms: r.latency.p50, p99Ms: r.latency.p99, errors: r.non2xx + r.errors };
  }
  let errors = 0;
  const once = async () => {
    const res = await fetch(job.url, { headers: job.headers });
    await res.arrayBuffer();
    if (res.status !== 200) errors++;
  };
  for (let i = 0; i < job.warmup; i++) await once();
  const times: number[] = [];
  const started = performance.now();
  for (let i = 0; i < job.samples; i++) {
    const t0 = performance.now();
    await once();
    times.push(performance.now() - t0);
  }
  const elapsed = (performance.now() - started) / 1000;
  times.sort((a, b) => a - b);
  const pct = (p: number) => times[Math.min(times.length - 1, Math.ceil((p / 100) * times.length) - 1)]!;
  return { reqPerSec: job.samples / elapsed, p50Ms: pct(50), p99Ms: pct(99), errors };
}

/** Runs a job in a child process and answers its result. */
export function runLoadClient(job: LoadJob): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', import.meta.filename, JSON.stringify(job)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c) => (out += String(c)));
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`load client exited with ${code}`));
      const result = JSON.parse(out.trim().split('\n').pop()!) as LoadResult;
      if (result.errors > 0) return reject(new Error(`${job.url}: ${result.errors} failed requests`));
      resolve(result);
    });
  });
}

if (process.argv[1] === import.meta.filename && process.argv[2]) {
  run(JSON.parse(process.argv[2]) as LoadJob).then((r) => console.log(JSON.stringify(r)));
}
