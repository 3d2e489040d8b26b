import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import type { BenchServer } from './fixtures.js';
import { insertSessions, percentile } from './fixtures.js';

/**
 * Revoke-to-event latency over SSE: a device holds its event stream open,
 * another device of the same user revokes it; the sample is the time from
 * sending the revoking request to the `session.revoked` event arriving on the
 * stream. (The server writes the event before it answers the revoke, so
 * "after the response" would be zero or negative.) With `streamUrl`, the
 * stream is held by another server on the same database (./revoke-across-servers.ts).
 */
export async function benchRevokeToEvent(server: BenchServer, samples = 200, streamUrl = server.url) {
  const user = (await server.store.findUserByEmail('manager@demo.test'))!;
  const prefix = `sse-${randomUUID().slice(0, 8)}`;
  const ids = await insertSessions(server.db, { userId: user.id, workspaceId: user.workspaceId, count: samples + 1, cookiePrefix: prefix });
  const revoker = { cookie: `tab_session=${prefix}-0`, 'sec-fetch-site': 'same-origin' };
  const times: number[] = [];
  for (let i = 1; i <= samples; i++) {
    const controller = new AbortController();
    const stream = await fetch(`${streamUrl}/api/v1/events`, { headers: { cookie: `tab_session=${prefix}-${i}` }, signal: controller.signal });
    const reader = stream.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    // Wait for the stream's first bytes, so the subscription is in place.
    while (!text.includes('connected')) text += decoder.decode((await reader.read()).value);
    const arrived = (async () => {
      while (!text.includes('event: session.revoked')) {
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended without the event');
        text += decoder.decode(value);
      }
      return performance.now();
    })();
    const sentAt = performance.now();
    const res = await fetch(`${server.url}/api/v1/sessions/${ids[i]}`, { method: 'DELETE', headers: revoker });
    if (res.status !== 204) throw new Error(`revoke answered ${res.status}`);
    times.push((await arrived) - sentAt);
    controller.abort();
  }
  times.sort((a, b) => a - b);
  return { samples, p50Ms: percentile(times, 50), p99Ms: percentile(times, 99), maxMs: times[times.length - 1]! };
}
