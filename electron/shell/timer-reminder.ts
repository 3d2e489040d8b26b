import { LONG_TIMER_MS } from './notices.js';

/** "Your timer has been running for 10 hours": once per timer and per run of the app. */
export class LongTimerReminder {
  private readonly reminded = new Set<string>();

  /** True the first time `running` has run for 10 hours or more. */
  due(running: { id: string; start: string } | null, now: number): boolean {
    if (!running || this.reminded.has(running.id)) return false;
    if (now - Date.parse(running.start) < LONG_TIMER_MS) return false;
    this.reminded.add(running.id);
    return true;
  }
}
