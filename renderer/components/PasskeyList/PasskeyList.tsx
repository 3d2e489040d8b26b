import { Button } from '@carbon/react';
import type { PasskeyView } from '../../../shared/api/passkeys.js';
import { useDisplay } from '../../time/display-context.js';
import './PasskeyList.scss';

export interface PasskeyListProps {
  passkeys: readonly PasskeyView[];
  /** The list's accessible name ("Your passkeys", "Passkeys of Ana Accountant"). */
  label: string;
  /** `data-testid` of each row. */
  rowTestId: string;
  /** The Remove button's accessible name for one passkey; no button without `onRemove`. */
  removeLabel(passkey: PasskeyView): string;
  onRemove?(passkey: PasskeyView): void;
  disabled?: boolean;
}

/**
 * Passkeys as rows: name, when added and last used (in the viewer's zone and
 * date format), synced or not, and a Remove button. The Profile (your own)
 * and a member's admin page (theirs) show the same rows.
 */
export function PasskeyList({ passkeys, label, rowTestId, removeLabel, onRemove, disabled = false }: PasskeyListProps) {
  const display = useDisplay();
  // The year only when it is not this one (a passkey added last year says so), and once (a year-first date format has it).
  const when = (iso: string) => {
    const text = display.date(iso);
    const year = display.dateOf(iso).slice(0, 4);
    return year === display.dateOf(Date.now()).slice(0, 4) || text.includes(year) ? text : `${text}, ${year}`;
  };
  return (
    <ul className="tab-passkey-list" aria-label={label}>
      {passkeys.map((p) => (
        <li key={p.id} className="tab-passkey-list__row" data-testid={rowTestId}>
          <div>
            <p className="tab-passkey-list__name">{p.name}</p>
            <p className="tab-muted">
              Added {when(p.createdAt)} · {p.lastUsedAt ? `last used ${when(p.lastUsedAt)}` : 'not used yet'}
              {p.backedUp ? ' · synced' : ''}
            </p>
          </div>
          {onRemove && (
            <Button kind="danger--ghost" size="sm" disabled={disabled} onClick={() => onRemove(p)} aria-label={removeLabel(p)}>
              Remove
            </Button>
          )}
        </li>
      ))}
    </ul>
  );
}
