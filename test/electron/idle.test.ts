/**
 * Idle detection with an injected wall clock and idle counter: the threshold is
 * respected, lock and sleep count by wall clock, and the three answers are
 * written through the offline queue (online and offline).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { IdleMonitor } from '../../electron/idle/idle-monitor.js';
import { IdleService } from '../../electron/idle/idle-service.js';
import type { IdlePrompt } from '../../shared/ipc/contract.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { createClientAsAdmin, manualClock, openQueue, serverEntries, signInWorker, tempDir, type Worker } from './support/time.js';

const MIN = 60_000;
const TICK = 5_000;
const T0 = Date.UTC(2026, 10, 23, 9, 0, 0);

/** A monitor over a manual clock and idle counter; `run(ms)` ticks every 5 s with the person away or active. */
function harness(options: { thresholdMin?: number; timerStart?: number | null } = {}) {
  let now = T0;
  let lastInput = T0;
  let threshold = (options.thresholdMin ?? 10) * MIN;
  let timer: { id: string; start: string } | null =
    options.timerStart === null ? null : { id: 'entry-1', start: new Date(options.timerStart ?? T0 - 60 * MIN).toISOString() };
  const prompts: Array<IdlePrompt | null> = [];
  const monitor = new IdleMonitor({
    now: () => now,
    idle: { idleSeconds: () => Math.floor((now - lastInput) / 1000) },
    thresholdMs: () => threshold,
    runningTimer: () => timer,
    onPrompt: (p) => prompts.push(p),
    newId: randomUUID,
    tickMs: TICK,
  });
  const h = {
    monitor,
    prompts,
    get now() {
      return now;
    },
    /** `ms` of wall time, ticking every 5 s; `active`: the person types all along. */
    run(ms: number, active: boolean) {
      const end = now + ms;
      while (now < end) {
        now = Math.min(end, now + TICK);
        if (active) lastInput = now;
        monitor.tick();
      }
    },
    /** Time passes without any tick (the process is frozen: a sleep nobody announced). */
    jump(ms: number) {
      now += ms;
    },
    input() {
      lastInput = now;
    },
    setThreshold(min: number) {
      threshold = min * MIN;
      monitor.thresholdChanged();
    },
    setTimer(next: typeof timer) {
      timer = next;
      monitor.timerChanged();
    },
  };
  return h;
}

describe('the idle monitor', () => {
  it('asks after an away stretch of at least the threshold, with when the person left and came back', () => {
    const h = harness();
    h.run(10 * MIN, true);
    const left = h.now;
    h.run(25 * MIN, false);
    expect(h.prompts).toEqual([]); // still away: nothing yet
    h.run(TICK, true);
    expect(h.prompts).toHaveLength(1);
    const prompt = h.prompts[0]!;
    expect(prompt.entryId).toBe('entry-1');
    expect(Date.parse(prompt.awayFrom)).toBe(left);
    expect(Date.parse(prompt.returnedAt) - left).toBe(prompt.awayMs);
    expect(prompt.awayMs).toBeGreaterThanOrEqual(25 * MIN);
    expect(prompt.awayMs).toBeLessThanOrEqual(25 * MIN + TICK);
    expect(h.monitor.pending).toBe(prompt);
  });

  it('never asks for less than the threshold (9 min 55 s away with a 10-minute threshold); exactly 10 min asks', () => {
    const h = harness();
    h.run(MIN, true);
    // Input comes back at the tick after this: 9:50 of silence + 5 s = 9:55 away.
    h.run(10 * MIN - 2 * TICK, false);
    h.run(TICK, true);
    expect(h.prompts).toEqual([]);
    h.run(MIN, true);
    h.run(10 * MIN - TICK, false);
    h.run(TICK, true);
    expect(h.prompts).toHaveLength(1);
    expect(h.prompts[0]!.awayMs).toBe(10 * MIN);
  });

  it.each([5, 10, 15, 30])('threshold %i min: that long away asks, a minute less does not', (minutes) => {
    const short = harness({ thresholdMin: minutes });
    short.run(MIN, true);
    short.run((minutes - 1) * MIN, false);
    short.run(TICK, true);
    expect(short.prompts).toEqual([]);
    const long = harness({ thresholdMin: minutes });
    long.run(MIN, true);
    long.run(minutes * MIN, false);
    long.run(TICK, true);
    expect(long.prompts).toHaveLength(1);
  });

  it('off (0) never asks; turning it off withdraws a pending prompt', () => {
    const off = harness({ thresholdMin: 0 });
    off.run(MIN, true);
    off.run(120 * MIN, false);
    off.run(TICK, true);
    expect(off.prompts).toEqual([]);
    const h = harness();
    h.run(MIN, true);
    h.run(30 * MIN, false);
    h.run(TICK, true);
    h.setThreshold(0);
    expect(h.prompts.at(-1)).toBeNull();
    expect(h.monitor.pending).toBeNull();
  });

  it('no timer running: no question; a timer started during the stretch (elsewhere) is not this computer’s idle time', () => {
    const none = harness({ timerStart: null });
    none.run(MIN, true);
    none.run(30 * MIN, false);
    none.run(TICK, true);
    expect(none.prompts).toEqual([]);
    const later = harness({ timerStart: T0 + 10 * MIN });
    later.run(MIN, true);
    later.run(30 * MIN, false);
    later.run(TICK, true);
    expect(later.prompts).toEqual([]);
  });

  it('a screen lock of a few seconds never asks; a long lock counts from the last input to the unlock', () => {
    const brief = harness();
    brief.run(MIN, true);
    brief.monitor.lock();
    brief.run(20_000, false);
    brief.monitor.unlock();
    expect(brief.prompts).toEqual([]);

    const h = harness();
    h.run(MIN, true);
    const left = h.now;
    h.monitor.lock();
    // Mouse moves on the lock screen are not the person being back.
    h.run(5 * MIN, false);
    h.input();
    h.run(10 * MIN, false);
    h.input();
    h.run(5 * MIN, false);
    expect(h.prompts).toEqual([]);
    h.monitor.unlock();
    expect(h.prompts).toHaveLength(1);
    expect(Date.parse(h.prompts[0]!.awayFrom)).toBe(left);
    expect(h.prompts[0]!.awayMs).toBe(20 * MIN);
  });

  it('lid-close sleep counts by wall clock, even when the idle counter restarts at wake', () => {
    const h = harness();
    h.run(MIN, true);
    const left = h.now;
    h.monitor.suspend();
    h.jump(25 * MIN);
    h.input(); // the idle counter says "just now" after the wake (opening the lid)
    h.monitor.resume();
    expect(h.prompts).toHaveLength(1);
    expect(Date.parse(h.prompts[0]!.awayFrom)).toBe(left);
    expect(h.prompts[0]!.awayMs).toBe(25 * MIN);
  });

  it('a sleep nobody announced (the ticks stopped) counts too, from the last input before it', () => {
    const h = harness();
    h.run(MIN, true);
    const left = h.now;
    h.jump(40 * MIN);
    h.input();
    h.run(TICK, true);
    expect(h.prompts).toHaveLength(1);
    expect(Date.parse(h.prompts[0]!.awayFrom)).toBe(left);
    expect(h.prompts[0]!.awayMs).toBeGreaterThanOrEqual(40 * MIN);
  });

  it('a short sleep is below the threshold like any stretch', () => {
    const h = harness();
    h.run(MIN, true);
    h.monitor.suspend();
    h.jump(3 * MIN);
    h.input();
    h.monitor.resume();
    h.run(MIN, true);
    expect(h.prompts).toEqual([]);
  });

  it('one question at a time; the timer stopping or changing withdraws it; answering clears it once', () => {
    const h = harness();
    h.run(MIN, true);
    h.run(30 * MIN, false);
    h.run(TICK, true);
    const first = h.prompts[0]!;
    h.run(30 * MIN, false);
    h.run(TICK, true);
    expect(h.prompts).toHaveLength(1); // still the first one
    expect(h.monitor.answer('not-it', 'keep')).toBeNull();
    expect(h.monitor.answer(first.promptId, 'keep')).toBe(first);
    expect(h.monitor.answer(first.promptId, 'keep')).toBeNull();
    expect(h.prompts.at(-1)).toBeNull();

    h.run(30 * MIN, false);
    h.run(TICK, true);
    expect(h.monitor.pending).not.toBeNull();
    h.setTimer({ id: 'entry-2', start: new Date(h.now).toISOString() });
    expect(h.monitor.pending).toBeNull();
  });
});

describe('the answers go through the offline queue', () => {
  let server: TestServer;
  let ana: Worker;
  let clientId: string;

  beforeAll(async () => {
    server = await startTestServer();
    ana = await signInWorker(server.url, 'ana@demo.test');
    clientId = (await createClientAsAdmin(server.url)).id;
  });
  afterAll(async () => {
    await server.close();
  });

  /** A running timer since `start` and a prompt for [awayFrom, returnedAt], on the local queue. */
  function setup(startMs: number, awayFrom: number, returnedAt: number) {
    const clock = manualClock(startMs);
    const q = openQueue(tempDir(), server.url, ana, clock.now);
    const running = q.store.timerStart({ clientId, description: 'VAT return', billable: true });
    clock.set(returnedAt + 2 * MIN);
    const prompts: Array<IdlePrompt | null> = [];
    let lastInput = awayFrom;
    let now = returnedAt - TICK;
    const service = new IdleService({
      now: () => now,
      idle: { idleSeconds: () => Math.floor((now - lastInput) / 1000) },
      time: {
        runningTimer: () => q.store.runningTimer(),
        answerIdle: (entryId, action, from, back) => q.store.answerIdle(entryId, action, from, back),
      },
      thresholdMs: () => 10 * MIN,
      onPrompt: (p) => prompts.push(p),
      tickMs: TICK,
    });
    service.monitor.tick(); // still away
    now = returnedAt;
    lastInput = returnedAt;
    service.monitor.tick(); // back
    return { q, clock, running, service, prompt: prompts[0]! };
  }

  const base = Date.now() - 6 * 3_600_000;
  const at = (min: number) => base + min * MIN;

  it('discard (offline): the entry ends where the person left, the same work restarts where they came back; synced later as such', async () => {
    const { q, running, service, prompt } = setup(at(0), at(42), at(67));
    expect(prompt.awayMs).toBe(25 * MIN);
    // Offline: nothing is sent until the syncer runs.
    const restarted = service.answer(prompt.promptId, 'discard')!;
    expect(q.store.entry(running.id)).toMatchObject({ end: new Date(at(42)).toISOString() });
    expect(restarted).toMatchObject({ clientId, description: 'VAT return', billable: true, start: new Date(at(67)).toISOString(), end: null });
    expect(q.store.runningTimer()?.id).toBe(restarted.id);
    expect(q.store.queue().map((w) => w.operation)).toEqual(['timer-start', 'timer-stop', 'timer-start']);
    expect(() => service.answer(prompt.promptId, 'discard')).toThrow(expect.objectContaining({ status: 409 }));

    // Back online: the server gets exactly that, with the local times (not the sync's).
    await q.syncer.flush();
    expect(q.store.queue()).toEqual([]);
    const onServer = (await serverEntries(server.url, ana, { from: new Date(at(-60)).toISOString(), to: new Date(at(600)).toISOString() })).filter((e) => e.clientId === clientId);
    const old = onServer.find((e) => e.id === running.id);
    const fresh = onServer.find((e) => e.id === restarted.id);
    expect(old).toMatchObject({ start: new Date(at(0)).toISOString(), end: new Date(at(42)).toISOString() });
    expect(fresh).toMatchObject({ start: new Date(at(67)).toISOString(), end: null });
    q.store.timerStop({});
    await q.syncer.flush();
    q.store.close();
  });

  it('stop at the time the person left (online): one entry, ended there, nothing running', async () => {
    const { q, running, service, prompt } = setup(at(100), at(130), at(170));
    await q.syncer.flush(); // the timer is on the server already
    expect(service.answer(prompt.promptId, 'stop')).toMatchObject({ id: running.id, end: new Date(at(130)).toISOString() });
    expect(q.store.runningTimer()).toBeNull();
    await q.syncer.flush();
    const onServer = (await serverEntries(server.url, ana, { from: new Date(at(50)).toISOString(), to: new Date(at(600)).toISOString() })).filter((e) => e.id === running.id);
    expect(onServer).toEqual([expect.objectContaining({ start: new Date(at(100)).toISOString(), end: new Date(at(130)).toISOString() })]);
    q.store.close();
  });

  it('keep: nothing changes', async () => {
    const { q, running, service, prompt } = setup(at(200), at(230), at(260));
    expect(service.answer(prompt.promptId, 'keep')).toBeNull();
    expect(q.store.runningTimer()).toMatchObject({ id: running.id, end: null });
    expect(q.store.queue().map((w) => w.operation)).toEqual(['timer-start']);
    q.store.timerStop({});
    await q.syncer.flush();
    q.store.close();
  });

  it('the timer stopped before the answer: the answer is refused, nothing is written', () => {
    const { q, service, prompt } = setup(at(300), at(330), at(360));
    q.store.timerStop({});
    expect(() => q.store.answerIdle(prompt.entryId, 'discard', at(330), at(360))).toThrow(expect.objectContaining({ status: 409 }));
    expect(() => service.answer(prompt.promptId, 'stop')).toThrow(expect.objectContaining({ status: 409 }));
    expect(q.store.queue().map((w) => w.operation)).toEqual(['timer-start', 'timer-stop']);
    q.store.close();
  });
});
