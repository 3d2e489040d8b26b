import { useEffect, useState, type FormEvent } from 'react';
import { Button, Form, InlineLoading, InlineNotification, Select, SelectItem, Stack, Tile } from '@carbon/react';
import type { SessionPolicy } from '../../../../shared/api/admin.js';
import { ApiError } from '../../../../shared/api/client.js';
import { useSignedIn } from '../../../auth/auth-context.js';
import { callErrorMessage } from '../../../auth/messages.js';
import { PageNotification, type Notice } from '../../../components/PageNotification/index.js';
import { useApiData } from '../../../hooks/useApiData.js';
import { useDocumentTitle } from '../../../hooks/useDocumentTitle.js';
import { SectionNav } from '../../../components/SectionNav/index.js';
import { RevokeAllModal } from '../RevokeAllModal/index.js';
import { TwoFactorPolicyPanel } from '../TwoFactorPolicyPanel/index.js';
import { SsoSettingsPanel } from '../SsoSettingsPanel/index.js';
import { ABSOLUTE_OPTIONS, INACTIVITY_OPTIONS, concurrentOptions, inactivityOutlastsAbsolute } from './policy-options.js';
import { ChangePolicyFields } from './ChangePolicyFields.js';
import './WorkspaceSecurityPage.scss';

const sessionsCount = (n: number) => (n === 1 ? '1 session' : `${n} sessions`);

/** Security › Session policy (admins): the timeouts and device limit, and the workspace-wide sign-out. */
export function WorkspaceSecurityPage() {
  useDocumentTitle('Session policy');
  const { backend } = useSignedIn();
  const api = backend.api;
  const policy = useApiData(() => api.getSessionPolicy(), 'policy');
  const [draft, setDraft] = useState<SessionPolicy | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [saving, setSaving] = useState(false);
  const [modalOpen, setModalOpen] = useState(false);

  useEffect(() => {
    if (policy.data) setDraft(policy.data);
  }, [policy.data]);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (!draft || saving) return;
    setSaving(true);
    setNotice(null);
    try {
      const saved = await api.putSessionPolicy(draft);
      setDraft(saved);
      setNotice({ kind: 'success', title: 'Session policy saved', subtitle: 'It applies to sessions started from now on.' });
    } catch (error) {
      if (error instanceof ApiError && error.isSignedOut) return;
      setNotice({ kind: 'error', title: 'The policy was not saved', subtitle: callErrorMessage(error) });
    } finally {
      setSaving(false);
    }
  };

  return (
    <>
      <h1 className="tab-page__title">Session policy</h1>
      <SectionNav />
      <PageNotification notice={notice} onClose={() => setNotice(null)} />
      <PageNotification notice={policy.error ? { kind: 'error', title: 'The policy could not be loaded', subtitle: policy.error } : null} />
      <Tile className="tab-security__panel">
        <h2 className="tab-section-title tab-security__heading">Timeouts and devices</h2>
        {draft === null && policy.loading && <InlineLoading description="Loading the policy…" />}
        {draft && (
          <Form onSubmit={(e) => void save(e)} aria-label="Session policy">
            <Stack gap={6}>
              <Select
                id="tab-policy-inactivity"
                labelText="Sign out after inactivity"
                helperText="A session unused for this long ends."
                value={String(draft.inactivityTimeoutMinutes)}
                onChange={(e) => setDraft({ ...draft, inactivityTimeoutMinutes: Number(e.target.value) as SessionPolicy['inactivityTimeoutMinutes'] })}
              >
                {INACTIVITY_OPTIONS.map((o) => (
                  <SelectItem key={o.value} value={String(o.value)} text={o.text} />
                ))}
              </Select>
              <Select
                id="tab-policy-absolute"
                labelText="Sign out after, at most"
                helperText="Even a session in use ends this long after sign-in."
                value={String(draft.absoluteTimeoutDays)}
                onChange={(e) => setDraft({ ...draft, absoluteTimeoutDays: Number(e.target.value) as SessionPolicy['absoluteTimeoutDays'] })}
              >
                {ABSOLUTE_OPTIONS.map((o) => (
                  <SelectItem key={o.value} value={String(o.value)} text={o.text} />
                ))}
              </Select>
              <Select
                id="tab-policy-concurrent"
                labelText="Devices signed in at once"
                helperText="Over the limit, a new sign-in signs out that member’s oldest session."
                value={draft.maxConcurrentSessions === null ? 'none' : String(draft.maxConcurrentSessions)}
                onChange={(e) => setDraft({ ...draft, maxConcurrentSessions: e.target.value === 'none' ? null : Number(e.target.value) })}
              >
                {concurrentOptions(draft.maxConcurrentSessions).map((o) => (
                  <SelectItem key={o.value} value={o.value} text={o.text} />
                ))}
              </Select>
              {inactivityOutlastsAbsolute(draft) && (
                <InlineNotification
                  kind="warning"
                  lowContrast
                  hideCloseButton
                  role="status"
                  title="The inactivity timeout never applies"
                  subtitle={`Every session ends ${ABSOLUTE_OPTIONS.find((o) => o.value === draft.absoluteTimeoutDays)?.text ?? ''} after sign-in, before it could be unused for ${INACTIVITY_OPTIONS.find((o) => o.value === draft.inactivityTimeoutMinutes)?.text ?? ''}. Choose a shorter inactivity timeout or a longer maximum.`}
                  data-testid="policy-warning"
                />
              )}
              <ChangePolicyFields draft={draft} disabled={false} onChange={setDraft} />
              <div>
                <Button type="submit" kind="primary" disabled={saving}>
                  {saving ? 'Saving…' : 'Save policy'}
                </Button>
              </div>
            </Stack>
          </Form>
        )}
      </Tile>
      <TwoFactorPolicyPanel api={api} />
      <SsoSettingsPanel />
      <Tile className="tab-security__panel tab-security__danger">
        <h2 className="tab-section-title tab-security__heading">Sign everyone out</h2>
        <p className="tab-security__note">
          Ends every session in the workspace, on every device, except the one you are using. Use it after a lost laptop or a suspected break-in.
        </p>
        <Button kind="danger" onClick={() => setModalOpen(true)}>
          Revoke all workspace sessions
        </Button>
      </Tile>
      <RevokeAllModal
        open={modalOpen}
        api={api}
        allowSso={backend.kind === 'web'}
        onClose={() => setModalOpen(false)}
        onDone={(revoked) => {
          setModalOpen(false);
          setNotice({ kind: 'success', title: `Signed out ${sessionsCount(revoked)} across the workspace` });
        }}
      />
    </>
  );
}
