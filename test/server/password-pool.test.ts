import { availableParallelism } from 'node:os';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PoolFullError, PriorityPool } from '../../server/platform/priority-pool.js';
import { PasswordHasher } from '../../server/security/password-hasher.js';
import { dummyPasswordHash } from '../../server/security/password.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { call } from '../support/api.js';

/** A task that finishes when told to. */
function deferred() {
  let finish!: () => void;
  const done = new Promise<void>((r) => (finish = r));
  return { task: () => done, finish };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('PriorityPool', () => {
  it('runs at most `concurrency` tasks, then the waiting ones by priority, equal priorities newest first', async () => {
    const pool = new PriorityPool(2, 10);
    const started: string[] = [];
    const jobs = new Map<string, ReturnType<typeof deferred>>();
    const submit = (name: string, priority: number) => {
      const d = deferred();
      jobs.set(name, d);
      return pool.run(() => {
        started.push(name);
        return d.task();
      }, priority);
    };
    const all = [submit('a', 5), submit('b', 5), submit('late-bad', 9), submit('c', 1), submit('d', 1), submit('e', 0)];
    await tick();
    expect(started).toEqual(['a', 'b']);
    expect(pool.stats()).toEqual({ running: 2, queued: 4 });
    for (const name of ['a', 'b', 'e', 'd', 'c', 'late-bad']) {
      jobs.get(name)!.finish();
      await tick();
      await tick();
    }
    await Promise.all(all);
    expect(started).toEqual(['a', 'b', 'e', 'd', 'c', 'late-bad']);
  });

  it('when the queue is full, refuses the last-ranked task: the worst priority, and of those the one waiting longest', async () => {
    const pool = new PriorityPool(1, 2, 200);
    const running = deferred();
    const settled = (p: Promise<unknown>) => p.then((v) => v, (e: unknown) => e);
    const first = pool.run(running.task, 0);
    const w1 = settled(pool.run(async () => 'w1', 3));
    const w2 = settled(pool.run(async () => 'w2', 3));
    // Same rank as the waiting ones: the oldest of them (w1) makes room.
    const w3 = settled(pool.run(async () => 'w3', 3));
    // A better rank: the oldest of the worst (now w2) makes room.
    const better = settled(pool.run(async () => 'better', 1));
    // A worse rank than everyone waiting: refused at once.
    const worse = settled(pool.run(async () => 'worse', 7));
    running.finish();
    const [r1, r2, r3, rb, rw] = await Promise.all([w1, w2, w3, better, worse]);
    for (const refused of [r1, r2, rw]) {
      expect(refused).toBeInstanceOf(PoolFullError);
      expect((refused as PoolFullError).retryAfterMs).toBeGreaterThan(0);
    }
    expect([await first, rb, r3]).toEqual([undefined, 'better', 'w3']);
  });

  it('a task that throws, at once or later, rejects its caller and frees its place', async () => {
    const pool = new PriorityPool(1, 5);
    await expect(pool.run(() => { throw new Error('at once'); })).rejects.toThrow('at once');
    await expect(pool.run(async () => { throw new Error('later'); })).rejects.toThrow('later');
    expect(await pool.run(async () => 42)).toBe(42);
    expect(pool.stats()).toEqual({ running: 0, queued: 0 });
  });

  it('random workloads: never more than `concurrency` at once, every task settles, refusals only beyond the bound', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 0, max: 6 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 3 })), { minLength: 1, maxLength: 25 }),
        async (concurrency, maxQueued, work) => {
          const pool = new PriorityPool(concurrency, maxQueued);
          let running = 0;
          let most = 0;
          const results = await Promise.allSettled(
            work.map(([priority, ticks]) =>
              pool.run(async () => {
                running++;
                most = Math.max(most, running);
                for (let i = 0; i < ticks; i++) await tick();
                running--;
              }, priority),
            ),
          );
          expect(most).toBeLessThanOrEqual(concurrency);
          const refused = results.filter((r) => r.status === 'rejected');
          for (const r of refused) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(PoolFullError);
          // All submitted in one go: exactly those beyond the running and waiting places are refused.
          expect(refused.length).toBe(Math.max(0, work.length - concurrency - maxQueued));
          expect(pool.stats()).toEqual({ running: 0, queued: 0 });
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('PasswordHasher', () => {
  it('hashes on as many threads as the machine has cores, by default', () => {
    expect((new PasswordHasher() as unknown as { pool: PriorityPool }).pool.concurrency).toBe(availableParallelism());
  });

  it('an unknown email costs the same as a known one: one scrypt with the same parameters', async () => {
    const hasher = new PasswordHasher({ concurrency: 1 });
    const run = vi.spyOn((hasher as unknown as { pool: PriorityPool }).pool, 'run');
    const stored = await hasher.hash('a-real-password');
    run.mockClear();
    expect(await hasher.verify('wrong', stored)).toBe(false);
    expect(await hasher.verifyNobody('wrong')).toBe(false);
    expect(run).toHaveBeenCalledTimes(2);
    const params = (hash: string) => hash.split('$').slice(0, 4).join('$');
    expect(params(await dummyPasswordHash())).toBe(params(stored));
  });
});

describe('sign-in on the hashing pool', () => {
  let server: TestServer;
  afterEach(() => server?.close());

  it('beyond the queue bound: 503 server_busy with Retry-After, never another 5xx; the server recovers', async () => {
    server = await startTestServer({ passwordHashing: { concurrency: 1, maxQueued: 2 } });
    let most = 0;
    const sampler = setInterval(() => (most = Math.max(most, server.deps.passwords.stats().running)), 1);
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) => call(server.url, 'POST', '/api/v1/auth/login', { body: { email: `nobody-${i}@demo.test`, password: 'wrong' } })),
    );
    clearInterval(sampler);
    expect(most).toBeLessThanOrEqual(1);
    const busy = answers.filter((a) => a.status === 503);
    // All 12 at once would leave 1 hashing, 2 queued and 9 refused; but each attempt is first reserved in the store
    // (serialized per address: one round trip after another on PostgreSQL), so the last may reach the pool after the
    // first hash ended. Some are refused, and none is refused for anything else.
    expect(busy.length).toBeGreaterThanOrEqual(5);
    for (const a of busy) {
      expect(a.body).toEqual({ error: { code: 'server_busy', message: expect.any(String) } });
      expect(Number(a.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    for (const a of answers) expect([401, 503]).toContain(a.status);
    expect((await call(server.url, 'POST', '/api/v1/auth/login', { body: { email: 'ana@demo.test', password: 'demo-pass-2026' } })).status).toBe(200);
  });

  it('a flood of bad guesses waits behind a clean sign-in from another address, and is what gets refused', async () => {
    server = await startTestServer({ trustProxy: ['loopback'], passwordHashing: { concurrency: 1, maxQueued: 4 } });
    const flood = { 'x-forwarded-for': '198.51.100.66' };
    const bad = (i: number) => call(server.url, 'POST', '/api/v1/auth/login', { body: { email: `guess-${i}@demo.test`, password: 'wrong' }, headers: flood });
    // The flooding address has failed before.
    for (const i of [0, 1]) expect((await bad(i)).status).toBe(401);

    let legitDone = false;
    const pendingAtLegit: number[] = [];
    let pending = 0;
    const floodAnswers = Array.from({ length: 8 }, (_, i) => {
      pending++;
      return bad(10 + i).then((res) => {
        pending--;
        return { res, afterLegit: legitDone };
      });
    });
    await vi.waitFor(() => expect(server.deps.passwords.stats().queued).toBe(4), { timeout: 10_000, interval: 5 });
    const legit = await call(server.url, 'POST', '/api/v1/auth/login', {
      body: { email: 'ana@demo.test', password: 'demo-pass-2026' },
      headers: { 'x-forwarded-for': '203.0.113.5' },
    });
    legitDone = true;
    pendingAtLegit.push(pending);
    expect(legit.status).toBe(200);
    const floods = await Promise.all(floodAnswers);
    expect(floods.filter((f) => f.res.status === 503).length).toBeGreaterThanOrEqual(1);
    // The clean sign-in jumped the queue: the guesses that were waiting were answered after it.
    expect(pendingAtLegit[0]).toBeGreaterThanOrEqual(3);
    expect(floods.filter((f) => f.res.status === 401 && f.afterLegit).length).toBeGreaterThanOrEqual(3);
  });
});
