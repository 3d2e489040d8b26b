import { InlineLoading, Table, TableBody, TableCell, TableContainer, TableHead, TableHeader, TableRow } from '@carbon/react';
import { useSignedIn } from '../../../auth/auth-context.js';
import { SectionNav } from '../../../components/SectionNav/index.js';
import { PageNotification } from '../../../components/PageNotification/index.js';
import { useApiData } from '../../../hooks/useApiData.js';
import { useDocumentTitle } from '../../../hooks/useDocumentTitle.js';
import { formatHours, formatMoney } from '../../../time/format.js';
import { useDisplay } from '../../../time/display-context.js';

/** Managers and admins: unbilled work by client (and matter), aged by the day it was done (firm's zone). */
export function WipPage() {
  useDocumentTitle('Work in progress');
  const { backend, timeVersion } = useSignedIn();
  const display = useDisplay();
  const wip = useApiData(() => backend.api.getWip(), timeVersion);
  // The rows name a matter by id: its code and name make it readable (closed ones too: their work can still be unbilled).
  const matters = useApiData(() => backend.api.listMatters({ includeClosed: true }), timeVersion);
  const matterName = (id: string) => {
    const matter = matters.data?.matters.find((m) => m.id === id);
    return matter ? `${matter.code} ${matter.name}` : 'a matter';
  };
  const money = (currency: string, cents: number) => formatMoney({ currency, amountCents: cents });
  return (
    <>
      <h1 className="tab-page__title">Work in progress</h1>
      <SectionNav />
      <PageNotification notice={wip.error ? { kind: 'error', title: 'WIP could not be loaded', subtitle: wip.error } : null} />
      {wip.data === null && wip.loading && <InlineLoading description="Loading WIP…" />}
      {wip.data && (
        <TableContainer title="Unbilled work by age" description={`Finished, billable, not invoiced; ages in days back from ${display.day(wip.data.today)}`}>
          <Table aria-label="Work in progress" size="md">
            <TableHead>
              <TableRow>
                <TableHeader>Client</TableHeader>
                <TableHeader>Hours</TableHeader>
                <TableHeader>0–30 days</TableHeader>
                <TableHeader>31–60 days</TableHeader>
                <TableHeader>61–90 days</TableHeader>
                <TableHeader>Over 90 days</TableHeader>
                <TableHeader>Total</TableHeader>
              </TableRow>
            </TableHead>
            <TableBody>
              {wip.data.rows.length === 0 && (
                <TableRow>
                  <TableCell colSpan={7} className="tab-muted">No unbilled work.</TableCell>
                </TableRow>
              )}
              {wip.data.rows.map((r) => (
                <TableRow key={`${r.clientId}|${r.matterId ?? ''}|${r.currency}`} data-testid="wip-row">
                  <TableCell>{r.clientName}{r.matterId ? ` · ${matterName(r.matterId)}` : ''}</TableCell>
                  <TableCell>{formatHours(r.hours)}</TableCell>
                  <TableCell>{money(r.currency, r.buckets.days0to30)}</TableCell>
                  <TableCell>{money(r.currency, r.buckets.days31to60)}</TableCell>
                  <TableCell>{money(r.currency, r.buckets.days61to90)}</TableCell>
                  <TableCell>{money(r.currency, r.buckets.over90)}</TableCell>
                  <TableCell>{money(r.currency, r.totalCents)}</TableCell>
                </TableRow>
              ))}
              {wip.data.totals.map((t) => (
                <TableRow key={t.currency} className="tab-report-total">
                  <TableCell>Total {t.currency}</TableCell>
                  <TableCell />
                  <TableCell>{money(t.currency, t.days0to30)}</TableCell>
                  <TableCell>{money(t.currency, t.days31to60)}</TableCell>
                  <TableCell>{money(t.currency, t.days61to90)}</TableCell>
                  <TableCell>{money(t.currency, t.over90)}</TableCell>
                  <TableCell>{money(t.currency, t.totalCents)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </TableContainer>
      )}
    </>
  );
}
