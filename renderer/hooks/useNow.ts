import { useEffect, useState } from 'react';

/**
 * The current time, refreshed every `intervalMs`, so that "2 min ago" keeps
 * counting without asking the server again.
 */
export function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
