import { useState } from 'react';
import { Button, InlineLoading, Tile } from '@carbon/react';
import type { ApiToken, CreatedApiToken } from '../../../shared/api/api-tokens.js';
import { ApiError } from '../../../shared/api/client.js';
import { useSignedIn } from '../../auth/auth-context.js';
import { callErrorMessage } from '../../auth/messages.js';
import { useApiData } from '../../hooks/useApiData.js';
import { useNow } from '../../hooks/useNow.js';
import { ApiTokenList } from '../ApiTokenList/index.js';
import { PageNotification, type Notice } from '../PageNotification/index.js';
import { CreateApiTokenModal } from './CreateApiTokenModal.js';
import './ApiTokensSection.scss';

/**
 * The Profile page's "API tokens": what scripts and integrations may do as
 * you, and a way to stop each. Creating one asks to confirm it is you (the shared re-check). In the
 * desktop app the token is made in the web client instead (its main process
 * never mints credentials): the button opens the Profile page in the
 * system browser.
 */
export function ApiTokensSection() {
  const { backend } = useSignedIn();
  const api = backend.api;
  const now = useNow(30_000);
  const tokens = useApiData(() => api.listApiTokens(), api);
  const [creating, setCreating] = useState(false);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [busy, setBusy] = useState(false);
  const desktop = backend.kind === 'desktop';

  const revoke = async (token: ApiToken) => {
    setBusy(true);
    setNotice(null);
    try {
      await api.revokeApiToken(token.id);
      setNotice({ kind: 'success', title: `Revoked ${token.name}`, subtitle: 'Anything still using it is refused from now on.' });
    } catch (error) {
      if (error instanceof ApiError && error.isSignedOut) return;
      if (!(error instanceof ApiError && error.code === 'not_found')) setNotice({ kind: 'error', title: `Could not revoke ${token.name}`, subtitle: callErrorMessage(error) });
    } finally {
      setBusy(false);
      await tokens.reload();
    }
  };

  const startCreating = () => {
    if (!desktop) return setCreating(true);
    if (backend.openProfileInBrowser) void backend.openProfileInBrowser();
    else setNotice({ kind: 'info', title: 'Create tokens in the web client', subtitle: 'Open TAB in your browser, then Profile → API tokens.' });
  };

  const list = tokens.data?.tokens ?? null;
  return (
    <Tile className="tab-api-tokens" role="region" aria-labelledby="tab-api-tokens-title" data-testid="api-tokens-section">
      <div className="tab-api-tokens__header">
        <div>
          <h2 id="tab-api-tokens-title" className="tab-api-tokens__title">
            API tokens
          </h2>
          <p className="tab-api-tokens__intro">
            Scripts and integrations use a token to work as you, only within what you let it do. A token stops when you revoke it, when it
            expires, when you change your password and sign out your other devices, or when an admin signs you out or resets your password.
            Signing out everywhere else does not stop it.
          </p>
        </div>
        <Button kind="tertiary" size="md" onClick={startCreating}>
          {desktop ? 'Create a token in the browser' : 'Create token'}
        </Button>
      </div>
      <PageNotification notice={notice} onClose={() => setNotice(null)} />
      {tokens.error && <PageNotification notice={{ kind: 'error', title: 'Your tokens could not be loaded', subtitle: tokens.error }} />}
      {list === null && tokens.loading && <InlineLoading description="Loading your tokens…" />}
      {list !== null && list.length === 0 && <p className="tab-muted">No API tokens. Nothing can use TAB as you without signing in.</p>}
      {list !== null && list.length > 0 && <ApiTokenList tokens={list} now={now} busy={busy} onRevoke={(t) => void revoke(t)} label="Your API tokens" />}
      {!desktop && creating && (
        <CreateApiTokenModal
          open
          create={(body) => api.createApiToken(body)}
          api={api}
          allowSso
          onClose={() => setCreating(false)}
          onCreated={(_token: CreatedApiToken) => void tokens.reload()}
        />
      )}
    </Tile>
  );
}
