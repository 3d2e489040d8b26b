import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseServerArgs, UsageError } from '../../server/cli/args.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { call, signIn, type SignedIn } from '../support/api.js';
import { spawnServer } from '../support/server-process.js';

/** The audit row of the latest failed sign-in for an email, as the admin sees it. */
async function lastFailedSignInIp(url: string, admin: SignedIn): Promise<string | null> {
  const res = await call(url, 'GET', '/api/v1/admin/audit-events?type=sign_in_failed&limit=1', { headers: admin.auth });
  return res.body.events[0]?.ip ?? null;
}

describe('--trust-proxy / TAB_TRUST_PROXY', () => {
  it('parses addresses, CIDR ranges and the named ranges; the flag wins over the environment', () => {
    expect(parseServerArgs(['--trust-proxy', 'loopback, 10.0.0.0/8,192.168.1.7 ,::1,fd00::/8'], {}).trustProxy).toEqual([
      'loopback',
      '10.0.0.0/8',
      '192.168.1.7',
      '::1',
      'fd00::/8',
    ]);
    expect(parseServerArgs([], { TAB_TRUST_PROXY: 'uniquelocal' }).trustProxy).toEqual(['uniquelocal']);
    expect(parseServerArgs(['--trust-proxy', 'linklocal'], { TAB_TRUST_PROXY: 'uniquelocal' }).trustProxy).toEqual(['linklocal']);
    expect(parseServerArgs([], {}).trustProxy).toBeUndefined();
    expect(parseServerArgs([], { TAB_TRUST_PROXY: '' }).trustProxy).toBeUndefined();
  });

  it.each(['', ' , ', 'everyone', 'true', '*', '10.0.0.0/33', '::1/129', '300.1.1.1', '10.0.0.0/', '10.0.0.0/8/8', 'localhost'])(
    'refuses %j with a usage error, rather than trusting nobody or everybody',
    (value) => {
      expect(() => parseServerArgs(['--trust-proxy', value], {})).toThrow(UsageError);
    },
  );

  it('the real server process refuses a bad value at start, with the reason', async () => {
    await expect(spawnServer(['--db', ':memory:', '--trust-proxy', '10.0.0.0/99'])).rejects.toThrow(/10\.0\.0\.0\/99/);
  });
});

describe('without --trust-proxy', () => {
  let server: TestServer;
  let admin: SignedIn;
  beforeAll(async () => {
    server = await startTestServer();
    admin = await signIn(server.url, 'admin@demo.test');
  });
  afterAll(() => server.close());

  it('ignores X-Forwarded-For: the session, the audit and the throttle see the socket address', async () => {
    const forged = { 'x-forwarded-for': '203.0.113.9', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'evil.example' };
    const res = await call(server.url, 'POST', '/api/v1/auth/login', { body: { email: 'ana@demo.test', password: 'demo-pass-2026' }, headers: forged });
    expect(res.status).toBe(200);
    expect(res.body.session.ip).toBe('127.0.0.1');
    await call(server.url, 'POST', '/api/v1/auth/login', { body: { email: 'ana@demo.test', password: 'wrong' }, headers: forged });
    expect(await lastFailedSignInIp(server.url, admin)).toBe('127.0.0.1');
  });

  it('ignores X-Forwarded-Proto: no HSTS over plain HTTP, whatever the client claims', async () => {
    const res = await call(server.url, 'GET', '/healthz', { headers: { 'x-forwarded-proto': 'https' } });
    expect(res.headers.get('strict-transport-security')).toBeNull();
  });

  it('compares a CSRF Origin with the socket scheme, host and port, not with forwarded headers', async () => {
    const ana = await signIn(server.url, 'ana@demo.test');
    const other = await signIn(server.url, 'ana@demo.test');
    const cookie = { cookie: `tab_session=${ana.cookie}` };
    const host = new URL(server.url).host;
    const port = new URL(server.url).port;
    for (const origin of [`https://${host}`, `http://127.0.0.1:${Number(port) + 1}`, 'http://127.0.0.1', `http://localhost:${port}`, 'null', 'not a url', `ftp://${host}`]) {
      const res = await call(server.url, 'DELETE', `/api/v1/sessions/${other.session.id}`, { headers: { ...cookie, origin, 'x-forwarded-proto': 'https' } });
      expect(res.status, origin).toBe(403);
      expect(res.body.error.code).toBe('csrf_rejected');
    }
    // The same origin, whatever the case of its letters.
    const same = await call(server.url, 'DELETE', `/api/v1/sessions/${other.session.id}`, { headers: { ...cookie, origin: `HTTP://${host.toUpperCase()}` } });
    expect(same.status).toBe(204);
  });
});

describe('with --trust-proxy loopback', () => {
  let server: TestServer;
  let admin: SignedIn;
  beforeAll(async () => {
    server = await startTestServer({ trustProxy: ['loopback'] });
    admin = await signIn(server.url, 'admin@demo.test');
  });
  afterAll(() => server.close());

  it('takes the client address from X-Forwarded-For: session IP, audit IP', async () => {
    const res = await call(server.url, 'POST', '/api/v1/auth/login', {
      body: { email: 'ana@demo.test', password: 'demo-pass-2026' },
      headers: { 'x-forwarded-for': '203.0.113.9' },
    });
    expect(res.body.session.ip).toBe('203.0.113.9');
    await call(server.url, 'POST', '/api/v1/auth/login', { body: { email: 'ana@demo.test', password: 'wrong' }, headers: { 'x-forwarded-for': '198.51.100.4' } });
    expect(await lastFailedSignInIp(server.url, admin)).toBe('198.51.100.4');
  });

  it('walks the chain from the right and stops at the first address that is not a trusted proxy', async () => {
    // The client forged the first entry; its own address was appended by the (trusted) proxy, then a second loopback hop.
    const res = await call(server.url, 'POST', '/api/v1/auth/login', {
      body: { email: 'ben@demo.test', password: 'demo-pass-2026' },
      headers: { 'x-forwarded-for': '10.9.9.9, 198.51.100.77, 127.0.0.5' },
    });
    expect(res.body.session.ip).toBe('198.51.100.77');
  });

  it('never stores a forwarded value that is not an IP address', async () => {
    const res = await call(server.url, 'POST', '/api/v1/auth/login', {
      body: { email: 'ben@demo.test', password: 'demo-pass-2026' },
      headers: { 'x-forwarded-for': '<script>alert(1)</script>' },
    });
    expect(res.status).toBe(200);
    expect(res.body.session.ip).toBe('127.0.0.1');
  });

  it('sends HSTS when the proxy says the client used https, and not otherwise', async () => {
    const viaHttps = await call(server.url, 'GET', '/healthz', { headers: { 'x-forwarded-proto': 'https' } });
    expect(viaHttps.headers.get('strict-transport-security')).toBe('max-age=31536000');
    const viaHttp = await call(server.url, 'GET', '/healthz', { headers: { 'x-forwarded-proto': 'http' } });
    expect(viaHttp.headers.get('strict-transport-security')).toBeNull();
  });

  it("compares a CSRF Origin with the scheme and host the proxy forwarded", async () => {
    const ana = await signIn(server.url, 'ana@demo.test');
    const cookie = { cookie: `tab_session=${ana.cookie}` };
    const proxied = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'tab.firm.example' };
    const victim = await signIn(server.url, 'ana@demo.test');
    for (const origin of ['http://tab.firm.example', 'https://tab.firm.example:8443', 'https://evil.example', `http://${new URL(server.url).host}`]) {
      const res = await call(server.url, 'DELETE', `/api/v1/sessions/${victim.session.id}`, { headers: { ...cookie, ...proxied, origin } });
      expect(res.status, origin).toBe(403);
    }
    const ok = await call(server.url, 'DELETE', `/api/v1/sessions/${victim.session.id}`, { headers: { ...cookie, ...proxied, origin: 'https://tab.firm.example:443' } });
    expect(ok.status).toBe(204);
  });
});

describe('with --trust-proxy naming another network', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ trustProxy: ['10.0.0.0/8'] });
  });
  afterAll(() => server.close());

  it('ignores X-Forwarded-For forged by a client that is not one of the proxies', async () => {
    const res = await call(server.url, 'POST', '/api/v1/auth/login', {
      body: { email: 'ana@demo.test', password: 'demo-pass-2026' },
      headers: { 'x-forwarded-for': '203.0.113.9', 'x-forwarded-proto': 'https' },
    });
    expect(res.body.session.ip).toBe('127.0.0.1');
    expect(res.headers.get('strict-transport-security')).toBeNull();
  });
});
