import { InlineNotification } from '@carbon/react';
import './RecoveryCodesList.scss';

/**
 * The ten recovery codes, shown once (the server keeps only their hashes):
 * each works once in place of a code from the app, when the phone is lost.
 */
export function RecoveryCodesList({ codes }: { codes: string[] }) {
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
    </div>
  );
}
