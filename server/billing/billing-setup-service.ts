import { randomUUID } from 'node:crypto';
import type {
  Activity,
  CreateActivityRequest,
  CreateMatterRequest,
  Matter,
  Rate,
  SetRateRequest,
  UpdateActivityRequest,
  UpdateMatterRequest,
} from '../../shared/api/billing.js';
import { ACTIVITY_NAME_MAX, MATTER_CODE_MAX, MATTER_NAME_MAX } from '../../shared/api/billing.js';
import type { RoundingRule } from '../../shared/billing/rounding.js';
import { cleanDisplayText } from '../../shared/text/display-text.js';
import { HttpError, notFound } from '../http/http-error.js';
import { requireRole } from '../http/request-context.js';
import type { Clock } from '../platform/clock.js';
import { currentSessionId, type AuthContext } from '../sessions/auth-context.js';
import { rateLevelOf } from '../store/billing-setup.js';
import type { AuditInput, StoredActivity, StoredClient, StoredMatter, StoredRate, TabStore } from '../store/types.js';

const iso = (ms: number) => new Date(ms).toISOString();

export function toMatterView(m: StoredMatter): Matter {
  return {
    id: m.id,
    clientId: m.clientId,
    code: m.code,
    name: m.name,
    billingType: m.billingType,
    fixedFeeCents: m.fixedFeeCents,
    budget: m.budgetMinutes !== null ? { minutes: m.budgetMinutes } : m.budgetCents !== null ? { amountCents: m.budgetCents } : null,
    rounding: m.rounding,
    closed: m.closedAt !== null,
    closedAt: m.closedAt === null ? null : iso(m.closedAt),
    createdAt: iso(m.createdAt),
    updatedAt: iso(m.updatedAt),
  };
}

export function toActivityView(a: StoredActivity): Activity {
  return { id: a.id, name: a.name, archived: a.archivedAt !== null, createdAt: iso(a.createdAt), updatedAt: iso(a.updatedAt) };
}

export function toRateView(r: StoredRate): Rate {
  return { level: r.level, userId: r.userId, clientId: r.clientId, matterId: r.matterId, hourlyRateCents: r.hourlyRateCents, updatedAt: iso(r.updatedAt) };
}

/** Display text, one line, never blank: `field` names the request's field in the error. */
function cleanName(value: string, max: number, field: string): string {
  const cleaned = cleanDisplayText(value, max);
  if (cleaned === '') throw new HttpError('invalid_request', `Invalid ${field}: must not be blank.`);
  return cleaned;
}

/** The fields whose view differs, with before and after: an audit row's detail. */
function changes<T extends object>(before: T, after: T, fields: readonly (keyof T)[]): { fields: string[]; changes: Record<string, unknown> } {
  const differ = fields.filter((f) => JSON.stringify(before[f]) !== JSON.stringify(after[f]));
  return { fields: differ.map(String), changes: Object.fromEntries(differ.map((f) => [f, { from: before[f], to: after[f] }])) };
}

/**
 * Billing set-up (issue #14 items 1-3): matters, activity codes, rates and
 * rounding rules. Everyone in the workspace reads matters and activities (the
 * timer and the grid pick them); managers and admins change them, and only
 * they read rates.
 */
export class BillingSetupService {
  constructor(private readonly deps: { store: TabStore; clock: Clock }) {}

  #audit(auth: AuthContext, type: AuditInput['type'], ip: string | null, detail: Record<string, unknown>): AuditInput {
    return { workspaceId: auth.user.workspaceId, type, at: this.deps.clock.now(), actorUserId: auth.user.id, sessionId: currentSessionId(auth), ip, detail };
  }

  async clientOf(auth: AuthContext, id: string): Promise<StoredClient> {
    const client = await this.deps.store.findClient(id.toLowerCase());
    if (!client || client.workspaceId !== auth.user.workspaceId) throw notFound('That client');
    return client;
  }

  async matterOf(auth: AuthContext, id: string): Promise<StoredMatter> {
    const matter = await this.deps.store.findMatter(id.toLowerCase());
    if (!matter || matter.workspaceId !== auth.user.workspaceId) throw notFound('That matter');
    return matter;
  }

  async listMatters(auth: AuthContext, query: { clientId?: string; includeClosed?: boolean }): Promise<Matter[]> {
    const clientId = query.clientId === undefined ? undefined : (await this.clientOf(auth, query.clientId)).id;
    const matters = await this.deps.store.listMatters(auth.user.workspaceId, clientId);
    return matters.filter((m) => query.includeClosed !== false || m.closedAt === null).map(toMatterView);
  }

  async createMatter(auth: AuthContext, body: CreateMatterRequest, ip: string | null): Promise<Matter> {
    requireRole(auth, 'admin', 'manager');
    const client = await this.clientOf(auth, body.clientId);
    const now = this.deps.clock.now();
    const matter: StoredMatter = {
      id: randomUUID(),
      workspaceId: auth.user.workspaceId,
      clientId: client.id,
      code: cleanName(body.code, MATTER_CODE_MAX, 'body.code'),
      name: cleanName(body.name, MATTER_NAME_MAX, 'body.name'),
      billingType: body.billingType ?? 'hourly',
      fixedFeeCents: body.fixedFeeCents ?? null,
      budgetMinutes: body.budget && 'minutes' in body.budget ? body.budget.minutes : null,
      budgetCents: body.budget && 'amountCents' in body.budget ? body.budget.amountCents : null,
      rounding: (body.rounding as RoundingRule | null | undefined) ?? null,
      closedAt: null,
      createdAt: now,
      updatedAt: now,
    };
    checkFee(matter);
    const outcome = await this.deps.store.createMatter(matter, this.#audit(auth, 'matter_created', ip, { code: matter.code, name: matter.name, clientId: client.id }));
    if (outcome === 'code_taken') throw codeTaken(matter.code);
    return toMatterView(matter);
  }

  async updateMatter(auth: AuthContext, id: string, body: UpdateMatterRequest, ip: string | null): Promise<Matter> {
    requireRole(auth, 'admin', 'manager');
    const matter = await this.matterOf(auth, id);
    const now = this.deps.clock.now();
    const next: StoredMatter = {
      ...matter,
      code: body.code === undefined ? matter.code : cleanName(body.code, MATTER_CODE_MAX, 'body.code'),
      name: body.name === undefined ? matter.name : cleanName(body.name, MATTER_NAME_MAX, 'body.name'),
      billingType: body.billingType ?? matter.billingType,
      fixedFeeCents: body.fixedFeeCents === undefined ? matter.fixedFeeCents : body.fixedFeeCents,
      budgetMinutes: body.budget === undefined ? matter.budgetMinutes : body.budget && 'minutes' in body.budget ? body.budget.minutes : null,
      budgetCents: body.budget === undefined ? matter.budgetCents : body.budget && 'amountCents' in body.budget ? body.budget.amountCents : null,
      rounding: body.rounding === undefined ? matter.rounding : (body.rounding as RoundingRule | null),
      closedAt: body.closed === undefined ? matter.closedAt : body.closed ? (matter.closedAt ?? now) : null,
      updatedAt: now,
    };
    checkFee(next);
    const [before, after] = [toMatterView(matter), toMatterView(next)];
    const diff = changes(before, after, ['code', 'name', 'billingType', 'fixedFeeCents', 'budget', 'rounding', 'closed'] as const);
    const audit = diff.fields.length === 0 ? undefined : this.#audit(auth, 'matter_changed', ip, { code: next.code, ...diff });
    if ((await this.deps.store.updateMatter(next, audit)) === 'code_taken') throw codeTaken(next.code);
    return after;
  }

  async listActivities(auth: AuthContext): Promise<Activity[]> {
    return (await this.deps.store.listActivities(auth.user.workspaceId)).map(toActivityView);
  }

  async createActivity(auth: AuthContext, body: CreateActivityRequest, ip: string | null): Promise<Activity> {
    requireRole(auth, 'admin', 'manager');
    const now = this.deps.clock.now();
    const activity: StoredActivity = { id: randomUUID(), workspaceId: auth.user.workspaceId, name: cleanName(body.name, ACTIVITY_NAME_MAX, 'body.name'), archivedAt: null, createdAt: now, updatedAt: now };
    if ((await this.deps.store.createActivity(activity, this.#audit(auth, 'activity_created', ip, { name: activity.name }))) === 'name_taken') throw nameTaken(activity.name);
    return toActivityView(activity);
  }

  async updateActivity(auth: AuthContext, id: string, body: UpdateActivityRequest, ip: string | null): Promise<Activity> {
    requireRole(auth, 'admin', 'manager');
    const activity = await this.deps.store.findActivity(id.toLowerCase());
    if (!activity || activity.workspaceId !== auth.user.workspaceId) throw notFound('That activity');
    const now = this.deps.clock.now();
    const next: StoredActivity = {
      ...activity,
      name: body.name === undefined ? activity.name : cleanName(body.name, ACTIVITY_NAME_MAX, 'body.name'),
      archivedAt: body.archived === undefined ? activity.archivedAt : body.archived ? (activity.archivedAt ?? now) : null,
      updatedAt: now,
    };
    const diff = changes(toActivityView(activity), toActivityView(next), ['name', 'archived'] as const);
    const audit = diff.fields.length === 0 ? undefined : this.#audit(auth, 'activity_changed', ip, { name: next.name, ...diff });
    if ((await this.deps.store.updateActivity(next, audit)) === 'name_taken') throw nameTaken(next.name);
    return toActivityView(next);
  }

  /** A client's rates, or without one the members' defaults (managers and admins). */
  async listRates(auth: AuthContext, clientId: string | undefined): Promise<Rate[]> {
    requireRole(auth, 'admin', 'manager');
    const client = clientId === undefined ? null : await this.clientOf(auth, clientId);
    return (await this.deps.store.listRates(auth.user.workspaceId, client?.id ?? null)).map(toRateView);
  }

  async setRate(auth: AuthContext, body: SetRateRequest, ip: string | null): Promise<Rate | null> {
    requireRole(auth, 'admin', 'manager');
    const userId = body.userId ? body.userId.toLowerCase() : null;
    if (userId !== null) {
      const user = await this.deps.store.findUserById(userId);
      if (!user || user.workspaceId !== auth.user.workspaceId) throw notFound('That member');
    }
    const matter = body.matterId ? await this.matterOf(auth, body.matterId) : null;
    let clientId = body.clientId ? (await this.clientOf(auth, body.clientId)).id : null;
    if (matter) {
      if (clientId !== null && clientId !== matter.clientId) throw new HttpError('invalid_request', 'Invalid body.matterId: that matter belongs to another client.');
      clientId = matter.clientId;
    }
    const target = { workspaceId: auth.user.workspaceId, userId, clientId, matterId: matter?.id ?? null };
    const level = rateLevelOf(target);
    if (level === null) {
      throw new HttpError(
        'invalid_request',
        clientId !== null
          ? "Invalid body: a client's own rate is set on the client (PATCH /clients/{id}); give a userId for a member's rate for this client."
          : 'Invalid body: say whose or which rate: userId, matterId, or userId with clientId or matterId.',
      );
    }
    const now = this.deps.clock.now();
    const audit = this.#audit(auth, 'rate_changed', ip, { level, ...target, workspaceId: undefined, hourlyRateCents: body.hourlyRateCents });
    const stored = await this.deps.store.setRate(target, body.hourlyRateCents, now, auth.user.id, audit);
    return stored && toRateView(stored);
  }
}

function checkFee(m: StoredMatter): void {
  if (m.billingType === 'fixed' && m.fixedFeeCents === null) throw new HttpError('invalid_request', 'Invalid body.fixedFeeCents: a fixed-fee matter needs its fee.');
}

const codeTaken = (code: string) => new HttpError('name_taken', `Invalid body.code: this client already has a matter with the code "${code}".`);
const nameTaken = (name: string) => new HttpError('name_taken', `Invalid body.name: there is already an activity called "${name}".`);
