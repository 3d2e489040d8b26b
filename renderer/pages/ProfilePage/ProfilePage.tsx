import { useSignedIn } from '../../auth/auth-context.js';
import { ApiTokensSection } from '../../components/ApiTokensSection/index.js';
import { PasswordSection } from '../../components/PasswordSection/index.js';
import { TwoFactorSection } from '../../components/TwoFactorSection/index.js';
import { PasskeysSection } from '../../components/PasskeysSection/index.js';
import { PreferencesSection } from '../../components/PreferencesSection/index.js';
import { useDocumentTitle } from '../../hooks/useDocumentTitle.js';
import { ROLE_NAMES } from '../admin/format.js';
import './ProfilePage.scss';

/**
 * Your profile, for every role: your name, time zone and formats, your
 * password, two-factor sign-in, your API tokens.
 *
 * Sections are components of their own, one per concern; a new one (API
 * tokens, issue #10: `renderer/components/ApiTokensSection/`) is one line in
 * the list below.
 */
export function ProfilePage() {
  useDocumentTitle('Profile');
  const { backend, user, updateUser, accountVersion } = useSignedIn();
  return (
    <>
      <h1 className="tab-page__title">Profile</h1>
      <dl className="tab-profile__who" aria-label="Your account">
        <div>
          <dt>Email</dt>
          <dd>{user.email}</dd>
        </div>
        <div>
          <dt>Role</dt>
          <dd>{ROLE_NAMES[user.role]}</dd>
        </div>
      </dl>
      <div className="tab-profile__sections">
        <PreferencesSection
          user={user}
          api={backend.api}
          // A new zone reloads every figure and list (SignedInApp watches the zone).
          onSaved={(next) => updateUser({ ...user, ...next })}
        />
        <PasswordSection api={backend.api} />
        <TwoFactorSection api={backend.api} allowSso={backend.kind === 'web'} />
        {/* Web only: the desktop app's pages have no WebAuthn (passkeys there would go through the system browser, not built yet). */}
        {backend.signInWithPasskey && <PasskeysSection api={backend.api} allowSso={backend.kind === 'web'} reloadKey={accountVersion} />}
        <ApiTokensSection />
      </div>
    </>
  );
}

export default ProfilePage;
