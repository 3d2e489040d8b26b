import { net, session } from 'electron';
import { SESSION_COOKIE } from '../../shared/api/auth.js';
import type { ServerTransport } from '../server-client.js';

/**
 * Main's requests through Chromium's network stack (`net.fetch`): the OS
 * proxy and PAC settings and the OS certificate store apply, as in the
 * person's browser. API calls send and store no cookies (they carry the
 * Bearer token). Sign-in uses an in-memory session of its own, so the
 * `tab_session` cookie can be read from its jar if Chromium keeps Set-Cookie
 * out of the response headers, and is forgotten there at once. After `ready`.
 */
export function createNetTransport(): ServerTransport {
  const signIn = session.fromPartition('tab-sign-in', { cache: false });
  return {
    fetch: (url, init) => net.fetch(url, { ...init, credentials: 'omit' }),
    loginFetch: (url, init) => signIn.fetch(url, { ...init, credentials: 'include' }),
    async takeLoginCookie(url) {
      try {
        const [cookie] = await signIn.cookies.get({ url, name: SESSION_COOKIE });
        return cookie?.value ?? null;
      } finally {
        await signIn.clearStorageData({ storages: ['cookies'] });
      }
    },
  };
}
