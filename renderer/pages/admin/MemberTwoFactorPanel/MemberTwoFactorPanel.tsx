import { useState } from 'react';
import { Button, InlineLoading, Tag, Tile } from '@carbon/react';
import type { TabApi } from '../../../../shared/api/client.js';
import type { Notice } from '../../../components/PageNotification/index.js';
import { ReauthDialog, type ReauthDialogApi } from '../../../components/ReauthDialog/index.js';
import { useApiData } from '../../../hooks/useApiData.js';
import { MemberPasskeyList } from '../MemberPasskeyList/index.js';
import './MemberTwoFactorPanel.scss';

export interface MemberTwoFactorPanelProps {
  api: Pick<TabApi, 'memberTwoFactor' | 'resetMemberTwoFactor' | 'memberPasskeys' | 'removeMemberPasskey'> & ReauthDialogApi;
  userId: string;
  memberName: string;
  /** Admins, on someone else: the reset button and removing a passkey. */
  canReset: boolean;
  allowSso: boolean;
  reloadKey: unknown;
  /** After a reset or a passkey removal: the page's notice. */
  onReset(notice: Notice): void;
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/**
 * A member's two-factor on their admin page (managers see it; admins reset
 * it). The reset is for a lost phone: their authenticator app and recovery
 * codes go, every session of theirs ends, passkeys stay (said in the dialog),
 * behind the admin's own re-check. The member's passkeys are listed below it
 * (`MemberPasskeyList`), where an admin removes a lost one.
 */
export function MemberTwoFactorPanel({ api, userId, memberName, canReset, allowSso, reloadKey, onReset }: MemberTwoFactorPanelProps) {
  const state = useApiData(() => api.memberTwoFactor(userId), `${userId}:${String(reloadKey)}`);
  const [asking, setAsking] = useState(false);
  const s = state.data;

  const reset = async (grant: string) => {
    const done = await api.resetMemberTwoFactor(userId, { reauthGrant: grant });
    setAsking(false);
    onReset({
      kind: 'success',
      title: `${memberName}’s two-factor was reset`,
      subtitle:
        `Signed out ${plural(done.signedOut, 'session')}. They sign in with their password` +
        (s?.required ? ' and set up an authenticator app again right then (your firm requires it).' : ', and can set up two-factor again on their Profile.') +
        (done.passkeysKept > 0 ? ` Their ${plural(done.passkeysKept, 'passkey')} still work.` : ''),
    });
    await state.reload();
  };

  return (
    <Tile className="tab-member-2fa" data-testid="member-two-factor">
      <div className="tab-member-2fa__head">
        <h2 className="tab-member-2fa__title">
          Two-factor {s && <Tag type={s.authenticatorApp || s.passkeys > 0 ? 'green' : 'gray'} size="sm">{s.authenticatorApp || s.passkeys > 0 ? 'On' : 'Off'}</Tag>}
          {s?.required && <Tag type="blue" size="sm">Required</Tag>}
        </h2>
        {canReset && s?.authenticatorApp && (
          <Button kind="danger--tertiary" size="sm" onClick={() => setAsking(true)}>
            Reset two-factor
          </Button>
        )}
      </div>
      {!s && state.loading && <InlineLoading description="Loading…" />}
      {state.error && <p className="tab-muted">{state.error}</p>}
      {s && (
        <p className="tab-muted" data-testid="member-two-factor-summary">
          {s.authenticatorApp ? `Authenticator app on · ${plural(s.recoveryCodesLeft, 'recovery code')} left` : 'No authenticator app'} · {plural(s.passkeys, 'passkey')}
        </p>
      )}
      <MemberPasskeyList
        api={api}
        userId={userId}
        memberName={memberName}
        canRemove={canReset}
        allowSso={allowSso}
        reloadKey={reloadKey}
        onRemoved={(notice) => {
          onReset(notice);
          void state.reload();
        }}
      />
      <ReauthDialog
        open={asking}
        api={api}
        allowSso={allowSso}
        danger
        heading={`Reset ${memberName}’s two-factor`}
        confirmText="Reset two-factor"
        onConfirmed={reset}
        onClose={() => setAsking(false)}
      >
        <p>For a lost or replaced phone. {memberName}’s authenticator app and recovery codes stop working, and every session of theirs is signed out now.</p>
        <p>
          {s?.required ? 'Your firm requires two-factor: they set up a new authenticator app at their next sign-in.' : 'They sign in with their password alone until they set up two-factor again.'}
          {s && s.passkeys > 0 ? ` Their ${plural(s.passkeys, 'passkey')} keep working.` : ''}
        </p>
      </ReauthDialog>
    </Tile>
  );
}
