/**
 * A bounded pool for expensive work (password hashing): at most
 * `concurrency` tasks run at once, at most `maxQueued` wait, and the waiting
 * ones start in order of `priority` (lower first), and among equal
 * priorities, newest first.
 *
 * Newest first is the "adaptive LIFO" of overloaded services (Facebook, "Fail
 * at Scale", ACM Queue 2015): a queue only builds up under overload, and then
 * the oldest waiters are the ones whose clients are most likely to have given
 * up, while a request that just arrived can still be answered in time. It also
 * means that a burst which arrived first (a flood's opening wave) cannot make
 * everyone after it wait for all of it.
 *
 * When the queue is full, the last-ranked task is refused (the worst priority,
 * and among those the one waiting longest), be it the newcomer or one already
 * waiting, which is dropped from the queue. Either way the refused caller gets
 * a `PoolFullError` with an estimate of when to retry.
 */
export class PoolFullError extends Error {
  constructor(readonly retryAfterMs: number) {
    super('The pool is saturated.');
  }
}

interface Job {
  priority: number;
  seq: number;
  start: () => void;
  refuse: (error: PoolFullError) => void;
}

export interface PoolStats {
  running: number;
  queued: number;
}

export class PriorityPool {
  private running = 0;
  /** Waiting jobs, best first. Short (tens), so a sorted array is the simplest fast structure. */
  private readonly queue: Job[] = [];
  private seq = 0;
  /** Moving average of a task's duration, for the retry estimate. */
  private averageMs: number;

  constructor(
    readonly concurrency: number,
    readonly maxQueued: number,
    initialEstimateMs = 100,
  ) {
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error('concurrency must be a positive integer');
    if (!Number.isInteger(maxQueued) || maxQueued < 0) throw new Error('maxQueued must be a non-negative integer');
    this.averageMs = initialEstimateMs;
  }

  stats(): PoolStats {
    return { running: this.running, queued: this.queue.length };
  }

  run<T>(task: () => Promise<T>, priority = 0): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const job: Job = {
        priority,
        seq: this.seq++,
        start: () => {
          const began = performance.now();
          this.running++;
          // The place is freed before the caller resumes, so that what it sees of the pool is current.
          const settle = () => {
            this.running--;
            this.averageMs = 0.8 * this.averageMs + 0.2 * (performance.now() - began);
            this.next();
          };
          // Called through an async function so that a task that throws at once still settles.
          (async () => task())().then(
            (value) => {
              settle();
              resolve(value);
            },
            (error: unknown) => {
              settle();
              reject(error);
            },
          );
        },
        refuse: reject,
      };
      if (this.running < this.concurrency && this.queue.length === 0) return job.start();
      this.enqueue(job);
    });
  }

  private enqueue(job: Job): void {
    let at = this.queue.length;
    while (at > 0 && ranksAfter(this.queue[at - 1]!, job)) at--;
    this.queue.splice(at, 0, job);
    if (this.queue.length > this.maxQueued) this.queue.pop()!.refuse(new PoolFullError(this.retryAfterMs()));
  }

  private next(): void {
    while (this.running < this.concurrency && this.queue.length > 0) this.queue.shift()!.start();
  }

  /** How long until the work ahead of a newcomer is done, roughly. */
  private retryAfterMs(): number {
    return Math.ceil(((this.queue.length + this.running) * this.averageMs) / this.concurrency);
  }
}

/** Whether `a` waits behind `b`: a worse priority, or the same one and older. */
const ranksAfter = (a: Job, b: Job) => a.priority > b.priority || (a.priority === b.priority && a.seq < b.seq);
