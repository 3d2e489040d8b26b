import { useState } from 'react';
import { Button, InlineNotification } from '@carbon/react';
import { Copy, Download } from '@carbon/icons-react';
import './RecoveryCodesList.scss';

/** The codes as a text file: one per line, with what they are for (the file may be found years later). */
export function recoveryCodesText(codes: string[]): string {
  return ['TAB two-factor recovery codes', 'Each works once instead of a code from your authenticator app.', '', ...codes, ''].join('\n');
}

/**
 * The ten recovery codes, shown once (the server keeps only their hashes):
 * each works once in place of a code from the app, when the phone is lost.
 * Copy and download, since they are shown only this once.
 */
export function RecoveryCodesList({ codes }: { codes: string[] }) {
  const [copied, setCopied] = useState<null | 'copied' | 'failed'>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(codes.join('\n'));
      setCopied('copied');
    } catch {
      setCopied('failed');
    }
  };
  const download = () => {
    const url = URL.createObjectURL(new Blob([recoveryCodesText(codes)], { type: 'text/plain;charset=utf-8' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = 'tab-recovery-codes.txt';
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  return (
    <div className="tab-recovery-codes" data-testid="recovery-codes">
      <InlineNotification
        kind="warning"
        lowContrast
        hideCloseButton
        role="status"
        title="Save these recovery codes now."
        subtitle="They are shown only this once. Each works one time instead of a code from your app, if you lose your phone."
      />
      <ul className="tab-recovery-codes__list" aria-label="Recovery codes">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ul>
      <div className="tab-recovery-codes__actions">
        <Button kind="tertiary" size="sm" renderIcon={Copy} onClick={() => void copy()}>
          Copy
        </Button>
        <Button kind="tertiary" size="sm" renderIcon={Download} onClick={download}>
          Download
        </Button>
        <span className="tab-muted" role="status">
          {copied === 'copied' ? 'Copied.' : copied === 'failed' ? 'This browser did not allow copying: download them instead.' : ''}
        </span>
      </div>
    </div>
  );
}
