import { describe, expect, it } from 'vitest';
import type pg from 'pg';
import { PostgresAuthReads } from '../../server/store/postgres/auth-reads.js';

/**
 * PostgreSQL's account-version reads share statements under load
 * (server/store/postgres/auth-reads.ts). What keeps revocation immediate is
 * that no request is answered by a statement sent before it asked. Checked
 * against a stand-in pool whose statements answer when the test says, and
 * whose "database" changes between them (a revocation committing while a
 * statement is in flight).
 */
function standInPool() {
  let versions = new Map<string, number>([['ana', 1], ['ben', 7]]);
  const sent: { values: unknown[]; answer: () => void; fail: (error: Error) => void }[] = [];
  const pool = {
    query(config: { text: string; values: unknown[] }) {
      return new Promise((resolve, reject) => {
        const ids = (Array.isArray(config.values[0]) ? config.values[0] : config.values) as string[];
        sent.push({
          values: ids,
          // The statement reads the database as it is when it runs: at its answer here.
          answer: () => resolve({ rows: ids.filter((id) => versions.has(id)).map((id) => ({ user_id: id, version: versions.get(id) })) }),
          fail: reject,
        });
      });
    },
  };
  return { pool: pool as unknown as pg.Pool, sent, commit: (userId: string, version: number) => (versions = new Map(versions).set(userId, version)) };
}

/**
 * Until the statement that follows an answered one has gone: it waits one more poll phase (two turns of setImmediate,
 * counted from the answer's handling, which may come after this test's own continuation): four turns cover it.
 */
const flush = async () => {
  for (let turn = 0; turn < 4; turn++) await new Promise((resolve) => setImmediate(resolve));
};

describe('PostgreSQL account versions read under load', () => {
  it('a version asked for while a statement is in flight waits for the next statement, which sees what committed meanwhile', async () => {
    const { pool, sent, commit } = standInPool();
    const reads = new PostgresAuthReads(pool);

    const first = reads.version('ana');
    expect(sent).toHaveLength(1); // nothing in flight: sent at once

    // The revocation commits (and is answered) while that statement is in flight; then Ana's device asks again, Ben too.
    commit('ana', 2);
    const afterRevocation = reads.version('ana');
    const again = reads.version('ana');
    const ben = reads.version('ben');
    const nobody = reads.version('nobody');
    expect(sent).toHaveLength(1); // they wait: the statement in flight started before they asked

    sent[0]!.answer();
    // The first request may see either state (it was concurrent with the revocation); here its statement ran after it.
    expect(await first).toBe(2);
    await flush();
    expect(sent).toHaveLength(2);
    expect(sent[1]!.values).toEqual(['ana', 'ben', 'nobody']); // one statement for everyone who waited

    commit('ana', 3);
    sent[1]!.answer();
    expect(await afterRevocation).toBe(3);
    expect(await again).toBe(3);
    expect(await ben).toBe(7);
    expect(await nobody).toBeUndefined();
    await flush();
    expect(sent).toHaveLength(2); // nothing queued: nothing sent
  });

  it('the statement after an answered one waits one more turn of the event loop, and takes along those who ask meanwhile', async () => {
    const { pool, sent, commit } = standInPool();
    const reads = new PostgresAuthReads(pool);
    const first = reads.version('ana');
    const queued = reads.version('ben');
    sent[0]!.answer();
    expect(await first).toBe(1);
    // Answered, but the next statement has not gone yet: a request read in this turn (or the next poll) joins it.
    expect(sent).toHaveLength(1);
    commit('ana', 2); // a revocation commits before the next request asks
    const late = reads.version('ana');
    await new Promise((resolve) => setImmediate(resolve));
    const later = reads.version('ana');
    expect(sent).toHaveLength(1); // still one statement in flight, or about to be sent: they wait
    await flush();
    expect(sent).toHaveLength(2);
    expect(sent[1]!.values).toEqual(['ben', 'ana']);
    sent[1]!.answer();
    expect(await queued).toBe(7);
    expect(await late).toBe(2); // never the first statement's answer (1): that one was sent before it asked
    expect(await later).toBe(2);
    await flush();
    expect(sent).toHaveLength(2);

    // Idle again: a lone request goes at once.
    const alone = reads.version('ben');
    expect(sent).toHaveLength(3);
    sent[2]!.answer();
    expect(await alone).toBe(7);
  });

  it('a failed statement fails the requests it was for, and the ones queued behind it still get their own', async () => {
    const { pool, sent } = standInPool();
    const reads = new PostgresAuthReads(pool);
    const first = reads.version('ana');
    const queued = reads.version('ben');
    sent[0]!.fail(new Error('connection lost'));
    await expect(first).rejects.toThrow('connection lost');
    await flush();
    expect(sent).toHaveLength(2);
    sent[1]!.answer();
    expect(await queued).toBe(7);
  });
});
