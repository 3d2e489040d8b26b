import { Button, InlineLoading } from '@carbon/react';

/**
 * The desktop's sign-in page while a sign-in runs in the system browser
 * (single sign-on, a passkey): say where to finish it, and let the person
 * give up here — a browser tab closed without "Cancel" would otherwise keep
 * the app waiting for minutes.
 */
export function BrowserWait({ onCancel }: { onCancel?: () => void }) {
  return (
    <div className="tab-sign-in__actions">
      <InlineLoading description="Finish in your browser…" status="active" />
      {onCancel && (
        <Button kind="ghost" onClick={onCancel} data-testid="cancel-browser-sign-in">
          Cancel
        </Button>
      )}
    </div>
  );
}
