import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock, MINUTE_MS } from '../../server/platform/clock.js';
import { totpCodeAt } from '../../server/mfa/totp.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { call, signIn, viaCookie } from '../support/api.js';
import { codeStep, enrolTotp, passwordStep } from '../support/mfa.js';
import { sqlRow, sqlRows } from '../support/sql.js';

let servers: TestServer[] = [];
afterEach(async () => {
  for (const s of servers.reverse()) await s.close();
  servers = [];
});
async function start(clock: ManualClock, options: Parameters<typeof startTestServer>[0] = {}) {
  const s = await startTestServer({ clock, ...options });
  servers.push(s);
  return s;
}

const STEP = 30_000;
const PASSWORD = 'demo-pass-2026';

/** Ana has an authenticator and is signed in twice; the admin and the manager are signed in. */
async function firm() {
  const clock = new ManualClock();
  const server = await start(clock);
  const ana = viaCookie(await signIn(server.url, 'ana@demo.test'));
  const enrolled = await enrolTotp(server.url, ana, clock);
  const anaPhone = await signInSecondStep(server, clock, enrolled.secret, STEP);
  const admin = viaCookie(await signIn(server.url, 'admin@demo.test'));
  const manager = viaCookie(await signIn(server.url, 'manager@demo.test'));
  const anaId = ana.user.id;
  return { clock, server, ana, anaPhone, admin, manager, anaId, ...enrolled };
}

/** Ana signing in with her app `ahead` ms later (each code works once). */
async function signInSecondStep(server: TestServer, clock: ManualClock, secret: string, ahead: number) {
  clock.advance(ahead);
  const first = await passwordStep(server.url, 'ana@demo.test');
  const second = await codeStep(server.url, first.body.challenge, totpCodeAt(secret, clock.now()));
  expect(second.status).toBe(200);
  return { auth: { authorization: `Bearer ${second.body.token}` } };
}

const reset = (url: string, who: { auth: Record<string, string> }, userId: string, body: Record<string, unknown>) =>
  call(url, 'POST', `/api/v1/admin/members/${userId}/two-factor/reset`, { headers: who.auth, body });

describe('admin reset of a member’s two-factor', () => {
  it('admins only, with their own re-check; removes the app and the codes, signs the member out, audits it without a secret', async () => {
    const { server, clock, ana, anaPhone, admin, manager, anaId, secret, recoveryCodes } = await firm();

    // Managers read the state, but may not reset; the member herself neither.
    const seen = await call(server.url, 'GET', `/api/v1/admin/members/${anaId}/two-factor`, { headers: manager.auth });
    expect(seen.status).toBe(200);
    expect(seen.body).toEqual({ authenticatorApp: true, recoveryCodesLeft: 10, passkeys: 0, required: false });
    expect((await reset(server.url, manager, anaId, { currentPassword: PASSWORD })).body.error.code).toBe('forbidden');
    expect((await call(server.url, 'GET', `/api/v1/admin/members/${anaId}/two-factor`, { headers: ana.auth })).body.error.code).toBe('forbidden');

    // The admin's re-check is required: none, a wrong password, a foreign grant.
    expect((await reset(server.url, admin, anaId, {})).body.error.code).toBe('invalid_request');
    const wrong = await reset(server.url, admin, anaId, { currentPassword: 'not-the-password' });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.code).toBe('reauth_failed');
    const anasGrant = await call(server.url, 'POST', '/api/v1/auth/reauth', { headers: ana.auth, body: { password: PASSWORD, code: totpCodeAt(secret, clock.now() + STEP) } });
    expect(anasGrant.status).toBe(200);
    expect((await reset(server.url, admin, anaId, { reauthGrant: anasGrant.body.grant })).body.error.code).toBe('reauth_grant_invalid');
    // Nothing happened so far.
    expect((await call(server.url, 'GET', '/api/v1/me', { headers: anaPhone.auth })).status).toBe(200);

    const done = await reset(server.url, admin, anaId, { currentPassword: PASSWORD });
    expect(done.status).toBe(200);
    expect(done.body).toEqual({ signedOut: 2, passkeysKept: 0 });

    // Every session of Ana is over at once; the admin's is not.
    for (const who of [ana, anaPhone]) {
      const me = await call(server.url, 'GET', '/api/v1/me', { headers: who.auth });
      expect(me.status).toBe(401);
      expect(me.body.error.reason).toBe('revoked_by_admin');
    }
    expect((await call(server.url, 'GET', '/api/v1/me', { headers: admin.auth })).status).toBe(200);
    expect(await sqlRows(server.store, 'SELECT user_id FROM totp_factors WHERE user_id = ?', anaId)).toHaveLength(0);
    expect(await sqlRows(server.store, 'SELECT user_id FROM mfa_recovery_codes WHERE user_id = ?', anaId)).toHaveLength(0);

    // The password alone signs her in now (no policy), and an old recovery code is nothing.
    expect((await passwordStep(server.url, 'ana@demo.test')).status).toBe(200);
    const back = viaCookie(await signIn(server.url, 'ana@demo.test'));
    expect((await call(server.url, 'GET', '/api/v1/me/two-factor', { headers: back.auth })).body).toMatchObject({ enabled: false, recoveryCodesLeft: 0 });

    const audit = await sqlRow(server.store, "SELECT actor_user_id, target_user_id, detail FROM audit_events WHERE type = 'two_factor_reset'");
    expect(audit).toMatchObject({ actor_user_id: admin.user.id, target_user_id: anaId });
    const detail = typeof audit!.detail === 'string' ? audit!.detail : JSON.stringify(audit!.detail);
    expect(JSON.parse(detail)).toMatchObject({ signedOut: 2 });
    for (const leaked of [secret, PASSWORD, ...recoveryCodes]) expect(detail).not.toContain(leaked);
    // Resetting again: there is nothing to reset.
    expect((await reset(server.url, admin, anaId, { currentPassword: PASSWORD })).body.error.code).toBe('mfa_not_enabled');
  });

  it('with a policy, the member is sent to enrol at the next sign-in; a reset of oneself, another firm’s member and an API token are refused', async () => {
    const { server, clock, admin, anaId } = await firm();
    // The admin needs two-factor to require it of others.
    const adminApp = await enrolTotp(server.url, admin, clock);
    clock.advance(STEP);
    expect((await call(server.url, 'PUT', '/api/v1/admin/two-factor-policy', { headers: admin.auth, body: { requireTwoFactor: 'everyone' } })).status).toBe(200);

    // A grant from POST /auth/reauth works as the admin's re-check.
    const grant = await call(server.url, 'POST', '/api/v1/auth/reauth', { headers: admin.auth, body: { password: PASSWORD, code: totpCodeAt(adminApp.secret, clock.now()) } });
    expect(grant.status).toBe(200);
    expect((await reset(server.url, admin, admin.user.id, { reauthGrant: grant.body.grant })).body.error.code).toBe('invalid_request');
    expect((await reset(server.url, admin, 'no-such-member', { reauthGrant: grant.body.grant })).status).toBe(404);
    expect((await reset(server.url, admin, anaId, { reauthGrant: grant.body.grant })).status).toBe(200);

    const next = await passwordStep(server.url, 'ana@demo.test');
    expect(next.status).toBe(202);
    expect(next.body.enrolRequired).toBe(true);
  });

  it('the reset’s re-check of an admin with two-factor needs the code too', async () => {
    const { server, clock, admin, anaId } = await firm();
    const adminApp = await enrolTotp(server.url, admin, clock);
    clock.advance(STEP);
    const noCode = await reset(server.url, admin, anaId, { currentPassword: PASSWORD });
    expect(noCode.body.error.code).toBe('mfa_code_required');
    const ok = await reset(server.url, admin, anaId, { currentPassword: PASSWORD, code: totpCodeAt(adminApp.secret, clock.now()) });
    expect(ok.status).toBe(200);
  });
});

describe('new recovery codes from the Profile', () => {
  it('needs a re-check; the ten new codes replace every old one at once; audited without a code', async () => {
    const { server, clock, ana, secret, recoveryCodes } = await firm();
    // Use one old code so "left" moves.
    clock.advance(STEP);
    const first = await passwordStep(server.url, 'ana@demo.test');
    expect((await codeStep(server.url, first.body.challenge, recoveryCodes[0]!)).status).toBe(200);
    expect((await call(server.url, 'GET', '/api/v1/me/two-factor', { headers: ana.auth })).body.recoveryCodesLeft).toBe(9);

    const path = '/api/v1/me/two-factor/recovery-codes';
    expect((await call(server.url, 'POST', path, { headers: ana.auth, body: {} })).body.error.code).toBe('invalid_request');
    expect((await call(server.url, 'POST', path, { headers: ana.auth, body: { currentPassword: PASSWORD } })).body.error.code).toBe('mfa_code_required');
    expect((await call(server.url, 'POST', path, { headers: ana.auth, body: { currentPassword: 'wrong-wrong', code: totpCodeAt(secret, clock.now() + STEP) } })).body.error.code).toBe('reauth_failed');
    clock.advance(STEP);
    const made = await call(server.url, 'POST', path, { headers: ana.auth, body: { currentPassword: PASSWORD, code: totpCodeAt(secret, clock.now()) } });
    expect(made.status).toBe(200);
    const fresh = made.body.recoveryCodes as string[];
    expect(fresh).toHaveLength(10);
    expect(new Set(fresh).size).toBe(10);
    expect(fresh.some((c) => recoveryCodes.includes(c))).toBe(false);
    expect((await call(server.url, 'GET', '/api/v1/me/two-factor', { headers: ana.auth })).body.recoveryCodesLeft).toBe(10);

    // An old unused code is refused, a new one works.
    const again = await passwordStep(server.url, 'ana@demo.test');
    expect((await codeStep(server.url, again.body.challenge, recoveryCodes[1]!)).body.error.code).toBe('mfa_code_invalid');
    expect((await codeStep(server.url, again.body.challenge, fresh[0]!)).status).toBe(200);

    const audit = await sqlRow(server.store, "SELECT actor_user_id, target_user_id, detail FROM audit_events WHERE type = 'recovery_codes_regenerated'");
    expect(audit).toMatchObject({ actor_user_id: ana.user.id, target_user_id: ana.user.id });
    for (const leaked of [...fresh, ...recoveryCodes, secret]) expect(JSON.stringify(audit!.detail)).not.toContain(leaked);
  });

  it('without an authenticator app: 409 mfa_not_enabled', async () => {
    const clock = new ManualClock();
    const server = await start(clock);
    const ben = viaCookie(await signIn(server.url, 'ben@demo.test'));
    const res = await call(server.url, 'POST', '/api/v1/me/two-factor/recovery-codes', { headers: ben.auth, body: { currentPassword: PASSWORD } });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('mfa_not_enabled');
  });

  it('two regenerations at once leave exactly one valid set: the codes of one answer work, the other answer’s none', async () => {
    const { server, clock, ana, secret } = await firm();
    // Two grants (each re-check's code once), then both regenerations in parallel.
    const grants: string[] = [];
    for (let i = 0; i < 2; i++) {
      clock.advance(STEP);
      const g = await call(server.url, 'POST', '/api/v1/auth/reauth', { headers: ana.auth, body: { password: PASSWORD, code: totpCodeAt(secret, clock.now()) } });
      expect(g.status).toBe(200);
      grants.push(g.body.grant);
    }
    const answers = await Promise.all(
      grants.map((reauthGrant) => call(server.url, 'POST', '/api/v1/me/two-factor/recovery-codes', { headers: ana.auth, body: { reauthGrant } })),
    );
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    const sets = answers.map((a) => a.body.recoveryCodes as string[]);
    const rows = await sqlRows(server.store, 'SELECT code_hash FROM mfa_recovery_codes WHERE user_id = ?', ana.user.id);
    expect(rows).toHaveLength(10);
    // Exactly one set signs in; try the first code of each.
    clock.advance(MINUTE_MS);
    const works = [];
    for (const set of sets) {
      const step = await passwordStep(server.url, 'ana@demo.test');
      works.push((await codeStep(server.url, step.body.challenge, set[0]!)).status === 200);
    }
    expect(works.filter(Boolean)).toHaveLength(1);
  });
});

describe('re-check options', () => {
  it('name what the person has: the app, passkeys, no single sign-on without a linked identity', async () => {
    const { server, ana } = await firm();
    const res = await call(server.url, 'GET', '/api/v1/me/reauth-options', { headers: ana.auth });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ totp: true, passkey: false, sso: null });
  });
});
