import type { ReactNode } from 'react';
import { Tile } from '@carbon/react';
import './SignInPanel.scss';

/**
 * The frame of every page a person sees before they are in (sign-in, a
 * member link, single sign-on, the desktop's passkey page): the page's main
 * landmark, one centred panel, the TAB mark. The page puts its own title
 * (`tab-sign-in__title`) and content inside; the `tab-sign-in__*` classes in
 * SignInPanel.scss are the parts those pages share.
 */
export function SignInPanel({ children }: { children: ReactNode }) {
  return (
    <main className="tab-sign-in" id="main-content">
      <Tile className="tab-sign-in__panel">
        <p className="tab-sign-in__brand" aria-hidden="true">
          TAB
        </p>
        {children}
      </Tile>
    </main>
  );
}
