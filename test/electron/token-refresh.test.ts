/**
 * The desktop's access token (15 minutes) against the real server on an
 * injected clock: refreshed ahead of expiry with the cookie, the rotated pair
 * stored in the keychain, once more on token_expired, and a 401 from the
 * refresh taken as a sign-out. The keeper's timer is captured, not waited for.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ManualClock, MINUTE_MS } from '../../server/platform/clock.js';
import { keychainAccounts, KEYCHAIN_SERVICE } from '../../electron/credential-store.js';
import { REFRESH_AHEAD_MS, accessTokenExpiry } from '../../electron/access-token-keeper.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { call, signIn as webSignIn } from '../support/api.js';
import { createTestDesktop, memoryKeytar, type TestDesktop } from './support/desktop.js';

let server: TestServer;
let clock: ManualClock;
let desktop: TestDesktop;
const keytar = memoryKeytar();
/** The keeper's scheduled refreshes: delay and the callback to run. */
let scheduled: { ms: number; run: () => void }[];

beforeEach(async () => {
  clock = new ManualClock(Date.now());
  server = await startTestServer({ clock });
  scheduled = [];
  desktop = createTestDesktop({
    serverUrl: server.url,
    keytar,
    accessTokenTimers: {
      now: () => clock.now(),
      setTimer: (run, ms) => {
        scheduled.push({ run, ms });
        return setTimeout(() => undefined, 0);
      },
      clearTimer: () => undefined,
    },
  });
  await desktop.controller.start();
  await desktop.controller.signIn({ email: 'ana@demo.test', password: 'demo-pass-2026' });
});

afterEach(async () => {
  desktop.controller.dispose();
  await server.close();
});

const stored = async () => {
  const accounts = keychainAccounts(server.url);
  return { jwt: (await keytar.getPassword(KEYCHAIN_SERVICE, accounts.jwt))!, cookie: (await keytar.getPassword(KEYCHAIN_SERVICE, accounts.cookie))! };
};

/** Runs the last scheduled refresh (as its timer would), and waits for the keychain to change. */
async function runScheduledRefresh(before: { jwt: string }) {
  scheduled.at(-1)!.run();
  const deadline = Date.now() + 5000;
  while ((await stored()).jwt === before.jwt) {
    if (Date.now() > deadline) throw new Error('no refresh happened');
    await new Promise((r) => setTimeout(r, 10));
  }
  return stored();
}

describe('desktop access token', () => {
  it('is refreshed ahead of its expiry: the rotated cookie and new JWT are in the keychain, and calls go on with them', async () => {
    const first = await stored();
    const expiry = accessTokenExpiry(first.jwt)!;
    expect(expiry - clock.now()).toBeLessThanOrEqual(15 * MINUTE_MS);
    expect(scheduled.at(-1)!.ms).toBe(expiry - REFRESH_AHEAD_MS - clock.now());

    clock.advance(13 * MINUTE_MS);
    const second = await runScheduledRefresh(first);
    expect(second.cookie).not.toBe(first.cookie);
    expect(accessTokenExpiry(second.jwt)! - clock.now()).toBe(15 * MINUTE_MS - (clock.now() % 1000));
    // The next refresh is scheduled ahead of the new expiry.
    expect(scheduled.at(-1)!.ms).toBe(accessTokenExpiry(second.jwt)! - REFRESH_AHEAD_MS - clock.now());

    clock.advance(5 * MINUTE_MS); // the first token is dead now, the second is not
    expect((await call(server.url, 'GET', '/api/v1/me', { headers: { authorization: `Bearer ${first.jwt}` } })).body.error.code).toBe('token_expired');
    const me = await desktop.controller.send({ method: 'GET', path: '/api/v1/me' });
    expect(me).toMatchObject({ user: { email: 'ana@demo.test' } });
    expect(desktop.controller.current.status).toBe('signed-in');
  });

  it('refreshes once on token_expired (the computer slept through the scheduled refresh) and retries the call', async () => {
    const first = await stored();
    clock.advance(40 * MINUTE_MS);
    const me = await desktop.controller.send({ method: 'GET', path: '/api/v1/me' });
    expect(me).toMatchObject({ user: { email: 'ana@demo.test' } });
    const second = await stored();
    expect(second.jwt).not.toBe(first.jwt);
    expect(second.cookie).not.toBe(first.cookie);
    expect(desktop.controller.current.status).toBe('signed-in');
  });

  it('parallel calls that all meet token_expired share one refresh', async () => {
    const rotations = vi.spyOn(server.store, 'rotateCookie');
    clock.advance(20 * MINUTE_MS);
    const answers = await Promise.all(Array.from({ length: 6 }, () => desktop.controller.send({ method: 'GET', path: '/api/v1/me' })));
    expect(answers).toHaveLength(6);
    expect(rotations).toHaveBeenCalledTimes(1);
    expect(desktop.controller.current.status).toBe('signed-in');
  });

  it('a 401 from the refresh is a sign-out: the keychain is emptied and the reason shown', async () => {
    const web = await webSignIn(server.url, 'ana@demo.test');
    const sessions = await call(server.url, 'GET', '/api/v1/sessions', { headers: web.auth });
    const desktopSession = sessions.body.sessions.find((s: { clientKind: string }) => s.clientKind === 'desktop');
    clock.advance(13 * MINUTE_MS);
    await call(server.url, 'DELETE', `/api/v1/sessions/${desktopSession.id}`, { headers: web.auth });
    scheduled.at(-1)!.run();
    const state = await desktop.waitForState((s) => s.status === 'signed-out');
    expect(state).toMatchObject({ status: 'signed-out', reason: 'revoked_by_user' });
    expect(await keytar.getPassword(KEYCHAIN_SERVICE, keychainAccounts(server.url).cookie)).toBeNull();
  });

  it('signing out after a quiet hour still ends the session on the server (with the cookie, not the expired token)', async () => {
    const { cookie } = await stored();
    clock.advance(60 * MINUTE_MS);
    await desktop.controller.signOut();
    const res = await call(server.url, 'GET', '/api/v1/me', { headers: { cookie: `tab_session=${cookie}` } });
    expect(res.body.error).toMatchObject({ code: 'session_revoked', reason: 'signed_out' });
  });
});
