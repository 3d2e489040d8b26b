import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { Button, Form, InlineLoading, Stack, Tile } from '@carbon/react';
import { TextInput } from '../Fields/index.js';
import type { PasskeyView } from '../../../shared/api/passkeys.js';
import { PASSKEY_NAME_MAX } from '../../../shared/api/passkeys.js';
import { ApiError, type TabApi } from '../../../shared/api/client.js';
import { callErrorMessage } from '../../auth/messages.js';
import { makePasskey, passkeysSupported } from '../../auth/passkey-prompt.js';
import { PageNotification, type Notice } from '../PageNotification/index.js';
import { PasskeyList } from '../PasskeyList/index.js';
import { ReauthDialog, type ReauthDialogApi } from '../ReauthDialog/index.js';

export interface PasskeysSectionProps {
  api: Pick<TabApi, 'passkeys' | 'passkeyRegistrationOptions' | 'registerPasskey' | 'removePasskey'> & ReauthDialogApi;
  /** Offer single sign-on in the re-check (web only). */
  allowSso?: boolean;
  /** The list rereads when it changes: `account.changed` (a passkey added in another tab, or removed by an admin). */
  reloadKey?: unknown;
}


/**
 * Passkeys on the Profile page: the list (name, added, last used), adding one
 * (named, then the browser's prompt), removing one. Removing goes through
 * the shared re-check dialog: a passkey of yours (so it works for every member
 * who has one, with or without a password), your single sign-on, or the
 * password (+ code); the grant then removes it.
 */
export function PasskeysSection({ api, allowSso, reloadKey }: PasskeysSectionProps) {
  const [passkeys, setPasskeys] = useState<PasskeyView[] | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [busy, setBusy] = useState(false);
  const [adding, setAdding] = useState(false);
  const [name, setName] = useState('');
  const [nameError, setNameError] = useState<string | undefined>();
  const [removing, setRemoving] = useState<PasskeyView | null>(null);

  const load = useCallback(async () => {
    try {
      setPasskeys((await api.passkeys()).passkeys);
    } catch (caught) {
      if (!(caught instanceof ApiError && caught.isSignedOut)) setNotice({ kind: 'error', title: 'Passkeys could not be loaded', subtitle: callErrorMessage(caught) });
    }
  }, [api]);
  useEffect(() => void load(), [load, reloadKey]);

  const add = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    if (!name.trim()) return setNameError('Name it, e.g. “Work laptop”.');
    setNameError(undefined);
    setBusy(true);
    setNotice(null);
    try {
      const { options } = await api.passkeyRegistrationOptions();
      const added = await api.registerPasskey({ name: name.trim(), response: await makePasskey(options) });
      setAdding(false);
      setName('');
      setNotice({ kind: 'success', title: `Passkey “${added.name}” added`, subtitle: 'Use it to sign in, with or without your password.' });
      await load();
    } catch (caught) {
      if (!(caught instanceof ApiError && caught.isSignedOut)) setNotice({ kind: 'error', title: 'The passkey was not added', subtitle: callErrorMessage(caught) });
    } finally {
      setBusy(false);
    }
  };

  const remove = async (passkey: PasskeyView, grant: string) => {
    await api.removePasskey(passkey.id, { reauthGrant: grant });
    setRemoving(null);
    // Drop the row at once so the list never contradicts the notice, then reload for the truth.
    setPasskeys((current) => current?.filter((kept) => kept.id !== passkey.id) ?? current);
    setNotice({ kind: 'success', title: `Passkey “${passkey.name}” removed` });
    await load();
  };

  return (
    <Tile className="tab-profile__section" data-testid="passkeys-section">
      <h2 className="tab-section-title tab-profile__heading">Passkeys</h2>
      <PageNotification notice={notice} onClose={() => setNotice(null)} />
      {!passkeys && !notice && <InlineLoading description="Loading…" />}
      {passkeys && (
        <Stack gap={5}>
          <p>Sign in with your fingerprint, face or device PIN instead of a code, or without a password at all. A passkey cannot be phished: it only works on this TAB.</p>
          {passkeys.length > 0 && (
            <PasskeyList passkeys={passkeys} label="Your passkeys" rowTestId="passkey-row" removeLabel={(p) => `Remove passkey ${p.name}`} onRemove={setRemoving} disabled={busy} />
          )}
          {passkeys.length > 0 && <p className="tab-muted">Removing one asks you to confirm it is you first.</p>}
          {!passkeysSupported() ? (
            <p className="tab-muted">This browser cannot make passkeys.</p>
          ) : !adding ? (
            <div>
              <Button kind="tertiary" onClick={() => setAdding(true)} data-testid="add-passkey">
                Add a passkey
              </Button>
            </div>
          ) : (
            <Form onSubmit={(e) => void add(e)} aria-label="Add a passkey" noValidate>
              <Stack gap={5}>
                <TextInput
                  id="tab-passkey-name"
                  labelText="Name"
                  helperText="So you can tell your passkeys apart, e.g. “Work laptop” or “YubiKey”."
                  maxLength={PASSKEY_NAME_MAX}
                  value={name}
                  onChange={(e) => setName(e.target.value)}
                  invalid={!!nameError}
                  invalidText={nameError}
                  autoFocus
                />
                <div className="tab-totp-setup__actions">
                  <Button type="submit" kind="primary" disabled={busy}>
                    {busy ? 'Waiting for your device…' : 'Continue'}
                  </Button>
                  <Button kind="ghost" onClick={() => setAdding(false)}>
                    Cancel
                  </Button>
                </div>
              </Stack>
            </Form>
          )}
        </Stack>
      )}
      {removing && (
        <ReauthDialog
          open
          api={api}
          allowSso={allowSso}
          danger
          heading={`Remove passkey “${removing.name}”`}
          confirmText="Remove"
          onConfirmed={(grant) => remove(removing, grant)}
          onClose={() => setRemoving(null)}
        >
          <p>It stops working for TAB at once. The device may still list it: delete it there too.</p>
        </ReauthDialog>
      )}
    </Tile>
  );
}
