import type { ErrorCode } from '../../shared/errors.js';
import type { StoredSsoConfig } from '../store/types.js';

/** What a verified ID token says about the person, as TAB keys and trusts it. */
export interface ExternalPerson {
  /** The identity's key with the issuer: `sub`, or for Entra `<tid>:<oid>` (stable across apps, unlike Entra's pairwise `sub`). */
  subject: string;
  /** Lower case; null when the provider gave none. */
  email: string | null;
  /** Whether the provider vouches for the e-mail under this workspace's rules: the only way to a first link or a new member. */
  emailTrusted: boolean;
  name: string | null;
}

export type ClaimsVerdict = { ok: true; person: ExternalPerson } | { ok: false; code: ErrorCode; message: string };

const str = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value.trim() : null);

export const domainOf = (email: string): string => email.slice(email.lastIndexOf('@') + 1).toLowerCase();

/**
 * Reads an ID token's claims (already verified: signature, issuer, audience,
 * nonce, expiry) under the workspace's provider flavor. Never keys anyone by
 * e-mail: the e-mail only decides a FIRST link (or a just-in-time member),
 * and only when the issuer vouches for it (the "nOAuth" lesson: Entra's
 * `email` is an editable attribute, so it counts only from the firm's own
 * tenant; Google's only with `email_verified` and a Workspace `hd` the firm
 * allows, so no consumer account named like a colleague gets in).
 */
export function readClaims(config: Pick<StoredSsoConfig, 'flavor' | 'tenantId' | 'allowedDomains'>, claims: Record<string, unknown>): ClaimsVerdict {
  const sub = str(claims.sub);
  if (!sub) return { ok: false, code: 'sso_token_invalid', message: 'The identity provider sent no subject.' };
  const email = str(claims.email)?.toLowerCase() ?? null;
  const name = str(claims.name);
  switch (config.flavor) {
    case 'entra': {
      const tid = str(claims.tid);
      const oid = str(claims.oid);
      if (!config.tenantId || tid !== config.tenantId) {
        return { ok: false, code: 'sso_email_unverified', message: 'This Microsoft account is not from your firm’s directory (tenant).' };
      }
      if (!oid) return { ok: false, code: 'sso_token_invalid', message: 'The identity provider sent no object id (oid).' };
      const mail = email ?? str(claims.preferred_username)?.toLowerCase() ?? null;
      return { ok: true, person: { subject: `${tid}:${oid}`, email: mail, emailTrusted: mail !== null, name } };
    }
    case 'google': {
      const hd = str(claims.hd)?.toLowerCase() ?? null;
      const trusted = claims.email_verified === true && hd !== null && config.allowedDomains.includes(hd) && email !== null && domainOf(email) === hd;
      return { ok: true, person: { subject: sub, email, emailTrusted: trusted, name } };
    }
    case 'generic':
      return { ok: true, person: { subject: sub, email, emailTrusted: email !== null && claims.email_verified === true, name } };
  }
}
