import { randomUUID } from 'node:crypto';
import { call, type SignedIn } from './api.js';

/** Helpers for the time-and-billing tests: create a client, write entries, read the dashboard. */
export function timeApi(url: string) {
  return {
    async createClient(who: SignedIn, body: { name: string; hourlyRateCents: number; currency: string }) {
      const res = await call(url, 'POST', '/api/v1/clients', { body, headers: who.auth });
      if (res.status !== 201) throw new Error(`create client: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as { id: string; hourlyRateCents: number; currency: string; name: string };
    },
    entryBody(clientId: string, start: string, end: string | null, extra: Record<string, unknown> = {}) {
      return { id: randomUUID(), clientId, description: 'Work', start, end, billable: true, ...extra };
    },
    post(who: SignedIn, body: unknown) {
      return call(url, 'POST', '/api/v1/entries', { body, headers: who.auth });
    },
    patch(who: SignedIn, id: string, body: unknown) {
      return call(url, 'PATCH', `/api/v1/entries/${id}`, { body, headers: who.auth });
    },
    del(who: SignedIn, id: string) {
      return call(url, 'DELETE', `/api/v1/entries/${id}`, { headers: who.auth });
    },
    list(who: SignedIn, query: Record<string, string>) {
      return call(url, 'GET', `/api/v1/entries?${new URLSearchParams(query)}`, { headers: who.auth });
    },
    dashboard(who: SignedIn) {
      return call(url, 'GET', '/api/v1/dashboard', { headers: who.auth });
    },
  };
}
