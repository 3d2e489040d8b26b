import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';

/** Claims of the person who "signs in" at the provider next (the test sets them; there is no login page). */
export type PersonClaims = { sub: string } & Record<string, unknown>;

export interface TestOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Who signs in at the provider's next login prompt. */
  signInAs(person: PersonClaims): void;
  close(): Promise<void>;
}

/**
 * A real OpenID provider (the `oidc-provider` package, certified) on a
 * loopback port, started by the tests in place of Google or Microsoft Entra
 * ID, which are not reachable here. Its ID tokens are RS256-signed by a key
 * made at start and carry the claims we give (`hd` like Google; `tid`, `oid`
 * like Entra). The login and consent prompts are answered at once for the
 * person set with signInAs(). ID tokens live 2 minutes (so that a test moves
 * TAB's clock past their expiry without expiring its own 10-minute state).
 * `path` puts the issuer under a path, as Entra's
 * `https://login.microsoftonline.com/<tenant>/v2.0` is.
 */
export async function startOidcProvider(options: { path?: string } = {}): Promise<TestOidcProvider> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid: 'test-key-1', alg: 'RS256', use: 'sig' };
  const people = new Map<string, PersonClaims>();
  let next: PersonClaims | undefined;
  const clientId = 'tab-test-client';
  const clientSecret = 'provider-client-secret-' + Math.random().toString(36).slice(2);

  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const base = options.path ?? '';
  const issuer = `http://127.0.0.1:${port}${base}`;

  const provider = new Provider(issuer, {
    jwks: { keys: [jwk as never] },
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        // Native: loopback redirects match on any port (RFC 8252 §7.3): the desktop's, and the test server's /sso/callback.
        application_type: 'native',
        redirect_uris: ['http://127.0.0.1/sso/callback', 'http://127.0.0.1/callback'],
        token_endpoint_auth_method: 'client_secret_post',
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    claims: { openid: ['sub', 'hd', 'tid', 'oid'], email: ['email', 'email_verified'], profile: ['name', 'preferred_username'] },
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false } },
    pkce: { required: () => true },
    ttl: { IdToken: 120, AccessToken: 120, Interaction: 600, Session: 600, Grant: 600 },
    interactions: { url: (_ctx, interaction) => `${base}/interaction/${interaction.uid}` },
    findAccount: (_ctx, id) => {
      const person = people.get(id);
      return person ? { accountId: id, claims: () => person } : undefined;
    },
    cookies: { keys: ['test-cookie-key'] },
  });

  const callback = provider.callback();
  server.on('request', async (req, res) => {
    const path = (req.url ?? '').slice(base.length);
    if (!path.startsWith('/interaction/')) {
      // Mounted under `base` as Express would: the provider reads its mount path from originalUrl.
      (req as { originalUrl?: string }).originalUrl = req.url;
      req.url = path;
      return callback(req, res);
    }
    try {
      const details = await provider.interactionDetails(req, res);
      if (details.prompt.name === 'login') {
        if (!next) throw new Error('signInAs() was not called');
        people.set(next.sub, next);
        return await provider.interactionFinished(req, res, { login: { accountId: next.sub } }, { mergeWithLastSubmission: false });
      }
      const grant = new provider.Grant({ accountId: details.session!.accountId, clientId: details.params.client_id as string });
      grant.addOIDCScope('openid email profile');
      return await provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
    } catch (error) {
      res.statusCode = 500;
      res.end(String(error));
    }
  });

  return {
    issuer,
    clientId,
    clientSecret,
    signInAs: (person) => {
      next = person;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * What a browser does between TAB's authorization URL and the redirect back:
 * follows the provider's redirects with its cookies, until the provider sends
 * it to `redirectPrefix`; answers that URL (with `code`, `state`, `iss`).
 */
export async function followToRedirect(authorizationUrl: string, redirectPrefix: string): Promise<URL> {
  const jar = new Map<string, string>();
  let url = authorizationUrl;
  for (let hop = 0; hop < 12; hop++) {
    if (url.startsWith(redirectPrefix)) return new URL(url);
    const response = await fetch(url, { redirect: 'manual', headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) jar.delete(name);
      else jar.set(name, value);
    }
    const location = response.headers.get('location');
    if (!location) throw new Error(`The provider stopped at ${url} with ${response.status}: ${(await response.text()).slice(0, 300)}`);
    url = new URL(location, url).href;
  }
  throw new Error('Too many redirects at the provider');
}
