import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { call, createApiToken, signIn, type SignedIn } from '../support/api.js';

/**
 * The scenario: a lost laptop's session A has minted an API token
 * (with the password, as it must now). Each way of signing that person out
 * must stop the token too (an admin's password-reset link as well), except "sign out everywhere else" from the card,
 * which leaves scripts running and says how many tokens still work.
 */
let server: TestServer;
let admin: SignedIn;
let laptop: SignedIn;
let desk: SignedIn;
let token: Awaited<ReturnType<typeof createApiToken>>;

beforeEach(async () => {
  server = await startTestServer();
  admin = await signIn(server.url, 'admin@demo.test');
  laptop = await signIn(server.url, 'ana@demo.test', { client: 'desktop', deviceName: 'Lost laptop' });
  desk = await signIn(server.url, 'ana@demo.test');
  token = await createApiToken(server.url, laptop, { name: 'minted on the laptop' });
  expect((await call(server.url, 'GET', '/api/v1/me', { headers: token.auth })).status).toBe(200);
});
afterEach(() => server.close());

async function tokenRevokedAudit(reason: string) {
  const res = await call(server.url, 'GET', `/api/v1/admin/audit-events?type=api_token_revoked&userId=${laptop.user.id}`, { headers: admin.auth });
  return res.body.events.find((e: { detail: { reason: string; tokenIds: string[] } }) => e.detail.reason === reason && e.detail.tokenIds.includes(token.id));
}

async function expectTokenDead() {
  const res = await call(server.url, 'GET', '/api/v1/me', { headers: token.auth });
  expect(res.status).toBe(401);
  expect(res.body.error.code).toBe('unauthenticated');
  const list = await call(server.url, 'GET', `/api/v1/admin/members/${laptop.user.id}/api-tokens`, { headers: admin.auth });
  expect(list.body.tokens.map((t: { id: string }) => t.id)).not.toContain(token.id);
}

describe('an API token and the four sign-out paths', () => {
  it('a password change with signOutOtherSessions revokes it (reason password_changed)', async () => {
    const res = await call(server.url, 'POST', '/api/v1/me/password', {
      headers: desk.auth,
      body: { currentPassword: 'demo-pass-2026', newPassword: 'a-new-long-password', signOutOtherSessions: true },
    });
    expect(res.status).toBe(200);
    await expectTokenDead();
    expect(await tokenRevokedAudit('password_changed')).toMatchObject({ actorUserId: laptop.user.id, sessionId: desk.session.id, ip: '127.0.0.1' });
  });

  it('a password change without signing out others leaves it working', async () => {
    const res = await call(server.url, 'POST', '/api/v1/me/password', {
      headers: desk.auth,
      body: { currentPassword: 'demo-pass-2026', newPassword: 'a-new-long-password', signOutOtherSessions: false },
    });
    expect(res.status).toBe(200);
    expect((await call(server.url, 'GET', '/api/v1/me', { headers: token.auth })).status).toBe(200);
  });

  it("the admin's 'sign out all sessions' of the member revokes it (reason revoked_by_admin)", async () => {
    const res = await call(server.url, 'DELETE', `/api/v1/admin/members/${laptop.user.id}/sessions`, { headers: admin.auth });
    expect(res.status).toBe(200);
    await expectTokenDead();
    expect(await tokenRevokedAudit('revoked_by_admin')).toMatchObject({ actorUserId: admin.user.id, targetUserId: laptop.user.id });
  });

  it('disabling the member revokes it (reason member_disabled), and it stays dead when the member is enabled again', async () => {
    expect((await call(server.url, 'POST', `/api/v1/admin/members/${laptop.user.id}/disable`, { headers: admin.auth })).status).toBe(204);
    await expectTokenDead();
    expect(await tokenRevokedAudit('member_disabled')).toMatchObject({ actorUserId: admin.user.id });
    expect((await call(server.url, 'POST', `/api/v1/admin/members/${laptop.user.id}/enable`, { headers: admin.auth })).status).toBe(204);
    expect((await call(server.url, 'GET', '/api/v1/me', { headers: token.auth })).status).toBe(401);
  });

  it('an admin’s password-reset link, once used, revokes it (reason password_reset) with the sessions', async () => {
    const issued = await call(server.url, 'POST', `/api/v1/admin/members/${laptop.user.id}/password-reset`, { headers: admin.auth });
    expect(issued.status).toBe(200);
    // Issuing alone changes nothing: the link might never be used.
    expect((await call(server.url, 'GET', '/api/v1/me', { headers: token.auth })).status).toBe(200);
    const secret = issued.body.url.slice(issued.body.url.indexOf('#') + 1);
    expect((await call(server.url, 'POST', '/api/v1/links/complete', { body: { token: secret, password: 'a-long-enough-password' } })).status).toBe(200);
    await expectTokenDead();
    expect(await tokenRevokedAudit('password_reset')).toMatchObject({ targetUserId: laptop.user.id });
    expect((await call(server.url, 'GET', '/api/v1/me', { headers: laptop.auth })).body.error).toMatchObject({ code: 'session_revoked', reason: 'password_reset' });
  });

  it('the workspace revoke-all revokes every token in the workspace (reason workspace_revoked), the admin’s own too', async () => {
    const adminsToken = await createApiToken(server.url, admin, { scopes: ['time:read'] });
    const res = await call(server.url, 'POST', '/api/v1/admin/sessions/revoke-all', { headers: admin.auth, body: { password: 'demo-pass-2026' } });
    expect(res.status).toBe(200);
    await expectTokenDead();
    expect((await call(server.url, 'GET', '/api/v1/me', { headers: adminsToken.auth })).status).toBe(401);
    expect(await tokenRevokedAudit('workspace_revoked')).toMatchObject({ actorUserId: admin.user.id, targetUserId: laptop.user.id });
  });

  it("'sign out everywhere else' does not: the token still works, and the answer counts the live tokens", async () => {
    await createApiToken(server.url, desk, { name: 'second', scopes: ['time:read'] });
    const res = await call(server.url, 'DELETE', '/api/v1/sessions/others', { headers: desk.auth });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ revoked: 1, apiTokens: 2 });
    expect((await call(server.url, 'GET', '/api/v1/me', { headers: laptop.auth })).body.error).toMatchObject({ code: 'session_revoked', reason: 'revoked_by_user' });
    expect((await call(server.url, 'GET', '/api/v1/me', { headers: token.auth })).status).toBe(200);
  });

  it('another member’s tokens are untouched by a member’s sign-out paths', async () => {
    const bens = await createApiToken(server.url, await signIn(server.url, 'ben@demo.test'), { scopes: ['time:read'] });
    await call(server.url, 'DELETE', `/api/v1/admin/members/${laptop.user.id}/sessions`, { headers: admin.auth });
    await call(server.url, 'POST', `/api/v1/admin/members/${laptop.user.id}/disable`, { headers: admin.auth });
    expect((await call(server.url, 'GET', '/api/v1/me', { headers: bens.auth })).status).toBe(200);
  });
});
