import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCodeAt } from '../../server/mfa/totp.js';
import { keychainAccounts } from '../../electron/credential-store.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { call, CHROME_MAC, signIn, viaCookie, type SignedIn } from '../support/api.js';
import { SoftAuthenticator } from '../support/soft-authenticator.js';
import { sqlRow } from '../support/sql.js';
import { createTestDesktop, memoryKeytar } from './support/desktop.js';

/**
 * The desktop's passkey sign-in (issue #15 item 3, RFC 8252) in Node: the
 * main-process AuthController starts a hand-off, opens TAB's
 * /desktop/passkey page in the "system browser" (here: a client that does
 * what the page does, with a software authenticator as the browser's), and
 * catches the one-time code on its loopback listener, which it exchanges
 * with its verifier. No embedded window, no browser cookie. The page itself
 * in Chromium is test/e2e/desktop-passkey.test.ts. Also the enrolment a
 * workspace's two-factor policy requires at sign-in, in the app.
 */
let server: TestServer;
let anaKey: SoftAuthenticator;
let benKey: SoftAuthenticator;
const ua = { 'user-agent': CHROME_MAC };

async function enrol(who: SignedIn, key: SoftAuthenticator) {
  const started = await call(server.url, 'POST', '/api/v1/me/passkeys/options', { headers: who.auth });
  const done = await call(server.url, 'POST', '/api/v1/me/passkeys', { headers: who.auth, body: { name: 'Laptop', response: key.create(started.body.options) } });
  expect(done.status).toBe(201);
}

beforeAll(async () => {
  server = await startTestServer();
  anaKey = new SoftAuthenticator(server.url);
  benKey = new SoftAuthenticator(server.url);
  await enrol(viaCookie(await signIn(server.url, 'ana@demo.test')), anaKey);
  await enrol(viaCookie(await signIn(server.url, 'ben@demo.test')), benKey);
});
afterAll(() => server.close());

/**
 * The desktop at a host name, as its default `http://localhost:4000`: the
 * lookup of `localhost` leaves a window in which the event stream, stopped
 * by a sign-out right after sign-in, is aborted while it connects (Node's
 * fetch then keeps the unused connection; the server's close must not wait
 * for it: server/http/close-unused-connections.ts). The browser side stays
 * at 127.0.0.1, like the desktop-passkey page's own tests.
 */
const desktopUrl = () => server.url.replace('//127.0.0.1:', '//localhost:');

/**
 * The system browser on TAB's page: reads the hand-off after `#`, runs the
 * ceremony with `key`, and follows the answer to the app's loopback. With a
 * key the server refuses, the person gives up (Cancel on the page).
 */
const systemBrowser = (key: SoftAuthenticator, seen: string[] = [], ignoreAllowList = false) => async (url: string) => {
  seen.push(url);
  const handoff = new URL(url).hash.slice(1);
  const options = await call(server.url, 'POST', '/api/v1/auth/desktop/passkey/options', { body: { handoff }, headers: ua });
  const response = key.get(ignoreAllowList ? { ...options.body.options, allowCredentials: [] } : options.body.options);
  const finished = await call(server.url, 'POST', '/api/v1/auth/desktop/passkey/finish', { body: { handoff, response }, headers: ua });
  const next = finished.status === 200 ? finished.body : (await call(server.url, 'POST', '/api/v1/auth/desktop/passkey/cancel', { body: { handoff } })).body;
  void fetch(next.redirectTo);
};

async function methodOf(sessionId: string): Promise<unknown> {
  const row = await sqlRow<{ detail: unknown }>(server.store, "SELECT detail FROM audit_events WHERE type = 'sign_in' AND session_id = ?", sessionId);
  return (typeof row!.detail === 'string' ? JSON.parse(row!.detail) : row!.detail).method;
}

describe('desktop passkey sign-in through the system browser', () => {
  it('passwordless: main opens TAB’s page in the browser, catches the code on its loopback and keeps the credentials; audited `passkey`', async () => {
    const keytar = memoryKeytar();
    const opened: string[] = [];
    const desktop = createTestDesktop({ serverUrl: desktopUrl(), keytar, openExternal: systemBrowser(anaKey, opened) });
    await desktop.controller.start();
    const view = await desktop.controller.signInWithPasskey({ step: 'passwordless' });
    expect(view.user.email).toBe('ana@demo.test');
    expect(view.session).toMatchObject({ clientKind: 'desktop', label: 'Ana’s Laptop' });
    expect(await methodOf(view.session.id)).toBe('passkey');
    // TAB's own page, in the browser; the hand-off after `#`.
    const page = new URL(opened[0]!);
    expect(page.origin + page.pathname).toBe(`${desktopUrl()}/desktop/passkey`);
    expect(page.hash.length).toBeGreaterThan(40);
    expect(keytar.items.size).toBe(Object.keys(keychainAccounts(desktopUrl())).length);
    const me = (await desktop.controller.send({ method: 'GET', path: '/api/v1/me' })) as { user: { email: string } };
    expect(me.user.email).toBe('ana@demo.test');
    expect(desktop.logLines.join('\n')).not.toContain(page.hash.slice(1));
    await desktop.controller.signOut();
    await expect.poll(() => server.hub.size()).toBe(0);
  });

  it('second step after the password: main carries the 202 challenge; another member’s passkey is refused and the code still works after', async () => {
    const desktop = createTestDesktop({ serverUrl: desktopUrl(), keytar: memoryKeytar(), openExternal: systemBrowser(benKey, [], true) });
    await desktop.controller.start();
    const step = await desktop.controller.signIn({ email: 'ana@demo.test', password: 'demo-pass-2026' });
    expect(step).toEqual({ secondStep: { methods: ['passkey'], enrolRequired: false } });
    // Ben's passkey for Ana's sign-in: the page refuses it, the person cancels, the app hears so.
    await expect(desktop.controller.signInWithPasskey({ step: 'second' })).rejects.toMatchObject({ code: 'conflict' });
    expect(desktop.controller.current.status).toBe('signed-out');

    // Ana's own passkey then finishes the same pending sign-in.
    const own = createTestDesktop({ serverUrl: desktopUrl(), keytar: memoryKeytar(), openExternal: systemBrowser(anaKey) });
    await own.controller.start();
    expect(await own.controller.signIn({ email: 'ana@demo.test', password: 'demo-pass-2026' })).toMatchObject({ secondStep: { methods: ['passkey'] } });
    const view = await own.controller.signInWithPasskey({ step: 'second' });
    expect(view.user.email).toBe('ana@demo.test');
    expect(await methodOf(view.session.id)).toBe('password+passkey');
    // Used: no second step pending any more.
    await expect(own.controller.signInWithPasskey({ step: 'second' })).rejects.toMatchObject({ code: 'mfa_challenge_expired' });
    await own.controller.signOut();
  });

  it('Cancel in the app stops the wait (the browser tab was closed); a new sign-in works at once', async () => {
    let opened = 0;
    const desktop = createTestDesktop({ serverUrl: desktopUrl(), keytar: memoryKeytar(), openExternal: async () => void opened++ });
    await desktop.controller.start();
    const waiting = desktop.controller.signInWithPasskey({ step: 'passwordless' });
    await expect.poll(() => opened).toBe(1);
    expect(desktop.controller.current.status).toBe('signing-in');
    desktop.controller.cancelBrowserSignIn();
    await expect(waiting).rejects.toMatchObject({ status: 409, code: 'conflict' });
    expect(desktop.controller.current.status).toBe('signed-out');
    const again = createTestDesktop({ serverUrl: desktopUrl(), keytar: memoryKeytar(), openExternal: systemBrowser(anaKey) });
    await again.controller.start();
    expect((await again.controller.signInWithPasskey({ step: 'passwordless' })).user.email).toBe('ana@demo.test');
    await again.controller.signOut();
    // Signed out (and the cancelled one never signed in): no event stream left open at the server.
    await expect.poll(() => server.hub.size()).toBe(0);
  });

  it('a second step without a pending sign-in, or without a browser, is refused before anything opens', async () => {
    const opened: string[] = [];
    const desktop = createTestDesktop({ serverUrl: desktopUrl(), keytar: memoryKeytar(), openExternal: systemBrowser(anaKey, opened) });
    await desktop.controller.start();
    await expect(desktop.controller.signInWithPasskey({ step: 'second' })).rejects.toMatchObject({ status: 410, code: 'mfa_challenge_expired' });
    const noBrowser = createTestDesktop({ serverUrl: desktopUrl(), keytar: memoryKeytar() });
    await noBrowser.controller.start();
    await expect(noBrowser.controller.signInWithPasskey({ step: 'passwordless' })).rejects.toMatchObject({ status: 400, code: 'invalid_request' });
    expect(opened).toEqual([]);
  });

  it('at an IP address (WebAuthn needs a host name) main refuses a passkey sign-in, either step, before anything opens', async () => {
    const opened: string[] = [];
    const desktop = createTestDesktop({ serverUrl: server.url, keytar: memoryKeytar(), openExternal: systemBrowser(anaKey, opened) });
    await desktop.controller.start();
    expect(desktop.controller.current.serverUrl).toMatch(/^http:\/\/127\.0\.0\.1:/);
    await expect(desktop.controller.signInWithPasskey({ step: 'passwordless' })).rejects.toMatchObject({ status: 400, code: 'invalid_request', message: expect.stringMatching(/not an IP address/) });
    expect(desktop.controller.current).toMatchObject({ status: 'signed-out', reason: null });
    // A pending second step is refused too, and kept (the refusal does not end it: a code is still weighed).
    expect(await desktop.controller.signIn({ email: 'ana@demo.test', password: 'demo-pass-2026' })).toMatchObject({ secondStep: { methods: ['passkey'] } });
    await expect(desktop.controller.signInWithPasskey({ step: 'second' })).rejects.toMatchObject({ status: 400, code: 'invalid_request' });
    expect(opened).toEqual([]);
    await expect(desktop.controller.signInCode({ code: '000000' })).rejects.toMatchObject({ code: 'mfa_code_invalid' });
  });

  it('enrolment at sign-in: the workspace requires two-factor, the member has none: the app shows the secret, the first code signs in with recovery codes', async () => {
    const admin = viaCookie(await signIn(server.url, 'admin@demo.test'));
    // The policy never locks its own admin out: the admin has a passkey first.
    await enrol(admin, new SoftAuthenticator(server.url));
    expect((await call(server.url, 'PUT', '/api/v1/admin/two-factor-policy', { headers: admin.auth, body: { requireTwoFactor: 'everyone' } })).status).toBe(200);
    try {
      const desktop = createTestDesktop({ serverUrl: desktopUrl(), keytar: memoryKeytar() });
      await desktop.controller.start();
      // The manager has neither an authenticator nor a passkey.
      expect(await desktop.controller.signIn({ email: 'manager@demo.test', password: 'demo-pass-2026' })).toEqual({ secondStep: { methods: ['totp'], enrolRequired: true } });
      const enrolment = await desktop.controller.signInEnrolStart();
      expect(enrolment.qrSvg).toContain('<svg');
      expect(enrolment.otpauthUri).toMatch(/^otpauth:\/\/totp\//);
      await expect(desktop.controller.signInEnrolConfirm({ code: '000000' })).rejects.toMatchObject({ code: 'mfa_code_invalid' });
      const done = await desktop.controller.signInEnrolConfirm({ code: totpCodeAt(enrolment.secret, Date.now()) });
      expect(done.user.email).toBe('manager@demo.test');
      expect(done.recoveryCodes).toHaveLength(10);
      expect(desktop.controller.current.status).toBe('signed-in');
      // Nothing of the secret or the recovery codes in main's log.
      const log = desktop.logLines.join('\n');
      expect(log).not.toContain(enrolment.secret);
      expect(log).not.toContain(done.recoveryCodes[0]!);
      await desktop.controller.signOut();
    } finally {
      await call(server.url, 'PUT', '/api/v1/admin/two-factor-policy', { headers: admin.auth, body: { requireTwoFactor: 'off' } });
    }
  });
});
