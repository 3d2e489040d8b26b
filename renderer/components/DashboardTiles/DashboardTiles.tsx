import type { ReactNode } from 'react';
import { SkeletonText, Tile } from '@carbon/react';
import type { Dashboard, TimeEntry } from '../../../shared/api/time.js';
import { useSecondTick } from '../../hooks/useNow.js';
import { formatElapsed, formatHours, formatMoney, formatPercent } from '../../time/format.js';
import { useDisplay } from '../../time/display-context.js';
import './DashboardTiles.scss';

export interface DashboardTilesProps {
  /** null while loading (or when it failed: see `error`). */
  dashboard: Dashboard | null;
  error: string | null;
  /** The running timer (the desktop's local one may be newer than the dashboard's). */
  running: TimeEntry | null;
  /** Client name for the running-timer tile. */
  clientName?: (clientId: string) => string | undefined;
}

interface TileView {
  key: string;
  title: string;
  value: ReactNode;
  note?: ReactNode;
}

function RunningTimerValue({ running }: { running: TimeEntry }) {
  const now = useSecondTick();
  return <>{formatElapsed(now - Date.parse(running.start))}</>;
}

/** Hours today and this week, billable share, unbilled amounts and the running timer, from GET /api/v1/dashboard. */
export function DashboardTiles({ dashboard, error, running, clientName }: DashboardTilesProps) {
  const display = useDisplay();
  const tiles: TileView[] = dashboard
    ? [
        // Which day "today" is, and in which zone: the server's answer, so it always matches the hours.
        { key: 'hoursToday', title: 'Hours today', value: formatHours(dashboard.hoursToday), note: <span data-testid="today">{`${display.day(dashboard.today)} · ${dashboard.timeZone}`}</span> },
        {
          key: 'hoursThisWeek',
          title: 'Hours this week',
          value: formatHours(dashboard.hoursThisWeek),
          note: <WeekBars dashboard={dashboard} />,
        },
        {
          key: 'billableShare',
          title: 'Billable share',
          value: formatPercent(dashboard.billableShareThisWeek),
          note: `${formatHours(dashboard.billableHoursThisWeek)} billable this week`,
        },
        {
          key: 'unbilledAmount',
          title: 'Unbilled amount',
          value:
            dashboard.unbilledAmounts.length === 0 ? (
              (0).toLocaleString(undefined, { minimumFractionDigits: 2 })
            ) : (
              // One currency per line: amounts in different currencies are never added up.
              <span className={dashboard.unbilledAmounts.length > 1 ? 'tab-tile__amounts' : undefined}>
                {dashboard.unbilledAmounts.map((money) => (
                  <span key={money.currency} className="tab-tile__amount">
                    {formatMoney(money)}
                  </span>
                ))}
              </span>
            ),
          note:
            dashboard.unbilledAmounts.length === 0
              ? 'Nothing billable waits to be billed'
              : dashboard.unbilledScope === 'workspace'
                ? 'Whole firm, billable and not billed'
                : 'Your billable time not yet billed',
        },
        // Managers and admins: unbilled work older than 60 days (the server sends it only to them).
        ...(dashboard.wipOver60Days
          ? [{
              key: 'wipOver60Days',
              title: 'WIP over 60 days',
              value:
                dashboard.wipOver60Days.length === 0 ? (
                  (0).toLocaleString(undefined, { minimumFractionDigits: 2 })
                ) : (
                  <span className={dashboard.wipOver60Days.length > 1 ? 'tab-tile__amounts' : undefined}>
                    {dashboard.wipOver60Days.map((money) => (
                      <span key={money.currency} className="tab-tile__amount">
                        {formatMoney(money)}
                      </span>
                    ))}
                  </span>
                ),
              note: dashboard.wipOver60Days.length === 0 ? 'No unbilled work older than 60 days' : 'Unbilled work done more than 60 days ago',
            }]
          : []),
        {
          key: 'runningTimer',
          title: 'Running timer',
          value: running ? <RunningTimerValue running={running} /> : '—',
          note: running ? [clientName?.(running.clientId), running.description].filter(Boolean).join(' · ') || 'Running' : 'No timer running.',
        },
      ]
    : [];

  return (
    <section aria-labelledby="tab-figures-title">
      <h2 id="tab-figures-title" className="tab-visually-hidden">
        Your figures
      </h2>
      {error && !dashboard && <p className="tab-muted tab-tiles__note">The figures could not be loaded right now. {error}</p>}
      <ul className="tab-tiles" aria-busy={!dashboard && !error}>
        {dashboard
          ? tiles.map((tile) => (
              <li key={tile.key} className="tab-tiles__item">
                <Tile className="tab-tile" data-testid={`tile-${tile.key}`}>
                  <h3 className="tab-tile__title">{tile.title}</h3>
                  <p className="tab-tile__value">{tile.value}</p>
                  {tile.note && <div className="tab-tile__note">{tile.note}</div>}
                </Tile>
              </li>
            ))
          : ['hoursToday', 'hoursThisWeek', 'billableShare', 'unbilledAmount', 'runningTimer'].map((key) => (
              <li key={key} className="tab-tiles__item">
                <Tile className="tab-tile" data-testid={`tile-${key}`}>
                  {error ? <p className="tab-tile__value">—</p> : <SkeletonText heading width="40%" />}
                </Tile>
              </li>
            ))}
      </ul>
    </section>
  );
}

/** Monday to Sunday as seven small bars, with the hours in words for screen readers. */
function WeekBars({ dashboard }: { dashboard: Dashboard }) {
  const display = useDisplay();
  const max = Math.max(8, ...dashboard.perDay.map((d) => d.hours));
  return (
    <ol className="tab-week-bars" aria-label="Hours per day this week">
      {dashboard.perDay.map((day) => {
        const label = display.weekday(day.date);
        return (
          <li key={day.date} className="tab-week-bars__day" aria-current={day.date === dashboard.today ? 'date' : undefined}>
            <span className="tab-week-bars__bar" style={{ blockSize: `${Math.max(2, (day.hours / max) * 100)}%` }} aria-hidden="true" />
            <span className="tab-week-bars__label">
              <span aria-hidden="true">{label.slice(0, 1)}</span>
              <span className="tab-visually-hidden">
                {label}: {formatHours(day.hours)}
              </span>
            </span>
          </li>
        );
      })}
    </ol>
  );
}
