import { useState } from 'react';
import { Button, InlineLoading } from '@carbon/react';
import { Download } from '@carbon/icons-react';
import type { Backend } from '../../backend/backend.js';
import { callErrorMessage } from '../../auth/messages.js';
import './DownloadButton.scss';

export interface DownloadButtonProps {
  backend: Backend;
  /** An API GET path whose answer is a file (the CSV export, an invoice PDF). */
  path: string;
  /** The name proposed when the server does not name the file itself. */
  fileName: string;
  children: string;
}

/**
 * A file from the API. On the web, a plain link: the browser sends the
 * session cookie and saves the file itself. On the desktop the renderer has
 * neither cookie nor a route to the server: main fetches the file with the
 * session and asks where to save it (the system save dialog).
 */
export function DownloadButton({ backend, path, fileName, children }: DownloadButtonProps) {
  const [status, setStatus] = useState<{ kind: 'saving' } | { kind: 'saved'; fileName: string } | { kind: 'error'; message: string } | null>(null);
  const save = backend.saveDownload;

  if (!save) {
    return (
      <a className="cds--btn cds--btn--tertiary cds--btn--md tab-download" href={path} download={fileName}>
        {children}
        <Download className="cds--btn__icon" aria-hidden="true" />
      </a>
    );
  }

  async function download() {
    setStatus({ kind: 'saving' });
    try {
      const result = await save!(path, fileName);
      setStatus(result.saved && result.fileName ? { kind: 'saved', fileName: result.fileName } : null);
    } catch (caught) {
      setStatus({ kind: 'error', message: callErrorMessage(caught) });
    }
  }

  return (
    <div className="tab-download">
      <Button kind="tertiary" size="md" renderIcon={Download} disabled={status?.kind === 'saving'} onClick={() => void download()}>
        {children}
      </Button>
      <span className="tab-download__status" role="status">
        {status?.kind === 'saving' && <InlineLoading description="Saving…" />}
        {status?.kind === 'saved' && `Saved as ${status.fileName}`}
        {status?.kind === 'error' && <span className="tab-download__error">{status.message}</span>}
      </span>
    </div>
  );
}
