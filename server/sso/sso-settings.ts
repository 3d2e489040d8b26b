import type { SsoSettings, SsoSettingsUpdate } from '../../shared/api/sso.js';
import { HttpError } from '../http/http-error.js';
import { requireRole } from '../http/request-context.js';
import type { Clock } from '../platform/clock.js';
import type { SecretSealer } from '../security/sealed-secret.js';
import { clientSecretContext } from './sso-sign-in.js';
import type { AuthContext } from '../sessions/auth-context.js';
import type { TabStore } from '../store/types.js';
import { isLoopbackUrl, type OidcClients } from './oidc-client.js';

const EMPTY: Omit<SsoSettings, 'ssoPath'> = {
  configured: false, flavor: 'generic', issuer: '', clientId: '', hasClientSecret: false, tenantId: null,
  allowedDomains: [], jitAllowed: false, requireSso: false, breakGlassUserId: null,
};

/** The workspace's single sign-on, as its admins see and change it (Security page). The client secret is written, never read back. */
export class SsoSettingsService {
  constructor(private readonly deps: { store: TabStore; clock: Clock; clients: OidcClients; sealer: SecretSealer }) {}

  async get(auth: AuthContext): Promise<SsoSettings> {
    requireRole(auth, 'admin');
    const config = await this.deps.store.getSsoConfig(auth.user.workspaceId);
    const ssoPath = `/sso/${auth.user.workspaceId}`;
    if (!config) return { ...EMPTY, ssoPath };
    const { flavor, issuer, clientId, tenantId, allowedDomains, jitAllowed, requireSso, breakGlassUserId } = config;
    return { configured: true, flavor, issuer, clientId, hasClientSecret: true, tenantId, allowedDomains, jitAllowed, requireSso, breakGlassUserId, ssoPath };
  }

  async save(auth: AuthContext, body: SsoSettingsUpdate, from: { ip: string; sessionId: string | null }): Promise<SsoSettings> {
    requireRole(auth, 'admin');
    const { store, clock, clients, sealer } = this.deps;
    const workspaceId = auth.user.workspaceId;
    const current = await store.getSsoConfig(workspaceId);

    let issuer: URL;
    try {
      issuer = new URL(body.issuer.trim());
    } catch {
      throw new HttpError('invalid_request', 'Invalid body.issuer: not a URL.');
    }
    if (issuer.protocol !== 'https:' && !(issuer.protocol === 'http:' && isLoopbackUrl(issuer))) {
      throw new HttpError('invalid_request', 'Invalid body.issuer: the identity provider must be reached over https.');
    }
    if (issuer.search || issuer.hash || issuer.username || issuer.password) throw new HttpError('invalid_request', 'Invalid body.issuer: give the issuer URL alone (no query, fragment or credentials).');
    const tenantId = body.tenantId?.trim() || null;
    if (body.flavor === 'entra' && !tenantId) throw new HttpError('invalid_request', 'Invalid body.tenantId: Microsoft Entra ID needs your directory (tenant) id.');
    if (body.flavor !== 'entra' && tenantId) throw new HttpError('invalid_request', 'Invalid body.tenantId: only Microsoft Entra ID has a tenant id.');
    if (!body.clientSecret && !current) throw new HttpError('invalid_request', 'Invalid body.clientSecret: required the first time.');
    const domains = [...new Set(body.allowedDomains.map((d) => d.toLowerCase()))].sort();
    if (body.flavor === 'google' && domains.length === 0) throw new HttpError('invalid_request', 'Invalid body.allowedDomains: Google sign-in needs your Workspace domain (hd).');

    const breakGlassUserId = body.breakGlassUserId ?? null;
    if (breakGlassUserId !== null) {
      const admin = await store.findUserById(breakGlassUserId);
      if (!admin || admin.workspaceId !== workspaceId || admin.role !== 'admin' || admin.disabledAt !== null) {
        throw new HttpError('invalid_request', 'Invalid body.breakGlassUserId: the break-glass account must be an active admin of this workspace.');
      }
    }
    // Requiring SSO with no way around it would lock the firm out the day the provider fails.
    if (body.requireSso && breakGlassUserId === null) {
      throw new HttpError('invalid_request', 'Invalid body.breakGlassUserId: requiring single sign-on needs a break-glass admin who can still sign in with a password.');
    }

    // Kept as typed: the ID token's `iss` must equal the provider's own spelling, trailing slash and all.
    const issuerText = body.issuer.trim();
    await clients.check(issuerText);
    const saved = await store.saveSsoConfig(
      {
        workspaceId,
        flavor: body.flavor,
        issuer: issuerText,
        clientId: body.clientId.trim(),
        clientSecretSealed: body.clientSecret ? sealer.seal(body.clientSecret, clientSecretContext(workspaceId)) : current!.clientSecretSealed,
        tenantId,
        allowedDomains: domains,
        jitAllowed: body.jitAllowed,
        requireSso: body.requireSso,
        breakGlassUserId,
        updatedAt: clock.now(),
      },
      {
        workspaceId,
        type: 'sso_settings_changed',
        at: clock.now(),
        actorUserId: auth.user.id,
        sessionId: from.sessionId,
        ip: from.ip,
        // What changed, never the secret: only whether a new one was given.
        detail: { flavor: body.flavor, issuer: issuerText, allowedDomains: domains, jitAllowed: body.jitAllowed, requireSso: body.requireSso, newClientSecret: Boolean(body.clientSecret) },
      },
    );
    if (saved !== 'saved') throw new HttpError('conflict', `The domain ${saved.domainTaken} already signs in to another workspace.`);
    return this.get(auth);
  }
}
