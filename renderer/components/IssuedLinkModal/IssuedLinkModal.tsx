import { useState } from 'react';
import { Button, Modal } from '@carbon/react';
import { TextInput } from '../Fields/index.js';
import { Copy } from '@carbon/icons-react';
import type { IssuedLink } from '../../../shared/api/members.js';
import { useDisplay } from '../../time/display-context.js';
import './IssuedLinkModal.scss';

export interface IssuedLinkModalProps {
  link: IssuedLink;
  /** Whom it is for, as the admin knows them. */
  name: string;
  onClose(): void;
}

const WHAT: Record<IssuedLink['kind'], { heading: string; use: string }> = {
  invitation: { heading: 'Invitation link', use: 'opens it, sets a password and is signed in' },
  password_reset: { heading: 'Password-reset link', use: 'opens it and sets a new password; every other session and API token of theirs ends then' },
};

/**
 * A link just made, shown this once (TAB keeps only its hash and sends no
 * e-mail): the admin copies it and gives it to the member themselves.
 */
export function IssuedLinkModal({ link, name, onClose }: IssuedLinkModalProps) {
  const display = useDisplay();
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  const what = WHAT[link.kind];

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(link.url);
      setCopied('yes');
    } catch {
      // No clipboard (an insecure origin, a refused permission): the field is selected for Ctrl+C instead.
      (document.getElementById('tab-issued-link') as HTMLInputElement | null)?.select();
      setCopied('no');
    }
  };

  return (
    <Modal open size="sm" modalHeading={what.heading} primaryButtonText="Done" onRequestSubmit={onClose} onRequestClose={onClose} data-testid="issued-link">
      <p className="tab-issued-link__text">
        Give this link to <strong>{name}</strong> yourself: TAB sends no e-mail. {name} {what.use}. It works once, until{' '}
        <strong>{display.dateTime(link.expiresAt)}</strong>. <strong>It will not be shown again.</strong>
      </p>
      <div className="tab-issued-link__field">
        <TextInput id="tab-issued-link" labelText="Link" value={link.url} readOnly onFocus={(e) => e.target.select()} data-modal-primary-focus />
        <Button kind="secondary" size="md" renderIcon={Copy} onClick={() => void copy()}>
          Copy link
        </Button>
      </div>
      <p className="tab-issued-link__copied" role="status">
        {copied === 'yes' ? 'Copied.' : copied === 'no' ? 'Press Ctrl+C (⌘C) to copy the selected link.' : ''}
      </p>
    </Modal>
  );
}
