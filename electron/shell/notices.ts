import type { SessionSummary } from '../../shared/api/events.js';
import type { SessionEndReason } from '../../shared/errors.js';
import { endReasonMessage } from '../../shared/sessions/end-reason.js';
import { formatDuration } from '../../shared/time/duration.js';

/** A native notification's text (the wiring shows it with Electron's Notification; a click opens the window). */
export interface Notice {
  title: string;
  body: string;
}

/** A timer running this long gets one reminder. */
export const LONG_TIMER_MS = 10 * 60 * 60_000;

/** The server ended this session (not the person's own sign-out): say why. */
export function signedOutNotice(reason: SessionEndReason | null): Notice | null {
  if (reason === null || reason === 'signed_out') return null;
  return { title: 'Signed out', body: endReasonMessage(reason) ?? 'This session has ended.' };
}

/** Where a session is, as "Lyon, France"; null when the server did not place it. */
export function locationText(session: SessionSummary): string | null {
  const location = session.location;
  if (!location) return null;
  const parts = [location.city, location.country ?? location.countryCode].filter((part): part is string => Boolean(part));
  if (parts.length === 0 && location.region) parts.push(location.region);
  return parts.length > 0 ? parts.join(', ') : null;
}

/** "New sign-in: <label> · <location>" for another session of this person (never this device's own). */
export function newSignInNotice(session: SessionSummary, ownSessionId: string | null): Notice | null {
  if (session.id === ownSessionId) return null;
  const where = locationText(session);
  return { title: 'New sign-in', body: where ? `${session.label} · ${where}` : session.label };
}

export function longTimerNotice(): Notice {
  return { title: 'Timer still running', body: 'Your timer has been running for 10 hours.' };
}

/** When the window is not showing, the idle prompt is announced too. */
export function idleNotice(awayMs: number): Notice {
  return { title: `You were away ${formatDuration(awayMs)}`, body: 'Your timer kept running. Open TAB to keep or discard the idle time.' };
}
