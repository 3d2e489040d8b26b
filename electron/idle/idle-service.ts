import { randomUUID } from 'node:crypto';
import { ApiError } from '../../shared/api/client.js';
import type { IdleAction, IdlePrompt } from '../../shared/ipc/contract.js';
import type { TimeEntry } from '../../shared/api/time.js';
import { IdleMonitor, type IdleSource } from './idle-monitor.js';

/** What idle detection needs of the time queue. */
export interface IdleTimeLike {
  runningTimer(): TimeEntry | null;
  answerIdle(entryId: string, action: 'stop' | 'discard', awayFromMs: number, returnedAtMs: number): TimeEntry;
}

export interface IdleServiceOptions {
  now: () => number;
  idle: IdleSource;
  time: IdleTimeLike;
  thresholdMs: () => number;
  onPrompt: (prompt: IdlePrompt | null) => void;
  tickMs: number;
}

/**
 * The idle monitor joined to the offline time queue: the prompt's answer is
 * written like every other time write (locally first, synced in order), so
 * keeping, discarding or stopping works offline too.
 */
export class IdleService {
  readonly monitor: IdleMonitor;

  constructor(private readonly options: IdleServiceOptions) {
    this.monitor = new IdleMonitor({
      now: options.now,
      idle: options.idle,
      thresholdMs: options.thresholdMs,
      runningTimer: () => options.time.runningTimer(),
      onPrompt: options.onPrompt,
      newId: randomUUID,
      tickMs: options.tickMs,
    });
  }

  get pending(): IdlePrompt | null {
    return this.monitor.pending;
  }

  /**
   * Keep: the timer runs on. Discard: it ends where the person went away and
   * the same work starts again where they came back. Stop: it ends where they
   * went away.
   */
  answer(promptId: string, action: IdleAction): TimeEntry | null {
    const prompt = this.monitor.answer(promptId, action);
    if (!prompt) throw new ApiError(409, 'conflict', 'That question is no longer open (it was answered, or the timer changed).');
    if (action === 'keep') return null;
    return this.options.time.answerIdle(prompt.entryId, action, Date.parse(prompt.awayFrom), Date.parse(prompt.returnedAt));
  }
}
