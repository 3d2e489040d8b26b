import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../shared/api/client.js';
import type { ServerEvent } from '../../shared/api/events.js';
import type { DesktopAuthState, DesktopBridge } from '../../shared/ipc/contract.js';
import { createDesktopBackend } from './desktop-backend.js';
import { fakeDesktopBridge, fakeSyncBridge } from '../test-support/bridge.js';

const user = { id: 'u1', email: 'ana@demo.test', name: 'Ana Accountant', role: 'accountant' as const, workspaceId: 'w1' };

function fakeBridge(overrides: Partial<DesktopBridge> = {}) {
  const fake = fakeDesktopBridge({
    apiRequest: vi.fn(async () => ({ ok: true as const, value: { sessions: [] } })),
    signIn: vi.fn(async () => ({ ok: true as const, value: { user, session: {} as never } })),
    getState: vi.fn(async () => ({ ok: true as const, value: { status: 'signed-in', serverUrl: 'http://x', user, session: null, storage: 'keychain' } as DesktopAuthState })),
    ...fakeSyncBridge().methods,
    ...overrides,
  });
  return {
    bridge: fake.bridge,
    push: fake.push,
    pushState: (s: DesktopAuthState) => fake.push('stateChanged', s),
    pushEvent: (e: ServerEvent) => fake.push('serverEvent', e),
  };
}

describe('desktop backend (window.tab bridge)', () => {
  it('passkeys go to main (system browser): passwordless and the second step; enrolment at sign-in; a refusal does not signal "signed out"', async () => {
    const enrolment = { secret: 'JBSWY3DP', otpauthUri: 'otpauth://totp/TAB:ana', qrSvg: '<svg/>' };
    const { bridge } = fakeBridge({
      signInWithPasskey: vi.fn(async (args: { step: 'passwordless' | 'second' }) =>
        args.step === 'second' ? { ok: false as const, error: { status: 403, code: 'passkey_invalid' as const, message: 'no' } } : { ok: true as const, value: { user, session: {} as never } },
      ),
      signInEnrolStart: vi.fn(async () => ({ ok: true as const, value: enrolment })),
      signInEnrolConfirm: vi.fn(async () => ({ ok: true as const, value: { user, session: {} as never, recoveryCodes: ['a', 'b'] } })),
    });
    const backend = createDesktopBackend(bridge);
    const signedOut = vi.fn();
    backend.onSignedOut(signedOut);
    await expect(backend.signInWithPasskey!()).resolves.toEqual(user);
    expect(bridge.signInWithPasskey).toHaveBeenCalledWith({ step: 'passwordless' });
    await expect(backend.finishSignInWithPasskey!()).rejects.toMatchObject({ code: 'passkey_invalid' });
    expect(bridge.signInWithPasskey).toHaveBeenLastCalledWith({ step: 'second' });
    await expect(backend.startSignInEnrolment!()).resolves.toEqual(enrolment);
    await expect(backend.confirmSignInEnrolment!('123456')).resolves.toEqual({ user, recoveryCodes: ['a', 'b'] });
    expect(bridge.signInEnrolConfirm).toHaveBeenCalledWith({ code: '123456' });
    expect(signedOut).not.toHaveBeenCalled();
  });

  it('sends TabApi calls through apiRequest and unwraps ok results', async () => {
    const { bridge } = fakeBridge();
    const backend = createDesktopBackend(bridge);
    await expect(backend.api.listSessions()).resolves.toEqual({ sessions: [] });
    expect(bridge.apiRequest).toHaveBeenCalledWith({ method: 'GET', path: '/api/v1/sessions', body: undefined });
  });

  it('turns { ok: false } into an ApiError, and a 401 into "signed out" with the reason', async () => {
    const { bridge } = fakeBridge({
      apiRequest: vi.fn(async () => ({ ok: false as const, error: { status: 401, code: 'session_revoked' as const, message: 'gone', reason: 'revoked_by_admin' as const } })),
    });
    const backend = createDesktopBackend(bridge);
    const signedOut = vi.fn();
    backend.onSignedOut(signedOut);
    const error = await backend.api.me().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(401);
    expect((error as ApiError).reason).toBe('revoked_by_admin');
    expect(signedOut).toHaveBeenCalledWith('revoked_by_admin');
  });

  it('does not treat a wrong password at sign-in as the end of a session', async () => {
    const { bridge } = fakeBridge({
      signIn: vi.fn(async () => ({ ok: false as const, error: { status: 401, code: 'invalid_credentials' as const, message: 'nope' } })),
    });
    const backend = createDesktopBackend(bridge);
    const signedOut = vi.fn();
    backend.onSignedOut(signedOut);
    await expect(backend.signIn('ana@demo.test', 'wrong')).rejects.toMatchObject({ code: 'invalid_credentials' });
    expect(signedOut).not.toHaveBeenCalled();
  });

  it('carries the wait time of too_many_attempts', async () => {
    const { bridge } = fakeBridge({
      signIn: vi.fn(async () => ({ ok: false as const, error: { status: 429, code: 'too_many_attempts' as const, message: 'wait', retryAfterSeconds: 120 } })),
    });
    await expect(createDesktopBackend(bridge).signIn('a@b.c', 'x')).rejects.toMatchObject({ retryAfterSeconds: 120 });
  });

  it('restores from getState and hears sign-outs from onStateChanged and session.revoked', async () => {
    const { bridge, pushState, pushEvent } = fakeBridge();
    const backend = createDesktopBackend(bridge);
    await expect(backend.restore()).resolves.toEqual({ status: 'signed-in', user });
    const signedOut = vi.fn();
    const changed = vi.fn();
    backend.onSignedOut(signedOut);
    backend.subscribeEvents(changed);
    pushEvent({ type: 'sessions.changed', userId: 'u1' });
    expect(changed).toHaveBeenCalledWith({ type: 'sessions.changed', userId: 'u1' });
    pushEvent({ type: 'session.revoked', sessionId: 's1', reason: 'revoked_by_user' });
    pushState({ status: 'signed-out', serverUrl: 'http://x', reason: 'password_changed' });
    expect(signedOut.mock.calls).toEqual([['revoked_by_user'], ['password_changed']]);
  });
});

describe('desktop backend: server address', () => {
  it('passes a bad server address on with main’s own wording', async () => {
    const { bridge } = fakeBridge({
      setServerUrl: vi.fn(async () => ({ ok: false as const, error: { status: 400, code: 'invalid_request' as const, message: 'Use an http(s) address.' } })),
    });
    await expect(createDesktopBackend(bridge).setServerUrl!('ftp://x')).rejects.toMatchObject({ code: 'invalid_request', message: 'Use an http(s) address.' });
  });
});

describe('desktop backend: time writes go to the local queue', () => {
  const entry = { id: '0b7c1a52-4f43-4d5e-9a54-1a2b3c4d5e6f', clientId: '11111111-1111-4111-8111-111111111111', description: 'VAT', start: '2026-11-23T09:00:00.000Z', end: '2026-11-23T10:00:00.000Z', billable: true };

  it('starts and stops the timer through the bridge, with a client-generated id', async () => {
    const { bridge } = fakeBridge();
    const backend = createDesktopBackend(bridge);
    await backend.startTimer({ clientId: entry.clientId, description: 'VAT', billable: true });
    expect(vi.mocked(bridge.timerStart).mock.calls[0]![0].id).toMatch(/^[0-9a-f-]{36}$/);
    await backend.stopTimer('abc');
    expect(bridge.timerStop).toHaveBeenCalledWith({ id: 'abc' });
    expect(bridge.apiRequest).not.toHaveBeenCalled();
  });

  it('queues own saves and deletes; sends a correction of someone else’s entry to the server', async () => {
    const { bridge } = fakeBridge({ apiRequest: vi.fn(async () => ({ ok: true as const, value: { entry: {}, warnings: [], deleted: false } })) });
    const backend = createDesktopBackend(bridge);
    await expect(backend.saveEntry(entry, { mode: 'create', ownEntry: true })).resolves.toMatchObject({ queued: true, warnings: [] });
    expect(bridge.saveEntry).toHaveBeenCalledWith(entry);
    await backend.deleteEntry(entry.id);
    expect(bridge.deleteEntry).toHaveBeenCalledWith({ id: entry.id });
    await backend.saveEntry(entry, { mode: 'update', ownEntry: false });
    expect(bridge.apiRequest).toHaveBeenCalledWith(expect.objectContaining({ method: 'PATCH', path: `/api/v1/entries/${entry.id}` }));
    await backend.discardQueuedWrite!(entry.id);
    expect(bridge.discardQueuedWrite).toHaveBeenCalledWith({ entryId: entry.id });
  });

  it('passes the queue state on: the first answer, then every change', async () => {
    const { bridge } = fakeBridge();
    const backend = createDesktopBackend(bridge);
    const seen = vi.fn();
    backend.onSyncStatus!(seen);
    await vi.waitFor(() => expect(seen).toHaveBeenCalledWith(expect.objectContaining({ online: true, queue: [] })));
  });
});

describe('desktop backend: what only the desktop has', () => {
  it('idle prompts: the pending one first, then main’s pushes; answers go back as { promptId, action }', async () => {
    const prompt = { promptId: 'p1', entryId: 'e1', awayFrom: '2026-11-23T10:42:00Z', returnedAt: '2026-11-23T11:07:00Z', awayMs: 1_500_000 };
    const answerIdlePrompt = vi.fn(async () => ({ ok: true as const, value: null }));
    const { bridge, push } = fakeBridge({ getIdlePrompt: vi.fn(async () => ({ ok: true as const, value: prompt })), answerIdlePrompt });
    const backend = createDesktopBackend(bridge);
    const seen = vi.fn();
    backend.idle!.onPrompt(seen);
    await vi.waitFor(() => expect(seen).toHaveBeenCalledWith(prompt));
    push('idlePrompt', null);
    expect(seen).toHaveBeenLastCalledWith(null);
    await backend.idle!.answer('p1', 'discard');
    expect(answerIdlePrompt).toHaveBeenCalledWith({ promptId: 'p1', action: 'discard' });
  });

  it('"Create API token" in the desktop window opens the web Profile page in the browser instead of minting one', async () => {
    const openProfileInBrowser = vi.fn(async () => ({ ok: true as const, value: null }));
    const { bridge } = fakeBridge({ openProfileInBrowser });
    const backend = createDesktopBackend(bridge);
    await expect(backend.api.createApiToken({ name: 'script', scopes: ['time:read'], currentPassword: 'x' })).rejects.toMatchObject({ code: 'invalid_request', message: expect.stringMatching(/Profile page/) });
    expect(openProfileInBrowser).toHaveBeenCalled();
    expect(bridge.apiRequest).not.toHaveBeenCalled();
    await backend.openProfileInBrowser!();
    expect(openProfileInBrowser).toHaveBeenCalledTimes(2);
  });

  it('menu commands and settings pass through', async () => {
    const { bridge, push } = fakeBridge({ getDesktopSettings: vi.fn(async () => ({ ok: true as const, value: { idleThresholdMinutes: 10 as const, uploadCrashReports: false, crashReportUrl: null } })) });
    const backend = createDesktopBackend(bridge);
    const commands = vi.fn();
    backend.onMenuCommand!(commands);
    push('menuCommand', 'open-desktop-settings');
    expect(commands).toHaveBeenCalledWith('open-desktop-settings');
    await expect(backend.desktopSettings!.get()).resolves.toMatchObject({ idleThresholdMinutes: 10 });
  });
});
