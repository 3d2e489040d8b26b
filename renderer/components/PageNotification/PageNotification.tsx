import { InlineNotification } from '@carbon/react';

export interface Notice {
  kind: 'success' | 'error' | 'info' | 'warning';
  title: string;
  subtitle?: string;
}

/**
 * The one place a page or card tells the outcome of an action. Inline (not a
 * toast) so that it stays where the person looked, and announced politely.
 */
export function PageNotification({ notice, onClose }: { notice: Notice | null; onClose?: () => void }) {
  if (!notice) return null;
  return (
    <div className="tab-notification-slot">
      <InlineNotification
        kind={notice.kind}
        title={notice.title}
        subtitle={notice.subtitle}
        lowContrast
        role={notice.kind === 'error' ? 'alert' : 'status'}
        hideCloseButton={!onClose}
        onClose={() => {
          onClose?.();
          return false;
        }}
      />
    </div>
  );
}
