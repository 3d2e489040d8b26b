import { useEffect, useState } from 'react';
import { SkeletonText, Tile } from '@carbon/react';
import { ApiError, type HttpRequest } from '../../../shared/api/client.js';
import { EMPTY_VALUE, TILES, formatValue, pickField } from './tiles.js';
import './DashboardTiles.scss';

export const DASHBOARD_REQUEST: HttpRequest = { method: 'GET', path: '/api/v1/dashboard' };

type Figures = { status: 'loading' } | { status: 'empty'; note?: string } | { status: 'ready'; data: Record<string, unknown> };

export interface DashboardTilesProps {
  /** The transport's raw request: the dashboard endpoint is not in TabApi yet. */
  request: (request: HttpRequest) => Promise<unknown>;
}

/** Hours, billable share, unbilled amount and the running timer, or honest dashes until billing exists. */
export function DashboardTiles({ request }: DashboardTilesProps) {
  const [figures, setFigures] = useState<Figures>({ status: 'loading' });

  useEffect(() => {
    let live = true;
    request(DASHBOARD_REQUEST).then(
      (body) => {
        if (!live) return;
        const data = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
        setFigures({ status: 'ready', data });
      },
      (error: unknown) => {
        if (!live) return;
        // 404: the endpoint does not exist yet; that is the expected state today.
        const missing = error instanceof ApiError && error.status === 404;
        setFigures({ status: 'empty', note: missing ? undefined : 'The figures could not be loaded right now.' });
      },
    );
    return () => {
      live = false;
    };
  }, [request]);

  return (
    <section aria-labelledby="tab-figures-title">
      <h2 id="tab-figures-title" className="tab-visually-hidden">
        Your figures
      </h2>
      {figures.status === 'empty' && figures.note && <p className="tab-muted tab-tiles__note">{figures.note}</p>}
      <ul className="tab-tiles" aria-busy={figures.status === 'loading'}>
        {TILES.map((tile) => {
          const value = figures.status === 'ready' ? formatValue(pickField(figures.data, tile)) : null;
          return (
            <li key={tile.key} className="tab-tiles__item">
              <Tile className="tab-tile" data-testid={`tile-${tile.key}`}>
                <h3 className="tab-tile__title">{tile.title}</h3>
                {figures.status === 'loading' ? (
                  <SkeletonText heading width="40%" />
                ) : (
                  <>
                    <p className="tab-tile__value">{value ?? EMPTY_VALUE}</p>
                    {value === null && <p className="tab-tile__note">{tile.emptyNote}</p>}
                  </>
                )}
              </Tile>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
