import { Link } from '@carbon/react';
import { paths } from '../../router/routes.js';
import { useLinkHandler } from '../../router/router.js';
import { useDocumentTitle } from '../../hooks/useDocumentTitle.js';

/** An unknown path, or an admin page for someone whose role does not include it. */
export function NotFoundPage({ reason = 'missing' }: { reason?: 'missing' | 'forbidden' }) {
  useDocumentTitle(reason === 'forbidden' ? 'Not available' : 'Page not found');
  const home = useLinkHandler(paths.dashboard);
  return (
    <>
      <h1 className="tab-page__title">{reason === 'forbidden' ? 'This page is for admins and managers' : 'Page not found'}</h1>
      <p>
        {reason === 'forbidden' ? 'Your role does not include the admin area. ' : 'There is nothing at this address. '}
        <Link href={paths.dashboard} onClick={home}>
          Go to your dashboard
        </Link>
      </p>
    </>
  );
}
