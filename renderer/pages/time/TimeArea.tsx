import { canManageTime, useSignedIn } from '../../auth/auth-context.js';
import { NotFoundPage } from '../NotFoundPage/index.js';
import type { TimeRoute } from '../../router/routes.js';
import { BillingSetupPage } from './BillingSetupPage/index.js';
import { ClientsPage } from './ClientsPage/index.js';
import { EntriesPage } from './EntriesPage/index.js';
import { InvoicesPage } from './InvoicesPage/index.js';
import { ReportsPage } from './ReportsPage/index.js';
import { WeekGridPage } from './WeekGridPage/index.js';
import { WipPage } from './WipPage/index.js';

/** Entries, My week (the week grid), clients, reports and billing (invoices, WIP, set-up), loaded as one lazy chunk (the dashboard does not need them). */
export default function TimeArea({ route }: { route: TimeRoute }) {
  const { user } = useSignedIn();
  switch (route.page) {
    case 'entries':
      return <EntriesPage />;
    case 'my-week':
      return <WeekGridPage />;
    case 'clients':
      return <ClientsPage />;
    case 'reports':
      // The server refuses reports to accountants anyway (403); say so instead of failing.
      return canManageTime(user) ? <ReportsPage /> : <NotFoundPage reason="forbidden" />;
    case 'invoices':
      return canManageTime(user) ? <InvoicesPage /> : <NotFoundPage reason="forbidden" />;
    case 'wip':
      return canManageTime(user) ? <WipPage /> : <NotFoundPage reason="forbidden" />;
    case 'billing-setup':
      return canManageTime(user) ? <BillingSetupPage clientId={route.clientId} /> : <NotFoundPage reason="forbidden" />;
  }
}
