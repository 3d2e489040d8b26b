import { availableParallelism } from 'node:os';
import { HttpError } from '../http/http-error.js';
import { PoolFullError, PriorityPool, type PoolStats } from '../platform/priority-pool.js';
import { dummyPasswordHash, hashPassword, verifyPassword } from './password.js';

export interface PasswordHasherOptions {
  /** Hashes at once; default: the machine's cores (each scrypt takes one core and 32 MiB). */
  concurrency?: number;
  /** Hashes waiting; default 32 per core, about 3–4 s of work at most. */
  maxQueued?: number;
}

/**
 * Every password check and hash of the server, on a bounded pool: no more
 * hashes at once than the machine has cores (beyond that they only share the
 * CPU and all get slower, and libuv's four threads are needed elsewhere too),
 * the rest wait in a bounded queue, and past it the answer is 503
 * `server_busy` with `Retry-After`.
 *
 * The queue is ordered by `priority` (lower first): sign-in passes the
 * number of recent failures from the caller's address, so a flood of bad
 * guesses waits behind everyone else instead of in front of them.
 */
export class PasswordHasher {
  private readonly pool: PriorityPool;

  constructor(options: PasswordHasherOptions = {}) {
    const concurrency = options.concurrency ?? Math.max(1, availableParallelism());
    this.pool = new PriorityPool(concurrency, options.maxQueued ?? 32 * concurrency);
    // The stand-in hash for unknown emails is made now, so that the first
    // unknown email does not pay for it (and take visibly longer).
    void dummyPasswordHash();
  }

  /** Whether `password` matches `stored`. */
  verify(password: string, stored: string, priority = 0): Promise<boolean> {
    return this.queue(() => verifyPassword(password, stored), priority);
  }

  /**
   * The same work as `verify`, against a hash nobody knows: for an unknown
   * email, so that the answer takes as long as for a real account.
   */
  async verifyNobody(password: string, priority = 0): Promise<false> {
    const stored = await dummyPasswordHash();
    await this.queue(() => verifyPassword(password, stored), priority);
    return false;
  }

  hash(password: string): Promise<string> {
    return this.queue(() => hashPassword(password), 0);
  }

  stats(): PoolStats {
    return this.pool.stats();
  }

  private async queue<T>(task: () => Promise<T>, priority: number): Promise<T> {
    try {
      return await this.pool.run(task, priority);
    } catch (error) {
      if (!(error instanceof PoolFullError)) throw error;
      const seconds = Math.max(1, Math.ceil(error.retryAfterMs / 1000));
      throw new HttpError('server_busy', `The server is busy checking passwords. Try again in ${seconds} seconds.`, {
        headers: { 'retry-after': String(seconds) },
      });
    }
  }
}
