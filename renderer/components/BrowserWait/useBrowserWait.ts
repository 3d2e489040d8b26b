import { useRef } from 'react';
import { signInErrorMessage } from '../../auth/messages.js';

/**
 * A sign-in page's wait for a sign-in that runs elsewhere (desktop: the
 * system browser; web: this browser's own passkey prompt). `start` marks
 * the page pending ('browser' on the desktop, so it shows BrowserWait with
 * its Cancel), `cancel` stops main's wait, and `failed` says why the sign-in
 * failed — unless the person cancelled it here, which is no error.
 */
export function useBrowserWait(options: {
  inSystemBrowser: boolean;
  cancelBrowserSignIn?: () => Promise<void>;
  setPending(pending: boolean | 'browser'): void;
  setError(error: string | null): void;
}) {
  const cancelledHere = useRef(false);
  const { inSystemBrowser, cancelBrowserSignIn, setPending, setError } = options;
  return {
    start() {
      cancelledHere.current = false;
      setPending(inSystemBrowser ? 'browser' : true);
    },
    cancel: cancelBrowserSignIn
      ? () => {
          cancelledHere.current = true;
          void cancelBrowserSignIn();
        }
      : undefined,
    failed(caught: unknown) {
      if (!cancelledHere.current) setError(signInErrorMessage(caught));
      setPending(false);
    },
  };
}
