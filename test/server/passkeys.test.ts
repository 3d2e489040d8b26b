import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock, MINUTE_MS } from '../../server/platform/clock.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { call, CHROME_MAC, signIn, viaCookie, type SignedIn } from '../support/api.js';
import { passwordStep } from '../support/mfa.js';
import { SoftAuthenticator } from '../support/soft-authenticator.js';
import { sqlRow, sqlRows } from '../support/sql.js';

let server: TestServer;
afterEach(() => server?.close());

const ua = { 'user-agent': CHROME_MAC };

async function enrol(who: SignedIn, key: SoftAuthenticator, name = 'MacBook Touch ID') {
  const started = await call(server.url, 'POST', '/api/v1/me/passkeys/options', { headers: who.auth });
  expect(started.status).toBe(200);
  const response = key.create(started.body.options);
  const done = await call(server.url, 'POST', '/api/v1/me/passkeys', { headers: who.auth, body: { name, response } });
  return { started, response, done };
}

async function signInMethod(sessionId: string): Promise<string> {
  const audit = await sqlRow<{ detail: unknown }>(server.store, "SELECT detail FROM audit_events WHERE type = 'sign_in' AND session_id = ?", sessionId);
  const detail = typeof audit!.detail === 'string' ? JSON.parse(audit!.detail) : audit!.detail;
  return detail.method;
}

async function passwordless(key: SoftAuthenticator, origin = server.url) {
  const options = await call(server.url, 'POST', '/api/v1/auth/passkey/options', { body: {}, headers: ua });
  expect(options.status).toBe(200);
  expect(options.body.options.allowCredentials ?? []).toEqual([]);
  expect(options.body.options.userVerification).toBe('required');
  const response = key.get(options.body.options, origin);
  return { response, res: await call(server.url, 'POST', '/api/v1/auth/passkey', { body: { response }, headers: ua }) };
}

describe('passkeys (WebAuthn)', () => {
  it('are added from the Profile API (named; public key, counter and transports kept), listed without key material, and the challenge works once', async () => {
    const clock = new ManualClock();
    server = await startTestServer({ clock });
    const ana = viaCookie(await signIn(server.url, 'ana@demo.test'));
    const key = new SoftAuthenticator(server.url);
    const { started, response, done } = await enrol(ana, key);
    expect(done.status).toBe(201);
    expect(done.body).toMatchObject({ name: 'MacBook Touch ID', lastUsedAt: null, backedUp: true });
    expect(started.body.options.authenticatorSelection).toMatchObject({ residentKey: 'required', userVerification: 'required' });

    const list = await call(server.url, 'GET', '/api/v1/me/passkeys', { headers: ana.auth });
    expect(list.body.passkeys).toHaveLength(1);
    expect(JSON.stringify(list.body)).not.toContain('publicKey');
    const row = await sqlRow<{ counter: number; transports: string; public_key: Buffer }>(server.store, 'SELECT counter, transports, public_key FROM passkeys');
    expect(Number(row!.counter)).toBe(0);
    expect(JSON.parse(row!.transports)).toEqual(['internal']);
    expect(Buffer.from(row!.public_key).length).toBeGreaterThan(60);

    // The same answer again: its challenge is gone.
    const replay = await call(server.url, 'POST', '/api/v1/me/passkeys', { headers: ana.auth, body: { name: 'again', response } });
    expect(replay.status).toBe(410);
    expect(replay.body.error.code).toBe('passkey_challenge_expired');
    // Stored by hash only, and taken.
    expect(await sqlRows(server.store, 'SELECT * FROM webauthn_challenges')).toHaveLength(0);

    // An expired registration challenge.
    const late = await call(server.url, 'POST', '/api/v1/me/passkeys/options', { headers: ana.auth });
    clock.advance(5 * MINUTE_MS);
    const lateDone = await call(server.url, 'POST', '/api/v1/me/passkeys', { headers: ana.auth, body: { name: 'late', response: key.create(late.body.options) } });
    expect(lateDone.status).toBe(410);

    // An answer made for another origin (a phishing site) does not verify.
    const phish = await call(server.url, 'POST', '/api/v1/me/passkeys/options', { headers: ana.auth });
    const phished = await call(server.url, 'POST', '/api/v1/me/passkeys', { headers: ana.auth, body: { name: 'phish', response: key.create(phish.body.options, 'https://tab-login.example') } });
    expect(phished.status).toBe(403);
    expect(phished.body.error.code).toBe('passkey_invalid');

    const audit = await sqlRows<{ type: string }>(server.store, "SELECT type FROM audit_events WHERE type = 'passkey_added'");
    expect(audit).toHaveLength(1);
  });

  it('a second factor: the 202 offers `passkey`, the assertion finishes the sign-in (`password+passkey`); challenge and assertion work once; expired refused', async () => {
    const clock = new ManualClock();
    server = await startTestServer({ clock });
    const ana = viaCookie(await signIn(server.url, 'ana@demo.test'));
    const key = new SoftAuthenticator(server.url);
    await enrol(ana, key);

    const first = await passwordStep(server.url, 'ana@demo.test');
    expect(first.status).toBe(202);
    expect(first.body.methods).toEqual(['passkey']);
    const options = await call(server.url, 'POST', '/api/v1/auth/login/passkey/options', { body: { challenge: first.body.challenge }, headers: ua });
    expect(options.status).toBe(200);
    expect(options.body.options.allowCredentials).toHaveLength(1);
    const response = key.get(options.body.options);
    // Two tabs posting one assertion at once: one signs in.
    const [a, b] = (await Promise.all([0, 1].map(() => call(server.url, 'POST', '/api/v1/auth/login/passkey', { body: { challenge: first.body.challenge, response }, headers: ua })))) as [Awaited<ReturnType<typeof call>>, Awaited<ReturnType<typeof call>>];
    expect([a.status, b.status].sort()).toEqual([200, 410]);
    const ok = a.status === 200 ? a : b;
    expect(ok.headers.get('set-cookie')).toMatch(/tab_session=/);
    expect(await signInMethod(ok.body.session.id)).toBe('password+passkey');
    const passkeyRow = await sqlRow<{ counter: number; last_used_at: number }>(server.store, 'SELECT counter, last_used_at FROM passkeys');
    expect(Number(passkeyRow!.counter)).toBe(1);
    expect(Number(passkeyRow!.last_used_at)).toBe(clock.now());

    // Expired: options taken 5 minutes ago.
    const second = await passwordStep(server.url, 'ana@demo.test');
    const options2 = await call(server.url, 'POST', '/api/v1/auth/login/passkey/options', { body: { challenge: second.body.challenge }, headers: ua });
    clock.advance(5 * MINUTE_MS);
    const late = await call(server.url, 'POST', '/api/v1/auth/login/passkey', { body: { challenge: second.body.challenge, response: key.get(options2.body.options) }, headers: ua });
    expect(late.status).toBe(410);

    // Another member's passkey cannot finish Ana's sign-in.
    const ben = viaCookie(await signIn(server.url, 'ben@demo.test'));
    const benKey = new SoftAuthenticator(server.url);
    await enrol(ben, benKey);
    const third = await passwordStep(server.url, 'ana@demo.test');
    const options3 = await call(server.url, 'POST', '/api/v1/auth/login/passkey/options', { body: { challenge: third.body.challenge }, headers: ua });
    const foreign = benKey.get({ ...options3.body.options, allowCredentials: [] });
    const refused = await call(server.url, 'POST', '/api/v1/auth/login/passkey', { body: { challenge: third.body.challenge, response: foreign }, headers: ua });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('passkey_invalid');
  });

  it('passwordless: a discoverable, user-verified passkey signs in alone (`passkey`); no user verification, a wrong origin or a replay is refused', async () => {
    server = await startTestServer();
    const ana = viaCookie(await signIn(server.url, 'ana@demo.test'));
    const key = new SoftAuthenticator(server.url);
    await enrol(ana, key);
    const { response, res } = await passwordless(key);
    expect(res.status).toBe(200);
    expect(res.body.user.email).toBe('ana@demo.test');
    expect(await signInMethod(res.body.session.id)).toBe('passkey');

    const replay = await call(server.url, 'POST', '/api/v1/auth/passkey', { body: { response }, headers: ua });
    expect(replay.status).toBe(410);
    expect(replay.body.error.code).toBe('passkey_challenge_expired');

    const phished = await passwordless(key, 'https://tab-login.example');
    expect(phished.res.status).toBe(403);
    expect(phished.res.body.error.code).toBe('passkey_invalid');

    // A security key that did not verify the user (no PIN, no biometrics) is one factor only.
    const unverified = new SoftAuthenticator(server.url, { userVerified: false });
    Object.assign(unverified.credentials, key.credentials);
    const noUv = await passwordless(unverified);
    expect(noUv.res.status).toBe(403);
    expect(noUv.res.body.error.code).toBe('passkey_invalid');

    // A cloned authenticator (its counter went back) is refused.
    const clone = new SoftAuthenticator(server.url);
    clone.credentials.push({ ...key.credentials[0]!, counter: 0 });
    const cloned = await passwordless(clone);
    expect(cloned.res.status).toBe(403);
  });

  it('passwordless is refused for a workspace that requires single sign-on, except its break-glass admin', async () => {
    server = await startTestServer();
    const admin = viaCookie(await signIn(server.url, 'admin@demo.test'));
    const ana = viaCookie(await signIn(server.url, 'ana@demo.test'));
    const adminKey = new SoftAuthenticator(server.url);
    const anaKey = new SoftAuthenticator(server.url);
    await enrol(admin, adminKey);
    await enrol(ana, anaKey);
    await server.store.saveSsoConfig(
      {
        workspaceId: admin.user.workspaceId,
        flavor: 'generic',
        issuer: 'https://idp.example',
        clientId: 'tab',
        clientSecretSealed: Buffer.from('sealed'),
        tenantId: null,
        allowedDomains: ['demo.test'],
        jitAllowed: false,
        requireSso: true,
        breakGlassUserId: admin.user.id,
        updatedAt: 0,
      },
      { workspaceId: admin.user.workspaceId, type: 'sso_settings_changed', at: 0, actorUserId: admin.user.id },
    );
    const refused = await passwordless(anaKey);
    expect(refused.res.status).toBe(403);
    expect(refused.res.body.error.code).toBe('sso_required');
    const breakGlass = await passwordless(adminKey);
    expect(breakGlass.res.status).toBe(200);
  });

  it('a passkey satisfies the workspace’s two-factor policy, re-checks return a grant, and removing one needs that re-check', async () => {
    server = await startTestServer();
    const admin = viaCookie(await signIn(server.url, 'admin@demo.test'));
    const key = new SoftAuthenticator(server.url);
    await enrol(admin, key, 'YubiKey');
    const policy = await call(server.url, 'PUT', '/api/v1/admin/two-factor-policy', { headers: admin.auth, body: { requireTwoFactor: 'everyone' } });
    expect(policy.status).toBe(200);
    const challenged = await passwordStep(server.url, 'admin@demo.test');
    expect(challenged.body).toMatchObject({ methods: ['passkey'], enrolRequired: false });

    const id = (await call(server.url, 'GET', '/api/v1/me/passkeys', { headers: admin.auth })).body.passkeys[0].id;
    // The password alone is not enough when the only second factor is a passkey.
    const pwOnly = await call(server.url, 'POST', `/api/v1/me/passkeys/${id}/remove`, { headers: admin.auth, body: { currentPassword: 'demo-pass-2026' } });
    expect(pwOnly.status).toBe(403);
    expect(pwOnly.body.error.code).toBe('passkey_required');
    const wrongGrant = await call(server.url, 'POST', `/api/v1/me/passkeys/${id}/remove`, { headers: admin.auth, body: { reauthGrant: 'nope' } });
    expect(wrongGrant.status).toBe(403);

    const options = await call(server.url, 'POST', '/api/v1/auth/reauth/passkey/options', { headers: admin.auth });
    expect(options.status).toBe(200);
    const grant = await call(server.url, 'POST', '/api/v1/auth/reauth/passkey', { headers: admin.auth, body: { response: key.get(options.body.options) } });
    expect(grant.status).toBe(200);
    const removed = await call(server.url, 'POST', `/api/v1/me/passkeys/${id}/remove`, { headers: admin.auth, body: { reauthGrant: grant.body.grant } });
    expect(removed.status).toBe(204);
    expect((await call(server.url, 'GET', '/api/v1/me/passkeys', { headers: admin.auth })).body.passkeys).toEqual([]);
    const again = await call(server.url, 'POST', `/api/v1/me/passkeys/${id}/remove`, { headers: admin.auth, body: { reauthGrant: grant.body.grant } });
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe('passkey_not_found');

    // Nothing secret in the audit or the logs: no challenge, signature, client data or grant.
    const audit = JSON.stringify(await sqlRows(server.store, 'SELECT * FROM audit_events'));
    const logs = server.logLines.join('\n');
    const response = key.get({ ...options.body.options });
    for (const secret of [options.body.options.challenge, grant.body.grant, response.response.signature, key.credentials[0]!.id.toString('base64url')]) {
      expect(audit).not.toContain(secret);
      expect(logs).not.toContain(secret);
    }
    expect(audit).toContain('passkey_removed');
  });

  it('random and malformed answers are clear 4xx errors, never 5xx', async () => {
    server = await startTestServer();
    const ana = viaCookie(await signIn(server.url, 'ana@demo.test'));
    await enrol(ana, new SoftAuthenticator(server.url));
    const anyJson = fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer())));
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    await fc.assert(
      fc.asyncProperty(
        fc.record({ id: fc.string(), rawId: fc.string(), type: fc.string(), response: fc.record({ clientDataJSON: fc.oneof(fc.string(), anyJson.map(b64), fc.record({ challenge: fc.string(), type: fc.string() }).map(b64)), authenticatorData: fc.string(), signature: fc.string() }) }),
        fc.constantFrom('/api/v1/auth/passkey', '/api/v1/auth/login/passkey', '/api/v1/me/passkeys'),
        async (response, path) => {
          const body = path === '/api/v1/auth/login/passkey' ? { challenge: 'x', response } : path === '/api/v1/me/passkeys' ? { name: 'k', response } : { response };
          const res = await call(server.url, 'POST', path, { body, headers: { ...ua, ...ana.auth } });
          expect(res.status).toBeGreaterThanOrEqual(400);
          expect(res.status).toBeLessThan(500);
          expect(typeof res.body.error.code).toBe('string');
        },
      ),
      { numRuns: 60 },
    );
  });
});
