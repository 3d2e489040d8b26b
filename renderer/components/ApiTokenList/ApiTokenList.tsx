import { Button, Tag } from '@carbon/react';
import type { ApiToken } from '../../../shared/api/api-tokens.js';
import { relativeTime } from '../../../shared/time/relative-time.js';
import { SCOPE_TEXT } from './scope-names.js';
import './ApiTokenList.scss';

export interface ApiTokenListProps {
  tokens: ApiToken[];
  /** Now, in ms, for "last used 3 minutes ago". */
  now: number;
  /** Omit to show the list read-only (a manager looking at a member's tokens). */
  onRevoke?: (token: ApiToken) => void;
  busy?: boolean;
  /** The list's accessible name, e.g. "Your API tokens". */
  label: string;
}

const day = (iso: string) => new Date(iso).toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' });

/** API tokens that still work: name, scopes, when made, until when, last used; and a way to revoke each. */
export function ApiTokenList({ tokens, now, onRevoke, busy = false, label }: ApiTokenListProps) {
  return (
    <ul className="tab-token-list" aria-label={label}>
      {tokens.map((token) => (
        <li key={token.id} className="tab-token-list__row" data-testid="api-token-row" data-token-id={token.id}>
          <div className="tab-token-list__body">
            <span className="tab-token-list__name">{token.name}</span>
            <span className="tab-token-list__scopes">
              {token.scopes.map((scope) => (
                <Tag key={scope} type="cool-gray" size="sm" title={SCOPE_TEXT[scope].description}>
                  {SCOPE_TEXT[scope].name}
                </Tag>
              ))}
            </span>
            <span className="tab-token-list__meta">
              Created {day(token.createdAt)} · {token.expiresAt ? `expires ${day(token.expiresAt)}` : 'never expires'} ·{' '}
              {token.lastUsedAt ? `last used ${lower(relativeTime(token.lastUsedAt, now))}` : 'never used'}
            </span>
          </div>
          {onRevoke && (
            <Button kind="danger--ghost" size="sm" disabled={busy} onClick={() => onRevoke(token)} aria-label={`Revoke ${token.name}`}>
              Revoke
            </Button>
          )}
        </li>
      ))}
    </ul>
  );
}

const lower = (text: string) => (text === 'Just now' ? 'just now' : text);
