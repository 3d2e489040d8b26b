/**
 * A legitimate sign-in while 50 concurrent bad sign-ins with random unknown
 * emails run for 20 s. The flood comes from 50 other loopback addresses
 * (127.0.0.10–59, one per connection) through `--trust-proxy loopback` and
 * `X-Forwarded-For`, so that the per-address limit does not hide the result:
 * each address fails far fewer than 50 times in 20 s. The flood runs in its
 * own process; the 20 legitimate sign-ins (one about every second, from
 * 127.0.0.2) are timed here. A `server_busy` answer to a legitimate sign-in
 * counts as a failure.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { percentile, type BenchServer } from './fixtures.js';

export interface FloodResult {
  samples: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  failures: number;
  flood: { requests: number; byStatus: Record<string, number> };
}

interface FloodJob {
  url: string;
  seconds: number;
  connections: number;
}

async function flood(job: FloodJob): Promise<FloodResult['flood']> {
  const byStatus: Record<string, number> = {};
  let requests = 0;
  const until = performance.now() + job.seconds * 1000;
  await Promise.all(
    Array.from({ length: job.connections }, async (_, i) => {
      const address = `127.0.0.${10 + i}`;
      while (performance.now() < until) {
        const res = await fetch(`${job.url}/api/v1/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
          body: JSON.stringify({ email: `flood-${randomUUID()}@nowhere.example`, password: 'not-the-password' }),
        }).catch(() => null);
        requests++;
        const key = res ? String(res.status) : 'network';
        byStatus[key] = (byStatus[key] ?? 0) + 1;
        await res?.arrayBuffer();
        // A refused flood client backs off as a polite one would; an impolite one only hurts itself (per-address queue rank).
        if (res?.status === 503 || res?.status === 429) await new Promise((r) => setTimeout(r, 100));
      }
    }),
  );
  return { requests, byStatus };
}

function runFloodProcess(job: FloodJob): Promise<FloodResult['flood']> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', import.meta.filename, JSON.stringify(job)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c) => (out += String(c)));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()!)) : reject(new Error(`flood client exited with ${code}`))));
  });
}

export async function benchSignInUnderFlood(server: BenchServer, seconds = 20, samples = 20): Promise<FloodResult> {
  const signIn = async () => {
    const t0 = performance.now();
    const res = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '127.0.0.2' },
      body: JSON.stringify({ email: 'ana@demo.test', password: 'demo-pass-2026' }),
    });
    await res.arrayBuffer();
    return { ms: performance.now() - t0, ok: res.status === 200 };
  };
  await signIn(); // warm-up, outside the flood
  const flooding = runFloodProcess({ url: server.url, seconds, connections: 50 });
  const times: number[] = [];
  let failures = 0;
  const spacing = ((seconds - 1) * 1000) / samples;
  await new Promise((r) => setTimeout(r, 500));
  for (let i = 0; i < samples; i++) {
    const started = performance.now();
    const { ms, ok } = await signIn();
    times.push(ms);
    if (!ok) failures++;
    await new Promise((r) => setTimeout(r, Math.max(0, spacing - (performance.now() - started))));
  }
  const floodResult = await flooding;
  times.sort((a, b) => a - b);
  return { samples, p50Ms: percentile(times, 50), p99Ms: percentile(times, 99), maxMs: times[times.length - 1]!, failures, flood: floodResult };
}

if (process.argv[1] === import.meta.filename && process.argv[2]) {
  flood(JSON.parse(process.argv[2]) as FloodJob).then((r) => console.log(JSON.stringify(r)));
}
