import type { LoginResponse } from '../shared/api/auth.js';
import { ApiError } from '../shared/api/client.js';
import type { SsoStartResponse } from '../shared/api/sso.js';
import { appPkce, loginAnswer, postToServer, withLoopback, type LoopbackOptions } from './loopback.js';

export interface LoopbackSsoOptions extends LoopbackOptions {
  email: string;
  deviceName: string;
}

/**
 * Single sign-on for the desktop app through the system browser and a
 * loopback redirect (./loopback.ts). TAB's server, the OpenID client,
 * exchanges the provider's code with its own PKCE verifier and secret; the
 * app proves it started the sign-in with its `appVerifier`.
 */
export async function loopbackSsoSignIn(options: LoopbackSsoOptions): Promise<{ response: LoginResponse; cookie: string }> {
  const pkce = appPkce();
  return withLoopback(options, async (loopback) => {
    const started = (await postToServer(options, '/api/v1/auth/sso/start', {
      email: options.email,
      client: 'desktop',
      deviceName: options.deviceName,
      redirectUri: loopback.redirectUri,
      appChallenge: pkce.challenge,
    })).body as SsoStartResponse;
    const state = new URL(started.authorizationUrl).searchParams.get('state');
    const back = loopback.waitForCallback(
      state,
      (error) => new ApiError(403, 'sso_token_invalid', error === 'access_denied' ? 'The sign-in was cancelled at your identity provider.' : `Your identity provider refused the sign-in (${error}).`),
      new ApiError(408, 'request_timeout', 'The single sign-on was not finished in time. Try again.'),
    );
    await options.openExternal(started.authorizationUrl);
    const params = await back;
    const done = await postToServer(options, '/api/v1/auth/sso/complete', {
      code: params.get('code'),
      state: params.get('state'),
      ...(params.get('iss') ? { iss: params.get('iss') } : {}),
      appVerifier: pkce.verifier,
    });
    return loginAnswer(options, done);
  });
}
