import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock, MINUTE_MS } from '../../server/platform/clock.js';
import { totpCodeAt } from '../../server/mfa/totp.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { call, signIn, viaCookie } from '../support/api.js';
import { codeStep, enrolTotp, passwordStep } from '../support/mfa.js';
import { sqlRow, sqlRows } from '../support/sql.js';

let server: TestServer;
afterEach(() => server?.close());

describe('sign-in with a second step (TOTP)', () => {
  it('a member with two-factor gets 202 {mfaRequired, challenge, methods} and no session or cookie; the code finishes it with the usual 200', async () => {
    const clock = new ManualClock();
    server = await startTestServer({ clock });
    const ana = viaCookie(await signIn(server.url, 'ana@demo.test'));
    const { secret } = await enrolTotp(server.url, ana, clock);
    const sessionsBefore = (await sqlRows(server.store, 'SELECT id FROM device_sessions')).length;

    clock.advance(MINUTE_MS);
    const first = await passwordStep(server.url, 'ana@demo.test');
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ mfaRequired: true, methods: ['totp', 'recovery_code'], enrolRequired: false });
    expect(typeof first.body.challenge).toBe('string');
    expect(first.headers.get('set-cookie')).toBeNull();
    expect(first.body.token).toBeUndefined();
    expect((await sqlRows(server.store, 'SELECT id FROM device_sessions')).length).toBe(sessionsBefore);
    // Stored by hash only.
    const stored = await sqlRow<{ n: number }>(server.store, 'SELECT COUNT(*) AS n FROM login_challenges');
    expect(Number(stored!.n)).toBe(1);
    expect(JSON.stringify(await sqlRows(server.store, 'SELECT * FROM login_challenges'))).not.toContain(first.body.challenge);

    const second = await codeStep(server.url, first.body.challenge, totpCodeAt(secret, clock.now()));
    expect(second.status).toBe(200);
    expect(second.body.user.email).toBe('ana@demo.test');
    expect(second.headers.get('set-cookie')).toMatch(/tab_session=/);
    const me = await call(server.url, 'GET', '/api/v1/me', { headers: { authorization: `Bearer ${second.body.token}` } });
    expect(me.status).toBe(200);

    // The challenge is single use.
    clock.advance(30_000);
    const again = await codeStep(server.url, first.body.challenge, totpCodeAt(secret, clock.now()));
    expect(again.status).toBe(410);
    expect(again.body.error.code).toBe('mfa_challenge_expired');

    // The sign-in's audit row records the method.
    const audit = await sqlRow<{ detail: unknown }>(server.store, "SELECT detail FROM audit_events WHERE type = 'sign_in' AND session_id = ?", second.body.session.id);
    const detail = typeof audit!.detail === 'string' ? JSON.parse(audit!.detail) : audit!.detail;
    expect(detail.method).toBe('password+totp');
  });

  it('the challenge expires after 5 minutes', async () => {
    const clock = new ManualClock();
    server = await startTestServer({ clock });
    const ana = viaCookie(await signIn(server.url, 'ana@demo.test'));
    const { secret } = await enrolTotp(server.url, ana, clock);
    clock.advance(MINUTE_MS);
    const first = await passwordStep(server.url, 'ana@demo.test');
    clock.advance(5 * MINUTE_MS);
    const late = await codeStep(server.url, first.body.challenge, totpCodeAt(secret, clock.now()));
    expect(late.status).toBe(410);
    expect(late.body.error.code).toBe('mfa_challenge_expired');
    const unknown = await codeStep(server.url, 'not-a-challenge', '123456');
    expect(unknown.status).toBe(410);
  });

  it('a member without two-factor still signs in with the password alone (audited as `password`)', async () => {
    server = await startTestServer();
    const res = await passwordStep(server.url, 'ana@demo.test');
    expect(res.status).toBe(200);
    const audit = await sqlRow<{ detail: unknown }>(server.store, "SELECT detail FROM audit_events WHERE type = 'sign_in' AND session_id = ?", res.body.session.id);
    const detail = typeof audit!.detail === 'string' ? JSON.parse(audit!.detail) : audit!.detail;
    expect(detail.method).toBe('password');
  });
});
