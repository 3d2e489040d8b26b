import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ManualClock, MINUTE_MS } from '../../server/platform/clock.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { call, signIn, viaCookie, type SignedIn } from '../support/api.js';
import { createOtherFirm } from '../support/workspaces.js';
import { followToRedirect, startOidcProvider, type PersonClaims, type TestOidcProvider } from '../support/oidc-provider.js';
import { sqlRows } from '../support/sql.js';

/**
 * Single sign-on with OpenID Connect (issue #15 item 3) and "require SSO"
 * (item 4), against real OpenID providers on loopback ports: one shaped like
 * Google (hd, email_verified) for the demo firm, one like Microsoft Entra ID
 * (issuer under /<tenant>/v2.0, tid + oid) for the other firm. The real Google
 * and Microsoft services are not reachable from here.
 */
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const OTHER_TENANT = '9188040d-6c67-4c5b-b112-36a304b66dad';

let server: TestServer;
let clock: ManualClock;
let google: TestOidcProvider;
let entra: TestOidcProvider;
let admin: SignedIn;
let otherAdmin: SignedIn;
let otherAdminId: string;

beforeAll(async () => {
  // TAB's clock starts at the real time: the providers sign with the real one.
  clock = new ManualClock(Date.now());
  server = await startTestServer({ clock });
  const other = await createOtherFirm(server.store, clock.now());
  otherAdminId = other.users.admin;
  [google, entra] = await Promise.all([startOidcProvider(), startOidcProvider({ path: `/${TENANT}/v2.0` })]);
  admin = viaCookie(await signIn(server.url, 'admin@demo.test'));
  otherAdmin = viaCookie(await signIn(server.url, 'admin@other.test', { password: other.password }));
  const saved = await saveSso(admin, { flavor: 'google', issuer: google.issuer, clientId: google.clientId, clientSecret: google.clientSecret, allowedDomains: ['demo.test'], jitAllowed: false, requireSso: false });
  expect(saved.status).toBe(200);
  const savedEntra = await saveSso(otherAdmin, { flavor: 'entra', issuer: entra.issuer, clientId: entra.clientId, clientSecret: entra.clientSecret, tenantId: TENANT, allowedDomains: ['other.test'], jitAllowed: true, requireSso: false });
  expect(savedEntra.status).toBe(200);
});
afterAll(async () => {
  await server.close();
  await Promise.all([google.close(), entra.close()]);
});

const saveSso = (who: SignedIn, body: Record<string, unknown>) => call(server.url, 'PUT', '/api/v1/admin/sso', { headers: who.auth, body });

const googlePerson = (email: string, extra: Partial<PersonClaims> = {}): PersonClaims => ({
  sub: `google-${email}`, email, email_verified: true, hd: email.split('@')[1], name: email.split('@')[0], ...extra,
});
const entraPerson = (email: string, extra: Partial<PersonClaims> = {}): PersonClaims => ({
  sub: `pairwise-${Math.random()}`, oid: `oid-${email}`, tid: TENANT, email, name: email.split('@')[0], ...extra,
});

interface Round {
  start: { status: number; body: any; binding: string };
  back: URL;
}

/** A browser's first half: TAB's start, then the provider's pages, until it is sent back to /sso/callback. */
async function toCallback(provider: TestOidcProvider, person: PersonClaims, start: Record<string, unknown>, tamper?: (url: URL) => void): Promise<Round> {
  provider.signInAs(person);
  const res = await call(server.url, 'POST', '/api/v1/auth/sso/start', { body: start });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  const binding = /tab_sso=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1] ?? '';
  const url = new URL(res.body.authorizationUrl);
  tamper?.(url);
  const back = await followToRedirect(url.href, `${server.url}/sso/callback`);
  return { start: { ...res, binding }, back };
}

/** The callback page's request: code, state and iss, with the browser's binding cookie. */
const complete = (round: Round, options: { binding?: string | null; state?: string } = {}) =>
  call(server.url, 'POST', '/api/v1/auth/sso/complete', {
    body: { code: round.back.searchParams.get('code'), state: options.state ?? round.back.searchParams.get('state'), ...(round.back.searchParams.get('iss') ? { iss: round.back.searchParams.get('iss') } : {}) },
    headers: options.binding === null ? {} : { cookie: `tab_sso=${options.binding ?? round.start.binding}` },
  });

async function ssoSignIn(provider: TestOidcProvider, person: PersonClaims, start: Record<string, unknown>) {
  return complete(await toCallback(provider, person, start));
}

const auditOf = async (type: string, who = admin) => (await call(server.url, 'GET', `/api/v1/admin/audit-events?type=${type}`, { headers: who.auth })).body.events as any[];

describe('SSO settings (admins, Security page)', () => {
  it('only admins read and change them; the client secret is never answered or audited', async () => {
    const ana = await signIn(server.url, 'ana@demo.test');
    expect((await call(server.url, 'GET', '/api/v1/admin/sso', { headers: ana.auth })).status).toBe(403);
    expect((await saveSso(ana, { flavor: 'generic', issuer: google.issuer, clientId: 'x', allowedDomains: [], jitAllowed: false, requireSso: false })).status).toBe(403);
    const read = await call(server.url, 'GET', '/api/v1/admin/sso', { headers: admin.auth });
    expect(read.body).toMatchObject({ configured: true, flavor: 'google', issuer: google.issuer, hasClientSecret: true, allowedDomains: ['demo.test'], requireSso: false });
    expect(JSON.stringify(read.body)).not.toContain(google.clientSecret);
    const audit = await auditOf('sso_settings_changed');
    expect(audit[0].detail).toMatchObject({ flavor: 'google', newClientSecret: true });
    const rows = await sqlRows(server.store, 'SELECT * FROM sso_configs');
    expect(JSON.stringify(rows)).not.toContain(google.clientSecret);
    expect(Buffer.from(rows[0]!.client_secret_sealed as Uint8Array).toString('latin1')).not.toContain(google.clientSecret);
  });

  it('refuses what cannot work, in the error shape', async () => {
    const base = { flavor: 'generic', issuer: google.issuer, clientId: google.clientId, allowedDomains: ['demo.test'], jitAllowed: false, requireSso: false };
    const cases: [Record<string, unknown>, number, string][] = [
      [{ ...base, issuer: 'http://idp.example.com' }, 400, 'invalid_request'], // plain http off this machine
      [{ ...base, issuer: 'not a url' }, 400, 'invalid_request'],
      [{ ...base, flavor: 'entra' }, 400, 'invalid_request'], // no tenant
      [{ ...base, requireSso: true }, 400, 'invalid_request'], // no break-glass admin
      [{ ...base, requireSso: true, breakGlassUserId: otherAdminId }, 400, 'invalid_request'], // not this workspace's admin
      [{ ...base, allowedDomains: ['not a domain'] }, 400, 'invalid_request'],
      [{ ...base, allowedDomains: ['other.test'] }, 409, 'conflict'], // the other firm's domain
      [{ ...base, issuer: 'http://127.0.0.1:9/nothing' }, 502, 'sso_provider_unreachable'],
    ];
    for (const [body, status, code] of cases) {
      const res = await saveSso(admin, body);
      expect([res.status, res.body.error?.code], JSON.stringify(body)).toEqual([status, code]);
    }
    // Nothing of that was saved.
    expect((await call(server.url, 'GET', '/api/v1/admin/sso', { headers: admin.auth })).body.flavor).toBe('google');
  });

  it('the e-mail-first page learns SSO from the domain only', async () => {
    expect((await call(server.url, 'GET', '/api/v1/auth/sso/discover?email=someone@demo.test')).body).toEqual({ sso: true, required: false });
    expect((await call(server.url, 'GET', '/api/v1/auth/sso/discover?email=someone@nowhere.test')).body).toEqual({ sso: false, required: false });
    const res = await call(server.url, 'POST', '/api/v1/auth/sso/start', { body: { email: 'someone@nowhere.test' } });
    expect([res.status, res.body.error.code]).toEqual([404, 'sso_not_configured']);
  });
});

describe('SSO sign-in, Google-shaped provider', () => {
  it('happy path: links the member with the verified e-mail, audits method oidc, the session works', async () => {
    const res = await ssoSignIn(google, googlePerson('ana@demo.test'), { email: 'ana@demo.test' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.user.email).toBe('ana@demo.test');
    const cookie = /tab_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1];
    expect(cookie).toBeTruthy();
    expect((await call(server.url, 'GET', '/api/v1/me', { headers: { authorization: `Bearer ${res.body.token}` } })).body.user.email).toBe('ana@demo.test');
    const signIns = (await auditOf('sign_in')).filter((e) => e.sessionId === res.body.session.id);
    expect(signIns[0].detail.method).toBe('oidc');
    expect((await auditOf('sso_identity_linked')).map((e) => e.targetName)).toContain('Ana Accountant');
    const identities = await sqlRows(server.store, 'SELECT issuer, subject, email FROM external_identities WHERE subject = ?', 'google-ana@demo.test');
    expect(identities).toEqual([{ issuer: google.issuer, subject: 'google-ana@demo.test', email: 'ana@demo.test' }]);
  });

  it('an identity stays keyed by issuer + subject: a later e-mail change signs in the same member', async () => {
    const res = await ssoSignIn(google, googlePerson('ana@demo.test', { email: 'ana.renamed@demo.test' }), { workspaceId: admin.user.workspaceId });
    expect(res.body.user?.email).toBe('ana@demo.test');
  });

  it('another account naming a member’s e-mail is not her (nOAuth): unverified, or without the firm’s hosted domain', async () => {
    for (const person of [
      googlePerson('ben@demo.test', { sub: 'attacker-1', email_verified: false }),
      googlePerson('ben@demo.test', { sub: 'attacker-2', hd: undefined }), // a consumer Google account
      googlePerson('ben@demo.test', { sub: 'attacker-3', hd: 'elsewhere.test' }),
    ]) {
      const res = await ssoSignIn(google, person, { email: 'ben@demo.test' });
      expect([res.status, res.body.error?.code]).toEqual([403, 'sso_email_unverified']);
    }
    expect(await sqlRows(server.store, "SELECT subject FROM external_identities WHERE subject LIKE 'attacker-%'")).toEqual([]);
  });

  it('JIT off: a verified newcomer of the domain is refused; nobody is created', async () => {
    const res = await ssoSignIn(google, googlePerson('newcomer@demo.test'), { email: 'newcomer@demo.test' });
    expect([res.status, res.body.error?.code]).toEqual([403, 'sso_no_account']);
    expect(await server.store.findUserByEmail('newcomer@demo.test')).toBeUndefined();
  });

  it('a wrong, reused or foreign state is refused; so is a state without its browser', async () => {
    const round = await toCallback(google, googlePerson('ana@demo.test'), { email: 'ana@demo.test' });
    expect((await complete(round, { state: 'made-up-state' })).body.error.code).toBe('sso_state_invalid');
    // Another browser (no binding cookie, or someone else's) cannot finish it: login CSRF.
    expect((await complete(round, { binding: null })).body.error.code).toBe('sso_state_invalid');
    const round2 = await toCallback(google, googlePerson('ana@demo.test'), { email: 'ana@demo.test' });
    expect((await complete(round2, { binding: round.start.binding })).body.error.code).toBe('sso_state_invalid');
    // A state is taken at its first use, even a failed one.
    expect((await complete(round2)).body.error.code).toBe('sso_state_invalid');
  });

  it('one state, many parallel completions: exactly one session', async () => {
    const round = await toCallback(google, googlePerson('ana@demo.test'), { email: 'ana@demo.test' });
    const results = await Promise.all(Array.from({ length: 6 }, () => complete(round)));
    expect(results.map((r) => r.status).sort()).toEqual([200, 400, 400, 400, 400, 400]);
  });

  it('a nonce other than the one TAB sent is refused (an injected code)', async () => {
    const round = await toCallback(google, googlePerson('ana@demo.test'), { email: 'ana@demo.test' }, (url) => url.searchParams.set('nonce', 'another-nonce'));
    const res = await complete(round);
    expect([res.status, res.body.error.code]).toEqual([401, 'sso_token_invalid']);
  });

  it('an expired ID token is refused (TAB’s clock past its exp), and an expired state too', async () => {
    const round = await toCallback(google, googlePerson('ana@demo.test'), { email: 'ana@demo.test' });
    clock.advance(5 * MINUTE_MS); // the provider's ID tokens live 2 minutes; the state 10
    const res = await complete(round);
    expect([res.status, res.body.error.code]).toEqual([401, 'sso_token_invalid']);
    const late = await toCallback(google, googlePerson('ana@demo.test'), { email: 'ana@demo.test' });
    clock.advance(11 * MINUTE_MS);
    expect((await complete(late)).body.error.code).toBe('sso_state_invalid');
    clock.set(Date.now());
  });

  it('a code is good once: replayed with a fresh state it fails at the provider', async () => {
    const round = await toCallback(google, googlePerson('ana@demo.test'), { email: 'ana@demo.test' });
    expect((await complete(round)).status).toBe(200);
    const fresh = await toCallback(google, googlePerson('ana@demo.test'), { email: 'ana@demo.test' });
    const replay = await call(server.url, 'POST', '/api/v1/auth/sso/complete', {
      body: { code: round.back.searchParams.get('code'), state: fresh.back.searchParams.get('state'), iss: fresh.back.searchParams.get('iss') },
      headers: { cookie: `tab_sso=${fresh.start.binding}` },
    });
    expect([replay.status, replay.body.error.code]).toEqual([401, 'sso_token_invalid']);
  });
});

describe('SSO sign-in, Entra-shaped provider', () => {
  it('keys the identity by tenant id + object id; JIT on makes an accountant, audited', async () => {
    const res = await ssoSignIn(entra, entraPerson('newhire@other.test'), { email: 'newhire@other.test' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.user).toMatchObject({ email: 'newhire@other.test', role: 'accountant' });
    const rows = await sqlRows(server.store, 'SELECT subject FROM external_identities WHERE email = ?', 'newhire@other.test');
    expect(rows).toEqual([{ subject: `${TENANT}:oid-newhire@other.test` }]);
    expect((await auditOf('sso_member_created', otherAdmin)).map((e) => e.targetName)).toContain('newhire');
    // Entra's `sub` differs per app; the same oid is the same person.
    const again = await ssoSignIn(entra, entraPerson('newhire@other.test'), { email: 'newhire@other.test' });
    expect(again.body.user.id).toBe(res.body.user.id);
  });

  it('only the configured tenant, and only allowed domains', async () => {
    const foreign = await ssoSignIn(entra, entraPerson('admin@other.test', { tid: OTHER_TENANT }), { email: 'admin@other.test' });
    expect([foreign.status, foreign.body.error.code]).toEqual([403, 'sso_email_unverified']);
    const domain = await ssoSignIn(entra, entraPerson('someone@gmail.test'), { workspaceId: otherAdmin.user.workspaceId });
    expect([domain.status, domain.body.error.code]).toEqual([403, 'sso_domain_not_allowed']);
    expect(await server.store.findUserByEmail('someone@gmail.test')).toBeUndefined();
  });

  it('a disabled member is refused', async () => {
    const otherManager = await server.store.findUserByEmail('manager@other.test');
    await call(server.url, 'POST', `/api/v1/admin/members/${otherManager!.id}/disable`, { headers: otherAdmin.auth });
    const res = await ssoSignIn(entra, entraPerson('manager@other.test'), { email: 'manager@other.test' });
    expect([res.status, res.body.error.code]).toEqual([403, 'account_disabled']);
  });
});

describe('Re-check by single sign-on (max_age=0)', () => {
  async function anaViaSso() {
    const res = await ssoSignIn(google, googlePerson('ana@demo.test'), { email: 'ana@demo.test' });
    expect(res.status).toBe(200);
    return { authorization: `Bearer ${res.body.token}` };
  }
  async function reauthRound(auth: Record<string, string>, person: PersonClaims) {
    google.signInAs(person);
    const start = await call(server.url, 'POST', '/api/v1/auth/sso/reauth/start', { headers: auth, body: {} });
    expect(start.status, JSON.stringify(start.body)).toBe(200);
    const url = new URL(start.body.authorizationUrl);
    expect([url.searchParams.get('max_age'), url.searchParams.get('prompt')]).toEqual(['0', 'login']);
    const binding = /tab_sso=([^;]+)/.exec(start.headers.get('set-cookie') ?? '')?.[1] ?? '';
    const back = await followToRedirect(url.href, `${server.url}/sso/callback`);
    const finish = (headers = auth) =>
      call(server.url, 'POST', '/api/v1/auth/sso/reauth/complete', {
        headers: { ...headers, cookie: `tab_sso=${binding}` },
        body: { code: back.searchParams.get('code'), state: back.searchParams.get('state'), iss: back.searchParams.get('iss') },
      });
    return { back, binding, finish };
  }

  it('the re-check dialog is told to offer the provider by name to a linked member only', async () => {
    const ana = await anaViaSso();
    const options = await call(server.url, 'GET', '/api/v1/me/reauth-options', { headers: ana });
    expect(options.body).toEqual({ totp: false, passkey: false, sso: { provider: 'Google' } });
    const ben = await signIn(server.url, 'ben@demo.test');
    expect((await call(server.url, 'GET', '/api/v1/me/reauth-options', { headers: ben.auth })).body.sso).toBeNull();
  });

  it('a fresh round trip as the linked identity gives a 5-minute grant that a sensitive endpoint takes instead of a password', async () => {
    const ana = await anaViaSso();
    const { finish } = await reauthRound(ana, googlePerson('ana@demo.test'));
    const res = await finish();
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const token = await call(server.url, 'POST', '/api/v1/api-tokens', { headers: ana, body: { name: 'via sso re-check', scopes: ['time:read'], reauthGrant: res.body.grant } });
    expect(token.status, JSON.stringify(token.body)).toBe(201);
  });

  it('another identity at the provider, another session, an old authentication or a sign-in state: no grant', async () => {
    const ana = await anaViaSso();
    const other = await reauthRound(ana, googlePerson('ben@demo.test', { sub: 'google-ben' }));
    expect((await other.finish()).body.error.code).toBe('reauth_failed');
    const stolen = await reauthRound(ana, googlePerson('ana@demo.test'));
    const ben = await signIn(server.url, 'ben@demo.test');
    expect((await stolen.finish(ben.auth)).body.error.code).toBe('sso_state_invalid');
    const slow = await reauthRound(ana, googlePerson('ana@demo.test'));
    clock.advance(MINUTE_MS); // authenticated a minute ago: not "just now" (the ID token itself still lives)
    const late = await slow.finish();
    expect([late.status, late.body.error.code]).toEqual([401, 'sso_token_invalid']);
    clock.set(Date.now());
    const signInRound = await toCallback(google, googlePerson('ana@demo.test'), { email: 'ana@demo.test' });
    const mixed = await call(server.url, 'POST', '/api/v1/auth/sso/reauth/complete', {
      headers: { ...ana, cookie: `tab_sso=${signInRound.start.binding}` },
      body: { code: signInRound.back.searchParams.get('code'), state: signInRound.back.searchParams.get('state') },
    });
    expect(mixed.body.error.code).toBe('sso_state_invalid');
  });
});

describe('Require SSO with a break-glass admin', () => {
  it('refuses password sign-in to members (a wrong password still reads as wrong); the break-glass admin gets in; SSO works', async () => {
    const base = { flavor: 'google', issuer: google.issuer, clientId: google.clientId, allowedDomains: ['demo.test'], jitAllowed: false };
    expect((await saveSso(admin, { ...base, requireSso: true, breakGlassUserId: admin.user.id })).status).toBe(200);
    expect((await call(server.url, 'GET', '/api/v1/auth/sso/discover?email=ana@demo.test')).body).toEqual({ sso: true, required: true });
    const login = (email: string, password = 'demo-pass-2026') => call(server.url, 'POST', '/api/v1/auth/login', { body: { email, password } });
    const refused = await login('ana@demo.test');
    expect([refused.status, refused.body.error.code]).toEqual([403, 'sso_required']);
    expect(refused.headers.get('set-cookie')).toBeNull();
    expect((await login('ana@demo.test', 'wrong-password-1')).body.error.code).toBe('invalid_credentials');
    expect((await login('manager@demo.test')).body.error.code).toBe('sso_required');
    expect((await login('admin@demo.test')).status).toBe(200);
    // Another workspace is not affected.
    expect((await login('admin@other.test', 'other-pass-2026')).status).toBe(200);
    expect((await ssoSignIn(google, googlePerson('ana@demo.test'), { email: 'ana@demo.test' })).status).toBe(200);
    const failures = (await auditOf('sign_in_failed')).filter((e) => e.detail.reason === 'sso_required');
    expect(failures.length).toBe(2);
    expect((await saveSso(admin, { ...base, requireSso: false })).status).toBe(200);
    expect((await login('ana@demo.test')).status).toBe(200);
  });
});

describe('SSO: input and secrets', () => {
  it('random bodies never get a 5xx, always the error shape', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({ code: fc.string({ maxLength: 40 }), state: fc.string({ maxLength: 60 }), iss: fc.option(fc.string({ maxLength: 30 }), { nil: undefined }), appVerifier: fc.option(fc.string({ minLength: 43, maxLength: 60 }), { nil: undefined }) }, { requiredKeys: [] }),
        fc.record({ email: fc.emailAddress(), workspaceId: fc.string({ maxLength: 40 }), client: fc.constantFrom('web', 'desktop', 'x'), redirectUri: fc.webUrl(), appChallenge: fc.base64String({ minLength: 40, maxLength: 44 }) }, { requiredKeys: [] }),
        async (done, start) => {
          for (const res of [
            await call(server.url, 'POST', '/api/v1/auth/sso/complete', { body: done }),
            await call(server.url, 'POST', '/api/v1/auth/sso/start', { body: start }),
          ]) {
            expect(res.status).toBeLessThan(500);
            if (res.status !== 200) expect(typeof res.body.error.code).toBe('string');
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('no client secret, code, state, binding or token in any log line or audit row', async () => {
    const round = await toCallback(google, googlePerson('ana@demo.test'), { email: 'ana@demo.test' });
    const res = await complete(round);
    expect(res.status).toBe(200);
    const audit = JSON.stringify(await sqlRows(server.store, 'SELECT * FROM audit_events'));
    const logs = server.logLines.join('\n');
    expect(logs.length).toBeGreaterThan(100);
    for (const secret of [google.clientSecret, entra.clientSecret, round.back.searchParams.get('code')!, round.back.searchParams.get('state')!, round.start.binding, res.body.token]) {
      expect(audit).not.toContain(secret);
      expect(logs).not.toContain(secret);
    }
  });
});
