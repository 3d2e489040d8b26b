/**
 * The one SQLite connection's turnstile: a FIFO mutex. A transaction's
 * statements are awaited one by one, and between them other requests' code
 * runs; without the gate their statements would land inside that transaction
 * (one connection, one transaction at a time). Whoever holds the gate owns the
 * connection; the authentication hot path reads without it only while nobody
 * holds it (it runs synchronously, so nothing can start in between), and
 * waits its turn otherwise (server/store/sqlite/auth-reads.ts).
 */
export class ConnectionGate {
  #held = false;
  readonly #waiting: (() => void)[] = [];

  get held(): boolean {
    return this.#held;
  }

  lock(): Promise<void> {
    if (!this.#held) {
      this.#held = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  unlock(): void {
    const next = this.#waiting.shift();
    // Handed straight to the next waiter: the gate never looks free in between.
    if (next) next();
    else this.#held = false;
  }
}
