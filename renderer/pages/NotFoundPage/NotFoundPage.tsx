import { Link } from '@carbon/react';
import { paths } from '../../router/routes.js';
import { useLinkHandler } from '../../router/router.js';
import { useDocumentTitle } from '../../hooks/useDocumentTitle.js';

export interface NotFoundPageProps {
  reason?: 'missing' | 'forbidden';
  /** Who may see the page that was refused. */
  audience?: 'admins' | 'admins and managers';
}

/** An unknown path, or a page for someone whose role does not include it. */
export function NotFoundPage({ reason = 'missing', audience = 'admins and managers' }: NotFoundPageProps) {
  useDocumentTitle(reason === 'forbidden' ? 'Not available' : 'Page not found');
  const home = useLinkHandler(paths.dashboard);
  return (
    <>
      <h1 className="tab-page__title">{reason === 'forbidden' ? `This page is for ${audience}` : 'Page not found'}</h1>
      <p>
        {reason === 'forbidden' ? 'Your role does not include it. ' : 'There is nothing at this address. '}
        <Link href={paths.dashboard} onClick={home}>
          Go to your dashboard
        </Link>
      </p>
    </>
  );
}
