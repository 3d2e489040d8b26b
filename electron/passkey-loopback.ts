import type { LoginResponse } from '../shared/api/auth.js';
import { ApiError } from '../shared/api/client.js';
import type { DesktopPasskeyStartResponse } from '../shared/api/desktop-passkey.js';
import { appPkce, loginAnswer, postToServer, randomState, withLoopback, type LoopbackOptions } from './loopback.js';

export interface LoopbackPasskeyOptions extends LoopbackOptions {
  deviceName: string;
  /** The second step: the password step's 202 challenge (main's, never the renderer's). Absent: a passwordless sign-in. */
  challenge?: string;
}

/**
 * A passkey sign-in for the desktop app (issue #15 item 3): the WebAuthn
 * ceremony runs in the system browser, where the platform authenticator and
 * the person's synced passkeys are, on TAB's `/desktop/passkey` page; TAB
 * then sends the browser to the app's loopback with a one-time code, which
 * main exchanges with its verifier (./loopback.ts; the server side is
 * server/mfa/desktop-passkey.ts).
 */
export async function loopbackPasskeySignIn(options: LoopbackPasskeyOptions): Promise<{ response: LoginResponse; cookie: string }> {
  const pkce = appPkce();
  const state = randomState();
  return withLoopback(options, async (loopback) => {
    const started = (await postToServer(options, '/api/v1/auth/desktop/passkey/start', {
      redirectUri: loopback.redirectUri,
      appChallenge: pkce.challenge,
      state,
      deviceName: options.deviceName,
      ...(options.challenge ? { challenge: options.challenge } : {}),
    })).body as DesktopPasskeyStartResponse;
    const back = loopback.waitForCallback(
      state,
      () => new ApiError(409, 'conflict', 'The passkey sign-in was cancelled in your browser.'),
      new ApiError(408, 'request_timeout', 'The passkey sign-in was not finished in time. Try again.'),
    );
    await options.openExternal(started.browserUrl);
    const params = await back;
    const done = await postToServer(options, '/api/v1/auth/desktop/passkey/complete', { code: params.get('code'), appVerifier: pkce.verifier });
    return loginAnswer(options, done);
  });
}
