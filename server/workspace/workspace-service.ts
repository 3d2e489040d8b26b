import { DEFAULT_WORKSPACE_SETTINGS, WORKSPACE_ADDRESS_MAX, WORKSPACE_NAME_MAX, type UpdateWorkspaceSettings, type WorkspaceSettings } from '../../shared/api/workspace.js';
import { cleanDisplayText } from '../../shared/text/display-text.js';
import { canonicalTimeZone } from '../../shared/time/zoned-days.js';
import { HttpError, notFound } from '../http/http-error.js';
import { requireRole } from '../http/request-context.js';
import type { Clock } from '../platform/clock.js';
import type { AuthContext } from '../sessions/auth-context.js';
import type { TabStore } from '../store/types.js';
import type { RequestOrigin } from '../members/member-service.js';

/** The firm's settings: everyone reads them (a rule may change what an entry needs); admins change them, audited. */
export class WorkspaceService {
  constructor(private readonly deps: { store: TabStore; clock: Clock }) {}

  async get(auth: AuthContext): Promise<WorkspaceSettings> {
    const settings = await this.deps.store.getWorkspaceSettings(auth.user.workspaceId);
    if (!settings) throw notFound('That workspace');
    return { ...DEFAULT_WORKSPACE_SETTINGS, ...settings };
  }

  async update(auth: AuthContext, change: UpdateWorkspaceSettings, from: Omit<RequestOrigin, 'origin'>): Promise<WorkspaceSettings> {
    requireRole(auth, 'admin');
    const current = await this.get(auth);
    const next: WorkspaceSettings = { ...current };
    if (change.name !== undefined) {
      next.name = cleanDisplayText(change.name, WORKSPACE_NAME_MAX);
      if (!next.name) throw new HttpError('invalid_request', 'Invalid body.name: must not be blank.');
    }
    if (change.address !== undefined) next.address = cleanDisplayText(change.address, WORKSPACE_ADDRESS_MAX, { multiline: true });
    if (change.timeZone !== undefined) {
      const zone = canonicalTimeZone(change.timeZone);
      if (zone === null) throw new HttpError('invalid_request', `Invalid body.timeZone: ${JSON.stringify(change.timeZone)} is not an IANA time zone.`);
      next.timeZone = zone;
    }
    if (change.requireApprovedWeeks !== undefined) next.requireApprovedWeeks = change.requireApprovedWeeks;
    if (change.descriptionRequired !== undefined) next.descriptionRequired = change.descriptionRequired;
    const fields = (Object.keys(next) as (keyof WorkspaceSettings)[]).filter((key) => next[key] !== current[key]);
    if (fields.length === 0) return current;
    await this.deps.store.setWorkspaceSettings(auth.user.workspaceId, next, {
      workspaceId: auth.user.workspaceId,
      type: 'workspace_settings_changed',
      at: this.deps.clock.now(),
      actorUserId: auth.user.id,
      sessionId: from.sessionId,
      ip: from.ip,
      detail: { fields, changes: Object.fromEntries(fields.map((key) => [key, { from: current[key], to: next[key] }])) },
    });
    return next;
  }
}
