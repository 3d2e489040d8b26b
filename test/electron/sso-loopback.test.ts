import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { call, signIn } from '../support/api.js';
import { followToRedirect, startOidcProvider, type TestOidcProvider } from '../support/oidc-provider.js';
import { createTestDesktop, memoryKeytar } from './support/desktop.js';
import { keychainAccounts } from '../../electron/credential-store.js';

/**
 * The desktop's single sign-on (issue #15 item 3, RFC 8252) in Node: the
 * main-process AuthController opens the "system browser" (here: a client
 * that follows the real local provider's redirects, then lands on the app's
 * loopback listener), catches the code on http://127.0.0.1:<port>/callback
 * and has TAB exchange it, with its app verifier. No embedded window, no
 * browser cookie: the session's cookie and JWT go to the keychain as for a
 * password sign-in. Electron's shell.openExternal is the one part stood in for.
 */
let server: TestServer;
let provider: TestOidcProvider;

beforeAll(async () => {
  [server, provider] = await Promise.all([startTestServer(), startOidcProvider()]);
  const admin = await signIn(server.url, 'admin@demo.test');
  const saved = await call(server.url, 'PUT', '/api/v1/admin/sso', {
    headers: admin.auth,
    body: { flavor: 'google', issuer: provider.issuer, clientId: provider.clientId, clientSecret: provider.clientSecret, allowedDomains: ['demo.test'], jitAllowed: false, requireSso: true, breakGlassUserId: admin.user.id },
  });
  expect(saved.status).toBe(200);
});
afterAll(async () => {
  await server.close();
  await provider.close();
});

/** A system browser: the provider's pages, then the redirect to the app's loopback address. */
const systemBrowser = (seen: string[], before?: (callback: URL) => Promise<void>) => async (url: string) => {
  seen.push(url);
  const redirect = new URL(url).searchParams.get('redirect_uri')!;
  const callback = await followToRedirect(url, redirect);
  await before?.(callback);
  void fetch(callback.href);
};

describe('desktop single sign-on through the system browser', () => {
  it('signs in with a loopback redirect; main keeps the credentials; the session is a desktop one, audited as oidc', async () => {
    provider.signInAs({ sub: 'google-ana', email: 'ana@demo.test', email_verified: true, hd: 'demo.test', name: 'Ana' });
    const keytar = memoryKeytar();
    const opened: string[] = [];
    const desktop = createTestDesktop({ serverUrl: server.url, keytar, openExternal: systemBrowser(opened) });
    await desktop.controller.start();
    const view = await desktop.controller.signInWithSso({ email: 'ana@demo.test' });
    expect(view.user.email).toBe('ana@demo.test');
    expect(view.session.clientKind).toBe('desktop');
    expect(view.session.label).toBe('Ana’s Laptop');
    // Opened in the browser: the provider's own page, with PKCE toward the provider and a loopback redirect.
    const authorize = new URL(opened[0]!);
    expect(authorize.origin).toBe(new URL(provider.issuer).origin);
    expect(authorize.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    // The credentials are main's, in the keychain, as after a password sign-in.
    expect(keytar.items.size).toBe(Object.keys(keychainAccounts(server.url)).length);
    const me = await desktop.controller.send({ method: 'GET', path: '/api/v1/me' });
    expect((me as { user: { email: string } }).user.email).toBe('ana@demo.test');
    const audit = await call(server.url, 'GET', '/api/v1/admin/audit-events?type=sign_in', { headers: (await signIn(server.url, 'admin@demo.test')).auth });
    const row = audit.body.events.find((e: { sessionId: string }) => e.sessionId === view.session.id);
    expect(row.detail).toMatchObject({ method: 'oidc', client: 'desktop' });
    // Nothing of the sign-in's secrets in main's log.
    const log = desktop.logLines.join('\n');
    expect(log).not.toContain(authorize.searchParams.get('state')!);
    await desktop.controller.signOut();
  });

  it('a code caught on the loopback by another program cannot be redeemed without the app’s verifier; a stray request is ignored', async () => {
    provider.signInAs({ sub: 'google-ana', email: 'ana@demo.test', email_verified: true, hd: 'demo.test' });
    const stolen: { status?: number; code?: string } = {};
    const desktop = createTestDesktop({
      serverUrl: server.url,
      keytar: memoryKeytar(),
      openExternal: systemBrowser([], async (callback) => {
        // Another program knocks first with a made-up state: answered 404, the sign-in goes on.
        const stray = await fetch(`${callback.origin}/callback?code=x&state=forged`);
        expect(stray.status).toBe(404);
        // It also saw the real redirect and tries to finish the sign-in itself, without the verifier.
        const res = await call(server.url, 'POST', '/api/v1/auth/sso/complete', {
          body: { code: callback.searchParams.get('code'), state: callback.searchParams.get('state'), iss: callback.searchParams.get('iss') },
        });
        stolen.status = res.status;
        stolen.code = res.body.error.code;
      }),
    });
    await desktop.controller.start();
    await expect(desktop.controller.signInWithSso({ email: 'ana@demo.test' })).rejects.toMatchObject({ code: 'sso_state_invalid' });
    expect(stolen).toEqual({ status: 400, code: 'sso_state_invalid' });
    expect(desktop.controller.current.status).toBe('signed-out');
  });

  it('a redirect that is not a loopback IP literal is refused at start', async () => {
    for (const redirectUri of ['http://localhost:5000/callback', 'http://evil.example/callback', 'https://127.0.0.1:5000/callback', 'http://127.0.0.1:5000/other']) {
      const res = await call(server.url, 'POST', '/api/v1/auth/sso/start', { body: { email: 'ana@demo.test', client: 'desktop', redirectUri, appChallenge: 'a'.repeat(43) } });
      expect([res.status, res.body.error.code], redirectUri).toEqual([400, 'invalid_request']);
    }
  });
});
