import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { ServerEvent } from '../../shared/api/events.js';
import { BusEventHub, partsUnder, type MessageBus } from '../../server/events/bus-event-hub.js';
import type { EventSubscriber } from '../../server/events/event-hub.js';
import { NOTIFY_MAX_BYTES } from '../../server/store/postgres/notify-bus.js';
import { SessionService } from '../../server/sessions/session-service.js';

/**
 * The hub of several servers (server/events/bus-event-hub.ts), without a
 * database: hubs joined by an in-memory bus that, like NOTIFY, hands every
 * message to every hub (the sender's too) as text. The PostgreSQL bus itself,
 * with real server processes, is test/postgres/event-bus.test.ts.
 */
function servers(count: number) {
  const hubs: BusEventHub[] = [];
  const sizes: number[] = [];
  const bus: MessageBus = {
    publish: (payload) => {
      // As NOTIFY does, the bus refuses a payload over its limit.
      if (Buffer.byteLength(payload) > NOTIFY_MAX_BYTES) throw new Error('over NOTIFY’s limit');
      sizes.push(Buffer.byteLength(payload));
      for (const hub of hubs) hub.received(payload);
    },
    close: async () => {},
  };
  for (let i = 0; i < count; i++) {
    const hub = new BusEventHub();
    hub.attach(bus);
    hubs.push(hub);
  }
  return { hubs, sizes };
}

function stream(sessionId: string, userId: string, role: EventSubscriber['role'] = 'accountant') {
  const received: ServerEvent[] = [];
  let closed = false;
  let rechecks = 0;
  const subscriber: EventSubscriber = {
    sessionId, userId, workspaceId: 'w1', role,
    send: (event) => received.push(event),
    close: () => void (closed = true),
    recheck: () => void rechecks++,
  };
  return { subscriber, received, closed: () => closed, rechecks: () => rechecks };
}

const summary = { id: 's9', label: 'Chrome 120, Windows', clientKind: 'web' as const, location: { city: 'Lisbon', region: null, country: 'Portugal', countryCode: 'PT' }, createdAt: '2026-12-02T03:00:00.000Z' };

describe('events across servers (BusEventHub)', () => {
  it('every delivery and event type reaches the streams of the other server exactly as on the server that sent it', () => {
    const { hubs: [a, b], sizes } = servers(2);
    const onA = stream('s1', 'u1', 'manager');
    const onB = stream('s1', 'u1', 'manager');
    const otherOnB = stream('s2', 'u1');
    const bossOnB = stream('s3', 'u2', 'admin');
    a!.subscribe(onA.subscriber);
    for (const s of [onB, otherOnB, bossOnB]) b!.subscribe(s.subscriber);

    a!.sendToUser('u1', { type: 'session.created', session: summary }, new Set(['s2']));
    a!.sendToUser('u1', { type: 'session.alert', kind: 'ip_changed', session: summary, from: 'Portugal', to: 'Spain' });
    a!.sessionsChanged('u1', new Set(['s1']));
    a!.timeChanged('w1', { type: 'time.changed', entryId: 'e1', userId: 'u1', change: 'created' });
    a!.accountChanged('u1', 'accountant');
    a!.sessionEnded('s1', { type: 'session.revoked', sessionId: 's1', reason: 'revoked_by_admin' });

    // The sending server's own stream heard each once (not again from the bus), the same as B's.
    expect(onB.received).toEqual(onA.received);
    expect(onA.received.map((e) => e.type)).toEqual(['session.created', 'session.alert', 'time.changed', 'account.changed', 'session.revoked']);
    expect(onB.closed()).toBe(true);
    // The exceptions crossed too: s2 was left out of session.created, s1 out of sessions.changed.
    expect(otherOnB.received.map((e) => e.type)).toEqual(['session.alert', 'sessions.changed', 'time.changed', 'account.changed']);
    // The admin of the workspace heard the time change only.
    expect(bossOnB.received).toEqual([{ type: 'time.changed', entryId: 'e1', userId: 'u1', change: 'created' }]);
    expect(Math.max(...sizes)).toBeLessThan(NOTIFY_MAX_BYTES / 10);
  });

  it('a demotion on A stops B’s streams of that person hearing the firm’s time', () => {
    const { hubs: [a, b] } = servers(2);
    const managerOnB = stream('s1', 'u1', 'manager');
    b!.subscribe(managerOnB.subscriber);
    a!.accountChanged('u1', 'accountant');
    a!.timeChanged('w1', { type: 'time.changed', entryId: 'e1', userId: 'u2', change: 'created' });
    expect(managerOnB.received).toEqual([{ type: 'account.changed', userId: 'u1' }]);
  });

  it('a workspace’s revoke-all crosses in messages each under NOTIFY’s limit: every ended stream hears why, every other stream of its user refreshes', () => {
    const { hubs: [a, b], sizes } = servers(2);
    // announce() needs the hub only.
    const service = new SessionService({ hub: a! } as unknown as ConstructorParameters<typeof SessionService>[0]);
    // Three members with 100 sessions each (the bench's members have 100): 300 ids, some 12 KB side by side.
    const revoked = ['u0', 'u1', 'u2'].flatMap((userId) => Array.from({ length: 100 }, () => ({ id: randomUUID(), userId })));
    const ended = stream(revoked[150]!.id, 'u1');
    const kept = stream('kept', 'u1');
    const otherUser = stream('other', 'u9');
    for (const s of [ended, kept, otherUser]) b!.subscribe(s.subscriber);
    service.announce(revoked, 'workspace_revoked');
    expect(Math.max(...sizes)).toBeLessThan(NOTIFY_MAX_BYTES);
    // One message per member, not one per session.
    expect(sizes).toHaveLength(3);
    expect(ended.received).toEqual([{ type: 'session.revoked', sessionId: revoked[150]!.id, reason: 'workspace_revoked' }]);
    expect(ended.closed()).toBe(true);
    expect(kept.received).toEqual([{ type: 'sessions.changed', userId: 'u1' }]);
    expect(otherUser.received).toEqual([]);
  });

  it('a member with more ended sessions than one message holds: parts under the limit, every ended stream hears only why, the others one notice after all ended', () => {
    const { hubs: [a, b], sizes } = servers(2);
    const service = new SessionService({ hub: a! } as unknown as ConstructorParameters<typeof SessionService>[0]);
    const revoked = Array.from({ length: 1000 }, () => ({ id: randomUUID(), userId: 'u1' }));
    const endedOnB = revoked.map(({ id }) => stream(id, 'u1'));
    const endedOnA = stream(revoked[999]!.id, 'u1');
    const keptOnB = stream('kept', 'u1');
    const keptOnA = stream('kept', 'u1');
    // The kept streams record what each ended stream had heard when their notice came: every one its revocation.
    let endedWhenTold = -1;
    keptOnB.subscriber.send = (event) => {
      keptOnB.received.push(event);
      endedWhenTold = endedOnB.filter((s) => s.closed()).length;
    };
    for (const s of [...endedOnB, keptOnB]) b!.subscribe(s.subscriber);
    for (const s of [endedOnA, keptOnA]) a!.subscribe(s.subscriber);
    service.announce(revoked, 'password_changed');
    expect(sizes.length).toBeGreaterThan(1);
    expect(sizes.length).toBeLessThan(10);
    for (const [i, s] of endedOnB.entries()) {
      expect(s.received).toEqual([{ type: 'session.revoked', sessionId: revoked[i]!.id, reason: 'password_changed' }]);
      expect(s.closed()).toBe(true);
    }
    expect(endedOnA.received).toEqual([{ type: 'session.revoked', sessionId: revoked[999]!.id, reason: 'password_changed' }]);
    expect(keptOnB.received).toEqual([{ type: 'sessions.changed', userId: 'u1' }]);
    expect(keptOnA.received).toEqual([{ type: 'sessions.changed', userId: 'u1' }]);
    expect(endedWhenTold).toBe(1000);
    // Ended streams left both hubs; the kept ones stay.
    expect(a!.size()).toBe(1);
    expect(b!.size()).toBe(1);
  });

  it('partsUnder: any ids, in order, in as few parts as fit, each message under the limit', () => {
    const messageOf = (ids: readonly string[]) => JSON.stringify({ from: 'x', op: 'sessionsEnded', args: ['u1', ids, 'workspace_revoked', true] });
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme', maxLength: 300 }), { maxLength: 400 }), (ids) => {
        const parts = partsUnder(ids, messageOf);
        expect(parts.flat()).toEqual(ids);
        for (const part of parts) expect(Buffer.byteLength(messageOf(part))).toBeLessThanOrEqual(NOTIFY_MAX_BYTES);
        // As few as fit: no part could have taken the next part's first id.
        for (let i = 0; i + 1 < parts.length; i++) expect(Buffer.byteLength(messageOf([...parts[i]!, parts[i + 1]![0]!]))).toBeGreaterThan(NOTIFY_MAX_BYTES);
        if (ids.length === 0) expect(parts).toEqual([[]]);
      }),
      { numRuns: 200 },
    );
  });

  it('ignores what is not a delivery, and after a reconnection every open stream re-checks its session', () => {
    const { hubs: [a] } = servers(1);
    const s = stream('s1', 'u1');
    const unsubscribe = a!.subscribe(s.subscriber);
    for (const junk of ['', 'not json', '{"from":"x","op":"subscribe","args":[]}', '{"from":"x","op":"constructor","args":[]}', 'null']) a!.received(junk);
    expect(s.received).toEqual([]);
    a!.reconnected();
    expect(s.rechecks()).toBe(1);
    unsubscribe();
    a!.reconnected();
    expect(s.rechecks()).toBe(1);
    expect(a!.size()).toBe(0);
  });
});
