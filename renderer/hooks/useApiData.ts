import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '../../shared/api/client.js';
import { callErrorMessage } from '../auth/messages.js';

export interface ApiData<T> {
  data: T | null;
  error: string | null;
  loading: boolean;
  reload(): Promise<void>;
}

/**
 * Loads something from the API when `key` changes, keeping only the newest
 * answer. A 401 is left to the app (it signs out), so pages never show it.
 */
export function useApiData<T>(load: () => Promise<T>, key: unknown): ApiData<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const latest = useRef(0);
  const loadRef = useRef(load);
  useEffect(() => {
    loadRef.current = load;
  });

  const reload = useCallback(async () => {
    const request = ++latest.current;
    setLoading(true);
    try {
      const value = await loadRef.current();
      if (request !== latest.current) return;
      setData(value);
      setError(null);
    } catch (caught) {
      if (request !== latest.current || (caught instanceof ApiError && caught.isSignedOut)) return;
      setError(callErrorMessage(caught));
    } finally {
      if (request === latest.current) setLoading(false);
    }
  }, []);

  useEffect(() => {
    void reload();
    const requests = latest; // a counter, not a DOM node: reading it at cleanup is the point
    return () => {
      // Answers after unmount (or for an old key) are dropped.
      requests.current++;
    };
  }, [reload, key]);

  return { data, error, loading, reload };
}
