import { BillingSetupService } from '../billing/billing-setup-service.js';
import { InvoiceService } from '../billing/invoice-service.js';
import { InProcessEventHub } from '../events/event-hub.js';
import { ManualClock } from '../platform/clock.js';
import type { AuthContext } from '../sessions/auth-context.js';
import type { StoredUser, TabStore } from '../store/types.js';
import { EntryService } from '../time/entry-service.js';
import { TimesheetService } from '../time/timesheet-service.js';

/**
 * The demo's people acting through the product's own services (entries,
 * timer, weeks, billing set-up, invoices), each step at its moment in the
 * story: the services read a clock, so the seed moves a ManualClock to when
 * the step happens. Every rule those services enforce (rates resolved from
 * the hierarchy, closed matters, gapless invoice numbers, stale drafts,
 * approvals) holds for the demo too: it can never hold a state the product
 * could not produce.
 *
 * A person acts as through the API with no session (like the admin CLI): the
 * audit rows carry no session or address, and nothing is announced to anyone
 * (the event hub has no listeners before the server starts).
 */
export class DemoActors {
  readonly clock = new ManualClock(0);
  readonly entries: EntryService;
  readonly timesheets: TimesheetService;
  readonly billingSetup: BillingSetupService;
  readonly invoices: InvoiceService;

  constructor(readonly store: TabStore) {
    const deps = { store, clock: this.clock, hub: new InProcessEventHub() };
    this.entries = new EntryService(deps);
    this.timesheets = new TimesheetService(deps);
    this.billingSetup = new BillingSetupService(deps);
    this.invoices = new InvoiceService(deps);
  }

  /** Moves the story's clock to `ms`; answers this, so that `actors.at(t).invoices…` reads as a step at t. */
  at(ms: number): this {
    this.clock.set(ms);
    return this;
  }

  /** The person as the services see a caller. Their current row is read, so a time zone set earlier counts. */
  async as(email: string): Promise<AuthContext> {
    const user = (await this.store.findUserByEmail(email)) as StoredUser;
    const { passwordHash: _hash, invitedAt: _invited, ...account } = user;
    // No real token exists: the services only ask who is calling (scopes are the routes' concern).
    return {
      kind: 'api_token',
      user: account,
      token: { id: 'demo-seed', userId: user.id, workspaceId: user.workspaceId, name: 'demo seed', scopes: [], createdAt: 0, expiresAt: null, lastUsedAt: null, revokedAt: null, revokeReason: null },
    };
  }
}
