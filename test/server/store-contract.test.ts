import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type OpenedStore } from '../../server/store/open-store.js';
import type { NewSession } from '../../server/sessions/session-records.js';
import type { SecondStepProof, StoredEntry } from '../../server/store/types.js';
import { secretHash } from '../../server/security/secrets.js';
import { DAY_MS, MINUTE_MS } from '../../server/platform/clock.js';
import { freshDatabase, onPostgres } from '../support/test-store.js';
import { sqlRows } from '../support/sql.js';

/**
 * The store's contract, the same file on both stores: SQLite in the `node`
 * project, PostgreSQL in the `postgres` one. Two stores opened on one database
 * stand for two servers (on SQLite, two connections to one file).
 */
const T0 = Date.parse('2026-06-01T09:00:00Z');
const dir = mkdtempSync(join(tmpdir(), 'tab-contract-'));
let drop: () => Promise<void>;
let one: OpenedStore;
let two: OpenedStore;
let workspaceId: string;
let userId: string;
let clientId: string;

beforeAll(async () => {
  const database = await freshDatabase(dir);
  drop = database.drop;
  [one, two] = [await openStore(database.location), await openStore(database.location)];
  workspaceId = (await one.createWorkspace({ name: 'Contract firm', now: T0 })).id;
  userId = (await one.createUser({ workspaceId, email: 'Pat@Contract.test', name: 'Pat', role: 'manager', passwordHash: 'scrypt$x', now: T0 })).id;
  clientId = (await one.createClient({ id: randomUUID(), workspaceId, name: 'Acme', hourlyRateCents: 12_000, currency: 'EUR', archivedAt: null, createdAt: T0, updatedAt: T0 })).id;
});
afterAll(async () => {
  await one.close();
  await two.close();
  await drop();
  rmSync(dir, { recursive: true, force: true });
});

const session = (overrides: Partial<NewSession> = {}): NewSession => ({
  id: randomUUID(), userId, workspaceId, cookieHash: secretHash(randomUUID()), clientKind: 'web', label: 'Chrome, macOS', browser: 'Chrome', os: 'macOS',
  userAgent: 'x', ip: '10.0.0.1', createdAt: T0, expiresAt: T0 + DAY_MS, idleTimeoutMs: DAY_MS, ...overrides,
});
const audit = { workspaceId: null, type: 'sign_in' as const, at: T0 };
const entry = (overrides: Partial<StoredEntry> = {}): StoredEntry => ({
  id: randomUUID(), workspaceId, userId, clientId, description: 'Work', start: T0, end: T0 + 90 * MINUTE_MS, billable: true, hourlyRateCents: 12_000,
  currency: 'EUR', billedAt: null, createdAt: T0, updatedAt: T0, deletedAt: null, version: 1, ...overrides,
});

describe(`the store contract (${onPostgres ? 'PostgreSQL' : 'SQLite'})`, () => {
  it('reports its kind', () => {
    expect(one.kind).toBe(onPostgres ? 'postgres' : 'sqlite');
  });

  it('keeps e-mails lower-cased, finds them whatever the case, and refuses the same address twice', async () => {
    expect((await one.findUserByEmail('PAT@contract.TEST'))?.id).toBe(userId);
    expect((await two.findUserById(userId))?.email).toBe('pat@contract.test');
    await expect(two.createUser({ workspaceId, email: 'pat@CONTRACT.test', name: 'Again', role: 'accountant', passwordHash: 'x', now: T0 })).rejects.toThrow();
  });

  it('50 parallel sign-ins on two servers with a limit of 3 leave exactly 3 live sessions, the newest, every eviction audited', async () => {
    const user = (await one.createUser({ workspaceId, email: `limit-${randomUUID()}@contract.test`, name: 'L', role: 'accountant', passwordHash: 'x', now: T0 })).id;
    const created = await Promise.all(
      Array.from({ length: 50 }, (_, i) => (i % 2 ? one : two).createSession(session({ userId: user, createdAt: T0 + i }), 3, { ...audit, workspaceId })),
    );
    const live = await one.listActiveSessions(user, T0 + 100);
    expect(live).toHaveLength(3);
    expect(created.flatMap((c) => c.evicted)).toHaveLength(47);
    const evictions = await sqlRows(one, `SELECT id FROM audit_events WHERE type = 'session_limit_revoked' AND target_user_id = ?`, user);
    expect(evictions).toHaveLength(47);
  });

  it("lists members with their own figures: live sessions only counted, last seen over all sessions, nothing from another workspace", async () => {
    const firm = (await one.createWorkspace({ name: 'Members firm', now: T0 })).id;
    const other = (await one.createWorkspace({ name: 'Other firm', now: T0 })).id;
    const ana = (await one.createUser({ workspaceId: firm, email: `ana-${randomUUID()}@contract.test`, name: 'ana', role: 'accountant', passwordHash: 'x', now: T0 })).id;
    const bo = (await one.createUser({ workspaceId: firm, email: `bo-${randomUUID()}@contract.test`, name: 'Bo', role: 'manager', passwordHash: 'x', now: T0 })).id;
    const stranger = (await one.createUser({ workspaceId: other, email: `st-${randomUUID()}@contract.test`, name: 'Al', role: 'admin', passwordHash: 'x', now: T0 })).id;
    const make = (user: string, ws: string, overrides: Partial<NewSession> = {}) => one.createSession(session({ userId: user, workspaceId: ws, ...overrides }), 10, { ...audit, workspaceId: ws });
    await make(ana, firm); // live
    await make(ana, firm, { expiresAt: T0 + 1 }); // expired by T0 + 10
    await make(ana, firm, { idleTimeoutMs: 5 }); // idle by T0 + 10
    const revoked = (await make(ana, firm)).session.id;
    await one.touchSession(revoked, T0 + 7);
    await one.revokeSession(revoked, { at: T0 + 8, by: null, reason: 'revoked_by_user' }, { ...audit, workspaceId: firm });
    await make(stranger, other);
    const members = await two.listMembers(firm, T0 + 10);
    expect(members.map((m) => m.name)).toEqual(['ana', 'Bo']); // by name whatever the case
    expect(members[0]).toMatchObject({ id: ana, activeSessions: 1, lastSeenAt: T0 + 7, disabled: false, invitationExpiresAt: null });
    expect(members[1]).toMatchObject({ id: bo, activeSessions: 0, lastSeenAt: null });
  });

  it('30 parallel attempt reservations on two servers under one key with a limit of 10: exactly 10 pass; a success clears the key', async () => {
    const key = `sign-in:${randomUUID()}@contract.test`;
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) => (i % 2 ? one : two).reserveAttempts([{ key, limit: 10 }, { key: `${key}:address`, limit: 50 }], T0 - 1, T0 + i)),
    );
    expect(answers.filter((a) => a.ok)).toHaveLength(10);
    expect(answers.filter((a) => !a.ok).every((a) => !a.ok && a.key === key && a.oldestAt === Math.min(...answers.flatMap((b, i) => (b.ok ? [T0 + i] : []))))).toBe(true);
    // A refused reservation wrote nothing under either key.
    expect(await sqlRows(one, 'SELECT id FROM auth_attempts WHERE key = ?', `${key}:address`)).toHaveLength(10);
    await two.forgetAttempts([], [key]);
    expect((await one.reserveAttempts([{ key, limit: 10 }], T0 - 1, T0 + 100)).ok).toBe(true);
  });

  it('parallel successes of one email on two servers each clear its attempts, and never deadlock', async () => {
    for (let round = 0; round < 5; round++) {
      const key = `sign-in:${randomUUID()}@contract.test`;
      const reserved = await Promise.all(
        Array.from({ length: 30 }, (_, i) => (i % 2 ? one : two).reserveAttempts([{ key: `address:${randomUUID()}`, limit: 50 }, { key, limit: 100 }], T0 - 1, T0 + i)),
      );
      // Every success at once: each deletes its own rows, then every row of the email.
      await Promise.all(reserved.map((r, i) => (i % 2 ? one : two).forgetAttempts(r.ok ? r.ids : [], [key])));
      expect(await sqlRows(one, 'SELECT id FROM auth_attempts WHERE key = ?', key)).toHaveLength(0);
    }
  });

  it('a cookie rotates once: of two rotations from the same cookie on two servers exactly one wins, and the replaced cookie still finds the session as "previous"', async () => {
    const first = secretHash(randomUUID());
    const { session: created } = await one.createSession(session({ cookieHash: first }), null, { ...audit, workspaceId });
    const [a, b] = [secretHash(randomUUID()), secretHash(randomUUID())];
    const won = await Promise.all([
      one.rotateCookie({ sessionId: created.id, fromHash: first, toHash: a, at: T0 + 1000 }),
      two.rotateCookie({ sessionId: created.id, fromHash: first, toHash: b, at: T0 + 1000 }),
    ]);
    expect(won.filter(Boolean)).toHaveLength(1);
    const current = won[0] ? a : b;
    expect(await two.findSessionWithUser({ cookieHash: current }, T0 + 2000)).toMatchObject({ cookie: 'current', session: { id: created.id, cookieIssuedAt: T0 + 1000, cookieUsedAt: null } });
    expect(await one.findSessionWithUser({ cookieHash: first }, T0 + 2000)).toMatchObject({ cookie: 'previous', session: { id: created.id } });
    expect(await one.findSessionWithUser({ cookieHash: won[0] ? b : a }, T0 + 2000)).toBeUndefined();
    await two.markCookieUsed(created.id, T0 + 3000);
    expect((await one.findSessionWithUser({ cookieHash: current }, T0 + 4000))?.session.cookieUsedAt).toBe(T0 + 3000);
  });

  it('inserts an entry once: a replay is "exists" (even in parallel on two servers), a second running entry and a missing client are refused', async () => {
    const e = entry();
    const outcomes = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? one : two).insertEntry(e)));
    expect(outcomes.filter((o) => o === 'inserted')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'exists')).toHaveLength(9);
    expect(await one.insertEntry(entry({ end: null, start: T0 + DAY_MS }))).toBe('inserted');
    expect(await two.insertEntry(entry({ end: null, start: T0 + 2 * DAY_MS }))).toBe('running_conflict');
    expect(await one.insertEntry(entry({ clientId: randomUUID() }))).toBe('client_missing');
    expect((await one.findEntry(e.id))?.billable).toBe(true);
  });

  it('parallel timer starts on two servers leave one running entry and never fail', async () => {
    const user = (await one.createUser({ workspaceId, email: `timer-${randomUUID()}@contract.test`, name: 'T', role: 'accountant', passwordHash: 'x', now: T0 })).id;
    const starts = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? one : two).startTimer(entry({ userId: user, end: null, start: T0 + i * MINUTE_MS }), T0 + 30 * MINUTE_MS)),
    );
    expect(starts.every((s) => s.outcome === 'started')).toBe(true);
    expect(await one.runningEntries(workspaceId, user)).toHaveLength(1);
  });

  it('marks billed all or nothing, and keeps the unbilled totals equal to a fresh sum', async () => {
    const user = (await one.createUser({ workspaceId, email: `bill-${randomUUID()}@contract.test`, name: 'B', role: 'accountant', passwordHash: 'x', now: T0 })).id;
    const finished = [entry({ userId: user }), entry({ userId: user, start: T0 + DAY_MS, end: T0 + DAY_MS + 61 * MINUTE_MS, hourlyRateCents: 9_999 })];
    for (const e of finished) expect(await one.insertEntry(e)).toBe('inserted');
    expect(await two.unbilledTotals(workspaceId, user)).toEqual([{ currency: 'EUR', amountCents: 18_000 + 10_166 }]);
    expect(await one.markBilled(workspaceId, [finished[0]!.id, randomUUID()], T0)).toMatchObject({ billed: 0, missing: [expect.any(String)] });
    expect(await two.markBilled(workspaceId, finished.map((e) => e.id), T0)).toEqual({ missing: [], running: [], billed: 2, alreadyBilled: 0, owners: [user] });
    expect(await one.unbilledTotals(workspaceId, user)).toEqual([]);
    const unbillAudit = { workspaceId, type: 'entries_unbilled' as const, at: T0 };
    expect(await one.unbill(workspaceId, [finished[0]!.id, randomUUID()], unbillAudit)).toMatchObject({ unbilled: 0, missing: [expect.any(String)] });
    expect(await two.unbill(workspaceId, [finished[0]!.id], unbillAudit)).toEqual({ missing: [], invoiced: [], unbilled: 1, notBilled: 0, owners: [user] });
    expect(await one.unbilledTotals(workspaceId, user)).toEqual([{ currency: 'EUR', amountCents: 18_000 }]);
  });

  it('weeks: submitted once, approved only when no timer runs (parallel approvals on two servers: one wins), reopened, flagged', async () => {
    const user = (await one.createUser({ workspaceId, email: `week-${randomUUID()}@contract.test`, name: 'W', role: 'accountant', passwordHash: 'x', now: T0 })).id;
    const week = { workspaceId, userId: user, monday: '2026-06-01', from: T0 - 9 * 60 * MINUTE_MS, to: T0 - 9 * 60 * MINUTE_MS + 7 * DAY_MS, at: T0 };
    const weekAudit = (type: 'week_submitted' | 'week_approved' | 'week_reopened' | 'week_changed_after_approval') => ({ workspaceId, type, at: T0, targetUserId: user });
    expect(await one.approveWeek(user, week.monday, userId, T0, weekAudit('week_approved'))).toBe('not_submitted');
    const submits = await Promise.all([one.submitWeek(week, weekAudit('week_submitted')), two.submitWeek(week, weekAudit('week_submitted'))]);
    expect(submits.sort()).toEqual(['submitted', 'unchanged']);
    const running = entry({ userId: user, end: null });
    expect(await one.insertEntry(running)).toBe('inserted');
    expect(await two.approveWeek(user, week.monday, userId, T0, weekAudit('week_approved'))).toBe('timer_running');
    await one.stopTimer(user, running.id, T0 + MINUTE_MS);
    const approvals = await Promise.all([one.approveWeek(user, week.monday, userId, T0, weekAudit('week_approved')), two.approveWeek(user, week.monday, userId, T0, weekAudit('week_approved'))]);
    expect(approvals.sort()).toEqual(['approved', 'unchanged']);
    expect((await one.approvedWeeksAt(user, [T0, T0 + 30 * DAY_MS])).map((w) => w.monday)).toEqual([week.monday]);
    expect(await two.updateEntry({ ...running, end: T0 + 2 * MINUTE_MS }, 2, undefined, { userId: user, instants: [T0] })).toBe('week_approved');
    await one.flagChangedAfterApproval(user, [week.monday], T0 + DAY_MS, weekAudit('week_changed_after_approval'));
    expect(await two.findWeek(user, week.monday)).toMatchObject({ status: 'submitted', changedAfterApprovalAt: T0 + DAY_MS, approvedBy: userId });
    expect((await one.listSubmittedWeeks(workspaceId, 10)).map((w) => [w.userName, w.monday])).toContainEqual(['W', week.monday]);
    expect(await one.reopenWeek(user, week.monday, weekAudit('week_reopened'))).toBe(true);
    expect(await two.reopenWeek(user, week.monday, weekAudit('week_reopened'))).toBe(false);
    expect(await one.findWeek(user, week.monday)).toBeUndefined();
  });

  it('two-factor step in one transaction: of parallel finishes on two servers one signs in, wrong codes count, a full throttle writes nothing', async () => {
    const kim = (await one.createUser({ workspaceId, email: 'kim@contract.test', name: 'Kim', role: 'accountant', passwordHash: 'scrypt$x', now: T0 })).id;
    await one.startTotpEnrolment(kim, Buffer.from('sealed'), T0);
    await one.confirmTotpFactor(kim, 100, [secretHash('kim-code')], T0, { workspaceId, type: 'two_factor_enabled', at: T0 });
    const hash = secretHash('kim-challenge');
    await one.createLoginChallenge({ secretHash: hash, userId: kim, purpose: 'verify', via: null, clientKind: 'web', deviceName: null, createdAt: T0, expiresAt: T0 + 5 * MINUTE_MS });
    const opened = (await two.openLoginChallenge(hash, T0 + 1))!;
    expect([opened.user.email, opened.factor!.secretSealed.toString(), opened.sessionPolicy.absoluteTimeoutDays > 0]).toEqual(['kim@contract.test', 'sealed', true]);
    const limits = [{ key: 'sign-in:kim@contract.test', limit: 3 }, { key: 'sign-in-ip:10.9.9.9', limit: 50 }];
    const finish = (store: OpenedStore, proof: SecondStepProof | null) =>
      store.finishLoginChallenge({
        challengeHash: hash, userId: kim, at: T0 + 2, proof,
        throttle: { limits, since: T0 - DAY_MS, clearKeys: [limits[0]!.key] },
        failureAudit: { workspaceId, type: 'sign_in_failed', at: T0 + 2, targetUserId: kim },
        supersede: null,
        session: { input: session({ userId: kim, createdAt: T0 + 2 }), maxConcurrent: null, audit: { workspaceId, type: 'sign_in', at: T0 + 2, targetUserId: kim } },
      });
    expect((await finish(one, null)).outcome).toBe('wrong_code');
    expect((await finish(two, { kind: 'totp', step: 100, confirmedAt: T0 })).outcome).toBe('wrong_code'); // a replayed step
    const totp = { kind: 'totp' as const, step: 101, confirmedAt: T0 };
    const outcomes = (await Promise.all([finish(one, totp), finish(two, totp), finish(one, totp), finish(two, totp)])).map((f) => f.outcome);
    // Whichever comes first signs in (2 failures < 3) and clears the email's failures; the other three are replays, counted after it.
    expect(outcomes.sort()).toEqual(['signed_in', 'wrong_code', 'wrong_code', 'wrong_code']);
    expect(await sqlRows(one, `SELECT id FROM auth_attempts WHERE key = ?`, limits[0]!.key)).toHaveLength(3);
    expect(await sqlRows(one, `SELECT id FROM audit_events WHERE type = 'sign_in' AND target_user_id = ?`, kim)).toHaveLength(1);
    expect(await one.openLoginChallenge(hash, T0 + 3)).toBeUndefined();
    // Over the limit: nothing written, whatever the proof.
    await one.createLoginChallenge({ secretHash: secretHash('kim-2'), userId: kim, purpose: 'verify', via: null, clientKind: 'web', deviceName: null, createdAt: T0, expiresAt: T0 + 5 * MINUTE_MS });
    const before = (await sqlRows(one, `SELECT id FROM auth_attempts`)).length;
    const refused = await two.finishLoginChallenge({ challengeHash: secretHash('kim-2'), userId: kim, at: T0 + 2, proof: { kind: 'totp', step: 102, confirmedAt: T0 },
      throttle: { limits, since: T0 - DAY_MS, clearKeys: [limits[0]!.key] }, failureAudit: { workspaceId, type: 'sign_in_failed', at: T0 + 2 }, supersede: null,
      session: { input: session({ userId: kim, createdAt: T0 + 2 }), maxConcurrent: null, audit: { workspaceId, type: 'sign_in', at: T0 + 2 } } });
    expect(refused).toMatchObject({ outcome: 'throttled', key: limits[0]!.key });
    expect((await sqlRows(one, `SELECT id FROM auth_attempts`)).length).toBe(before);
    expect(await one.openLoginChallenge(secretHash('kim-2'), T0 + 3)).toBeDefined();
  });

  it('two-factor: a step, a recovery code and a login challenge are each taken once, even in parallel on two servers', async () => {
    const audit = { workspaceId, type: 'two_factor_enabled' as const, at: T0 };
    expect(await one.startTotpEnrolment(userId, Buffer.from('sealed'), T0)).toBe(true);
    expect(await two.useTotpStep(userId, 100)).toBe(false); // not confirmed yet
    const codes = [secretHash('code-a'), secretHash('code-b')];
    expect(await one.confirmTotpFactor(userId, 100, codes, T0, audit)).toBe(true);
    expect(await two.confirmTotpFactor(userId, 100, codes, T0, audit)).toBe(false);
    expect(await one.startTotpEnrolment(userId, Buffer.from('other'), T0)).toBe(false);
    expect((await two.findTotpFactor(userId))!.secretSealed.toString()).toBe('sealed');
    // Steps: only later than the last accepted, once.
    expect(await one.useTotpStep(userId, 100)).toBe(false);
    const steps = await Promise.all([one.useTotpStep(userId, 101), two.useTotpStep(userId, 101), one.useTotpStep(userId, 101), two.useTotpStep(userId, 101)]);
    expect(steps.filter(Boolean)).toHaveLength(1);
    expect(await two.useTotpStep(userId, 100)).toBe(false);
    // Recovery codes.
    const used = await Promise.all([one.useRecoveryCode(userId, codes[0]!, T0, { ...audit, type: 'recovery_code_used' }), two.useRecoveryCode(userId, codes[0]!, T0, { ...audit, type: 'recovery_code_used' })]);
    expect(used.filter(Boolean)).toHaveLength(1);
    expect(await one.countRecoveryCodesLeft(userId)).toBe(1);
    // Replacing the codes: two at once on two servers leave exactly one whole set (every old code gone).
    const setA = [secretHash('a1'), secretHash('a2'), secretHash('a3')];
    const setB = [secretHash('b1'), secretHash('b2'), secretHash('b3')];
    const replaced = await Promise.all([
      one.replaceRecoveryCodes(userId, setA, T0, { ...audit, type: 'recovery_codes_regenerated' }),
      two.replaceRecoveryCodes(userId, setB, T0, { ...audit, type: 'recovery_codes_regenerated' }),
    ]);
    expect(replaced).toEqual([true, true]);
    expect(await one.countRecoveryCodesLeft(userId)).toBe(3);
    const winner = (await one.useRecoveryCode(userId, setA[0]!, T0, { ...audit, type: 'recovery_code_used' })) ? setA : setB;
    const loser = winner === setA ? setB : setA;
    for (const gone of [...loser, codes[1]!]) expect(await two.useRecoveryCode(userId, gone, T0, { ...audit, type: 'recovery_code_used' })).toBe(false);
    expect(await two.useRecoveryCode(userId, winner[1]!, T0, { ...audit, type: 'recovery_code_used' })).toBe(true);
    // Put back the set the rest of this case counts on.
    expect(await two.replaceRecoveryCodes(userId, [codes[1]!], T0, { ...audit, type: 'recovery_codes_regenerated' })).toBe(true);
    // Challenges: found until used or expired; used once.
    const challenge = { secretHash: secretHash('challenge'), userId, purpose: 'verify' as const, via: null, clientKind: 'web', deviceName: null, createdAt: T0, expiresAt: T0 + 5 * MINUTE_MS };
    await one.createLoginChallenge(challenge);
    expect((await two.findLoginChallenge(challenge.secretHash, T0))!.purpose).toBe('verify');
    expect(await two.findLoginChallenge(challenge.secretHash, T0 + 5 * MINUTE_MS)).toBeUndefined();
    const takes = await Promise.all([one.useLoginChallenge(challenge.secretHash, T0 + 1), two.useLoginChallenge(challenge.secretHash, T0 + 1)]);
    expect(takes.filter(Boolean)).toHaveLength(1);
    expect(await one.findLoginChallenge(challenge.secretHash, T0 + 2)).toBeUndefined();
    // Removing the factor takes its recovery codes with it.
    expect(await two.removeTotpFactor(userId, { ...audit, type: 'two_factor_disabled' })).toBe(true);
    expect(await one.removeTotpFactor(userId, { ...audit, type: 'two_factor_disabled' })).toBe(false);
    expect(await one.countRecoveryCodesLeft(userId)).toBe(0);
    // No confirmed factor: nothing to replace, nothing written.
    expect(await two.replaceRecoveryCodes(userId, [secretHash('c1')], T0, { ...audit, type: 'recovery_codes_regenerated' })).toBe(false);
    expect(await one.countRecoveryCodesLeft(userId)).toBe(0);
    expect(await one.getTwoFactorPolicy(workspaceId)).toBe('off');
    await two.setTwoFactorPolicy(workspaceId, 'admins_managers', { workspaceId, type: 'two_factor_policy_changed', at: T0 });
    expect(await one.getTwoFactorPolicy(workspaceId)).toBe('admins_managers');
  });

  it('single sign-on: a domain is one workspace’s (parallel claims on two servers: one wins), a login state is taken once, an identity linked once', async () => {
    const other = (await one.createWorkspace({ name: `SSO rival ${randomUUID()}`, now: T0 })).id;
    const config = (ws: string) => ({
      workspaceId: ws, flavor: 'generic' as const, issuer: 'https://idp.contract.test', clientId: 'c', clientSecretSealed: Buffer.from('sealed'), tenantId: null,
      allowedDomains: ['contract.test'], jitAllowed: false, requireSso: false, breakGlassUserId: null, updatedAt: T0,
    });
    const saved = await Promise.all([one.saveSsoConfig(config(workspaceId), { ...audit, workspaceId, type: 'sso_settings_changed' }), two.saveSsoConfig(config(other), { ...audit, workspaceId: other, type: 'sso_settings_changed' })]);
    expect(saved.filter((r) => r === 'saved')).toHaveLength(1);
    expect(saved.filter((r) => r !== 'saved')).toEqual([{ domainTaken: 'contract.test' }]);
    const owner = await one.findSsoWorkspaceByDomain('CONTRACT.test');
    expect([workspaceId, other]).toContain(owner);
    expect((await two.getSsoConfig(owner!))?.allowedDomains).toEqual(['contract.test']);

    const stateHash = secretHash(randomUUID());
    await one.createOidcLoginState({ stateHash, workspaceId, bindingHash: secretHash('b'), sealed: Buffer.from('s'), redirectUri: 'https://tab/sso/callback', clientKind: 'web', deviceName: null, createdAt: T0, expiresAt: T0 + 10 * MINUTE_MS }, T0);
    const taken = await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 ? one : two).takeOidcLoginState(stateHash, T0 + MINUTE_MS)));
    expect(taken.filter(Boolean)).toHaveLength(1);
    expect(taken.find(Boolean)?.redirectUri).toBe('https://tab/sso/callback');
    const late = secretHash(randomUUID());
    await one.createOidcLoginState({ stateHash: late, workspaceId, bindingHash: secretHash('b'), sealed: Buffer.from('s'), redirectUri: 'x', clientKind: 'desktop', deviceName: 'Laptop', createdAt: T0, expiresAt: T0 + MINUTE_MS }, T0);
    expect(await one.takeOidcLoginState(late, T0 + 2 * MINUTE_MS)).toBeUndefined();

    const identity = { issuer: 'https://idp.contract.test', subject: `sub-${randomUUID()}`, userId, workspaceId, email: 'pat@contract.test', linkedAt: T0 };
    const linked = await Promise.all([one.linkExternalIdentity(identity, { ...audit, workspaceId, type: 'sso_identity_linked' }), two.linkExternalIdentity(identity, { ...audit, workspaceId, type: 'sso_identity_linked' })]);
    expect(linked.filter(Boolean)).toHaveLength(1);
    expect((await two.findExternalIdentity(identity.issuer, identity.subject))?.userId).toBe(userId);
    expect(await one.hasExternalIdentity(userId, identity.issuer)).toBe(true);
    expect(await one.hasExternalIdentity(userId, 'https://other.idp.test')).toBe(false);
  });

  it('desktop passkey hand-offs: a code is issued once and taken once (parallel on two servers), not after expiry; a cancel drops only an unfinished one', async () => {
    const handoff = (expiresAt = T0 + 5 * MINUTE_MS) => ({
      handoffHash: secretHash(randomUUID()), state: 's', appChallenge: secretHash('verifier'), redirectUri: 'http://127.0.0.1:5000/callback', deviceName: 'Laptop',
      loginChallengeHash: null, codeHash: null, userId: null, codeExpiresAt: null, createdAt: T0, expiresAt,
    });
    const h = handoff();
    await one.createDesktopHandoff(h);
    expect((await two.findDesktopHandoff(h.handoffHash, T0 + MINUTE_MS))?.appChallenge.equals(h.appChallenge)).toBe(true);
    const codes = Array.from({ length: 6 }, () => secretHash(randomUUID()));
    const issued = await Promise.all(codes.map((codeHash, i) => (i % 2 ? one : two).issueDesktopHandoffCode(h.handoffHash, { codeHash, userId, codeExpiresAt: T0 + 2 * MINUTE_MS }, T0 + MINUTE_MS)));
    expect(issued.filter(Boolean)).toHaveLength(1);
    const codeHash = codes[issued.indexOf(true)]!;
    // Issued: the page cannot run again, nor be cancelled.
    expect(await one.findDesktopHandoff(h.handoffHash, T0 + MINUTE_MS)).toBeUndefined();
    expect(await one.dropDesktopHandoff(h.handoffHash, T0 + MINUTE_MS)).toBeUndefined();
    const taken = await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 ? one : two).takeDesktopHandoffCode(codeHash, T0 + MINUTE_MS)));
    expect(taken.filter(Boolean)).toHaveLength(1);
    expect(taken.find(Boolean)?.userId).toBe(userId);

    const late = handoff();
    await one.createDesktopHandoff(late);
    const lateCode = secretHash(randomUUID());
    expect(await one.issueDesktopHandoffCode(late.handoffHash, { codeHash: lateCode, userId, codeExpiresAt: T0 + 2 * MINUTE_MS }, T0 + MINUTE_MS)).toBe(true);
    expect(await two.takeDesktopHandoffCode(lateCode, T0 + 2 * MINUTE_MS)).toBeUndefined();
    expect(await one.issueDesktopHandoffCode(handoff(T0).handoffHash, { codeHash: secretHash('x'), userId, codeExpiresAt: T0 }, T0)).toBe(false);

    const cancelled = handoff();
    await one.createDesktopHandoff(cancelled);
    expect((await two.dropDesktopHandoff(cancelled.handoffHash, T0))?.state).toBe('s');
    expect(await one.findDesktopHandoff(cancelled.handoffHash, T0)).toBeUndefined();
  });

  it('archives a client with entries and deletes one without', async () => {
    const unused = await one.createClient({ id: randomUUID(), workspaceId, name: 'unused', hourlyRateCents: 0, currency: 'USD', archivedAt: null, createdAt: T0, updatedAt: T0 });
    expect(await two.deleteOrArchiveClient(unused.id, T0)).toBe('deleted');
    expect(await two.deleteOrArchiveClient(clientId, T0 + 1)).toBe('archived');
    expect((await one.findClient(clientId))?.archivedAt).toBe(T0 + 1);
    expect((await one.listClients(workspaceId)).map((c) => c.name)).toEqual(['Acme']);
  });

  it("invoices: a draft's entries stored at their versions; issue bills them all or names the stale ones (no number used); void unbills exactly them; both tell the owners", async () => {
    const owners = await Promise.all(['a', 'b'].map(async (n) => (await one.createUser({ workspaceId, email: `inv-${n}-${randomUUID()}@contract.test`, name: n, role: 'accountant', passwordHash: 'x', now: T0 })).id));
    const client = await one.createClient({ id: randomUUID(), workspaceId, name: `Invoiced ${randomUUID()}`, hourlyRateCents: 12_000, currency: 'EUR', archivedAt: null, createdAt: T0, updatedAt: T0 });
    const entries = [0, 1, 2].map((i) => entry({ clientId: client.id, userId: owners[i % 2]!, start: T0 + i * DAY_MS, end: T0 + i * DAY_MS + 60 * MINUTE_MS }));
    for (const e of entries) expect(await one.insertEntry(e)).toBe('inserted');
    const draftOf = async () => {
      const found = await two.draftableEntries({ workspaceId, clientId: client.id, currency: 'EUR', from: T0, to: T0 + 7 * DAY_MS, requireApprovedWeeks: false });
      const id = randomUUID();
      const figures = { standardCents: 36_000, roundingCents: 0, linesCents: 36_000, adjustment: null, adjustmentCents: 0, subtotalCents: 36_000, taxCents: 0, totalCents: 36_000 };
      await one.insertDraft({
        invoice: {
          id, workspaceId, clientId: client.id, status: 'draft', number: null, currency: 'EUR', periodFrom: T0, periodTo: T0 + 7 * DAY_MS, firstDay: '2026-06-01', lastDay: '2026-06-07',
          matterIds: [], ...figures, taxLabel: 'VAT', taxRateBp: 0, notes: '', issueDate: null, dueDate: null, issuedAt: null, issuedBy: null, paidOn: null, voidedAt: null,
          voidReason: null, createdBy: userId, createdAt: T0, updatedAt: T0,
        },
        lines: [{ position: 1, matterId: null, activityId: null, description: 'Work', rateCents: 12_000, entries: found.entries.length, durationMs: 3 * 60 * MINUTE_MS, billableMinutes: 180, ...figures, amountCents: 36_000, totalCents: 36_000 }],
        entries: found.entries.map((e) => ({ entryId: e.id, position: 1, entryVersion: e.version, standardCents: 12_000, amountCents: 12_000 })),
      }, { workspaceId, type: 'invoice_drafted', at: T0 });
      return { id, found };
    };
    const issueInput = { at: T0 + 10 * DAY_MS, by: userId, year: 2026, issueDate: '2026-06-11', dueDate: '2026-07-11', format: (y: number, n: number) => `C-${y}-${n}`, requireApprovedWeeks: false };
    const issueAudit = { workspaceId, type: 'invoice_issued' as const, at: T0 };
    const voidAudit = { workspaceId, type: 'invoice_voided' as const, at: T0 };

    const stale = await draftOf();
    expect(stale.found.entries.map((e) => e.id).sort()).toEqual(entries.map((e) => e.id).sort());
    const byId = (a: { entryId: string }, b: { entryId: string }) => (a.entryId < b.entryId ? -1 : 1);
    expect((await two.findInvoice(workspaceId, stale.id))?.entries.sort(byId)).toEqual(
      entries.map((e) => ({ entryId: e.id, position: 1, entryVersion: 1, standardCents: 12_000, amountCents: 12_000 })).sort(byId),
    );
    expect(await two.updateEntry({ ...entries[2]!, description: 'Changed after drafting' }, 1)).toBe('updated');
    expect(await two.issueInvoice(workspaceId, stale.id, issueInput, issueAudit)).toEqual({ outcome: 'stale', ids: [entries[2]!.id] });
    expect(await one.deleteDraft(workspaceId, stale.id, { workspaceId, type: 'invoice_drafted', at: T0 })).toBe('deleted');

    const first = await draftOf();
    const issued = await two.issueInvoice(workspaceId, first.id, issueInput, issueAudit);
    expect(issued).toMatchObject({ outcome: 'issued', invoice: { status: 'issued', number: 'C-2026-1' } });
    expect(issued.outcome === 'issued' && [...issued.owners].sort()).toEqual([...owners].sort());
    const billed = await sqlRows<{ invoice_id: string }>(one, 'SELECT invoice_id FROM time_entries WHERE client_id = ?', client.id);
    expect(billed).toEqual([0, 1, 2].map(() => ({ invoice_id: first.id })));
    expect(await one.issueInvoice(workspaceId, first.id, issueInput, issueAudit)).toEqual({ outcome: 'not_draft' });

    const voided = await one.voidInvoice(workspaceId, first.id, { at: T0 + 11 * DAY_MS, by: userId, reason: 'wrong' }, voidAudit);
    expect(voided.outcome === 'voided' && [...voided.owners].sort()).toEqual([...owners].sort());
    const unbilled = await sqlRows<{ invoice_id: string | null; billed_at: number | null }>(one, 'SELECT invoice_id, billed_at FROM time_entries WHERE client_id = ?', client.id);
    expect(unbilled).toEqual([0, 1, 2].map(() => ({ invoice_id: null, billed_at: null })));

    // Drafted again and issued: the next number (the stale attempt used none); the void invoice keeps its rows as history, and a void of the new one unbills its entries.
    const second = await draftOf();
    expect(await two.issueInvoice(workspaceId, second.id, issueInput, issueAudit)).toMatchObject({ outcome: 'issued', invoice: { number: 'C-2026-2' } });
    expect((await one.findInvoice(workspaceId, first.id))?.entries).toHaveLength(3);
    expect(await two.voidInvoice(workspaceId, second.id, { at: T0 + 12 * DAY_MS, by: userId, reason: 'again' }, voidAudit)).toMatchObject({ outcome: 'voided' });
    expect(await two.unbilledTotals(workspaceId, owners[0]!)).toEqual([{ currency: 'EUR', amountCents: 24_000 }]);
  });

  it('keeps audit details as written, newest first, filtered by type and user', async () => {
    const detail = { reason: 'revoked_by_admin', nested: { ids: ['a', 'b'], n: 3 }, unicode: 'Zoë ✓' };
    await one.appendAudit({ workspaceId, type: 'session_revoked', at: T0, targetUserId: userId, detail });
    await two.appendAudit({ workspaceId, type: 'member_disabled', at: T0 + 1, actorUserId: userId });
    const [latest, previous] = await one.listAudit(workspaceId, { userId, limit: 2 });
    expect(latest).toMatchObject({ type: 'member_disabled', actorUserId: userId, detail: {} });
    expect(previous).toMatchObject({ type: 'session_revoked', targetUserId: userId, sessionId: null, detail });
    expect(typeof previous!.id).toBe('number');
    expect((await one.listAudit(workspaceId, { type: 'session_revoked', before: { at: previous!.at, id: previous!.id + 1 }, limit: 5 })).every((e) => e.type === 'session_revoked')).toBe(true);
  });
});
