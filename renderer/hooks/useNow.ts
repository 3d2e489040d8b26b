import { useEffect, useState, useSyncExternalStore } from 'react';

/**
 * The current time, refreshed every `intervalMs`, so that "2 min ago" keeps
 * counting without asking the server again. With `enabled` false it stops ticking.
 */
export function useNow(intervalMs: number, enabled = true): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!enabled) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs, enabled]);
  return now;
}

// One shared one-second clock, so that every ticking display (the timer bar, the
// running-timer tile, a running row) shows the same second.
const secondListeners = new Set<() => void>();
let secondNow = Date.now();
let secondTimer: ReturnType<typeof setInterval> | undefined;

function subscribeSeconds(listener: () => void): () => void {
  secondListeners.add(listener);
  if (secondTimer === undefined) {
    secondNow = Date.now();
    secondTimer = setInterval(() => {
      secondNow = Date.now();
      for (const l of [...secondListeners]) l();
    }, 1000);
  }
  return () => {
    secondListeners.delete(listener);
    if (secondListeners.size === 0) {
      clearInterval(secondTimer);
      secondTimer = undefined;
    }
  };
}

const noSubscription = () => () => {};

/** Now, from the shared one-second clock while `enabled`; a fixed reading otherwise. */
export function useSecondTick(enabled = true): number {
  const ticking = useSyncExternalStore(enabled ? subscribeSeconds : noSubscription, () => (enabled ? secondNow : 0));
  const [fixed] = useState(() => Date.now());
  return enabled ? ticking : fixed;
}
