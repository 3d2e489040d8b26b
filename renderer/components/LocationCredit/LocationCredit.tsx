import { useEffect, useState } from 'react';
import { Link } from '@carbon/react';
import type { About } from '../../../shared/api/about.js';
import type { TabApi } from '../../../shared/api/client.js';
import './LocationCredit.scss';

export type AboutApi = Partial<Pick<TabApi, 'about'>>;

/** One /about request per API client: every list that shows locations shares it. */
const aboutOf = new WeakMap<object, Promise<About>>();

function loadAbout(api: Required<AboutApi>): Promise<About> {
  let loading = aboutOf.get(api);
  if (!loading) {
    loading = api.about();
    aboutOf.set(api, loading);
    // A failure (offline, an older server) is tried again by the next list shown.
    loading.catch(() => aboutOf.delete(api));
  }
  return loading;
}

/**
 * "Locations: IP Geolocation by DB-IP (CC BY 4.0)" under every list that
 * shows where sessions are: the shipped database's licence asks for a link
 * back wherever its results are shown. Nothing for a firm's own database
 * (`--geoip-db`), whose terms are the firm's, nor while the server has not said.
 */
export function LocationCredit({ api }: { api: AboutApi }) {
  const [about, setAbout] = useState<About | null>(null);
  useEffect(() => {
    if (typeof api.about !== 'function') return;
    let live = true;
    loadAbout(api as Required<AboutApi>).then(
      (answer) => live && setAbout(answer),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [api]);
  const credit = about?.locationData.credit;
  if (!credit) return null;
  return (
    <p className="tab-location-credit" data-testid="location-credit">
      Locations:{' '}
      <Link href={credit.url} target="_blank" rel="noopener noreferrer" size="sm" inline>
        {credit.text}
      </Link>{' '}
      ({credit.license})
    </p>
  );
}
