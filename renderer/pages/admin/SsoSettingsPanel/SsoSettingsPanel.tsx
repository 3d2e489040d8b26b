import { useEffect, useState, type FormEvent } from 'react';
import { Button, Form, InlineLoading, Select, SelectItem, Stack, Tile } from '@carbon/react';
import { Checkbox, PasswordInput, TextInput } from '../../../components/Fields/index.js';
import { DOMAIN_PATTERN, SSO_FLAVORS, type SsoFlavor, type SsoSettings, type SsoSettingsUpdate } from '../../../../shared/api/sso.js';
import { ApiError } from '../../../../shared/api/client.js';
import type { Member } from '../../../../shared/api/admin.js';
import { useSignedIn } from '../../../auth/auth-context.js';
import { callErrorMessage } from '../../../auth/messages.js';
import { PageNotification, type Notice } from '../../../components/PageNotification/index.js';
import { useApiData } from '../../../hooks/useApiData.js';
import './SsoSettingsPanel.scss';

const FLAVOR_TEXT: Record<SsoFlavor, string> = {
  google: 'Google Workspace',
  entra: 'Microsoft Entra ID (Microsoft 365)',
  generic: 'Other OpenID Connect provider',
};

const ISSUER_HINT: Record<SsoFlavor, string> = {
  google: 'https://accounts.google.com',
  entra: 'https://login.microsoftonline.com/<tenant id>/v2.0',
  generic: 'The provider’s issuer URL (https)',
};

interface Draft {
  flavor: SsoFlavor;
  issuer: string;
  clientId: string;
  clientSecret: string;
  tenantId: string;
  domains: string;
  jitAllowed: boolean;
  requireSso: boolean;
  breakGlassUserId: string;
}

const draftOf = (s: SsoSettings): Draft => ({
  flavor: s.flavor,
  issuer: s.issuer,
  clientId: s.clientId,
  clientSecret: '',
  tenantId: s.tenantId ?? '',
  domains: s.allowedDomains.join(', '),
  jitAllowed: s.jitAllowed,
  requireSso: s.requireSso,
  breakGlassUserId: s.breakGlassUserId ?? '',
});

const domainRe = new RegExp(DOMAIN_PATTERN);
const splitDomains = (text: string) => text.split(/[\s,;]+/).map((d) => d.trim().toLowerCase()).filter(Boolean);

/**
 * Security › Single sign-on (admins): the workspace's OpenID provider, the
 * e-mail domains that lead to it, just-in-time members, and "require SSO"
 * with its break-glass admin. The client secret is write-only: the page
 * shows whether one is saved and sends a new one only when typed.
 */
export function SsoSettingsPanel() {
  const { backend } = useSignedIn();
  const settings = useApiData(() => backend.request({ method: 'GET', path: '/api/v1/admin/sso' }) as Promise<SsoSettings>, 'sso');
  const members = useApiData(() => backend.api.listMembers(), 'members');
  const [draft, setDraft] = useState<Draft | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (settings.data) setDraft(draftOf(settings.data));
  }, [settings.data]);

  const admins: Member[] = (members.data?.members ?? []).filter((m) => m.role === 'admin' && !m.disabled && m.invitedAt === null);
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => (d ? { ...d, [key]: value } : d));
  const badDomains = draft ? splitDomains(draft.domains).filter((d) => !domainRe.test(d)) : [];

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (!draft || saving) return;
    if (badDomains.length > 0) return;
    setSaving(true);
    setNotice(null);
    const body: SsoSettingsUpdate = {
      flavor: draft.flavor,
      issuer: draft.issuer.trim(),
      clientId: draft.clientId.trim(),
      ...(draft.clientSecret ? { clientSecret: draft.clientSecret } : {}),
      tenantId: draft.flavor === 'entra' ? draft.tenantId.trim() || null : null,
      allowedDomains: splitDomains(draft.domains),
      jitAllowed: draft.jitAllowed,
      requireSso: draft.requireSso,
      breakGlassUserId: draft.breakGlassUserId || null,
    };
    try {
      const saved = (await backend.request({ method: 'PUT', path: '/api/v1/admin/sso', body })) as SsoSettings;
      setDraft(draftOf(saved));
      await settings.reload();
      setNotice({ kind: 'success', title: 'Single sign-on saved', subtitle: saved.requireSso ? 'Members now sign in only with single sign-on (the break-glass admin can still use a password).' : undefined });
    } catch (error) {
      if (error instanceof ApiError && error.isSignedOut) return;
      setNotice({ kind: 'error', title: 'Single sign-on was not saved', subtitle: callErrorMessage(error) });
    } finally {
      setSaving(false);
    }
  };

  const origin = typeof window === 'undefined' ? '' : window.location.origin;
  return (
    <Tile className="tab-security__panel tab-sso">
      <h2 className="tab-section-title tab-security__heading">Single sign-on</h2>
      <p className="tab-security__note">
        Members sign in with your firm’s identity provider (OpenID Connect). Register TAB there with the redirect address{' '}
        <code className="tab-sso__code">{origin}/sso/callback</code> (and, for the desktop app, <code className="tab-sso__code">http://127.0.0.1/callback</code> on any port).
      </p>
      <PageNotification notice={notice} onClose={() => setNotice(null)} />
      <PageNotification notice={settings.error ? { kind: 'error', title: 'Single sign-on could not be loaded', subtitle: settings.error } : null} />
      {draft === null && settings.loading && <InlineLoading description="Loading single sign-on…" />}
      {draft && settings.data && (
        <Form onSubmit={(e) => void save(e)} aria-label="Single sign-on">
          <Stack gap={6}>
            <Select id="tab-sso-flavor" labelText="Identity provider" value={draft.flavor} onChange={(e) => set('flavor', e.target.value as SsoFlavor)}>
              {SSO_FLAVORS.map((f) => (
                <SelectItem key={f} value={f} text={FLAVOR_TEXT[f]} />
              ))}
            </Select>
            <TextInput id="tab-sso-issuer" labelText="Issuer URL" placeholder={ISSUER_HINT[draft.flavor]} value={draft.issuer} onChange={(e) => set('issuer', e.target.value)} />
            {draft.flavor === 'entra' && (
              <TextInput
                id="tab-sso-tenant"
                labelText="Directory (tenant) ID"
                helperText="Only accounts of this tenant can sign in."
                value={draft.tenantId}
                onChange={(e) => set('tenantId', e.target.value)}
              />
            )}
            <TextInput id="tab-sso-client-id" labelText="Client ID" value={draft.clientId} onChange={(e) => set('clientId', e.target.value)} autoComplete="off" />
            <PasswordInput
              id="tab-sso-client-secret"
              labelText="Client secret"
              helperText={settings.data.hasClientSecret ? 'A secret is saved. Type a new one only to replace it.' : 'Required. Kept encrypted; never shown again.'}
              value={draft.clientSecret}
              onChange={(e) => set('clientSecret', e.target.value)}
              autoComplete="new-password"
            />
            <TextInput
              id="tab-sso-domains"
              labelText="Allowed e-mail domains"
              helperText={draft.flavor === 'google' ? 'Your Google Workspace domains (hd), separated by commas.' : 'Separated by commas, e.g. yourfirm.com'}
              value={draft.domains}
              onChange={(e) => set('domains', e.target.value)}
              invalid={badDomains.length > 0}
              invalidText={`Not a domain: ${badDomains.join(', ')}`}
            />
            <Checkbox
              id="tab-sso-jit"
              labelText="Create an accountant the first time someone of these domains signs in"
              checked={draft.jitAllowed}
              onChange={(_e, { checked }) => set('jitAllowed', checked)}
            />
            <Checkbox
              id="tab-sso-require"
              labelText="Require single sign-on (password sign-in refused)"
              checked={draft.requireSso}
              onChange={(_e, { checked }) => set('requireSso', checked)}
            />
            <Select
              id="tab-sso-break-glass"
              labelText="Break-glass admin"
              helperText="This admin can still sign in with a password, for the day the identity provider fails. Required with “Require single sign-on”."
              value={draft.breakGlassUserId}
              onChange={(e) => set('breakGlassUserId', e.target.value)}
              invalid={draft.requireSso && !draft.breakGlassUserId}
              invalidText="Choose a break-glass admin to require single sign-on."
            >
              <SelectItem value="" text="None" />
              {admins.map((m) => (
                <SelectItem key={m.id} value={m.id} text={`${m.name} (${m.email})`} />
              ))}
            </Select>
            {settings.data.configured && (
              <p className="tab-security__note">
                Members can also start at <code className="tab-sso__code">{origin}{settings.data.ssoPath}</code>
              </p>
            )}
            <div>
              <Button type="submit" kind="primary" disabled={saving || (draft.requireSso && !draft.breakGlassUserId)}>
                {saving ? 'Checking the provider…' : 'Save single sign-on'}
              </Button>
            </div>
          </Stack>
        </Form>
      )}
    </Tile>
  );
}
