import { IconButton, Tag } from '@carbon/react';
import { Globe, Laptop, TrashCan } from '@carbon/icons-react';
import type { Session } from '../../../shared/api/sessions.js';
import { relativeTime } from '../../../shared/time/relative-time.js';
import { locationText } from '../../../shared/text/location-text.js';
import './SessionRow.scss';

export interface SessionRowProps {
  session: Session;
  /** Now, in ms; passed in so that one timer re-renders every row. */
  now: number;
  /** Omit to show the row read-only (a manager looking at a member's sessions). */
  onRevoke?: (session: Session) => void;
  busy?: boolean;
}

const KIND_NAMES = { web: 'Web browser', desktop: 'Desktop app' } as const;

/** The name a person recognises; the server already falls back to the client kind, this is belt and braces. */
export const sessionLabel = (session: Session) => session.label.trim() || session.clientKind;

/**
 * Where a session is: "Lisbon, Portugal · IP 198.51.100.4", the place and
 * address it was last seen from; the sign-in address too when it was another.
 */
export function whereText(session: Session): string {
  const place = locationText(session.location);
  const ip = session.lastIp && session.lastIp !== session.ip ? `IP ${session.lastIp} (signed in from ${session.ip})` : `IP ${session.ip}`;
  return place ? `${place} · ${ip}` : ip;
}

/** One signed-in device: icon for its kind, label, "This device", times, place and IP, and a trash can to sign it out. */
export function SessionRow({ session, now, onRevoke, busy = false }: SessionRowProps) {
  const label = sessionLabel(session);
  const Icon = session.clientKind === 'desktop' ? Laptop : Globe;
  return (
    <li className="tab-session-row" data-testid="session-row" data-session-id={session.id} aria-current={session.isCurrent ? 'true' : undefined}>
      <span className="tab-session-row__icon" role="img" aria-label={KIND_NAMES[session.clientKind]} data-testid={`session-icon-${session.clientKind}`}>
        <Icon size={24} aria-hidden="true" />
      </span>
      <div className="tab-session-row__body">
        <div className="tab-session-row__title">
          <span className="tab-session-row__label" title={session.labelSource === 'device' ? 'The name this device reported for itself' : undefined}>
            {label}
          </span>
          {session.isCurrent && (
            <Tag type="green" size="sm" className="tab-session-row__tag">
              This device
            </Tag>
          )}
        </div>
        <div className="tab-session-row__meta">
          Last seen {lower(relativeTime(session.lastSeenAt, now))} · started {lower(relativeTime(session.createdAt, now))}
        </div>
        <div className="tab-session-row__ip" data-testid="session-where">
          {whereText(session)}
        </div>
      </div>
      {onRevoke && !session.isCurrent && (
        <IconButton
          kind="ghost"
          size="md"
          align="left"
          label={`Sign out ${label}`}
          disabled={busy}
          onClick={() => onRevoke(session)}
          className="tab-session-row__revoke"
        >
          <TrashCan />
        </IconButton>
      )}
    </li>
  );
}

/** "Just now" starts a sentence on its own; mid-sentence it reads "last seen just now". */
function lower(text: string): string {
  return text === 'Just now' ? 'just now' : text;
}
