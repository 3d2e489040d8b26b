import { useState } from 'react';
import { InlineLoading, Tile } from '@carbon/react';
import type { ApiToken } from '../../../shared/api/api-tokens.js';
import { ApiError, type TabApi } from '../../../shared/api/client.js';
import { callErrorMessage } from '../../auth/messages.js';
import { useApiData } from '../../hooks/useApiData.js';
import { useNow } from '../../hooks/useNow.js';
import { ApiTokenList } from '../ApiTokenList/index.js';
import { PageNotification, type Notice } from '../PageNotification/index.js';
import './MemberApiTokens.scss';

export interface MemberApiTokensProps {
  api: Pick<TabApi, 'listMemberApiTokens' | 'revokeMemberApiToken'>;
  userId: string;
  memberName: string;
  /** Admins revoke; managers only look (the server enforces the same). */
  canRevoke: boolean;
  /** Changes when something else on the page may have ended tokens (sign out all, disable): the list reloads. */
  reloadKey?: unknown;
}

/** On a member's page: the API tokens that still work as them, and (for admins) a way to revoke each. */
export function MemberApiTokens({ api, userId, memberName, canRevoke, reloadKey }: MemberApiTokensProps) {
  const now = useNow(30_000);
  const tokens = useApiData(() => api.listMemberApiTokens(userId), `${userId}|${String(reloadKey)}`);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [busy, setBusy] = useState(false);

  const revoke = async (token: ApiToken) => {
    setBusy(true);
    setNotice(null);
    try {
      await api.revokeMemberApiToken(userId, token.id);
      setNotice({ kind: 'success', title: `Revoked ${token.name}` });
    } catch (error) {
      if (error instanceof ApiError && error.isSignedOut) return;
      if (!(error instanceof ApiError && error.code === 'not_found')) setNotice({ kind: 'error', title: `Could not revoke ${token.name}`, subtitle: callErrorMessage(error) });
    } finally {
      setBusy(false);
      await tokens.reload();
    }
  };

  const list = tokens.data?.tokens ?? null;
  return (
    <Tile className="tab-member-tokens" data-testid="member-api-tokens">
      <h2 className="tab-member-tokens__title">API tokens</h2>
      <PageNotification notice={notice} onClose={() => setNotice(null)} />
      {tokens.error && <PageNotification notice={{ kind: 'error', title: 'API tokens could not be loaded', subtitle: tokens.error }} />}
      {list === null && tokens.loading && <InlineLoading description="Loading API tokens…" />}
      {list !== null && list.length === 0 && <p className="tab-muted">No API tokens.</p>}
      {list !== null && list.length > 0 && (
        <ApiTokenList tokens={list} now={now} busy={busy} onRevoke={canRevoke ? (t) => void revoke(t) : undefined} label={`API tokens of ${memberName}`} />
      )}
    </Tile>
  );
}
