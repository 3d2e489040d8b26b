import { describe, expect, it, vi } from 'vitest';
import {
  allowedAppOrigins,
  APP_ORIGIN,
  createIpcHandlers,
  IpcSenderRefused,
  isTrustedSender,
  MAX_BODY_BYTES,
  originOf,
  validateHttpRequest,
  type IpcInvokeEventLike,
} from '../../electron/ipc-handlers.js';
import { IPC_CHANNELS, type DesktopAuthState } from '../../shared/ipc/contract.js';

const appFrame = (url = 'app://tab/index.html'): IpcInvokeEventLike => ({ senderFrame: { url, parent: null } });
const signedOut: DesktopAuthState = { status: 'signed-out', serverUrl: 'http://localhost:4000', reason: null };

function setup(devUrl: string | null = null) {
  const controller = {
    apiRequest: vi.fn(async () => ({ ok: true as const, value: 'api' })),
    signIn: vi.fn(async () => ({ ok: true as const, value: {} as never })),
    signOut: vi.fn(async () => ({ ok: true as const, value: null })),
    getState: vi.fn(async () => signedOut),
    setServerUrl: vi.fn(async () => ({ ok: true as const, value: signedOut })),
  };
  const refused: string[] = [];
  const handlers = createIpcHandlers({ controller, appOrigins: allowedAppOrigins(devUrl), onRefused: (c, r) => refused.push(`${c}:${r}`) });
  return { controller, handlers, refused };
}

describe('IPC sender validation', () => {
  it('the app origin is app://tab (packaged) plus the Vite server in development', () => {
    expect(allowedAppOrigins(null)).toEqual([APP_ORIGIN]);
    expect(allowedAppOrigins('http://localhost:5173/')).toEqual(['app://tab', 'http://localhost:5173']);
    expect(originOf('app://tab/index.html')).toBe('app://tab');
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

  it('in development the Vite origin is trusted too (and only its main frame)', () => {
    const origins = allowedAppOrigins('http://localhost:5173');
    expect(isTrustedSender(appFrame('http://localhost:5173/'), origins)).toBe(true);
    expect(isTrustedSender(appFrame('http://localhost:5174/'), origins)).toBe(false);
    expect(isTrustedSender({ senderFrame: { url: 'http://localhost:5173/', parent: {} } }, origins)).toBe(false);
  });

  it('every handler refuses a bad sender before touching the controller', async () => {
    const { handlers, controller, refused } = setup();
    const bad = appFrame('https://evil.example/');
    await expect(handlers[IPC_CHANNELS.apiRequest](bad, { method: 'GET', path: '/api/v1/me' })).rejects.toBeInstanceOf(IpcSenderRefused);
    await expect(handlers[IPC_CHANNELS.signIn](bad, { email: 'a@b.c', password: 'x' })).rejects.toBeInstanceOf(IpcSenderRefused);
    await expect(handlers[IPC_CHANNELS.signOut](bad)).rejects.toBeInstanceOf(IpcSenderRefused);
    await expect(handlers[IPC_CHANNELS.getState](bad)).rejects.toBeInstanceOf(IpcSenderRefused);
    await expect(handlers[IPC_CHANNELS.setServerUrl](bad, 'https://x.example')).rejects.toBeInstanceOf(IpcSenderRefused);
    for (const fn of Object.values(controller)) expect(fn).not.toHaveBeenCalled();
    expect(refused).toHaveLength(5);
  });

  it('a good sender reaches the controller', async () => {
    const { handlers, controller } = setup();
    expect(await handlers[IPC_CHANNELS.getState](appFrame())).toEqual(signedOut);
    expect(await handlers[IPC_CHANNELS.apiRequest](appFrame(), { method: 'GET', path: '/api/v1/sessions' })).toEqual({ ok: true, value: 'api' });
    expect(controller.apiRequest).toHaveBeenCalledWith({ method: 'GET', path: '/api/v1/sessions' });
    await handlers[IPC_CHANNELS.signIn](appFrame(), { email: ' ana@demo.test ', password: 'pw' });
    expect(controller.signIn).toHaveBeenCalledWith({ email: 'ana@demo.test', password: 'pw' });
  });
});

describe('IPC argument validation', () => {
  it.each([
    ['not an object', 'GET /api/v1/me'],
    ['an array', ['GET', '/api/v1/me']],
    ['an unknown method', { method: 'TRACE', path: '/api/v1/me' }],
    ['a lowercase method', { method: 'get', path: '/api/v1/me' }],
    ['an extra field', { method: 'GET', path: '/api/v1/me', headers: { authorization: 'x' } }],
    ['a path outside the API', { method: 'GET', path: '/docs' }],
    ['an absolute URL', { method: 'GET', path: 'https://evil.example/api/v1/me' }],
    ['a protocol-relative URL', { method: 'GET', path: '//evil.example/api/v1/me' }],
    ['dot segments', { method: 'GET', path: '/api/v1/../../etc/passwd' }],
    ['encoded dot segments', { method: 'GET', path: '/api/v1/%2e%2e/admin' }],
    ['an encoded slash', { method: 'GET', path: '/api/v1/sessions%2F..%2Fx' }],
    ['a backslash', { method: 'GET', path: '/api/v1/\\evil' }],
    ['a newline', { method: 'GET', path: '/api/v1/me\r\nX-Evil: 1' }],
    ['sign-in', { method: 'POST', path: '/api/v1/auth/login', body: { email: 'a', password: 'b' } }],
    ['sign-in with a trailing slash', { method: 'POST', path: '/api/v1/auth/login/' }],
    ['sign-in in capitals', { method: 'POST', path: '/API/V1/AUTH/LOGIN' }],
    ['sign-out', { method: 'POST', path: '/api/v1/auth/logout' }],
    ['the event stream', { method: 'GET', path: '/api/v1/events' }],
    ['a GET with a body', { method: 'GET', path: '/api/v1/me', body: {} }],
    ['a body over the limit', { method: 'POST', path: '/api/v1/api-tokens', body: { name: 'x'.repeat(MAX_BODY_BYTES) } }],
    ['a body that is not JSON', { method: 'POST', path: '/api/v1/api-tokens', body: () => 1 }],
  ])('apiRequest refuses %s', async (_name, request) => {
    expect(validateHttpRequest(request).ok).toBe(false);
    const { handlers, controller } = setup();
    const result = await handlers[IPC_CHANNELS.apiRequest](appFrame(), request);
    expect(result).toMatchObject({ ok: false, error: { status: 400, code: 'invalid_request' } });
    expect(controller.apiRequest).not.toHaveBeenCalled();
  });

  it.each([
    { method: 'GET', path: '/api/v1/me' },
    { method: 'DELETE', path: '/api/v1/sessions/6a1f0c2e-0000-4000-8000-000000000000' },
    { method: 'GET', path: '/api/v1/admin/audit-events?from=2026-01-01T00%3A00%3A00Z&limit=50' },
    { method: 'PUT', path: '/api/v1/admin/session-policy', body: { maxConcurrent: 3 } },
    { method: 'POST', path: '/api/v1/me/password', body: { currentPassword: 'a', newPassword: 'b', signOutOtherSessions: true } },
  ])('apiRequest accepts $method $path', (request) => {
    expect(validateHttpRequest(request)).toEqual({ ok: true, value: request });
  });

  it('apiRequest wants exactly one argument', async () => {
    const { handlers } = setup();
    expect(await handlers[IPC_CHANNELS.apiRequest](appFrame())).toMatchObject({ ok: false });
    expect(await handlers[IPC_CHANNELS.apiRequest](appFrame(), { method: 'GET', path: '/api/v1/me' }, 'extra')).toMatchObject({ ok: false });
  });

  it.each([
    [undefined],
    [{ email: 'a@b.c' }],
    [{ email: '', password: 'x' }],
    [{ email: 'a@b.c', password: '' }],
    [{ email: 'a@b.c', password: 42 }],
    [{ email: 'a@b.c', password: 'x', client: 'web' }],
    [{ email: 'a'.repeat(400), password: 'x' }],
    [{ email: 'a@b.c', password: 'x'.repeat(2000) }],
  ])('signIn refuses %j', async (args) => {
    const { handlers, controller } = setup();
    expect(await handlers[IPC_CHANNELS.signIn](appFrame(), args)).toMatchObject({ ok: false, error: { status: 400 } });
    expect(controller.signIn).not.toHaveBeenCalled();
  });

  it('setServerUrl wants one string; signOut and getState take nothing', async () => {
    const { handlers, controller } = setup();
    expect(await handlers[IPC_CHANNELS.setServerUrl](appFrame(), { url: 'x' })).toMatchObject({ ok: false });
    expect(await handlers[IPC_CHANNELS.setServerUrl](appFrame())).toMatchObject({ ok: false });
    expect(controller.setServerUrl).not.toHaveBeenCalled();
    expect(await handlers[IPC_CHANNELS.signOut](appFrame(), 'now')).toMatchObject({ ok: false });
    expect(controller.signOut).not.toHaveBeenCalled();
    await expect(handlers[IPC_CHANNELS.getState](appFrame(), { evil: true })).rejects.toThrow(TypeError);
  });
});
