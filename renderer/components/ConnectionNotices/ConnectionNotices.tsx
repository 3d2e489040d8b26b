import { useEffect, useState } from 'react';
import type { Backend, ConnectionStatus } from '../../backend/backend.js';
import { PageNotification } from '../PageNotification/index.js';

/**
 * The desktop shell's two facts a person must see: the server is unreachable
 * (their sign-in is kept and TAB retries by itself), and the keychain was
 * unavailable (they will have to sign in again next launch). The web client
 * has neither, so nothing renders there.
 */
export function ConnectionNotices({ backend }: { backend: Backend }) {
  const [status, setStatus] = useState<ConnectionStatus>({ offline: false, memoryOnly: false });
  useEffect(() => backend.onConnectionStatus?.(setStatus), [backend]);
  return (
    <div className="tab-connection-notices" data-testid="connection-notices">
      {status.offline && (
        <PageNotification
          notice={{ kind: 'warning', title: 'Offline, retrying', subtitle: 'TAB cannot reach the server right now. You stay signed in; it reconnects by itself.' }}
        />
      )}
      {status.memoryOnly && (
        <PageNotification
          notice={{
            kind: 'info',
            title: 'Sign-in not saved',
            subtitle: 'This computer’s keychain is unavailable, so you will have to sign in again the next time you open TAB.',
          }}
        />
      )}
    </div>
  );
}
