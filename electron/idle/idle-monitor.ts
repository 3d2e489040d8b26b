import type { IdleAction, IdlePrompt } from '../../shared/ipc/contract.js';

/**
 * Idle detection for a running timer. Plain logic: the wall clock, the
 * system's idle counter and the power events are handed in, so tests move a
 * clock instead of sleeping.
 *
 * An away stretch starts at the person's last input and ends at their next
 * one. It is seen three ways, all by wall clock:
 *   - the system idle counter (`powerMonitor.getSystemIdleTime()`), read on every tick;
 *   - suspend/resume and lock/unlock events: a lid closed at 10:42 and opened
 *     at 11:07 is 25 minutes away even where the idle counter does not count
 *     sleep, and moving the mouse on the lock screen is not "back";
 *   - a tick that comes much later than it should (the machine slept and no
 *     event said so): the stretch runs from the last input before the gap.
 * Only a stretch at least as long as the threshold, during which a timer ran
 * from its start (a timer started elsewhere while this computer sat idle is
 * not this computer's idle time), asks the question; never for less.
 */

export interface IdleSource {
  /** Seconds since the person last used keyboard or mouse (Electron: powerMonitor.getSystemIdleTime()). */
  idleSeconds(): number;
}

export interface RunningTimerLike {
  id: string;
  start: string;
}

export interface IdleMonitorOptions {
  /** Wall-clock time in ms (Date.now). */
  now: () => number;
  idle: IdleSource;
  /** The person's threshold in ms; 0 = never ask. */
  thresholdMs: () => number;
  runningTimer: () => RunningTimerLike | null;
  /** A new prompt, or null when the pending one was answered or became moot. */
  onPrompt: (prompt: IdlePrompt | null) => void;
  newId: () => string;
  /** How often tick() is called; a tick later than 3× this means the machine slept. */
  tickMs: number;
}

/** Input less than this long ago counts as "the person is here" (a tick's worth, rounded up). */
const activeWithin = (tickMs: number) => Math.max(tickMs, 1000) + 1000;

export class IdleMonitor {
  /** Start of the current away stretch (the last input before it), or null while the person is here. */
  private awayFrom: number | null = null;
  /** The last input seen at the last tick. */
  private lastInputAt: number | null = null;
  private lastTickAt: number | null = null;
  private locked = false;
  private suspended = false;
  private prompt: IdlePrompt | null = null;

  constructor(private readonly options: IdleMonitorOptions) {}

  get pending(): IdlePrompt | null {
    return this.prompt;
  }

  /** Called every `tickMs`, and right after resume/unlock. */
  tick(): void {
    const now = this.options.now();
    const idleMs = Math.max(0, this.options.idle.idleSeconds() * 1000);
    const lastInput = now - idleMs;
    if (this.lastTickAt !== null && now - this.lastTickAt > 3 * this.options.tickMs) {
      // The clock jumped: asleep (or frozen) without an event. Away from the last input before the gap.
      this.markAway(this.lastInputAt ?? this.lastTickAt);
    }
    this.lastTickAt = now;
    if (this.suspended || this.locked) {
      // Input on the lock screen is not the person being back at work.
      this.lastInputAt = Math.min(this.lastInputAt ?? lastInput, lastInput);
      return;
    }
    this.lastInputAt = lastInput;
    if (idleMs >= activeWithin(this.options.tickMs)) {
      this.markAway(lastInput);
      return;
    }
    if (this.awayFrom !== null) this.returned(lastInput);
  }

  suspend(): void {
    this.markAway(this.lastKnownInput());
    this.suspended = true;
  }

  resume(): void {
    this.suspended = false;
    this.lastTickAt = this.options.now();
    this.tick();
  }

  lock(): void {
    this.markAway(this.lastKnownInput());
    this.locked = true;
  }

  /** Unlocking is coming back: the stretch ends now (whatever the idle counter says). */
  unlock(): void {
    this.locked = false;
    const now = this.options.now();
    this.lastTickAt = now;
    this.lastInputAt = now;
    if (this.awayFrom !== null) this.returned(now);
  }

  /** The running timer changed (stopped, another started): a prompt about the old one is withdrawn. */
  timerChanged(): void {
    if (this.prompt && this.options.runningTimer()?.id !== this.prompt.entryId) this.setPrompt(null);
  }

  /** The threshold changed: a stretch now under it no longer asks (a pending prompt stays until answered). */
  thresholdChanged(): void {
    if (this.options.thresholdMs() === 0) this.setPrompt(null);
  }

  /**
   * The person answered. Answers the prompt answered (for the caller to apply
   * to the timer), or null when `promptId` is not the pending prompt.
   */
  answer(promptId: string, _action: IdleAction): IdlePrompt | null {
    if (!this.prompt || this.prompt.promptId !== promptId) return null;
    const answered = this.prompt;
    this.setPrompt(null);
    return answered;
  }

  private lastKnownInput(): number {
    const now = this.options.now();
    return Math.min(this.lastInputAt ?? now, now - Math.max(0, this.options.idle.idleSeconds() * 1000));
  }

  private markAway(from: number): void {
    this.awayFrom = this.awayFrom === null ? from : Math.min(this.awayFrom, from);
  }

  private returned(at: number): void {
    const awayFrom = this.awayFrom!;
    this.awayFrom = null;
    const threshold = this.options.thresholdMs();
    const timer = this.options.runningTimer();
    if (threshold <= 0 || !timer || this.prompt) return;
    const awayMs = at - awayFrom;
    if (awayMs < threshold || Date.parse(timer.start) > awayFrom) return;
    this.setPrompt({
      promptId: this.options.newId(),
      entryId: timer.id,
      awayFrom: new Date(awayFrom).toISOString(),
      returnedAt: new Date(at).toISOString(),
      awayMs,
    });
  }

  private setPrompt(prompt: IdlePrompt | null): void {
    if (prompt === this.prompt) return;
    this.prompt = prompt;
    this.options.onPrompt(prompt);
  }
}
