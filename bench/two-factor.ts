import { performance } from 'node:perf_hooks';
import { totpCodeAt, TOTP_PERIOD_MS } from '../server/mfa/totp.js';
import type { BenchServer } from './fixtures.js';
import { percentile } from './fixtures.js';

const json = { 'content-type': 'application/json', 'user-agent': 'tab-bench' };

/**
 * Issue #15's figure: the second step of a sign-in with TOTP (POST
 * /api/v1/auth/login/mfa: challenge lookup, throttle reservation, the code
 * checked against the unsealed secret, its step taken once, the session
 * started). The password step before it is the KDF's cost and is not timed.
 * A code works once per user and step, so each sample is another member,
 * enrolled beforehand, answering the next step's code (inside the window).
 * Sequential requests from this process on one keep-alive connection.
 */
export async function benchTotpSecondStep(server: BenchServer, samples = 300) {
  const ana = (await server.store.findUserByEmail('ana@demo.test'))!;
  const people: { email: string; secret: string }[] = [];
  for (let i = 0; i < samples; i++) {
    const user = await server.store.createUser({ workspaceId: ana.workspaceId, email: `totp-${i}@bench.test`, name: `TOTP ${i}`, role: 'accountant', passwordHash: ana.passwordHash, now: Date.now() });
    const enrolment = await server.deps.twoFactor.startEnrolment(user);
    await server.deps.twoFactor.confirmEnrolment(user, totpCodeAt(enrolment.secret, Date.now()), { sessionId: null, ip: '127.0.0.1' });
    people.push({ email: user.email, secret: enrolment.secret });
  }
  // The password steps (not timed): a challenge each.
  const challenges: string[] = [];
  for (const p of people) {
    const res = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: json, body: JSON.stringify({ email: p.email, password: 'demo-pass-2026' }) });
    if (res.status !== 202) throw new Error(`password step answered ${res.status}`);
    challenges.push(((await res.json()) as { challenge: string }).challenge);
  }
  const times: number[] = [];
  for (let i = 0; i < people.length; i++) {
    // The step after the one enrolment used: later, so accepted once, and inside the ±1 window for the next 30 s.
    const code = totpCodeAt(people[i]!.secret, Date.now() + TOTP_PERIOD_MS);
    const t0 = performance.now();
    const res = await fetch(`${server.url}/api/v1/auth/login/mfa`, { method: 'POST', headers: json, body: JSON.stringify({ challenge: challenges[i], code }) });
    await res.arrayBuffer();
    times.push(performance.now() - t0);
    if (res.status !== 200) throw new Error(`second step answered ${res.status}`);
  }
  times.sort((a, b) => a - b);
  return { samples: times.length, p50Ms: percentile(times, 50), p99Ms: percentile(times, 99) };
}
