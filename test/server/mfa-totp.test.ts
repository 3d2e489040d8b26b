import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock, MINUTE_MS } from '../../server/platform/clock.js';
import { totpCodeAt } from '../../server/mfa/totp.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { call, signIn, viaCookie } from '../support/api.js';
import { codeStep, enrolTotp, passwordStep, signInWithTotp } from '../support/mfa.js';
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

/** A server where Ana has an authenticator; the clock is one minute past her enrolment. */
async function anaWithTotp() {
  const clock = new ManualClock();
  const server = await start(clock);
  const ana = viaCookie(await signIn(server.url, 'ana@demo.test'));
  const enrolled = await enrolTotp(server.url, ana, clock);
  clock.advance(MINUTE_MS);
  return { clock, server, ana, ...enrolled };
}

describe('TOTP codes', () => {
  it('window edges: the previous and next 30-second steps are accepted, two steps away is not', async () => {
    const { clock, server, secret } = await anaWithTotp();
    const at = clock.now();
    // Two steps back and two ahead: refused (and they count as failures; well under the limit here).
    for (const offset of [-2 * STEP, 2 * STEP]) {
      const first = await passwordStep(server.url, 'ana@demo.test');
      const res = await codeStep(server.url, first.body.challenge, totpCodeAt(secret, at + offset));
      expect(res.status, `offset ${offset}`).toBe(403);
      expect(res.body.error.code).toBe('mfa_code_invalid');
    }
    // The previous step's code (a code typed as it rolled over), at the very last millisecond of the step after it.
    clock.set(at + 2 * STEP - 1);
    let first = await passwordStep(server.url, 'ana@demo.test');
    expect((await codeStep(server.url, first.body.challenge, totpCodeAt(secret, at - 1))).status).toBe(403); // two steps back from here
    expect((await codeStep(server.url, first.body.challenge, totpCodeAt(secret, at))).status).toBe(200);
    // The next step's code (a phone whose clock runs ahead).
    clock.advance(2 * STEP);
    first = await passwordStep(server.url, 'ana@demo.test');
    expect((await codeStep(server.url, first.body.challenge, totpCodeAt(secret, clock.now() + STEP))).status).toBe(200);
  });

  it('a code works once: replay refused, an older step after a newer one refused too', async () => {
    const { clock, server, secret } = await anaWithTotp();
    const code = totpCodeAt(secret, clock.now());
    const first = await passwordStep(server.url, 'ana@demo.test');
    expect((await codeStep(server.url, first.body.challenge, code)).status).toBe(200);
    const again = await passwordStep(server.url, 'ana@demo.test');
    const replay = await codeStep(server.url, again.body.challenge, code);
    expect(replay.status).toBe(403);
    expect(replay.body.error.code).toBe('mfa_code_invalid');
    // The previous step's code is inside the window but older than the one used: refused (RFC 6238 §5.2).
    expect((await codeStep(server.url, again.body.challenge, totpCodeAt(secret, clock.now() - STEP))).status).toBe(403);
    clock.advance(STEP);
    expect((await codeStep(server.url, again.body.challenge, totpCodeAt(secret, clock.now()))).status).toBe(200);
  });

  it('replay is refused across two servers on one store, and of two parallel uses of one code exactly one wins', async () => {
    const { clock, server, secret } = await anaWithTotp();
    const other = await start(clock, { dbLocation: server.dbLocation, seed: false });
    const code = totpCodeAt(secret, clock.now());
    const a = await passwordStep(server.url, 'ana@demo.test');
    const b = await passwordStep(other.url, 'ana@demo.test');
    expect((await codeStep(server.url, a.body.challenge, code)).status).toBe(200);
    const onOther = await codeStep(other.url, b.body.challenge, code);
    expect(onOther.status).toBe(403);
    expect(onOther.body.error.code).toBe('mfa_code_invalid');

    clock.advance(STEP);
    const next = totpCodeAt(secret, clock.now());
    const challenges = await Promise.all(Array.from({ length: 6 }, (_, i) => passwordStep((i % 2 ? other : server).url, 'ana@demo.test')));
    const answers = await Promise.all(challenges.map((c, i) => codeStep((i % 2 ? other : server).url, c.body.challenge, next)));
    expect(answers.filter((r) => r.status === 200)).toHaveLength(1);
    expect(answers.filter((r) => r.status === 403)).toHaveLength(5);
  });

  it('recovery codes: ten, each works once in place of a code, audited with the method; none stored in clear', async () => {
    const { server, recoveryCodes, ana } = await anaWithTotp();
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    const first = await passwordStep(server.url, 'ana@demo.test');
    const used = await codeStep(server.url, first.body.challenge, recoveryCodes[0]!.toUpperCase());
    expect(used.status).toBe(200);
    const audit = await sqlRow<{ detail: unknown }>(server.store, "SELECT detail FROM audit_events WHERE type = 'sign_in' AND session_id = ?", used.body.session.id);
    expect(JSON.stringify(audit!.detail)).toContain('password+recovery_code');
    const again = await passwordStep(server.url, 'ana@demo.test');
    expect((await codeStep(server.url, again.body.challenge, recoveryCodes[0]!)).status).toBe(403);
    const status = await call(server.url, 'GET', '/api/v1/me/two-factor', { headers: ana.auth });
    expect(status.body).toMatchObject({ enabled: true, recoveryCodesLeft: 9, required: false });
    const rows = JSON.stringify(await sqlRows(server.store, 'SELECT * FROM mfa_recovery_codes'));
    for (const c of recoveryCodes) expect(rows).not.toContain(c);
    expect(await sqlRows(server.store, "SELECT id FROM audit_events WHERE type = 'recovery_code_used'")).toHaveLength(1);
  });

  it('wrong codes count toward the sign-in throttle: after 10 failures the 11th (even the right code, even the password step) is 429', async () => {
    const { clock, server, secret } = await anaWithTotp();
    const first = await passwordStep(server.url, 'ana@demo.test');
    const wrong = await Promise.all(Array.from({ length: 16 }, (_, i) => codeStep(server.url, first.body.challenge, String(100000 + i))));
    expect(wrong.filter((r) => r.status === 403)).toHaveLength(10);
    expect(wrong.filter((r) => r.status === 429)).toHaveLength(6);
    const right = await codeStep(server.url, first.body.challenge, totpCodeAt(secret, clock.now()));
    expect(right.status).toBe(429);
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await passwordStep(server.url, 'ana@demo.test')).status).toBe(429);
    const failed = await sqlRows(server.store, "SELECT detail FROM audit_events WHERE type = 'sign_in_failed'");
    expect(failed).toHaveLength(10);
    expect(JSON.stringify(failed)).toContain('wrong_code');
    clock.advance(15 * MINUTE_MS + 1000);
    expect((await signInWithTotp(server.url, 'ana@demo.test', secret, clock)).user.email).toBe('ana@demo.test');
  });

  it('enrolment: a pending secret needs its first code; a wrong one leaves two-factor off; on already is 409', async () => {
    const clock = new ManualClock();
    const server = await start(clock);
    const ana = viaCookie(await signIn(server.url, 'ana@demo.test'));
    const started = await call(server.url, 'POST', '/api/v1/me/two-factor/totp', { headers: ana.auth });
    expect(started.status).toBe(200);
    expect(started.body.otpauthUri).toMatch(/^otpauth:\/\/totp\/TAB:ana%40demo\.test\?/);
    expect(started.body.qrSvg).toMatch(/^<svg/);
    const bad = await call(server.url, 'POST', '/api/v1/me/two-factor/totp/confirm', { headers: ana.auth, body: { code: '000000' } });
    expect(bad.status).toBe(403);
    expect((await passwordStep(server.url, 'ana@demo.test')).status).toBe(200);
    const ok = await call(server.url, 'POST', '/api/v1/me/two-factor/totp/confirm', { headers: ana.auth, body: { code: totpCodeAt(started.body.secret, clock.now()) } });
    expect(ok.status).toBe(200);
    expect(await sqlRows(server.store, "SELECT id FROM audit_events WHERE type = 'two_factor_enabled' AND actor_user_id = ?", ana.user.id)).toHaveLength(1);
    const twice = await call(server.url, 'POST', '/api/v1/me/two-factor/totp', { headers: ana.auth });
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('mfa_already_enabled');
    // The secret is sealed at rest: neither its base32 nor its bytes are in the row.
    const row = await sqlRow<{ secret_sealed: Buffer }>(server.store, 'SELECT secret_sealed FROM totp_factors');
    expect(Buffer.from(row!.secret_sealed).toString('latin1')).not.toContain(started.body.secret);
  });

  it('disable needs password + code (or a grant); afterwards the password alone signs in', async () => {
    const { clock, server, secret, ana } = await anaWithTotp();
    const noCode = await call(server.url, 'POST', '/api/v1/me/two-factor/disable', { headers: ana.auth, body: { currentPassword: 'demo-pass-2026' } });
    expect(noCode.status).toBe(403);
    expect(noCode.body.error.code).toBe('mfa_code_required');
    const wrongPassword = await call(server.url, 'POST', '/api/v1/me/two-factor/disable', { headers: ana.auth, body: { currentPassword: 'nope-nope-nope', code: totpCodeAt(secret, clock.now()) } });
    expect(wrongPassword.body.error.code).toBe('reauth_failed');
    const ok = await call(server.url, 'POST', '/api/v1/me/two-factor/disable', { headers: ana.auth, body: { currentPassword: 'demo-pass-2026', code: totpCodeAt(secret, clock.now()) } });
    expect(ok.status).toBe(204);
    expect((await passwordStep(server.url, 'ana@demo.test')).status).toBe(200);
    expect(await sqlRows(server.store, 'SELECT user_id FROM mfa_recovery_codes')).toHaveLength(0);
    expect(await sqlRows(server.store, "SELECT id FROM audit_events WHERE type = 'two_factor_disabled'")).toHaveLength(1);
  });
});
