import * as oidc from 'openid-client';
import { HttpError } from '../http/http-error.js';
import type { Clock } from '../platform/clock.js';

const METADATA_TTL_MS = 10 * 60_000;

/** An issuer on this machine (a test provider, a firm's own on the same host): plain HTTP is allowed there only. */
export function isLoopbackUrl(url: URL): boolean {
  return url.hostname === '127.0.0.1' || url.hostname === '[::1]' || url.hostname === 'localhost';
}

/**
 * The OpenID Connect client side, over openid-client: discovery (kept 10
 * minutes per issuer), the authorization URL, and the code exchange with the
 * ID token verified (signature against the issuer's JWKS, `iss`, `aud`,
 * `exp`/`iat` against the injected clock, `nonce`, PKCE and `state`).
 */
export class OidcClients {
  readonly #metadata = new Map<string, { at: number; metadata: oidc.ServerMetadata }>();
  readonly #jwks = new Map<string, oidc.ExportedJWKSCache>();

  constructor(private readonly clock: Clock) {}

  /** A client configuration for one use: the clock skew follows the injected clock. */
  async configuration(issuer: string, clientId: string, clientSecret: string): Promise<oidc.Configuration> {
    const metadata = await this.#serverMetadata(issuer);
    const config = new oidc.Configuration(metadata, clientId, { [oidc.clockSkew]: Math.round((this.clock.now() - Date.now()) / 1000) }, oidc.ClientSecretPost(clientSecret));
    if (isLoopbackUrl(new URL(issuer))) oidc.allowInsecureRequests(config);
    // Verify the ID token's signature against the issuer's keys, not only trust the TLS channel.
    oidc.enableNonRepudiationChecks(config);
    const jwks = this.#jwks.get(issuer);
    if (jwks) oidc.setJwksCache(config, jwks);
    return config;
  }

  /** Discovery, to check an issuer when an admin saves it (and to warm the cache). */
  async check(issuer: string): Promise<void> {
    this.#metadata.delete(issuer);
    await this.#serverMetadata(issuer);
  }

  rememberKeys(issuer: string, config: oidc.Configuration): void {
    const jwks = oidc.getJwksCache(config);
    if (jwks) this.#jwks.set(issuer, jwks);
  }

  async #serverMetadata(issuer: string): Promise<oidc.ServerMetadata> {
    const kept = this.#metadata.get(issuer);
    if (kept && Date.now() - kept.at < METADATA_TTL_MS) return kept.metadata;
    const url = new URL(issuer);
    try {
      const found = await oidc.discovery(url, 'tab-discovery', undefined, undefined, {
        execute: isLoopbackUrl(url) ? [oidc.allowInsecureRequests] : [],
        timeout: 10,
      });
      const metadata = found.serverMetadata();
      this.#metadata.set(issuer, { at: Date.now(), metadata });
      return metadata;
    } catch (error) {
      throw new HttpError('sso_provider_unreachable', `The identity provider at ${url.origin} could not be reached or gave no valid OpenID configuration (${describe(error)}).`);
    }
  }
}

/** A library or network error in a few words, never with a token in it. */
export function describe(error: unknown): string {
  if (error instanceof oidc.ClientError || error instanceof oidc.ResponseBodyError || error instanceof oidc.AuthorizationResponseError) {
    return String((error as { code?: string }).code ?? error.name);
  }
  if (error instanceof Error && error.name === 'TypeError') return 'network error';
  return error instanceof Error ? error.name : 'error';
}
