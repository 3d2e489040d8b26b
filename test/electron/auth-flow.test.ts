/**
 * The desktop main-process modules (auth state machine, server client,
 * credential store, event-stream listener) against the real server on a temp
 * database. The keychain is the OS one under scripts/with-keyring.sh, a Map
 * elsewhere (the credential-store tests cover the real keychain on their own).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { RestartableServer, type RunningServer } from './support/server.js';
import { createTestDesktop, memoryKeytar, testKeychain, type TestDesktop } from './support/desktop.js';
import { call, signIn as webSignIn } from '../support/api.js';
import { keychainAccounts, KEYCHAIN_SERVICE, MEMORY_NOTICE, type KeytarLike } from '../../electron/credential-store.js';
import type { Session } from '../../shared/api/sessions.js';
import { totpCodeAt } from '../../server/mfa/totp.js';

const PASSWORD = 'demo-pass-2026';
const keychain = testKeychain();
if (!keychain.real) console.log(`[auth-flow] using an in-memory keytar: ${keychain.skipReason}`);

let server: RestartableServer;
let running: RunningServer;
const desktops: TestDesktop[] = [];

function desktop(options: { keytar?: KeytarLike | null; dataDir?: string } = {}): TestDesktop {
  const d = createTestDesktop({ serverUrl: server.url, keytar: options.keytar === undefined ? keychain.keytar : options.keytar, dataDir: options.dataDir });
  desktops.push(d);
  return d;
}

async function keychainItems(keytar: KeytarLike = keychain.keytar) {
  const accounts = keychainAccounts(server.url);
  return {
    jwt: await keytar.getPassword(KEYCHAIN_SERVICE, accounts.jwt),
    cookie: await keytar.getPassword(KEYCHAIN_SERVICE, accounts.cookie),
  };
}

async function signedInDesktop(email = 'ana@demo.test', options: Parameters<typeof desktop>[0] = {}) {
  const d = desktop(options);
  await d.controller.start();
  const view = await d.controller.signIn({ email, password: PASSWORD });
  if ('secondStep' in view) throw new Error('no second step expected here');
  return { d, view };
}

/** Waits until the server has the desktop's event stream open (so a revocation reaches it). */
async function streamOpen(count = 1) {
  const deadline = Date.now() + 3000;
  while (running.hub.size() < count) {
    if (Date.now() > deadline) throw new Error('the event stream did not connect');
    await new Promise((r) => setTimeout(r, 20));
  }
}

beforeAll(async () => {
  server = new RestartableServer();
  running = await server.start();
});

afterAll(async () => {
  for (const d of desktops) d.controller.dispose();
  await keychain.keytar.deletePassword(KEYCHAIN_SERVICE, keychainAccounts(server.url).jwt).catch(() => false);
  await keychain.keytar.deletePassword(KEYCHAIN_SERVICE, keychainAccounts(server.url).cookie).catch(() => false);
  await server.dispose();
});

describe('desktop sign-in, restore and sign-out', () => {
  it('signs in as a desktop client named after the computer and keeps both secrets in the keychain only', async () => {
    const { d, view } = await signedInDesktop();
    expect(d.controller.current).toMatchObject({ status: 'signed-in', serverUrl: server.url, storage: 'keychain' });
    expect(view.session).toMatchObject({ clientKind: 'desktop', isCurrent: true });
    expect(view.session.label).toContain('Ana’s Laptop');
    const items = await keychainItems();
    expect(items.jwt).toMatch(/^eyJ/);
    expect(items.cookie).toBeTruthy();
    // The renderer's view (and every state it is sent) carries neither secret.
    const shown = JSON.stringify([view, d.states, await d.controller.getState()]);
    expect(shown).not.toContain(items.jwt!);
    expect(shown).not.toContain(items.cookie!);
    // The session's API works through main, with the Bearer it adds.
    const me = await d.controller.send({ method: 'GET', path: '/api/v1/me' });
    expect(me).toMatchObject({ user: { email: 'ana@demo.test' } });
    await d.controller.signOut();
  });

  it('restores the session after a restart (new instances reading the keychain) and checks it with GET /me', async () => {
    const first = await signedInDesktop();
    const sessionId = first.view.session.id;
    first.d.controller.dispose(); // "quit"
    const again = desktop({ dataDir: first.d.dataDir });
    await again.controller.start();
    const state = await again.controller.getState();
    expect(state).toMatchObject({ status: 'signed-in', storage: 'keychain', user: { email: 'ana@demo.test' } });
    expect(state.status === 'signed-in' && state.session?.id).toBe(sessionId);
    await again.controller.signOut();
    expect(await keychainItems()).toEqual({ jwt: null, cookie: null });
  });

  it('signing out calls the server and deletes both items', async () => {
    const { d, view } = await signedInDesktop();
    const web = await webSignIn(server.url, 'ana@demo.test');
    expect(await d.controller.signOut()).toBeNull();
    expect(d.controller.current).toEqual({ status: 'signed-out', serverUrl: server.url, reason: 'signed_out' });
    expect(await keychainItems()).toEqual({ jwt: null, cookie: null });
    const list = await call(server.url, 'GET', '/api/v1/sessions', { headers: web.auth });
    expect((list.body.sessions as Session[]).map((s) => s.id)).not.toContain(view.session.id);
  });

  it('a bad password is refused without storing anything', async () => {
    const d = desktop();
    await d.controller.start();
    await expect(d.controller.signIn({ email: 'ben@demo.test', password: 'wrong-password' })).rejects.toMatchObject({ status: 401, code: 'invalid_credentials' });
    expect(d.controller.current).toMatchObject({ status: 'signed-out', reason: null });
    expect(await keychainItems()).toEqual({ jwt: null, cookie: null });
  });
});

describe('two-factor sign-in on the desktop', () => {
  it('the password step answers a second step (main keeps the challenge, nothing stored); the code signs in and the keychain gets the pair', async () => {
    // The manager turns two-factor on from the web (acting as the authenticator app).
    const web = await webSignIn(server.url, 'manager@demo.test');
    const started = await call(server.url, 'POST', '/api/v1/me/two-factor/totp', { headers: web.auth });
    const secret = started.body.secret as string;
    expect((await call(server.url, 'POST', '/api/v1/me/two-factor/totp/confirm', { headers: web.auth, body: { code: totpCodeAt(secret, Date.now()) } })).status).toBe(200);

    const d = desktop();
    await d.controller.start();
    const first = await d.controller.signIn({ email: 'manager@demo.test', password: PASSWORD });
    expect(first).toEqual({ secondStep: { methods: ['totp', 'recovery_code'], enrolRequired: false } });
    expect(JSON.stringify(first)).not.toMatch(/challenge/);
    expect(d.controller.current).toMatchObject({ status: 'signed-out', reason: null });
    expect(await keychainItems()).toEqual({ jwt: null, cookie: null });
    await expect(d.controller.signInCode({ code: '000000' })).rejects.toMatchObject({ status: 403, code: 'mfa_code_invalid' });
    // The next step's code: the enrolment used this one, and a code works once.
    const view = await d.controller.signInCode({ code: totpCodeAt(secret, Date.now() + 30_000) });
    expect(view.user.email).toBe('manager@demo.test');
    expect(d.controller.current).toMatchObject({ status: 'signed-in' });
    const stored = await keychainItems();
    expect(stored.jwt).toBeTruthy();
    expect(stored.cookie).toBeTruthy();
    // Used: a second code for the same challenge has nothing to finish.
    await expect(d.controller.signInCode({ code: '123456' })).rejects.toMatchObject({ code: 'mfa_challenge_expired' });
    await d.controller.signOut();
  });
});

describe('sign-out on 401', () => {
  it('revoked from another device: the keychain items go and the renderer is told revoked_by_user', async () => {
    const { d, view } = await signedInDesktop();
    await streamOpen();
    const web = await webSignIn(server.url, 'ana@demo.test');
    const started = Date.now();
    const res = await call(server.url, 'DELETE', `/api/v1/sessions/${view.session.id}`, { headers: web.auth });
    expect(res.status).toBe(204);
    const state = await d.waitForState((s) => s.status === 'signed-out', 2000);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(state).toEqual({ status: 'signed-out', serverUrl: server.url, reason: 'revoked_by_user' });
    expect(d.states.at(-1)).toEqual(state);
    expect(await keychainItems()).toEqual({ jwt: null, cookie: null });
    // A renderer call that lands after the revocation repeats the reason (it must not blank the message).
    await expect(d.controller.send({ method: 'GET', path: '/api/v1/sessions' })).rejects.toMatchObject({ status: 401, code: 'session_revoked', reason: 'revoked_by_user' });
    await call(server.url, 'POST', '/api/v1/auth/logout', { headers: web.auth });
  });

  it('a 401 on an API call (revoked without an event) signs out with the reason', async () => {
    const { d, view } = await signedInDesktop();
    await running.deps.store.revokeSession(
      view.session.id,
      { at: Date.now(), by: null, reason: 'revoked_by_admin' },
      { workspaceId: view.user.workspaceId, type: 'session_revoked', at: Date.now(), sessionId: view.session.id },
    );
    await expect(d.controller.send({ method: 'GET', path: '/api/v1/sessions' })).rejects.toMatchObject({ status: 401, code: 'session_revoked', reason: 'revoked_by_admin' });
    expect(d.controller.current).toEqual({ status: 'signed-out', serverUrl: server.url, reason: 'revoked_by_admin' });
    expect(await keychainItems()).toEqual({ jwt: null, cookie: null });
  });

  it('revoked while the app was closed: the restore gets 401 and signs out', async () => {
    const first = await signedInDesktop();
    first.d.controller.dispose();
    const web = await webSignIn(server.url, 'ana@demo.test');
    expect((await call(server.url, 'DELETE', `/api/v1/sessions/${first.view.session.id}`, { headers: web.auth })).status).toBe(204);
    const again = desktop({ dataDir: first.d.dataDir });
    await again.controller.start();
    expect(await again.controller.getState()).toEqual({ status: 'signed-out', serverUrl: server.url, reason: 'revoked_by_user' });
    expect(await keychainItems()).toEqual({ jwt: null, cookie: null });
  });
});

describe('offline is not a sign-out', () => {
  it('server stopped → offline with the credentials kept; server back → signed in again', async () => {
    const { d, view } = await signedInDesktop();
    await streamOpen();
    const before = await keychainItems();
    await running.stop();
    const offline = await d.waitForState((s) => s.status === 'offline', 5000);
    expect(offline).toMatchObject({ status: 'offline', user: { email: 'ana@demo.test' }, storage: 'keychain' });
    expect(await keychainItems()).toEqual(before);
    await expect(d.controller.send({ method: 'GET', path: '/api/v1/me' })).rejects.toMatchObject({ status: 0, code: 'network_error' });
    expect(d.controller.current.status).toBe('offline');

    running = await server.start();
    const back = await d.waitForState((s) => s.status === 'signed-in', 5000);
    expect(back.status === 'signed-in' && back.session?.id).toBe(view.session.id);
    // …and the event stream is back: a revocation still reaches it.
    await streamOpen();
    const web = await webSignIn(server.url, 'ana@demo.test');
    await call(server.url, 'DELETE', `/api/v1/sessions/${view.session.id}`, { headers: web.auth });
    expect(await d.waitForState((s) => s.status === 'signed-out', 2000)).toMatchObject({ reason: 'revoked_by_user' });
  });

  it('a launch while the server is down starts offline with the saved credentials, then recovers', async () => {
    const first = await signedInDesktop();
    first.d.controller.dispose();
    await running.stop();
    const again = desktop({ dataDir: first.d.dataDir });
    await again.controller.start();
    expect(await again.controller.getState()).toMatchObject({ status: 'offline', user: { email: 'ana@demo.test' } });
    expect((await keychainItems()).jwt).toBeTruthy();
    running = await server.start();
    await again.waitForState((s) => s.status === 'signed-in', 5000);
    await again.controller.signOut();
  });

  it('signing out while offline still deletes both items', async () => {
    const { d } = await signedInDesktop();
    await running.stop();
    try {
      await d.waitForState((s) => s.status === 'offline', 5000);
      expect(await d.controller.signOut()).toBeNull();
      expect(d.controller.current).toMatchObject({ status: 'signed-out', reason: 'signed_out' });
      expect(await keychainItems()).toEqual({ jwt: null, cookie: null });
    } finally {
      running = await server.start();
    }
  });
});

describe('no secret on disk or in the logs', () => {
  it('after sign-in, API calls, restore and sign-out the data folder and logs hold neither the token nor the cookie', async () => {
    const { d } = await signedInDesktop('ben@demo.test');
    const { jwt, cookie } = await keychainItems();
    expect(jwt && cookie).toBeTruthy();
    await d.controller.send({ method: 'GET', path: '/api/v1/sessions' });
    await d.controller.send({ method: 'GET', path: '/api/v1/nope' }).catch(() => undefined);
    d.controller.dispose();
    const again = desktop({ dataDir: d.dataDir });
    await again.controller.start();
    expect(again.controller.current.status).toBe('signed-in');

    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else files.push(path);
      }
    };
    walk(d.dataDir);
    expect(files.map((f) => f.slice(d.dataDir.length))).toEqual(expect.arrayContaining(['/settings.json', '/logs/main.log']));
    const haystacks = [...files.map((f) => readFileSync(f, 'utf8')), d.logLines.join('\n'), again.logLines.join('\n'), running.logLines.join('\n')];
    expect(d.logLines.length).toBeGreaterThan(0);
    for (const text of haystacks) {
      expect(text).not.toContain(jwt!);
      expect(text).not.toContain(cookie!);
    }
    await again.controller.signOut();
  });
});

describe('keychain unavailable', () => {
  it('signs in with the secrets in memory only and says so; the next launch is signed out', async () => {
    const broken: KeytarLike = {
      getPassword: async () => {
        throw new Error('Cannot autolaunch D-Bus without X11 $DISPLAY');
      },
      setPassword: async () => {
        throw new Error('Cannot autolaunch D-Bus without X11 $DISPLAY');
      },
      deletePassword: async () => {
        throw new Error('Cannot autolaunch D-Bus without X11 $DISPLAY');
      },
    };
    const { d } = await signedInDesktop('ben@demo.test', { keytar: broken });
    expect(d.controller.current).toMatchObject({ status: 'signed-in', storage: 'memory' });
    expect(d.credentials.notice).toBe(MEMORY_NOTICE);
    expect(d.logLines.join('\n')).toContain('keychain unavailable');
    expect(await d.controller.send({ method: 'GET', path: '/api/v1/me' })).toMatchObject({ user: { email: 'ben@demo.test' } });
    d.controller.dispose();
    const next = desktop({ keytar: broken, dataDir: d.dataDir });
    await next.controller.start();
    expect(await next.controller.getState()).toMatchObject({ status: 'signed-out', reason: null });
  });

  it('keytar that cannot even load (null) works the same way', async () => {
    const { d } = await signedInDesktop('ben@demo.test', { keytar: null });
    expect(d.controller.current).toMatchObject({ status: 'signed-in', storage: 'memory' });
    expect(d.credentials.notice).toBe(MEMORY_NOTICE);
    await d.controller.signOut();
  });

  it('a Map-backed keytar is used as given (sanity check of the test double)', async () => {
    const fake = memoryKeytar();
    const { d } = await signedInDesktop('ben@demo.test', { keytar: fake });
    expect(fake.items.size).toBe(2);
    await d.controller.signOut();
    expect(fake.items.size).toBe(0);
  });
});
