import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { describeAuditEvent } from '../../shared/api/audit-text.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { call, CHROME_MAC, createApiToken, signIn, viaCookie, type SignedIn } from '../support/api.js';
import { openEventStream } from '../support/event-stream.js';
import { SoftAuthenticator } from '../support/soft-authenticator.js';
import { sqlRow, sqlRows } from '../support/sql.js';
import { createOtherFirm } from '../support/workspaces.js';

let server: TestServer;
afterEach(() => server?.close());

const PASSWORD = 'demo-pass-2026';
const ua = { 'user-agent': CHROME_MAC };

async function enrol(who: SignedIn, key: SoftAuthenticator, name: string): Promise<string> {
  const started = await call(server.url, 'POST', '/api/v1/me/passkeys/options', { headers: who.auth });
  const done = await call(server.url, 'POST', '/api/v1/me/passkeys', { headers: who.auth, body: { name, response: key.create(started.body.options) } });
  expect(done.status).toBe(201);
  return done.body.id as string;
}

const list = (who: { auth: Record<string, string> }, userId: string) => call(server.url, 'GET', `/api/v1/admin/members/${encodeURIComponent(userId)}/passkeys`, { headers: who.auth });
const remove = (who: { auth: Record<string, string> }, userId: string, id: string, body: unknown) =>
  call(server.url, 'POST', `/api/v1/admin/members/${encodeURIComponent(userId)}/passkeys/${encodeURIComponent(id)}/remove`, { headers: who.auth, body });

/** Ana has two passkeys (a laptop's and a security key), Ben one; the admin and the manager are signed in. */
async function firm() {
  server = await startTestServer();
  const ana = viaCookie(await signIn(server.url, 'ana@demo.test'));
  const ben = viaCookie(await signIn(server.url, 'ben@demo.test'));
  const admin = viaCookie(await signIn(server.url, 'admin@demo.test'));
  const manager = viaCookie(await signIn(server.url, 'manager@demo.test'));
  const laptop = new SoftAuthenticator(server.url);
  const yubikey = new SoftAuthenticator(server.url);
  const laptopId = await enrol(ana, laptop, 'Work laptop');
  const yubikeyId = await enrol(ana, yubikey, 'YubiKey');
  const benKeyId = await enrol(ben, new SoftAuthenticator(server.url), 'Ben’s phone');
  return { ana, ben, admin, manager, laptop, yubikey, laptopId, yubikeyId, benKeyId, anaId: ana.user.id };
}

async function passwordless(key: SoftAuthenticator) {
  const options = await call(server.url, 'POST', '/api/v1/auth/passkey/options', { body: {}, headers: ua });
  return call(server.url, 'POST', '/api/v1/auth/passkey', { body: { response: key.get(options.body.options) }, headers: ua });
}

describe('a member’s passkeys, for admins and managers', () => {
  it('the role matrix: admins and managers read (no key material), only admins remove; the member, an accountant, an API token and another firm are refused', async () => {
    const { ana, ben, admin, manager, laptopId, anaId } = await firm();

    for (const reader of [admin, manager]) {
      const seen = await list(reader, anaId);
      expect(seen.status).toBe(200);
      expect(seen.body.passkeys.map((p: { name: string }) => p.name)).toEqual(['Work laptop', 'YubiKey']);
      for (const p of seen.body.passkeys) expect(Object.keys(p).sort()).toEqual(['backedUp', 'createdAt', 'id', 'lastUsedAt', 'name']);
    }
    // No credential id, public key or counter in the answer.
    const credentialIds = (await sqlRows<{ credential_id: string }>(server.store, 'SELECT credential_id FROM passkeys')).map((r) => r.credential_id);
    const text = JSON.stringify((await list(admin, anaId)).body);
    for (const id of credentialIds) expect(text).not.toContain(id);

    // Reading: the member herself and an accountant are not managers.
    for (const who of [ana, ben]) expect([(await list(who, anaId)).status, (await list(who, anaId)).body.error.code]).toEqual([403, 'forbidden']);
    // Removing: only admins, whatever the proof.
    for (const who of [manager, ben, ana]) {
      const refused = await remove(who, anaId, laptopId, { currentPassword: PASSWORD });
      expect([refused.status, refused.body.error.code]).toEqual([403, 'forbidden']);
    }
    // A script never manages credentials.
    const token = await createApiToken(server.url, admin);
    expect((await list(token, anaId)).body.error.code).toBe('api_token_forbidden');
    expect((await remove(token, anaId, laptopId, { currentPassword: PASSWORD })).body.error.code).toBe('api_token_forbidden');
    // Another firm's admin does not see that Ana exists.
    const other = await createOtherFirm(server.store);
    const otherAdmin = viaCookie(await signIn(server.url, 'admin@other.test', { password: other.password }));
    expect((await list(otherAdmin, anaId)).status).toBe(404);
    expect((await remove(otherAdmin, anaId, laptopId, { currentPassword: other.password })).status).toBe(404);
    // An admin's own passkeys go through the Profile.
    const adminKey = await enrol(admin, new SoftAuthenticator(server.url), 'Admin key');
    const self = await remove(admin, admin.user.id, adminKey, { currentPassword: PASSWORD });
    expect([self.status, self.body.error.code]).toEqual([400, 'invalid_request']);

    // Nothing was removed by any of it.
    expect(await sqlRows(server.store, 'SELECT id FROM passkeys')).toHaveLength(4);
    expect(await sqlRows(server.store, "SELECT id FROM audit_events WHERE type = 'passkey_removed'")).toHaveLength(0);
  });

  it('an admin removes one after their own re-check: it stops working at once, the other stays, the member stays signed in, is told, and the audit names it', async () => {
    const { ana, admin, manager, laptop, yubikey, laptopId, yubikeyId, benKeyId, anaId } = await firm();
    const anaStream = await openEventStream(server.url, ana.auth);

    // The re-check: none, a wrong password, someone else's grant.
    expect((await remove(admin, anaId, laptopId, {})).body.error.code).toBe('invalid_request');
    const wrong = await remove(admin, anaId, laptopId, { currentPassword: 'not-the-password' });
    expect([wrong.status, wrong.body.error.code]).toEqual([403, 'reauth_failed']);
    const managersGrant = await call(server.url, 'POST', '/api/v1/auth/reauth', { headers: manager.auth, body: { password: PASSWORD } });
    expect(managersGrant.status).toBe(200);
    expect((await remove(admin, anaId, laptopId, { reauthGrant: managersGrant.body.grant })).body.error.code).toBe('reauth_grant_invalid');
    // Ben's passkey is not Ana's.
    expect((await remove(admin, anaId, benKeyId, { currentPassword: PASSWORD })).body.error.code).toBe('passkey_not_found');
    expect(await sqlRows(server.store, 'SELECT id FROM passkeys')).toHaveLength(3);

    // A grant from POST /auth/reauth works as the admin's re-check.
    const grant = await call(server.url, 'POST', '/api/v1/auth/reauth', { headers: admin.auth, body: { password: PASSWORD } });
    const done = await remove(admin, anaId, laptopId, { reauthGrant: grant.body.grant });
    expect(done.status).toBe(204);

    // Ana's open screens are told (her Profile rereads its list) and she is still signed in.
    expect((await anaStream.next('account.changed')).data).toEqual({ type: 'account.changed', userId: anaId });
    anaStream.close();
    expect((await call(server.url, 'GET', '/api/v1/me', { headers: ana.auth })).status).toBe(200);
    expect((await call(server.url, 'GET', '/api/v1/me/passkeys', { headers: ana.auth })).body.passkeys.map((p: { id: string }) => p.id)).toEqual([yubikeyId]);
    expect((await list(admin, anaId)).body.passkeys.map((p: { name: string }) => p.name)).toEqual(['YubiKey']);

    // The removed passkey signs nobody in; the other one still does.
    const lost = await passwordless(laptop);
    expect([lost.status, lost.body.error.code]).toEqual([403, 'passkey_invalid']);
    const kept = await passwordless(yubikey);
    expect(kept.status).toBe(200);
    expect(kept.body.user.id).toBe(anaId);

    const audit = await sqlRow<{ actor_user_id: string; target_user_id: string; detail: unknown }>(server.store, "SELECT actor_user_id, target_user_id, detail FROM audit_events WHERE type = 'passkey_removed'");
    expect(audit).toMatchObject({ actor_user_id: admin.user.id, target_user_id: anaId });
    const detail = typeof audit!.detail === 'string' ? audit!.detail : JSON.stringify(audit!.detail);
    expect(JSON.parse(detail)).toEqual({ name: 'Work laptop' });
    expect(detail).not.toContain(PASSWORD);
    // The audit log reads it as a sentence naming the member.
    const log = await call(server.url, 'GET', '/api/v1/admin/audit-events?type=passkey_removed', { headers: admin.auth });
    expect(log.status).toBe(200);
    expect(describeAuditEvent(log.body.events[0])).toBe(`${admin.user.name} removed ${ana.user.name}’s passkey “Work laptop”`);

    // Again: gone (404), not an error of the server, and nothing else removed.
    const again = await remove(admin, anaId, laptopId, { currentPassword: PASSWORD });
    expect([again.status, again.body.error.code]).toEqual([404, 'passkey_not_found']);
    expect(await sqlRows(server.store, 'SELECT id FROM passkeys')).toHaveLength(2);
  });

  it('two removals of one passkey at once: exactly one removes it, the other is told it is gone; one audit row', async () => {
    const { admin, laptopId, anaId } = await firm();
    const answers = await Promise.all([0, 1, 2].map(() => remove(admin, anaId, laptopId, { currentPassword: PASSWORD })));
    expect(answers.map((a) => a.status).sort()).toEqual([204, 404, 404]);
    for (const a of answers.filter((x) => x.status === 404)) expect(a.body.error.code).toBe('passkey_not_found');
    expect(await sqlRows(server.store, "SELECT id FROM audit_events WHERE type = 'passkey_removed'")).toHaveLength(1);
    expect(await sqlRows(server.store, 'SELECT id FROM passkeys')).toHaveLength(2);
  });

  it('random member ids, passkey ids and bodies: always a clear 4xx in the error shape, nothing removed', async () => {
    const { admin, laptopId, anaId } = await firm();
    const ids = fc.oneof(fc.constant(anaId), fc.constant(laptopId), fc.string({ minLength: 1, maxLength: 120 }), fc.constant('../../me'), fc.constant('%00'));
    const bodies = fc.oneof(
      fc.constant({}),
      fc.record({ currentPassword: fc.oneof(fc.string({ maxLength: 1100 }), fc.integer(), fc.constant(null)) }, { requiredKeys: [] }),
      fc.record({ reauthGrant: fc.oneof(fc.string({ maxLength: 300 }), fc.boolean()), code: fc.string({ maxLength: 20 }) }, { requiredKeys: [] }),
      fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue()),
      fc.jsonValue(),
    );
    await fc.assert(
      fc.asyncProperty(ids, ids, bodies, async (userId, id, body) => {
        const res = await remove(admin, userId, id, body);
        expect(res.status, JSON.stringify({ userId, id, body, res: res.body })).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        expect(typeof res.body.error.code).toBe('string');
        expect(typeof res.body.error.message).toBe('string');
        const read = await list(admin, userId);
        expect(read.status).toBeLessThan(500);
      }),
      { numRuns: 40 },
    );
    // The right member and passkey with a wrong password throttle like any re-check, but the passkeys are all there.
    expect(await sqlRows(server.store, 'SELECT id FROM passkeys')).toHaveLength(3);
  });
});
