import { useCallback, useEffect, useMemo } from 'react';
import type { Client, Dashboard, TimeEntry } from '../../shared/api/time.js';
import { useSignedIn } from '../auth/auth-context.js';
import { useApiData, type ApiData } from '../hooks/useApiData.js';
import { runningTimerOf } from './running.js';

export interface DashboardData {
  dashboard: ApiData<Dashboard>;
  /** The running timer: the desktop's local one when it knows better, else the server's. */
  running: TimeEntry | null;
}

/**
 * The dashboard figures, reloaded after every time write, on every desktop
 * sync change, and once a minute while a timer runs (the hours grow).
 */
export function useDashboard(): DashboardData {
  const { backend, timeVersion, sync } = useSignedIn();
  const load = useCallback(() => backend.api.getDashboard(), [backend]);
  const dashboard = useApiData(load, timeVersion);
  const running = runningTimerOf(dashboard.data?.runningTimer, sync);
  const runningId = running?.id ?? null;
  const { reload } = dashboard;
  useEffect(() => {
    if (runningId === null) return;
    const timer = setInterval(() => void reload(), 60_000);
    return () => clearInterval(timer);
  }, [runningId, reload]);
  return { dashboard, running };
}

export interface ClientsData {
  clients: ApiData<{ clients: Client[] }>;
  list: Client[] | null;
  nameOf(clientId: string): string | undefined;
}

export function useClients(key: unknown = 0): ClientsData {
  const { backend } = useSignedIn();
  const clients = useApiData(() => backend.api.listClients(), key);
  const list = clients.data?.clients ?? null;
  const names = useMemo(() => new Map((list ?? []).map((c) => [c.id, c.name])), [list]);
  return { clients, list, nameOf: (id) => names.get(id) };
}
