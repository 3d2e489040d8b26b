import { useState } from 'react';
import { Button, InlineLoading, Tile } from '@carbon/react';
import { ApiError } from '../../../../shared/api/client.js';
import type { Session } from '../../../../shared/api/sessions.js';
import { useSignedIn } from '../../../auth/auth-context.js';
import { callErrorMessage } from '../../../auth/messages.js';
import { MemberApiTokens } from '../../../components/MemberApiTokens/index.js';
import { PageNotification, type Notice } from '../../../components/PageNotification/index.js';
import { SessionRow, sessionLabel } from '../../../components/SessionRow/index.js';
import { LocationCredit } from '../../../components/LocationCredit/index.js';
import { useApiData } from '../../../hooks/useApiData.js';
import { useDocumentTitle } from '../../../hooks/useDocumentTitle.js';
import { useNow } from '../../../hooks/useNow.js';
import { paths } from '../../../router/routes.js';
import { RouteLink, useLinkHandler, useRouter } from '../../../router/router.js';
import { MemberActions } from '../MemberActions/index.js';
import { MemberStatusTag } from '../MemberStatusTag/index.js';
import { MemberTwoFactorPanel } from '../MemberTwoFactorPanel/index.js';
import { SectionNav } from '../../../components/SectionNav/index.js';
import { ROLE_NAMES } from '../format.js';
import './MemberSessionsPage.scss';

const sessionsCount = (n: number) => (n === 1 ? '1 session' : `${n} sessions`);

/**
 * One member's devices. Managers may look; only admins sign sessions out or
 * disable the account (the server enforces the same).
 */
export function MemberSessionsPage({ userId }: { userId: string }) {
  const { backend, user } = useSignedIn();
  const api = backend.api;
  const canManage = user.role === 'admin';
  const now = useNow(20_000);
  const back = useLinkHandler(paths.members);
  const { navigate } = useRouter();
  const [notice, setNotice] = useState<Notice | null>(null);
  const [busy, setBusy] = useState(false);
  // Bumped after every action here: signing a member out or disabling them also ends their API tokens.
  const [actions, setActions] = useState(0);

  // There is no single-member endpoint: the list carries the name and the disabled flag.
  const members = useApiData(() => api.listMembers(), userId);
  const sessions = useApiData(() => api.listMemberSessions(userId), userId);
  const member = members.data?.members.find((m) => m.id === userId) ?? null;
  const self = userId === user.id;
  useDocumentTitle(member ? `${member.name}’s sessions` : 'Member');

  const act = async (action: () => Promise<Notice>) => {
    setBusy(true);
    setNotice(null);
    try {
      setNotice(await action());
    } catch (error) {
      if (error instanceof ApiError && error.isSignedOut) return;
      setNotice({ kind: 'error', title: 'That did not work', subtitle: callErrorMessage(error) });
    } finally {
      setBusy(false);
      setActions((n) => n + 1);
      await Promise.all([sessions.reload(), members.reload()]);
    }
  };

  const revokeOne = (session: Session) =>
    act(async () => {
      await api.revokeMemberSession(userId, session.id);
      return { kind: 'success', title: `Signed out ${sessionLabel(session)}` };
    });
  const revokeAll = () =>
    act(async () => {
      const { revoked } = await api.revokeMemberSessions(userId);
      return self
        ? { kind: 'success', title: `Signed out ${sessionsCount(revoked)} of yours` }
        : { kind: 'success', title: `Signed out ${sessionsCount(revoked)} of ${member?.name ?? 'this member'}`, subtitle: 'Their API tokens are revoked too.' };
    });

  const list = sessions.data?.sessions ?? null;
  const revocable = list?.some((s) => !s.isCurrent) ?? false;
  const notFound = members.data !== null && member === null;

  return (
    <>
      <p className="tab-member__back">
        <a href={paths.members} onClick={back} className="cds--link">
          ← All members
        </a>
      </p>
      <h1 className="tab-page__title">{member ? member.name : notFound ? 'Member not found' : 'Member'}</h1>
      <SectionNav />
      {member && (
        // A div: the status Tag is a div, which a <p> may not hold.
        <div className="tab-member__summary">
          {member.email} · {ROLE_NAMES[member.role]} <MemberStatusTag member={member} />
        </div>
      )}
      {member && member.status !== 'invited' && (
        // Managers and admins (the only readers of this page) approve weeks: their time is one click away.
        // Without a week in the address, Timesheets opens on their oldest week waiting for approval, else this week.
        <p className="tab-member__timesheet">
          <RouteLink to={paths.timesheetWeek(member.id)} className="cds--link" data-testid="member-timesheet">
            View {self ? 'your' : `${member.name}’s`} timesheet
          </RouteLink>
        </p>
      )}
      <PageNotification notice={notice} onClose={() => setNotice(null)} />
      <PageNotification notice={sessions.error ? { kind: 'error', title: 'Sessions could not be loaded', subtitle: sessions.error } : null} />
      {!canManage && (
        <p className="tab-muted tab-member__readonly" data-testid="read-only-note">
          Managers can see members’ sessions; only admins can sign them out or manage an account.
        </p>
      )}
      {canManage && member && (
        <MemberActions
          key={`${member.id}:${member.role}:${member.status}`}
          member={member}
          self={self}
          api={api}
          onChanged={(next) => {
            setNotice(next);
            void Promise.all([sessions.reload(), members.reload()]);
          }}
          onFailed={setNotice}
          onRemoved={(next) => {
            setNotice(next);
            navigate(paths.members);
          }}
        />
      )}
      <Tile className="tab-member__sessions">
        <div className="tab-member__sessions-head">
          <h2 className="tab-member__sessions-title">Active sessions</h2>
          {canManage && member && (
            <Button kind="danger--ghost" size="sm" disabled={busy || !revocable} onClick={() => void revokeAll()}>
              {self ? 'Sign out my other sessions' : 'Sign out all sessions'}
            </Button>
          )}
        </div>
        {list === null && sessions.loading && <InlineLoading description="Loading sessions…" />}
        {list !== null && list.length === 0 && <p className="tab-muted">Not signed in anywhere.</p>}
        {list !== null && list.length > 0 && (
          <ul className="tab-member__list" aria-label={`Sessions of ${member?.name ?? 'this member'}`}>
            {list.map((session) => (
              <SessionRow key={session.id} session={session} now={now} busy={busy} onRevoke={canManage ? (s) => void revokeOne(s) : undefined} />
            ))}
          </ul>
        )}
        {list !== null && list.some((s) => s.location !== null) && <LocationCredit api={api} />}
      </Tile>
      {member && member.status !== 'invited' && (
        <MemberTwoFactorPanel
          api={api}
          userId={userId}
          memberName={member.name}
          canReset={canManage && !self}
          allowSso={backend.kind === 'web'}
          reloadKey={actions}
          onReset={(next) => {
            setNotice(next);
            setActions((n) => n + 1);
            void Promise.all([sessions.reload(), members.reload()]);
          }}
        />
      )}
      {member && <MemberApiTokens api={api} userId={userId} memberName={member.name} canRevoke={canManage} reloadKey={actions} />}
    </>
  );
}
