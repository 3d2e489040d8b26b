import { createHash, randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock, MINUTE_MS } from '../../server/platform/clock.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { call, CHROME_MAC, signIn, viaCookie, type SignedIn } from '../support/api.js';
import { passwordStep } from '../support/mfa.js';
import { SoftAuthenticator } from '../support/soft-authenticator.js';
import { sqlRow, sqlRows } from '../support/sql.js';

/**
 * The desktop's passkey sign-in through the system browser (issue #15 item
 * 3), at the API: main's `start` and `complete`, the browser page's
 * `options` and `finish` (a software authenticator stands in for the
 * browser's). Both stores. The main-process side against a real loopback is
 * test/electron/passkey-loopback.test.ts; the page in Chromium,
 * test/e2e/desktop-passkey.test.ts.
 */
let server: TestServer;
afterEach(() => server?.close());

const ua = { 'user-agent': CHROME_MAC };
const REDIRECT = 'http://127.0.0.1:49152/callback';

function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url'), state: randomBytes(32).toString('base64url') };
}

async function enrol(who: SignedIn, key: SoftAuthenticator) {
  const started = await call(server.url, 'POST', '/api/v1/me/passkeys/options', { headers: who.auth });
  const done = await call(server.url, 'POST', '/api/v1/me/passkeys', { headers: who.auth, body: { name: 'Laptop', response: key.create(started.body.options) } });
  expect(done.status).toBe(201);
}

/** Main's start, then the browser: the page's options and the passkey's answer. Answers the loopback redirect's parameters. */
async function throughBrowser(key: SoftAuthenticator, app = pkce(), challenge?: string) {
  const started = await call(server.url, 'POST', '/api/v1/auth/desktop/passkey/start', {
    body: { redirectUri: REDIRECT, appChallenge: app.challenge, state: app.state, deviceName: 'Ana’s Laptop', ...(challenge ? { challenge } : {}) },
  });
  expect(started.status).toBe(200);
  const page = new URL(started.body.browserUrl);
  expect(page.pathname).toBe('/desktop/passkey');
  const handoff = page.hash.slice(1);
  const options = await call(server.url, 'POST', '/api/v1/auth/desktop/passkey/options', { body: { handoff }, headers: ua });
  expect(options.status).toBe(200);
  const finished = await call(server.url, 'POST', '/api/v1/auth/desktop/passkey/finish', { body: { handoff, response: key.get(options.body.options) }, headers: ua });
  return { app, handoff, options, finished, back: finished.status === 200 ? new URL(finished.body.redirectTo) : null };
}

const complete = (code: string | null, appVerifier: string) => call(server.url, 'POST', '/api/v1/auth/desktop/passkey/complete', { body: { code, appVerifier }, headers: { 'user-agent': 'TAB-Desktop/1.0 (Macintosh)' } });

async function signInMethod(sessionId: string): Promise<string> {
  const audit = await sqlRow<{ detail: unknown }>(server.store, "SELECT detail FROM audit_events WHERE type = 'sign_in' AND session_id = ?", sessionId);
  const detail = typeof audit!.detail === 'string' ? JSON.parse(audit!.detail) : audit!.detail;
  return detail.method;
}

describe('desktop passkey sign-in through the system browser', () => {
  it('passwordless: the browser gets only a loopback redirect with a code; main exchanges code + verifier once for a desktop session (`passkey`)', async () => {
    server = await startTestServer();
    const ana = viaCookie(await signIn(server.url, 'ana@demo.test'));
    const key = new SoftAuthenticator(server.url);
    await enrol(ana, key);
    const { app, options, finished, back } = await throughBrowser(key);
    expect(options.body.secondStep).toBe(false);
    expect(options.body.options.userVerification).toBe('required');
    // No session for the browser: no cookie, only where to go.
    expect(finished.headers.get('set-cookie')).toBeNull();
    expect(back!.origin + back!.pathname).toBe(REDIRECT);
    expect(back!.searchParams.get('state')).toBe(app.state);
    const code = back!.searchParams.get('code');

    const done = await complete(code, app.verifier);
    expect(done.status).toBe(200);
    expect(done.headers.get('set-cookie')).toMatch(/tab_session=/);
    expect(done.body.user.email).toBe('ana@demo.test');
    expect(done.body.session).toMatchObject({ clientKind: 'desktop', label: 'Ana’s Laptop' });
    expect(await signInMethod(done.body.session.id)).toBe('passkey');

    // Reused: the code was taken.
    const again = await complete(code, app.verifier);
    expect([again.status, again.body.error.code]).toEqual([400, 'desktop_code_invalid']);
    // Secrets at rest by hash only: nothing of the code, the hand-off or the state's verifier in the table.
    expect(await sqlRows(server.store, 'SELECT * FROM desktop_handoffs')).toHaveLength(0);
  });

  it('a wrong verifier spends the code; an unknown code, an expired one and a finished hand-off are refused', async () => {
    const clock = new ManualClock();
    server = await startTestServer({ clock });
    const ana = viaCookie(await signIn(server.url, 'ana@demo.test'));
    const key = new SoftAuthenticator(server.url);
    await enrol(ana, key);

    // Another program caught the redirect: without the app's verifier the code is useless, and spent.
    const stolen = await throughBrowser(key);
    const code = stolen.back!.searchParams.get('code');
    const rows = await sqlRows<{ code_hash: Buffer }>(server.store, 'SELECT code_hash FROM desktop_handoffs');
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(code!);
    const thief = await complete(code, pkce().verifier);
    expect([thief.status, thief.body.error.code]).toEqual([400, 'desktop_code_invalid']);
    const app = await complete(code, stolen.app.verifier);
    expect([app.status, app.body.error.code]).toEqual([400, 'desktop_code_invalid']);

    // Unknown.
    const unknown = await complete('not-a-code', stolen.app.verifier);
    expect([unknown.status, unknown.body.error.code]).toEqual([400, 'desktop_code_invalid']);

    // Expired: a code lives one minute.
    const slow = await throughBrowser(key);
    clock.advance(MINUTE_MS);
    const late = await complete(slow.back!.searchParams.get('code'), slow.app.verifier);
    expect([late.status, late.body.error.code]).toEqual([400, 'desktop_code_invalid']);

    // The hand-off itself: once a code is issued its page cannot run again, and it expires in 5 minutes.
    const used = await call(server.url, 'POST', '/api/v1/auth/desktop/passkey/options', { body: { handoff: slow.handoff }, headers: ua });
    expect([used.status, used.body.error.code]).toEqual([410, 'passkey_challenge_expired']);
    const app2 = pkce();
    const started = await call(server.url, 'POST', '/api/v1/auth/desktop/passkey/start', { body: { redirectUri: REDIRECT, appChallenge: app2.challenge, state: app2.state } });
    clock.advance(5 * MINUTE_MS);
    const stale = await call(server.url, 'POST', '/api/v1/auth/desktop/passkey/options', { body: { handoff: new URL(started.body.browserUrl).hash.slice(1) }, headers: ua });
    expect(stale.status).toBe(410);
  });

  it('cancel in the browser sends it to the loopback with error=access_denied; bad starts are 4xx', async () => {
    server = await startTestServer();
    const app = pkce();
    const started = await call(server.url, 'POST', '/api/v1/auth/desktop/passkey/start', { body: { redirectUri: REDIRECT, appChallenge: app.challenge, state: app.state } });
    const handoff = new URL(started.body.browserUrl).hash.slice(1);
    const cancelled = await call(server.url, 'POST', '/api/v1/auth/desktop/passkey/cancel', { body: { handoff } });
    expect(cancelled.status).toBe(200);
    const back = new URL(cancelled.body.redirectTo);
    expect([back.searchParams.get('error'), back.searchParams.get('state')]).toEqual(['access_denied', app.state]);
    expect((await call(server.url, 'POST', '/api/v1/auth/desktop/passkey/cancel', { body: { handoff } })).status).toBe(410);

    for (const redirectUri of ['http://localhost:5000/callback', 'https://127.0.0.1:5000/callback', 'http://evil.example/callback']) {
      const res = await call(server.url, 'POST', '/api/v1/auth/desktop/passkey/start', { body: { redirectUri, appChallenge: app.challenge, state: app.state } });
      expect([res.status, res.body.error.code], redirectUri).toEqual([400, 'invalid_request']);
    }
    const badChallenge = await call(server.url, 'POST', '/api/v1/auth/desktop/passkey/start', { body: { redirectUri: REDIRECT, appChallenge: 'short', state: app.state } });
    expect(badChallenge.status).toBe(400);
    const noSuchSignIn = await call(server.url, 'POST', '/api/v1/auth/desktop/passkey/start', { body: { redirectUri: REDIRECT, appChallenge: app.challenge, state: app.state, challenge: 'nope' } });
    expect([noSuchSignIn.status, noSuchSignIn.body.error.code]).toEqual([410, 'mfa_challenge_expired']);
  });

  it('second step: the 202 challenge is carried; the passkey must be that member’s (another’s is refused and audited); then `password+passkey`, once', async () => {
    server = await startTestServer();
    const ana = viaCookie(await signIn(server.url, 'ana@demo.test'));
    const anaKey = new SoftAuthenticator(server.url);
    await enrol(ana, anaKey);
    const ben = viaCookie(await signIn(server.url, 'ben@demo.test'));
    const benKey = new SoftAuthenticator(server.url);
    await enrol(ben, benKey);

    const first = await passwordStep(server.url, 'ana@demo.test', { client: 'desktop', deviceName: 'Ana’s Laptop' });
    expect(first.status).toBe(202);
    // Ben's passkey, offered for Ana's pending sign-in (his authenticator ignores the allow list): refused.
    const app = pkce();
    const started = await call(server.url, 'POST', '/api/v1/auth/desktop/passkey/start', { body: { redirectUri: REDIRECT, appChallenge: app.challenge, state: app.state, challenge: first.body.challenge } });
    const handoff = new URL(started.body.browserUrl).hash.slice(1);
    const options = await call(server.url, 'POST', '/api/v1/auth/desktop/passkey/options', { body: { handoff }, headers: ua });
    expect(options.body.secondStep).toBe(true);
    expect(options.body.options.allowCredentials).toHaveLength(1);
    const foreign = await call(server.url, 'POST', '/api/v1/auth/desktop/passkey/finish', { body: { handoff, response: benKey.get({ ...options.body.options, allowCredentials: [] }) }, headers: ua });
    expect([foreign.status, foreign.body.error.code]).toEqual([403, 'passkey_invalid']);
    const failed = await sqlRows<{ detail: unknown }>(server.store, "SELECT detail FROM audit_events WHERE type = 'sign_in_failed' AND target_user_id = ?", ana.user.id);
    expect(failed.map((r) => (typeof r.detail === 'string' ? JSON.parse(r.detail) : r.detail))).toContainEqual({ reason: 'wrong_passkey', client: 'desktop' });

    const own = await throughBrowser(anaKey, pkce(), first.body.challenge);
    expect(own.finished.status).toBe(200);
    const done = await complete(own.back!.searchParams.get('code'), own.app.verifier);
    expect(done.status).toBe(200);
    expect(done.body.user.email).toBe('ana@demo.test');
    expect(done.body.session).toMatchObject({ clientKind: 'desktop', label: 'Ana’s Laptop' });
    expect(await signInMethod(done.body.session.id)).toBe('password+passkey');
    // The challenge is used: neither a code nor another hand-off can finish it again.
    const code = await call(server.url, 'POST', '/api/v1/auth/login/mfa', { body: { challenge: first.body.challenge, code: '123456' } });
    expect(code.status).toBe(410);
    const restart = await call(server.url, 'POST', '/api/v1/auth/desktop/passkey/start', { body: { redirectUri: REDIRECT, appChallenge: app.challenge, state: app.state, challenge: first.body.challenge } });
    expect(restart.status).toBe(410);
  });

  it('the exchange applies the account’s state at that moment: a workspace that requires SSO refuses it (break-glass admin excepted); a disabled account is refused', async () => {
    server = await startTestServer();
    const admin = viaCookie(await signIn(server.url, 'admin@demo.test'));
    const ana = viaCookie(await signIn(server.url, 'ana@demo.test'));
    const ben = viaCookie(await signIn(server.url, 'ben@demo.test'));
    const keys = { admin: new SoftAuthenticator(server.url), ana: new SoftAuthenticator(server.url), ben: new SoftAuthenticator(server.url) };
    await enrol(admin, keys.admin);
    await enrol(ana, keys.ana);
    await enrol(ben, keys.ben);

    // Ben's passkey verifies in the browser, then an admin disables him before the app exchanges the code.
    const benFlow = await throughBrowser(keys.ben);
    expect((await call(server.url, 'POST', `/api/v1/admin/members/${ben.user.id}/disable`, { headers: admin.auth })).status).toBe(204);
    const disabled = await complete(benFlow.back!.searchParams.get('code'), benFlow.app.verifier);
    expect([disabled.status, disabled.body.error.code]).toEqual([403, 'account_disabled']);

    await server.store.saveSsoConfig(
      {
        workspaceId: admin.user.workspaceId, flavor: 'generic', issuer: 'https://idp.example', clientId: 'tab', clientSecretSealed: Buffer.from('sealed'), tenantId: null,
        allowedDomains: ['demo.test'], jitAllowed: false, requireSso: true, breakGlassUserId: admin.user.id, updatedAt: 0,
      },
      { workspaceId: admin.user.workspaceId, type: 'sso_settings_changed', at: 0, actorUserId: admin.user.id },
    );
    const anaFlow = await throughBrowser(keys.ana);
    const refused = await complete(anaFlow.back!.searchParams.get('code'), anaFlow.app.verifier);
    expect([refused.status, refused.body.error.code]).toEqual([403, 'sso_required']);
    const adminFlow = await throughBrowser(keys.admin);
    const breakGlass = await complete(adminFlow.back!.searchParams.get('code'), adminFlow.app.verifier);
    expect(breakGlass.status).toBe(200);
    expect(breakGlass.body.session.clientKind).toBe('desktop');
  });

  it('a web passwordless ceremony cannot finish a desktop hand-off, nor a desktop one sign in the web', async () => {
    server = await startTestServer();
    const ana = viaCookie(await signIn(server.url, 'ana@demo.test'));
    const key = new SoftAuthenticator(server.url);
    await enrol(ana, key);
    const app = pkce();
    const started = await call(server.url, 'POST', '/api/v1/auth/desktop/passkey/start', { body: { redirectUri: REDIRECT, appChallenge: app.challenge, state: app.state } });
    const handoff = new URL(started.body.browserUrl).hash.slice(1);
    const web = await call(server.url, 'POST', '/api/v1/auth/passkey/options', { body: {}, headers: ua });
    const crossed = await call(server.url, 'POST', '/api/v1/auth/desktop/passkey/finish', { body: { handoff, response: key.get(web.body.options) }, headers: ua });
    expect([crossed.status, crossed.body.error.code]).toEqual([403, 'passkey_invalid']);
    const desktopOptions = await call(server.url, 'POST', '/api/v1/auth/desktop/passkey/options', { body: { handoff }, headers: ua });
    const toWeb = await call(server.url, 'POST', '/api/v1/auth/passkey', { body: { response: key.get(desktopOptions.body.options) }, headers: ua });
    expect([toWeb.status, toWeb.body.error.code]).toEqual([403, 'passkey_invalid']);
    expect(toWeb.headers.get('set-cookie')).toBeNull();
  });
});
