import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ManualClock, MINUTE_MS } from '../../server/platform/clock.js';
import { totpCodeAt } from '../../server/mfa/totp.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { call, signIn, viaCookie, type SignedIn } from '../support/api.js';
import { codeStep, enrolTotp, passwordStep, signInWithTotp } from '../support/mfa.js';
import { sqlRows } from '../support/sql.js';

let server: TestServer;
afterEach(() => server?.close());

const STEP = 30_000;
const setPolicy = (admin: SignedIn, requireTwoFactor: string) => call(server.url, 'PUT', '/api/v1/admin/two-factor-policy', { headers: admin.auth, body: { requireTwoFactor } });
const secretOf = (url: string) => url.slice(url.indexOf('#') + 1);

/** A server whose admin has two-factor; the clock a minute on. */
async function adminWithTotp() {
  const clock = new ManualClock();
  server = await startTestServer({ clock });
  const admin = viaCookie(await signIn(server.url, 'admin@demo.test'));
  const { secret } = await enrolTotp(server.url, admin, clock);
  clock.advance(MINUTE_MS);
  return { clock, admin, secret };
}

/** Enrolment at sign-in, acting as the authenticator app: answers the 200 and the secret. */
async function enrolAtSignIn(challenge: string, clock: ManualClock) {
  const started = await call(server.url, 'POST', '/api/v1/auth/login/enrol', { body: { challenge } });
  expect(started.status).toBe(200);
  const done = await call(server.url, 'POST', '/api/v1/auth/login/enrol/confirm', { body: { challenge, code: totpCodeAt(started.body.secret, clock.now()) } });
  return { done, secret: started.body.secret as string };
}

describe('workspace policy: require two-factor', () => {
  it('an admin without two-factor cannot require it (409 mfa_not_enabled); managers and accountants may not set it at all', async () => {
    server = await startTestServer();
    const admin = await signIn(server.url, 'admin@demo.test');
    const refused = await setPolicy(admin, 'everyone');
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('mfa_not_enabled');
    const manager = await signIn(server.url, 'mia@demo.test').catch(() => null);
    if (manager) expect((await setPolicy(manager, 'off')).status).toBe(403);
    const ana = await signIn(server.url, 'ana@demo.test');
    expect((await setPolicy(ana, 'off')).status).toBe(403);
    expect((await call(server.url, 'GET', '/api/v1/admin/two-factor-policy', { headers: ana.auth })).status).toBe(403);
    expect((await setPolicy(admin, 'sometimes')).status).toBe(400);
  });

  it('"everyone": a member without it is sent to enrol at the next sign-in (no session until enrolled); then every sign-in asks for the code', async () => {
    const { clock, admin } = await adminWithTotp();
    const anaBefore = viaCookie(await signIn(server.url, 'ana@demo.test'));
    const set = await setPolicy(admin, 'everyone');
    expect(set.body).toEqual({ requireTwoFactor: 'everyone' });
    // A session that was open stays open.
    expect((await call(server.url, 'GET', '/api/v1/me', { headers: anaBefore.auth })).status).toBe(200);
    expect((await call(server.url, 'GET', '/api/v1/me/two-factor', { headers: anaBefore.auth })).body).toMatchObject({ enabled: false, required: true });

    const sessions = (await sqlRows(server.store, 'SELECT id FROM device_sessions')).length;
    const first = await passwordStep(server.url, 'ana@demo.test');
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ mfaRequired: true, enrolRequired: true, methods: ['totp'] });
    expect(first.headers.get('set-cookie')).toBeNull();
    // The enrolment challenge is not a second step: no code finishes it.
    expect((await codeStep(server.url, first.body.challenge, '123456')).status).toBe(410);
    expect((await sqlRows(server.store, 'SELECT id FROM device_sessions')).length).toBe(sessions);

    const { done, secret } = await enrolAtSignIn(first.body.challenge, clock);
    expect(done.status).toBe(200);
    expect(done.body.recoveryCodes).toHaveLength(10);
    expect(done.body.user.email).toBe('ana@demo.test');
    expect(done.headers.get('set-cookie')).toMatch(/tab_session=/);
    // Single use.
    expect((await call(server.url, 'POST', '/api/v1/auth/login/enrol', { body: { challenge: first.body.challenge } })).status).toBe(410);

    clock.advance(STEP);
    const next = await passwordStep(server.url, 'ana@demo.test');
    expect(next.body).toMatchObject({ mfaRequired: true, enrolRequired: false });
    expect((await codeStep(server.url, next.body.challenge, totpCodeAt(secret, clock.now()))).status).toBe(200);
  });

  it('"admins and managers": accountants sign in with the password; a manager is sent to enrol; "off" ends it', async () => {
    const { admin } = await adminWithTotp();
    expect((await setPolicy(admin, 'admins_managers')).status).toBe(200);
    expect((await passwordStep(server.url, 'ana@demo.test')).status).toBe(200);
    const managers = await sqlRows<{ email: string }>(server.store, "SELECT email FROM users WHERE role = 'manager' LIMIT 1");
    const manager = await passwordStep(server.url, managers[0]!.email);
    expect(manager.status).toBe(202);
    expect(manager.body.enrolRequired).toBe(true);
    expect((await setPolicy(admin, 'off')).status).toBe(200);
    expect((await passwordStep(server.url, managers[0]!.email)).status).toBe(200);
    const audit = await sqlRows(server.store, "SELECT detail FROM audit_events WHERE type = 'two_factor_policy_changed' ORDER BY id");
    expect(audit).toHaveLength(2);
  });

  it('invitation and reset links never sign in past a required or enrolled second factor', async () => {
    const { clock, admin } = await adminWithTotp();
    expect((await setPolicy(admin, 'everyone')).status).toBe(200);
    const invited = await call(server.url, 'POST', '/api/v1/admin/members', { headers: admin.auth, body: { name: 'New Person', email: 'new@demo.test', role: 'accountant' } });
    const accepted = await call(server.url, 'POST', '/api/v1/links/complete', { body: { token: secretOf(invited.body.link.url), password: 'a-long-enough-password' } });
    expect(accepted.status).toBe(202);
    expect(accepted.body).toMatchObject({ mfaRequired: true, enrolRequired: true });
    expect(accepted.headers.get('set-cookie')).toBeNull();
    const { done } = await enrolAtSignIn(accepted.body.challenge, clock);
    expect(done.status).toBe(200);
    const audit = await sqlRows<{ detail: unknown }>(server.store, "SELECT detail FROM audit_events WHERE type = 'sign_in' AND session_id = ?", done.body.session.id);
    const detail = typeof audit[0]!.detail === 'string' ? JSON.parse(audit[0]!.detail) : audit[0]!.detail;
    expect(detail).toMatchObject({ via: 'invitation', method: 'password+totp' });

    // A reset link for someone with two-factor: the challenge, not a session.
    clock.advance(STEP);
    // Ana enrols under "everyone" through her sign-in; then an admin gives her a reset link.
    const anaFirst = await passwordStep(server.url, 'ana@demo.test');
    const { done: ana } = await enrolAtSignIn(anaFirst.body.challenge, clock);
    const reset = await call(server.url, 'POST', `/api/v1/admin/members/${ana.body.user.id}/password-reset`, { headers: admin.auth });
    const used = await call(server.url, 'POST', '/api/v1/links/complete', { body: { token: secretOf(reset.body.url), password: 'another-long-password' } });
    expect(used.status).toBe(202);
    expect(used.body).toMatchObject({ mfaRequired: true, enrolRequired: false });
    expect(used.headers.get('set-cookie')).toBeNull();
  });
});

describe('re-check grants', () => {
  it('POST /auth/reauth (password + code) gives a grant for this session, 5 minutes, accepted instead of the password', async () => {
    const { clock, admin, secret } = await adminWithTotp();
    const other = await signInWithTotp(server.url, 'admin@demo.test', secret, clock);
    clock.advance(STEP);
    const noCode = await call(server.url, 'POST', '/api/v1/auth/reauth', { headers: admin.auth, body: { password: 'demo-pass-2026' } });
    expect(noCode.body.error.code).toBe('mfa_code_required');
    const granted = await call(server.url, 'POST', '/api/v1/auth/reauth', { headers: admin.auth, body: { password: 'demo-pass-2026', code: totpCodeAt(secret, clock.now()) } });
    expect(granted.status).toBe(200);
    const { grant } = granted.body;
    expect(new Date(granted.body.expiresAt).getTime()).toBe(clock.now() + 5 * MINUTE_MS);
    const stored = JSON.stringify(await sqlRows(server.store, 'SELECT * FROM reauth_grants'));
    expect(stored).not.toContain(grant);

    // Another session of the same user cannot use it.
    const elsewhere = await call(server.url, 'POST', '/api/v1/api-tokens', { headers: other.auth, body: { name: 'x', scopes: ['time:read'], reauthGrant: grant } });
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.body.error.code).toBe('reauth_grant_invalid');
    // This session can, for every sensitive action, within the 5 minutes.
    const token = await call(server.url, 'POST', '/api/v1/api-tokens', { headers: admin.auth, body: { name: 'x', scopes: ['time:read'], reauthGrant: grant } });
    expect(token.status).toBe(201);
    clock.advance(5 * MINUTE_MS - 1);
    const pw = await call(server.url, 'POST', '/api/v1/me/password', { headers: admin.auth, body: { reauthGrant: grant, newPassword: 'a-brand-new-password', signOutOtherSessions: false } });
    expect(pw.status).toBe(200);
    clock.advance(1);
    const late = await call(server.url, 'POST', '/api/v1/admin/sessions/revoke-all', { headers: admin.auth, body: { reauthGrant: grant } });
    expect(late.status).toBe(403);
    expect(late.body.error.code).toBe('reauth_grant_invalid');
  });

  it('currentPassword on a two-factor account needs the code too; wrong codes count toward the re-check throttle', async () => {
    const { clock, admin, secret } = await adminWithTotp();
    const body = (extra: object) => ({ name: 'x', scopes: ['time:read'], currentPassword: 'demo-pass-2026', ...extra });
    expect((await call(server.url, 'POST', '/api/v1/api-tokens', { headers: admin.auth, body: body({}) })).body.error.code).toBe('mfa_code_required');
    const wrong = await Promise.all(Array.from({ length: 12 }, (_, i) => call(server.url, 'POST', '/api/v1/api-tokens', { headers: admin.auth, body: body({ code: String(200000 + i) }) })));
    expect(wrong.filter((r) => r.status === 403 && r.body.error.code === 'mfa_code_invalid')).toHaveLength(10);
    expect(wrong.filter((r) => r.status === 429)).toHaveLength(2);
    clock.advance(15 * MINUTE_MS + 1000);
    const ok = await call(server.url, 'POST', '/api/v1/api-tokens', { headers: admin.auth, body: body({ code: totpCodeAt(secret, clock.now()) }) });
    expect(ok.status).toBe(201);
    const failed = await sqlRows(server.store, "SELECT detail FROM audit_events WHERE type = 'reauth_failed'");
    expect(JSON.stringify(failed)).toContain('wrong_code');
  });
});

describe('secrets stay secret; random input never breaks it', () => {
  it('no secret, code, challenge or grant in the logs or the audit log', async () => {
    const { clock, admin, secret } = await adminWithTotp();
    const started = await call(server.url, 'POST', '/api/v1/me/two-factor/totp', { headers: admin.auth });
    expect(started.status).toBe(409);
    clock.advance(STEP);
    const first = await passwordStep(server.url, 'admin@demo.test');
    const code = totpCodeAt(secret, clock.now());
    await codeStep(server.url, first.body.challenge, '000000');
    await codeStep(server.url, first.body.challenge, code);
    clock.advance(STEP);
    const grantCode = totpCodeAt(secret, clock.now());
    const granted = await call(server.url, 'POST', '/api/v1/auth/reauth', { headers: admin.auth, body: { password: 'demo-pass-2026', code: grantCode } });
    const logs = server.logLines.join('\n');
    const audit = JSON.stringify(await sqlRows(server.store, 'SELECT * FROM audit_events'));
    for (const value of [secret, code, grantCode, first.body.challenge, granted.body.grant, 'demo-pass-2026']) {
      expect(logs).not.toContain(value);
      expect(audit).not.toContain(value);
    }
  });

  it('random bodies to the second step, enrolment and re-check: never a 5xx, always the error shape, no session made', async () => {
    const { admin } = await adminWithTotp();
    const before = (await sqlRows(server.store, 'SELECT id FROM device_sessions')).length;
    const paths = ['/api/v1/auth/login/mfa', '/api/v1/auth/login/enrol', '/api/v1/auth/login/enrol/confirm', '/api/v1/auth/reauth', '/api/v1/me/two-factor/totp/confirm', '/api/v1/me/two-factor/disable'];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths), fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.record({ challenge: fc.string({ maxLength: 250 }), code: fc.string({ maxLength: 50 }) })), async (path, body) => {
        const res = await call(server.url, 'POST', path, { headers: admin.auth, body });
        expect(res.status, path).toBeLessThan(500);
        expect(res.status, path).not.toBe(200);
        expect(typeof res.body?.error?.code, path).toBe('string');
      }),
      { numRuns: 60 },
    );
    expect((await sqlRows(server.store, 'SELECT id FROM device_sessions')).length).toBe(before);
  });
});
