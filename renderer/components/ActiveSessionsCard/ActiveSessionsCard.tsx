import { useCallback, useEffect, useRef, useState } from 'react';
import { Button, InlineLoading, Tile } from '@carbon/react';
import type { TabApi } from '../../../shared/api/client.js';
import { ApiError } from '../../../shared/api/client.js';
import type { Session } from '../../../shared/api/sessions.js';
import { useNow } from '../../hooks/useNow.js';
import { callErrorMessage } from '../../auth/messages.js';
import { PageNotification, type Notice } from '../PageNotification/index.js';
import { SessionRow } from '../SessionRow/index.js';
import { LocationCredit, type AboutApi } from '../LocationCredit/index.js';
import './ActiveSessionsCard.scss';

export const SESSIONS_REFRESH_MS = 30_000;
export const RELATIVE_TIME_TICK_MS = 20_000;
/** The Performance API mark the budget script measures (dashboard usable on screen). */
export const SESSIONS_RENDERED_MARK = 'tab:sessions-rendered';

export interface ActiveSessionsCardProps {
  api: Pick<TabApi, 'listSessions' | 'revokeSession' | 'revokeOtherSessions'> & AboutApi;
  /** Changes on every `sessions.changed` event: the list refetches at once. */
  refreshKey?: number;
  refreshIntervalMs?: number;
  /** Opens the Profile page (its API tokens section); the card links there when tokens survive a sign-out. */
  onOpenProfile?: () => void;
}

export const otherSessionsMessage = (count: number) =>
  count === 1 ? 'Signed out 1 other session' : `Signed out ${count} other sessions`;

/** "Sign out everywhere else" leaves scripts running: the card says so, and where to stop them. */
export const tokensStillWorkMessage = (count: number) => (count === 1 ? '1 API token still works' : `${count} API tokens still work`);

let markedThisPageLoad = false;

/** "Where am I signed in?": every device of the signed-in person, and a way to sign the others out. */
export function ActiveSessionsCard({ api, refreshKey = 0, refreshIntervalMs = SESSIONS_REFRESH_MS, onOpenProfile }: ActiveSessionsCardProps) {
  const [sessions, setSessions] = useState<Session[] | null>(null);
  const [tokensStillWork, setTokensStillWork] = useState(0);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [busy, setBusy] = useState(false);
  const now = useNow(RELATIVE_TIME_TICK_MS);
  // Answers can arrive out of order (timer, event, action): only the newest request counts.
  const latestRequest = useRef(0);
  const mounted = useRef(true);

  const load = useCallback(async () => {
    const request = ++latestRequest.current;
    try {
      const list = await api.listSessions();
      if (!mounted.current || request !== latestRequest.current) return;
      setSessions(list.sessions);
      setLoadError(null);
    } catch (error) {
      // A 401 already sends the whole app to the sign-in page.
      if (!mounted.current || request !== latestRequest.current || (error instanceof ApiError && error.isSignedOut)) return;
      setLoadError(callErrorMessage(error));
    }
  }, [api]);

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  useEffect(() => {
    void load();
  }, [load, refreshKey]);

  useEffect(() => {
    const timer = setInterval(() => void load(), refreshIntervalMs);
    return () => clearInterval(timer);
  }, [load, refreshIntervalMs]);

  useEffect(() => {
    if (sessions && !markedThisPageLoad && typeof performance !== 'undefined' && typeof performance.mark === 'function') {
      markedThisPageLoad = true;
      performance.mark(SESSIONS_RENDERED_MARK);
    }
  }, [sessions]);

  const act = async (action: () => Promise<Notice | null>) => {
    setBusy(true);
    setNotice(null);
    try {
      const result = await action();
      if (mounted.current) setNotice(result);
    } catch (error) {
      if (!mounted.current || (error instanceof ApiError && error.isSignedOut)) return;
      // Already gone (another device got there first): the refresh below shows the truth.
      if (!(error instanceof ApiError && error.code === 'not_found')) {
        setNotice({ kind: 'error', title: 'Could not sign that session out', subtitle: callErrorMessage(error) });
      }
    } finally {
      if (mounted.current) setBusy(false);
      await load();
    }
  };

  const revokeOne = (session: Session) =>
    act(async () => {
      await api.revokeSession(session.id);
      return { kind: 'success', title: `Signed out ${session.label}` };
    });

  const revokeOthers = () =>
    act(async () => {
      const { revoked, apiTokens } = await api.revokeOtherSessions();
      setTokensStillWork(apiTokens);
      return { kind: 'success', title: otherSessionsMessage(revoked) };
    });

  const hasOthers = sessions?.some((s) => !s.isCurrent) ?? false;

  return (
    <Tile className="tab-sessions-card" aria-labelledby="tab-sessions-title" role="region" data-testid="active-sessions-card">
      <div className="tab-sessions-card__header">
        <div>
          <h2 id="tab-sessions-title" className="tab-sessions-card__title">
            Active sessions
          </h2>
          <p className="tab-sessions-card__subtitle">Devices and browsers signed in to your account.</p>
        </div>
        {hasOthers && (
          <Button kind="tertiary" size="md" disabled={busy} onClick={() => void revokeOthers()}>
            Sign out everywhere else
          </Button>
        )}
      </div>
      <PageNotification notice={notice} onClose={() => setNotice(null)} />
      {tokensStillWork > 0 && (
        <p className="tab-sessions-card__tokens" role="status" data-testid="tokens-still-work">
          {tokensStillWorkMessage(tokensStillWork)} —{' '}
          {onOpenProfile ? (
            <a
              href="/profile"
              className="cds--link"
              onClick={(event) => {
                event.preventDefault();
                onOpenProfile();
              }}
            >
              manage them in your profile
            </a>
          ) : (
            'manage them in your profile'
          )}
          .
        </p>
      )}
      {sessions === null && loadError === null && <InlineLoading description="Loading your sessions…" status="active" />}
      {loadError !== null && (
        <div className="tab-sessions-card__error" role="alert">
          <p>Your sessions could not be loaded. {loadError}</p>
          <Button kind="ghost" size="sm" onClick={() => void load()}>
            Try again
          </Button>
        </div>
      )}
      {sessions !== null && sessions.length === 0 && (
        <p className="tab-sessions-card__empty">No active sessions. Sign-ins from browsers and the desktop app appear here.</p>
      )}
      {sessions !== null && sessions.length > 0 && (
        <ul className="tab-sessions-card__list" aria-label="Active sessions" aria-busy={busy}>
          {sessions.map((session) => (
            <SessionRow key={session.id} session={session} now={now} onRevoke={(s) => void revokeOne(s)} busy={busy} />
          ))}
        </ul>
      )}
      {sessions !== null && sessions.some((s) => s.location !== null) && <LocationCredit api={api} />}
    </Tile>
  );
}
