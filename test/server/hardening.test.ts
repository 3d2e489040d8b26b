import { createServer } from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { REQUEST_TIMEOUT_MS } from '../../server/app.js';
import { clientErrorHandler } from '../../server/http/framework-errors.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_STATUS } from '../../shared/errors.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { call, signIn, type SignedIn } from '../support/api.js';
import { httpsCall, selfSignedCertificate, tlsMissing } from '../support/tls.js';

/** Sends raw bytes (what no HTTP client library would send) and answers the parsed response. */
function rawRequest(url: string, text: string): Promise<{ status: number; headers: Record<string, string>; body: any }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => socket.write(text));
    let out = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk) => (out += chunk));
    socket.on('error', () => undefined); // the server may reset after answering
    socket.on('close', () => {
      const [head = '', ...rest] = out.split('\r\n\r\n');
      const [statusLine = '', ...headerLines] = head.split('\r\n');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine)?.[1] ?? 0);
      if (!status) return reject(new Error(`no HTTP answer: ${JSON.stringify(out.slice(0, 200))}`));
      const headers = Object.fromEntries(headerLines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      const text = rest.join('\r\n\r\n');
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        /* not JSON: the test will say so */
      }
      resolve({ status, headers, body });
    });
  });
}

const contractError = (code: keyof typeof ERROR_STATUS) => ({ error: { code, message: expect.any(String) } });

let server: TestServer;
let ana: SignedIn;
beforeAll(async () => {
  server = await startTestServer();
  ana = await signIn(server.url, 'ana@demo.test');
});
afterAll(() => server.close());

describe('router and parser failures answer in the contract shape', () => {
  const cases: [string, string, keyof typeof ERROR_STATUS][] = [
    ['malformed percent-encoding in a parameter', 'DELETE /api/v1/sessions/%E0%A4%A HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', 'invalid_request'],
    ['malformed percent-encoding at the root', 'GET /%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', 'invalid_request'],
    ['an over-long path parameter', `DELETE /api/v1/sessions/${'a'.repeat(300)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`, 'uri_too_long'],
    ['an over-long path that matches nothing', `GET /api/v1/${'a'.repeat(300)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`, 'not_found'],
    ['a request line over 16 KiB', `GET /api/v1/${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`, 'headers_too_large'],
    ['headers over 16 KiB', `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\nConnection: close\r\n\r\n`, 'headers_too_large'],
    ['a Content-Length that is not a number', 'POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\nConnection: close\r\n\r\n', 'invalid_request'],
    ['two different Content-Lengths', 'POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 3\r\nConnection: close\r\n\r\n{}', 'invalid_request'],
    ['garbage instead of HTTP', 'HELLO THERE\r\n\r\n', 'invalid_request'],
  ];

  it.each(cases)('%s → its status with {"error":{"code","message"}}', async (_name, text, code) => {
    const res = await rawRequest(server.url, text);
    expect(res.status).toBe(ERROR_STATUS[code]);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toEqual(contractError(code));
  });

  it('a request that trickles in is cut off after 30 s with 408 request_timeout (Node\'s own timer, our answer)', async () => {
    expect(server.app.server.requestTimeout).toBe(REQUEST_TIMEOUT_MS);
    // The same handler on a plain Node server with a short timeout, so that the test does not wait 30 s.
    const plain = createServer({ requestTimeout: 300, connectionsCheckingInterval: 50 }, (req, res) => {
      req.resume();
      req.on('end', () => res.end('too late'));
    });
    plain.on('clientError', clientErrorHandler);
    await new Promise<void>((r) => plain.listen(0, '127.0.0.1', r));
    try {
      const { port } = plain.address() as AddressInfo;
      const res = await rawRequest(`http://127.0.0.1:${port}`, 'POST /x HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 10\r\n\r\n{}');
      expect(res.status).toBe(408);
      expect(res.body).toEqual(contractError('request_timeout'));
    } finally {
      plain.close();
    }
  });

  it('the server is still fine afterwards', async () => {
    expect((await call(server.url, 'GET', '/api/v1/me', { headers: ana.auth })).status).toBe(200);
  });
});

describe('security headers', () => {
  it('/docs and /openapi.json have a CSP with frame-ancestors none, and may not be framed', async () => {
    for (const path of ['/docs', '/docs/', '/docs/static/index.html', '/openapi.json', '/docs/json']) {
      const res = await fetch(server.url + path);
      expect(res.status, path).toBe(200);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, path).toMatch(/frame-ancestors 'none'/);
      expect(csp, path).toMatch(/default-src '(self|none)'/);
      expect(csp, path).not.toMatch(/unsafe-inline|unsafe-eval/);
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
      await res.arrayBuffer();
    }
    const doc = await fetch(`${server.url}/openapi.json`);
    expect(doc.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
  });

  it('API answers carry a CSP that loads nothing', async () => {
    const res = await call(server.url, 'GET', '/api/v1/me', { headers: ana.auth });
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
  });

  it('no HSTS over plain HTTP', async () => {
    expect((await call(server.url, 'GET', '/healthz')).headers.get('strict-transport-security')).toBeNull();
  });
});

describe.skipIf(tlsMissing() !== null)('under TLS', () => {
  let tls: TestServer;
  let cert: Buffer;
  beforeAll(async () => {
    const pair = selfSignedCertificate();
    cert = pair.cert;
    tls = await startTestServer({ https: pair, seed: true });
  });
  afterAll(() => tls?.close());

  it('every answer carries Strict-Transport-Security, and the session cookie is Secure', async () => {
    const health = await httpsCall(`${tls.url}/healthz`, { ca: cert });
    expect(health.status).toBe(200);
    expect(health.headers['strict-transport-security']).toBe('max-age=31536000');
    const login = await httpsCall(`${tls.url}/api/v1/auth/login`, {
      ca: cert,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'ana@demo.test', password: 'demo-pass-2026' }),
    });
    expect(login.status).toBe(200);
    expect(login.headers['strict-transport-security']).toBe('max-age=31536000');
    expect(String(login.headers['set-cookie'])).toMatch(/; Secure/i);
    const missing = await httpsCall(`${tls.url}/api/v1/nope`, { ca: cert });
    expect(missing.status).toBe(404);
    expect(missing.headers['strict-transport-security']).toBe('max-age=31536000');
  });
});
