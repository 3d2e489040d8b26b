import { useEffect, useState, type FormEvent } from 'react';
import { Button, Form, InlineLoading, RadioButton, RadioButtonGroup, Stack, Tile } from '@carbon/react';
import { TWO_FACTOR_POLICIES, type TwoFactorPolicy } from '../../../../shared/api/mfa.js';
import { ApiError, type TabApi } from '../../../../shared/api/client.js';
import { callErrorMessage } from '../../../auth/messages.js';
import { PageNotification, type Notice } from '../../../components/PageNotification/index.js';

const LABELS: Record<TwoFactorPolicy, string> = {
  off: 'Not required (each member chooses)',
  admins_managers: 'Required for admins and managers',
  everyone: 'Required for everyone',
};

/**
 * Security › two-factor policy (admins). Members it covers who have no
 * authenticator are asked to set one up at their next sign-in; sessions
 * already open stay open. The server refuses a policy that covers the admin
 * while the admin has no two-factor (so nobody locks the firm out).
 */
export function TwoFactorPolicyPanel({ api }: { api: Pick<TabApi, 'getTwoFactorPolicy' | 'putTwoFactorPolicy'> }) {
  const [saved, setSaved] = useState<TwoFactorPolicy | null>(null);
  const [draft, setDraft] = useState<TwoFactorPolicy | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    api.getTwoFactorPolicy().then(
      (p) => live && (setSaved(p.requireTwoFactor), setDraft(p.requireTwoFactor)),
      (e: unknown) => live && !(e instanceof ApiError && e.isSignedOut) && setNotice({ kind: 'error', title: 'The two-factor policy could not be loaded', subtitle: callErrorMessage(e) }),
    );
    return () => {
      live = false;
    };
  }, [api]);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (!draft || busy) return;
    setBusy(true);
    setNotice(null);
    try {
      const next = (await api.putTwoFactorPolicy({ requireTwoFactor: draft })).requireTwoFactor;
      setSaved(next);
      setNotice({ kind: 'success', title: 'Two-factor policy saved', subtitle: next === 'off' ? 'Nobody is required to use two-factor.' : 'Members it covers set it up at their next sign-in.' });
    } catch (error) {
      if (error instanceof ApiError && error.isSignedOut) return;
      setNotice({ kind: 'error', title: 'The policy was not saved', subtitle: callErrorMessage(error) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Tile className="tab-security__panel" data-testid="two-factor-policy">
      <h2 className="tab-section-title tab-security__heading">Two-factor sign-in</h2>
      <PageNotification notice={notice} onClose={() => setNotice(null)} />
      {draft === null && !notice && <InlineLoading description="Loading…" />}
      {draft && (
        <Form onSubmit={(e) => void save(e)} aria-label="Two-factor policy">
          <Stack gap={6}>
            <RadioButtonGroup legendText="Require a code from an authenticator app" name="tab-2fa-policy" orientation="vertical" valueSelected={draft} onChange={(v) => setDraft(v as TwoFactorPolicy)}>
              {TWO_FACTOR_POLICIES.map((p) => (
                <RadioButton key={p} id={`tab-2fa-policy-${p}`} value={p} labelText={LABELS[p]} />
              ))}
            </RadioButtonGroup>
            <p className="tab-muted">Members without it are asked to set it up at their next sign-in. Who is already signed in stays signed in.</p>
            <div>
              <Button type="submit" kind="primary" disabled={busy || draft === saved}>
                Save two-factor policy
              </Button>
            </div>
          </Stack>
        </Form>
      )}
    </Tile>
  );
}
