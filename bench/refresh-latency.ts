/**
 * `POST /api/v1/auth/refresh` latency, as a desktop does it: each refresh
 * presents the cookie the previous one answered (a rotation every time: one
 * write transaction, one HMAC, one JWT signature). Sequential requests on one
 * keep-alive connection, after a warm-up, from a client in its own process
 * (as the other latency figures), so that the server's event loop does only
 * the server's work.
 */
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { percentile, type BenchServer } from './fixtures.js';

interface RefreshJob {
  url: string;
  samples: number;
  warmup: number;
}

export interface RefreshResult {
  samples: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

async function run(job: RefreshJob): Promise<RefreshResult> {
  const login = await fetch(`${job.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'ben@demo.test', password: 'demo-pass-2026', client: 'desktop', deviceName: 'Bench' }),
  });
  let cookie = /tab_session=([^;]+)/.exec(login.headers.get('set-cookie') ?? '')?.[1];
  await login.arrayBuffer();
  const times: number[] = [];
  for (let i = 0; i < job.warmup + job.samples; i++) {
    const t0 = performance.now();
    const res = await fetch(`${job.url}/api/v1/auth/refresh`, { method: 'POST', headers: { cookie: `tab_session=${cookie}` } });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`refresh answered ${res.status}`);
    if (i >= job.warmup) times.push(performance.now() - t0);
    cookie = /tab_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1];
  }
  times.sort((a, b) => a - b);
  return { samples: job.samples, p50Ms: percentile(times, 50), p99Ms: percentile(times, 99), maxMs: times[times.length - 1]! };
}

export function benchRefresh(server: BenchServer, samples = 1000, warmup = 100): Promise<RefreshResult> {
  const job: RefreshJob = { url: server.url, samples, warmup };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', import.meta.filename, JSON.stringify(job)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c) => (out += String(c)));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()!)) : reject(new Error(`refresh client exited with ${code}`))));
  });
}

if (process.argv[1] === import.meta.filename && process.argv[2]) {
  run(JSON.parse(process.argv[2]) as RefreshJob).then((r) => console.log(JSON.stringify(r)));
}
