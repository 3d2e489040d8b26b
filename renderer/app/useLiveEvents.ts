import { useCallback, useEffect, useState } from 'react';
import type { Backend } from '../backend/backend.js';

/** A burst of `time.changed` (a bulk billing, a desktop draining its queue) becomes one refetch. */
export const TIME_REFETCH_DELAY_MS = 150;

export interface LiveVersions {
  /** Bumped on `sessions.changed`. */
  sessionsVersion: number;
  /** Bumped on `time.changed` (debounced) and by `timeChanged()` after this screen's own writes. */
  timeVersion: number;
  timeChanged(): void;
  /** Bumped on `account.changed`: the person's role or profile changed (maybe on another device). */
  accountVersion: number;
}

/**
 * What the server says changed, as version numbers the pages key their loads
 * on: a timer stopped on another device, a manager's correction, a billing
 * run, all show here without a reload. The same on the web (EventSource) and
 * the desktop (main forwards its stream), since both arrive through
 * `backend.subscribeEvents`.
 */
export function useLiveEvents(backend: Backend): LiveVersions {
  const [sessionsVersion, setSessionsVersion] = useState(0);
  const [timeVersion, setTimeVersion] = useState(0);
  const [accountVersion, setAccountVersion] = useState(0);
  const timeChanged = useCallback(() => setTimeVersion((v) => v + 1), []);

  useEffect(() => {
    let pending: ReturnType<typeof setTimeout> | undefined;
    const stop = backend.subscribeEvents((event) => {
      if (event.type === 'sessions.changed') setSessionsVersion((v) => v + 1);
      else if (event.type === 'account.changed') setAccountVersion((v) => v + 1);
      else if (event.type === 'time.changed' && pending === undefined) {
        pending = setTimeout(() => {
          pending = undefined;
          timeChanged();
        }, TIME_REFETCH_DELAY_MS);
      }
    });
    return () => {
      clearTimeout(pending);
      stop();
    };
  }, [backend, timeChanged]);

  return { sessionsVersion, timeVersion, timeChanged, accountVersion };
}
