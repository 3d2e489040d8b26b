import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT, base64url, decodeJwt } from 'jose';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { call, signIn, type SignedIn } from '../support/api.js';
import { onPostgres } from '../support/test-store.js';
import { jwtKeyPath } from '../../server/security/jwt-secret.js';

let server: TestServer;
let device: SignedIn;
let key: Uint8Array;
beforeAll(async () => {
  server = await startTestServer();
  device = await signIn(server.url, 'ana@demo.test');
  key = server.jwtKey;
});
afterAll(() => server.close());

const me = (token: string) => call(server.url, 'GET', '/api/v1/me', { headers: { authorization: `Bearer ${token}` } });

function sign(claims: Record<string, unknown>, options: { alg?: string; key?: Uint8Array; typ?: string } = {}) {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: options.alg ?? 'HS256', typ: options.typ ?? 'JWT' })
    .sign(options.key ?? key);
}

describe('JWT verification', () => {
  it('accepts the issued token', async () => {
    expect((await me(device.token)).status).toBe(200);
  });

  it('refuses alg "none"', async () => {
    const claims = decodeJwt(device.token);
    const header = base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT' }));
    const payload = base64url.encode(JSON.stringify(claims));
    const res = await me(`${header}.${payload}.`);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthenticated');
  });

  it('refuses another HMAC algorithm, even with the right key', async () => {
    const res = await me(await sign({ ...decodeJwt(device.token) }, { alg: 'HS512', key: new Uint8Array([...key, ...key]) }));
    expect(res.status).toBe(401);
  });

  it('refuses a forged signature (other key) and a tampered payload', async () => {
    expect((await me(await sign({ ...decodeJwt(device.token) }, { key: new Uint8Array(32).fill(7) }))).status).toBe(401);
    const [h, , s] = device.token.split('.');
    const tampered = base64url.encode(JSON.stringify({ ...decodeJwt(device.token), sub: 'someone-else' }));
    expect((await me(`${h}.${tampered}.${s}`)).status).toBe(401);
  });

  it('refuses a wrong audience, a wrong issuer and a missing sid', async () => {
    const base = decodeJwt(device.token);
    for (const claims of [{ ...base, aud: 'other-api' }, { ...base, iss: 'someone' }, { ...base, sid: undefined }]) {
      const res = await me(await sign(claims));
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('unauthenticated');
    }
  });

  it('refuses an expired token even when its session row is still live: 401 token_expired, to refresh and retry', async () => {
    const now = Math.floor(Date.now() / 1000);
    const res = await me(await sign({ ...decodeJwt(device.token), iat: now - 7200, exp: now - 60 }));
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('token_expired');
    expect((await me(device.token)).status).toBe(200);
  });

  it('an expired token with a forged signature is only unauthenticated (it says nothing about the session)', async () => {
    const now = Math.floor(Date.now() / 1000);
    const res = await me(await sign({ ...decodeJwt(device.token), iat: now - 7200, exp: now - 60 }, { key: new Uint8Array(32).fill(7) }));
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthenticated');
  });

  it('refuses a token whose sid names another user’s session', async () => {
    const ben = await signIn(server.url, 'ben@demo.test');
    const res = await me(await sign({ ...decodeJwt(device.token), sid: ben.session.id }));
    expect(res.status).toBe(401);
  });

  it.each(['Bearer', 'Bearer ', 'Basic abc', 'Bearer a.b.c', 'Bearer x y'])('refuses the Authorization header %j', async (value) => {
    const res = await call(server.url, 'GET', '/api/v1/me', { headers: { authorization: value, cookie: `tab_session=${device.cookie}` } });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthenticated');
  });

  // On PostgreSQL the key is kept in the database, shared by every server (test/postgres/two-servers.test.ts).
  // Not registered on the PostgreSQL run (nothing is beside a URL), so that run's skips are only ones that mean something.
  const itOnSqlite = onPostgres ? () => undefined : it;
  itOnSqlite('keeps the generated signing key beside the database with mode 0600', async () => {
    const { statSync } = await import('node:fs');
    expect(statSync(jwtKeyPath(server.dbFile)).mode & 0o777).toBe(0o600);
    expect(key.length).toBe(32);
  });
});
