import { randomUUID } from 'node:crypto';
import type { SsoFlavor } from '../../../shared/api/sso.js';
import type { AuditInput } from '../audit.js';
import type { NewUser, StoredUser } from '../identity.js';
import type { SsoStore, StoredExternalIdentity, StoredOidcLoginState, StoredSsoConfig } from '../sso.js';
import { constraintKind, SqlDomain, zeroOne } from './base.js';

export class SsoSql extends SqlDomain implements SsoStore {
  async getSsoConfig(workspaceId: string): Promise<StoredSsoConfig | undefined> {
    const row = await this.db.selectFrom('sso_configs').selectAll().where('workspace_id', '=', workspaceId).executeTakeFirst();
    if (!row) return undefined;
    const domains = await this.db.selectFrom('sso_domains').select('domain').where('workspace_id', '=', workspaceId).orderBy('domain').execute();
    return {
      workspaceId,
      flavor: row.flavor as SsoFlavor,
      issuer: row.issuer,
      clientId: row.client_id,
      clientSecretSealed: Buffer.from(row.client_secret_sealed),
      tenantId: row.tenant_id,
      allowedDomains: domains.map((d) => d.domain),
      jitAllowed: row.jit_allowed === 1,
      requireSso: row.require_sso === 1,
      breakGlassUserId: row.break_glass_user_id,
      updatedAt: row.updated_at,
    };
  }

  async saveSsoConfig(config: StoredSsoConfig, audit: AuditInput): Promise<'saved' | { domainTaken: string }> {
    return this.tx(async (trx) => {
      // Domains are claimed first-come: two workspaces saving one domain at once take turns here.
      await this.serializeOn(trx, 'sso-domains');
      const taken = config.allowedDomains.length === 0
        ? undefined
        : await trx.selectFrom('sso_domains').select('domain').where('domain', 'in', config.allowedDomains).where('workspace_id', '!=', config.workspaceId).executeTakeFirst();
      if (taken) return { domainTaken: taken.domain };
      const values = {
        flavor: config.flavor,
        issuer: config.issuer,
        client_id: config.clientId,
        client_secret_sealed: config.clientSecretSealed,
        tenant_id: config.tenantId,
        jit_allowed: zeroOne(config.jitAllowed),
        require_sso: zeroOne(config.requireSso),
        break_glass_user_id: config.breakGlassUserId,
        updated_at: config.updatedAt,
      };
      await trx
        .insertInto('sso_configs')
        .values({ workspace_id: config.workspaceId, ...values })
        .onConflict((oc) => oc.column('workspace_id').doUpdateSet(values))
        .execute();
      await trx.deleteFrom('sso_domains').where('workspace_id', '=', config.workspaceId).execute();
      if (config.allowedDomains.length > 0) {
        await trx.insertInto('sso_domains').values(config.allowedDomains.map((domain) => ({ domain, workspace_id: config.workspaceId }))).execute();
      }
      await this.audit(trx, audit);
      return 'saved' as const;
    });
  }

  async findSsoWorkspaceByDomain(domain: string) {
    const row = await this.db.selectFrom('sso_domains').select('workspace_id').where('domain', '=', domain.toLowerCase()).executeTakeFirst();
    return row?.workspace_id;
  }

  async createOidcLoginState(state: StoredOidcLoginState, now: number) {
    await this.tx(async (trx) => {
      await trx.deleteFrom('oidc_login_states').where('expires_at', '<=', now).execute();
      await trx
        .insertInto('oidc_login_states')
        .values({
          state_hash: state.stateHash,
          workspace_id: state.workspaceId,
          binding_hash: state.bindingHash,
          sealed: state.sealed,
          redirect_uri: state.redirectUri,
          client_kind: state.clientKind,
          device_name: state.deviceName,
          created_at: state.createdAt,
          expires_at: state.expiresAt,
        })
        .execute();
    });
  }

  async takeOidcLoginState(stateHash: Buffer, now: number): Promise<StoredOidcLoginState | undefined> {
    // One DELETE … RETURNING: of two requests presenting one state, only one gets it.
    const row = await this.db.deleteFrom('oidc_login_states').where('state_hash', '=', stateHash).returningAll().executeTakeFirst();
    if (!row || row.expires_at <= now) return undefined;
    return {
      stateHash: Buffer.from(row.state_hash),
      workspaceId: row.workspace_id,
      bindingHash: Buffer.from(row.binding_hash),
      sealed: Buffer.from(row.sealed),
      redirectUri: row.redirect_uri,
      clientKind: row.client_kind as 'web' | 'desktop',
      deviceName: row.device_name,
      createdAt: row.created_at,
      expiresAt: row.expires_at,
    };
  }

  async findExternalIdentity(issuer: string, subject: string): Promise<StoredExternalIdentity | undefined> {
    return this.db
      .selectFrom('external_identities')
      .select(['issuer', 'subject', 'user_id as userId', 'workspace_id as workspaceId', 'email', 'linked_at as linkedAt'])
      .where('issuer', '=', issuer)
      .where('subject', '=', subject)
      .executeTakeFirst();
  }

  async hasExternalIdentity(userId: string, issuer: string): Promise<boolean> {
    const row = await this.db.selectFrom('external_identities').select('subject').where('user_id', '=', userId).where('issuer', '=', issuer).limit(1).executeTakeFirst();
    return row !== undefined;
  }

  async linkExternalIdentity(identity: StoredExternalIdentity, audit: AuditInput) {
    try {
      return await this.tx(async (trx) => {
        const inserted = await trx
          .insertInto('external_identities')
          .values(identityRow(identity))
          .onConflict((oc) => oc.columns(['issuer', 'subject']).doNothing())
          .executeTakeFirst();
        if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) return false;
        await this.audit(trx, audit);
        return true;
      });
    } catch (error) {
      if (constraintKind(error) === 'unique') return false;
      throw error;
    }
  }

  async createUserWithIdentity(input: NewUser, identity: Omit<StoredExternalIdentity, 'userId'>, audit: (userId: string) => AuditInput): Promise<StoredUser | undefined> {
    const id = randomUUID();
    const email = input.email.toLowerCase();
    try {
      return await this.tx(async (trx) => {
        await this.serializeOn(trx, `email:${email}`);
        const taken = await trx.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
        if (taken) return undefined;
        await trx
          .insertInto('users')
          .values({ id, workspace_id: input.workspaceId, email, name: input.name, role: input.role, password_hash: input.passwordHash, created_at: input.now })
          .execute();
        await trx.insertInto('external_identities').values(identityRow({ ...identity, userId: id })).execute();
        await this.audit(trx, audit(id));
        const user: StoredUser = { id, workspaceId: input.workspaceId, email, name: input.name, role: input.role, passwordHash: input.passwordHash, disabledAt: null, createdAt: input.now, timeZone: 'UTC', invitedAt: null };
        return user;
      });
    } catch (error) {
      // The same identity or e-mail arrived twice at once: the other request made the member.
      if (constraintKind(error) === 'unique') return undefined;
      throw error;
    }
  }
}

const identityRow = (identity: StoredExternalIdentity) => ({
  issuer: identity.issuer,
  subject: identity.subject,
  user_id: identity.userId,
  workspace_id: identity.workspaceId,
  email: identity.email,
  linked_at: identity.linkedAt,
});
