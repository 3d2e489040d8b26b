import { ApiTokensSection } from '../../components/ApiTokensSection/index.js';
import { useDocumentTitle } from '../../hooks/useDocumentTitle.js';

/**
 * Your profile. Only its API tokens section so far: the rest of the page
 * (name, time zone, password) comes with the firm's profile work, which
 * renders the same section in its list of sections.
 */
export function ProfilePage() {
  useDocumentTitle('Profile');
  return (
    <>
      <h1 className="tab-page__title">Profile</h1>
      <ApiTokensSection />
    </>
  );
}

export default ProfilePage;
