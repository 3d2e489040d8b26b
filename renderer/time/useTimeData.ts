import { useCallback, useEffect, useMemo } from 'react';
import type { Activity, Matter } from '../../shared/api/billing.js';
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

export interface BillingRefs {
  /** Open matters of every client (null while loading or when they cannot be read). */
  matters: Matter[] | null;
  /** Activity codes, archived ones included (pickers leave those out). */
  activities: Activity[] | null;
}

/** What the timer and the grid pick from besides the client; on the desktop these reads are answered from its copy while offline. */
export function useBillingRefs(key: unknown = 0): BillingRefs {
  const { backend } = useSignedIn();
  const matters = useApiData(() => backend.api.listMatters({ includeClosed: false }), key);
  const activities = useApiData(() => backend.api.listActivities(), key);
  return { matters: matters.data?.matters ?? null, activities: activities.data?.activities ?? null };
}
