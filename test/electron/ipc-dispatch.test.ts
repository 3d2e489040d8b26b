/** The IPC dispatcher (sender check, argument schemas, one error conversion) and the API proxy's rules. */
import { describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { Value } from '@sinclair/typebox/value';
import { ApiError } from '../../shared/api/client.js';
import { channelName, INVOKE_KEYS, IPC, type InvokeKey } from '../../shared/ipc/contract.js';
import { ipcListeners, wrapHandler, type IpcHandlers } from '../../electron/ipc/dispatch.js';
import { allowedAppOrigins, APP_ORIGIN, IpcSenderRefused, isTrustedSender, originOf, type IpcInvokeEventLike } from '../../electron/ipc/sender.js';
import { checkApiPath, checkApiRequest, MAX_BODY_BYTES } from '../../electron/ipc/api-proxy.js';
import { createIpcHandlers } from '../../electron/ipc/handlers.js';
import { isDateTime } from '../../shared/api/formats.js';

const appFrame = (url = 'app://tab/index.html'): IpcInvokeEventLike => ({ senderFrame: { url, parent: null } });
const signedOut = { status: 'signed-out' as const, serverUrl: 'http://localhost:4000', reason: null };

/** Handlers that record what reached them. */
function recordingHandlers() {
  const reached: Array<[string, unknown]> = [];
  const handlers = Object.fromEntries(
    INVOKE_KEYS.map((key) => [
      key,
      (args: unknown) => {
        reached.push([key, args]);
        return null;
      },
    ]),
  ) as unknown as IpcHandlers;
  return { handlers, reached };
}

describe('IPC sender validation', () => {
  it('the app origin is app://tab (packaged) plus the Vite server in development', () => {
    expect(allowedAppOrigins(null)).toEqual([APP_ORIGIN]);
    expect(allowedAppOrigins('http://localhost:5173/')).toEqual(['app://tab', 'http://localhost:5173']);
    expect(originOf('app://TAB/x')).toBe('app://tab');
  });

  it.each([
    ['the main frame of app://tab', appFrame(), true],
    ['a client-side route of the app', appFrame('app://tab/settings/sessions?x=1'), true],
    ['a subframe of the app', { senderFrame: { url: 'app://tab/index.html', parent: {} } }, false],
    ['another app:// host', appFrame('app://evil/index.html'), false],
    ['a web page', appFrame('https://evil.example/'), false],
    ['a file: page', appFrame('file:///tmp/x.html'), false],
    ['the Vite server when not in development', appFrame('http://localhost:5173/'), false],
    ['about:blank', appFrame('about:blank'), false],
    ['no frame (destroyed)', { senderFrame: null }, false],
  ])('%s → %s', (_name, event, trusted) => {
    expect(isTrustedSender(event as IpcInvokeEventLike, allowedAppOrigins(null))).toBe(trusted);
  });

  it('every channel refuses a bad sender before its handler runs (the invoke rejects)', async () => {
    const { handlers, reached } = recordingHandlers();
    const refused: string[] = [];
    const listeners = ipcListeners(handlers, { appOrigins: [APP_ORIGIN], onRefused: (c, r) => refused.push(`${c}:${r}`) });
    expect(listeners.map(([channel]) => channel).sort()).toEqual(INVOKE_KEYS.map(channelName).sort());
    for (const [, listener] of listeners) await expect(listener(appFrame('https://evil.example/'), {})).rejects.toBeInstanceOf(IpcSenderRefused);
    expect(reached).toEqual([]);
    expect(refused).toHaveLength(INVOKE_KEYS.length);
  });
});

describe('IPC arguments: the channel’s TypeBox schema (the server’s own where it is an API request)', () => {
  const listener = (key: InvokeKey) => {
    const { handlers, reached } = recordingHandlers();
    return { call: wrapHandler(key, handlers[key] as never, { appOrigins: [APP_ORIGIN] }), reached };
  };
  const uuid = '5f0c3a52-8a4e-4c1b-9d2e-0a1b2c3d4e5f';

  it.each<[InvokeKey, unknown[]]>([
    ['getState', ['extra']],
    ['signOut', [{}]],
    ['signIn', []],
    ['signIn', [{ email: 'a@b.c' }]],
    ['signIn', [{ email: 'a@b.c', password: '' }]],
    ['signIn', [{ email: 'a@b.c', password: 42 }]],
    ['signIn', [{ email: 'a@b.c', password: 'x', client: 'web' }]],
    ['signIn', [{ email: 'a'.repeat(400), password: 'x' }]],
    ['signIn', [{ email: 'a@b.c', password: 'x' }, 'second argument']],
    ['setServerUrl', [{ url: 'https://x.example' }]],
    ['apiRequest', ['GET /api/v1/me']],
    ['apiRequest', [{ method: 'TRACE', path: '/api/v1/me' }]],
    ['apiRequest', [{ method: 'get', path: '/api/v1/me' }]],
    ['apiRequest', [{ method: 'GET', path: '/api/v1/me', headers: { authorization: 'x' } }]],
    ['timerStart', [{ clientId: 'not-a-uuid', description: '', billable: true }]],
    ['timerStart', [{ clientId: uuid, description: '', billable: 'yes' }]],
    ['timerStart', [{ clientId: uuid, description: '', billable: true, userId: uuid }]],
    ['saveEntry', [{ id: uuid, clientId: uuid, description: 'x', start: '2026-02-30T09:00:00Z', end: null, billable: true }]],
    ['saveEntry', [{ id: uuid, clientId: uuid, description: 'x', start: '2026-03-02 09:00', end: null, billable: true }]],
    ['saveEntry', [{ id: uuid, clientId: uuid, description: 'x'.repeat(2001), start: '2026-03-02T09:00:00Z', end: null, billable: true }]],
    ['saveEntry', [{ id: uuid, clientId: uuid, description: 'x', start: '2026-03-02T09:00:00Z', end: null, billable: true, hourlyRateCents: -1 }]],
    ['deleteEntry', [{ id: uuid, extra: 1 }]],
    ['discardQueuedWrite', [{ entryId: '../x' }]],
    ['answerIdlePrompt', [{ promptId: uuid, action: 'ignore' }]],
    ['setDesktopSettings', [{ idleThresholdMinutes: 7 }]],
    ['setDesktopSettings', [{}]],
    ['saveDownload', [{ path: '/api/v1/reports/entries.csv', suggestedName: '' }]],
  ])('%s refuses %j with 400 invalid_request, before the handler', async (key, args) => {
    const { call, reached } = listener(key);
    const result = await call(appFrame(), ...args);
    expect(result).toMatchObject({ ok: false, error: { status: 400, code: 'invalid_request' } });
    expect(reached).toEqual([]);
  });

  it.each<[InvokeKey, unknown[]]>([
    ['getState', []],
    ['getState', [undefined]],
    ['signIn', [{ email: ' ana@demo.test ', password: 'pw' }]],
    ['timerStop', [{}]],
    ['timerStart', [{ id: uuid.toUpperCase(), clientId: uuid, description: 'VAT', billable: false }]],
    ['saveEntry', [{ id: uuid, clientId: uuid, description: 'x', start: '2026-03-02T09:00:00.123+01:00', end: '2026-03-02T10:00:00Z', billable: true, hourlyRateCents: 5 }]],
    ['setDesktopSettings', [{ idleThresholdMinutes: 0 }]],
    ['answerIdlePrompt', [{ promptId: uuid, action: 'discard' }]],
  ])('%s accepts %j', async (key, args) => {
    const { call, reached } = listener(key);
    expect(await call(appFrame(), ...args)).toEqual({ ok: true, value: null });
    expect(reached).toHaveLength(1);
  });

  it('random arguments on every channel: never a throw, never an unchecked value reaching a handler (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...INVOKE_KEYS), fc.array(fc.anything({ withNullPrototype: true, withBigInt: true, withDate: true, withMap: true }), { maxLength: 2 }), async (key, args) => {
        const { call, reached } = listener(key);
        const result = await call(appFrame(), ...args);
        const schema = IPC[key].args;
        for (const [, value] of reached) {
          if (schema === null) expect(value).toBeUndefined();
          else expect(Value.Check(schema, value)).toBe(true);
        }
        if (!result.ok) expect(result.error).toMatchObject({ status: 400, code: 'invalid_request' });
      }),
      { numRuns: 400 },
    );
  });

  it('a handler’s ApiError is answered as the IpcError; anything else is a 500, reported as unexpected', async () => {
    const unexpected: string[] = [];
    const options = { appOrigins: [APP_ORIGIN], onUnexpected: (c: string) => unexpected.push(c) };
    const failing = wrapHandler('getState', () => {
      throw new ApiError(401, 'session_revoked', 'gone', 'revoked_by_admin', undefined);
    }, options);
    expect(await failing(appFrame())).toEqual({ ok: false, error: { status: 401, code: 'session_revoked', message: 'gone', reason: 'revoked_by_admin' } });
    const buggy = wrapHandler('getState', () => {
      throw new TypeError('boom');
    }, options);
    expect(await buggy(appFrame())).toEqual({ ok: false, error: { status: 500, code: 'internal_error', message: 'Something went wrong in the desktop app.' } });
    expect(unexpected).toEqual([channelName('getState')]);
  });
});

describe('the API proxy (apiRequest, saveDownload)', () => {
  it.each([
    ['a path outside the API', '/docs'],
    ['an absolute URL', 'https://evil.example/api/v1/me'],
    ['a protocol-relative URL', '//evil.example/api/v1/me'],
    ['dot segments', '/api/v1/../../etc/passwd'],
    ['a dot segment at the end', '/api/v1/sessions/..'],
    ['encoded dot segments', '/api/v1/%2e%2e/admin'],
    ['mixed-case encoded dots', '/api/v1/%2E./admin'],
    ['an encoded slash', '/api/v1/sessions%2F..%2Fx'],
    ['an encoded login', '/api/v1/auth/%6cogin'],
    ['an encoded event stream', '/api/v1/%65vents'],
    ['an encoded api-tokens', '/api/v1/api%2dtokens'],
    ['a double-encoded dot', '/api/v1/%252e%252e/admin'],
    ['an empty segment', '/api/v1//me'],
    ['a trailing slash', '/api/v1/me/'],
    ['a backslash', '/api/v1/\\evil'],
    ['a newline', '/api/v1/me\r\nX-Evil: 1'],
    ['a space', '/api/v1/me x'],
    ['a fragment', '/api/v1/me#x'],
    ['a bad query encoding', '/api/v1/entries?from=%zz'],
    ['a query with a newline', '/api/v1/entries?from=a\nb'],
    ['sign-in', '/api/v1/auth/login'],
    ['sign-in in capitals', '/API/V1/AUTH/LOGIN'],
    ['sign-out', '/api/v1/auth/logout'],
    ['the event stream', '/api/v1/events'],
  ])('refuses %s (%s)', (_name, path) => {
    expect(() => checkApiPath(path, 'POST')).toThrow(ApiError);
    try {
      checkApiPath(path, 'POST');
    } catch (error) {
      expect((error as ApiError).status).toBe(400);
    }
  });

  it('never mints an API token (403), but listing and revoking them passes', () => {
    for (const method of ['POST', 'PUT', 'PATCH'] as const) {
      for (const path of ['/api/v1/api-tokens', '/api/v1/API-TOKENS', '/api/v1/api-tokens/x']) {
        expect(() => checkApiPath(path, method), `${method} ${path}`).toThrow(expect.objectContaining({ status: 403, code: 'forbidden' }));
      }
    }
    expect(checkApiPath('/api/v1/api-tokens', 'GET')).toBe('/api/v1/api-tokens');
    expect(checkApiPath('/api/v1/api-tokens/6a1f0c2e-0000-4000-8000-000000000000', 'DELETE')).toBeTruthy();
  });

  it.each([
    { method: 'GET', path: '/api/v1/me' },
    { method: 'DELETE', path: '/api/v1/sessions/6a1f0c2e-0000-4000-8000-000000000000' },
    { method: 'GET', path: '/api/v1/admin/audit-events?from=2026-01-01T00%3A00%3A00Z&limit=50' },
    { method: 'GET', path: '/api/v1/reports/entries.csv?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z' },
    { method: 'PUT', path: '/api/v1/admin/session-policy', body: { maxConcurrent: 3 } },
  ] as const)('accepts $method $path', (request) => {
    expect(checkApiRequest(request)).toEqual(request);
  });

  it('bodies: JSON only, within 64 KiB, none on a GET; only method, path and body cross', () => {
    expect(() => checkApiRequest({ method: 'GET', path: '/api/v1/me', body: {} })).toThrow(ApiError);
    expect(() => checkApiRequest({ method: 'POST', path: '/api/v1/clients', body: { name: 'x'.repeat(MAX_BODY_BYTES) } })).toThrow(/too large/);
    expect(() => checkApiRequest({ method: 'POST', path: '/api/v1/clients', body: () => 1 })).toThrow(/JSON/);
    expect(checkApiRequest({ method: 'POST', path: '/api/v1/clients', body: { a: 1, d: new Date(0) } })).toEqual({ method: 'POST', path: '/api/v1/clients', body: { a: 1, d: '1970-01-01T00:00:00.000Z' } });
  });

  it('random paths: whatever passes starts with /api/v1/, has no % or dot segment before the query, and is none of main’s own paths (fast-check)', () => {
    const pieces = fc.constantFrom('/', 'api', 'v1', '..', '.', '%2e', '%2f', '%25', 'auth', 'login', 'events', 'api-tokens', '?', '=', '&', '#', '\\', 'x', '~', ' ', 'A');
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 12 }).map((p) => `/api/v1/${p.join('')}`), fc.constantFrom('GET', 'POST', 'DELETE') as fc.Arbitrary<'GET' | 'POST' | 'DELETE'>, (path, method) => {
        let ok: string | null = null;
        try {
          ok = checkApiPath(path, method);
        } catch (error) {
          expect(error).toBeInstanceOf(ApiError);
          return;
        }
        const pathname = ok.split('?')[0]!;
        expect(pathname.startsWith('/api/v1/')).toBe(true);
        expect(pathname).not.toMatch(/%|\/\.|\/\/|\\|#| /);
        expect(['/api/v1/auth/login', '/api/v1/auth/logout', '/api/v1/events']).not.toContain(pathname.toLowerCase());
        if (method === 'POST') expect(/^\/api\/v1\/api-tokens(\/|$)/i.test(pathname)).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('apiRequest goes through the proxy check before reaching the server', async () => {
    const send = vi.fn(async () => 'sent');
    const handlers = createIpcHandlers({
      controller: { send, signIn: vi.fn(), signInCode: vi.fn(), signInWithSso: vi.fn(), signInWithPasskey: vi.fn(), signInEnrolStart: vi.fn(), signInEnrolConfirm: vi.fn(), cancelBrowserSignIn: vi.fn(), signOut: vi.fn(), getState: vi.fn(async () => signedOut), setServerUrl: vi.fn(), webPageUrl: () => null },
    });
    const call = wrapHandler('apiRequest', handlers.apiRequest, { appOrigins: [APP_ORIGIN] });
    expect(await call(appFrame(), { method: 'POST', path: '/api/v1/api-tokens', body: { name: 'x' } })).toMatchObject({ ok: false, error: { status: 403, code: 'forbidden' } });
    expect(await call(appFrame(), { method: 'GET', path: '/api/v1/%2e%2e/docs' })).toMatchObject({ ok: false, error: { status: 400 } });
    expect(send).not.toHaveBeenCalled();
    expect(await call(appFrame(), { method: 'GET', path: '/api/v1/me' })).toEqual({ ok: true, value: 'sent' });
    expect(send).toHaveBeenCalledWith({ method: 'GET', path: '/api/v1/me' });
  });

  it('openProfileInBrowser opens <server>/profile in the system browser', async () => {
    const openExternal = vi.fn(async () => undefined);
    const handlers = createIpcHandlers({
      controller: { send: vi.fn(), signIn: vi.fn(), signInCode: vi.fn(), signInWithSso: vi.fn(), signInWithPasskey: vi.fn(), signInEnrolStart: vi.fn(), signInEnrolConfirm: vi.fn(), cancelBrowserSignIn: vi.fn(), signOut: vi.fn(), getState: vi.fn(), setServerUrl: vi.fn(), webPageUrl: (path) => `https://tab.example.com${path}` },
      openExternal,
    });
    expect(await handlers.openProfileInBrowser(undefined, appFrame())).toBeNull();
    expect(openExternal).toHaveBeenCalledWith('https://tab.example.com/profile');
  });
});

describe('the shared date-time format (what the desktop registers for TypeBox)', () => {
  it.each([
    ['2026-03-02T09:00:00Z', true],
    ['2026-03-02T09:00:00.123456789+01:00', true],
    ['2024-02-29T00:00:00Z', true],
    ['2026-02-29T00:00:00Z', false],
    ['2026-02-30T09:00:00Z', false],
    ['2026-13-01T09:00:00Z', false],
    ['2026-03-02T24:00:00Z', false],
    ['2026-03-02T09:60:00Z', false],
    ['2026-03-02T09:00Z', false],
    ['2026-03-02 09:00:00Z', false],
    ['2026-03-02T09:00:00', false],
    ['2026-03-02T09:00:00+25:00', false],
  ])('%s → %s', (value, ok) => {
    expect(isDateTime(value)).toBe(ok);
  });
});
