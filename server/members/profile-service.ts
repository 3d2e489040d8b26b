import type { User } from '../../shared/api/auth.js';
import type { UpdateMeRequest } from '../../shared/api/time.js';
import { cleanDisplayText } from '../../shared/text/display-text.js';
import { canonicalTimeZone } from '../../shared/time/zoned-days.js';
import type { EventHub } from '../events/event-hub.js';
import { HttpError } from '../http/http-error.js';
import type { Clock } from '../platform/clock.js';
import type { AuthContext } from '../sessions/auth-context.js';
import type { ProfileChange, TabStore } from '../store/types.js';
import type { RequestOrigin } from './member-service.js';

/** Your own profile: name, time zone, clock and date format (GET and PATCH /api/v1/me). */
export class ProfileService {
  constructor(private readonly deps: { store: TabStore; clock: Clock; hub: EventHub }) {}

  /** The user as /me answers: with the preferences only /me carries. */
  async view(auth: AuthContext): Promise<User> {
    const prefs = await this.deps.store.findUserPreferences(auth.user.id);
    const { id, email, name, role, workspaceId, timeZone } = auth.user;
    return { id, email, name, role, workspaceId, timeZone, clock: prefs?.clock ?? 'auto', dateFormat: prefs?.dateFormat ?? 'auto' };
  }

  async update(auth: AuthContext, body: UpdateMeRequest, from: Omit<RequestOrigin, 'origin'>): Promise<User> {
    const change: ProfileChange = {};
    if (body.timeZone !== undefined) {
      const zone = canonicalTimeZone(body.timeZone);
      if (zone === null) throw new HttpError('invalid_request', `Invalid body.timeZone: ${JSON.stringify(body.timeZone)} is not an IANA time zone.`);
      change.timeZone = zone;
    }
    if (body.name !== undefined) {
      const name = cleanDisplayText(body.name, 200);
      if (!name) throw new HttpError('invalid_request', 'Invalid body.name: must not be blank.');
      if (name !== auth.user.name) change.name = name;
    }
    if (body.clock !== undefined) change.clock = body.clock;
    if (body.dateFormat !== undefined) change.dateFormat = body.dateFormat;
    // A new name shows in everyone's lists and in the audit log: it is recorded; preferences are one's own business.
    const audit =
      change.name === undefined
        ? undefined
        : { workspaceId: auth.user.workspaceId, type: 'profile_changed' as const, at: this.deps.clock.now(), actorUserId: auth.user.id, targetUserId: auth.user.id, sessionId: from.sessionId, ip: from.ip, detail: { fromName: auth.user.name, toName: change.name } };
    await this.deps.store.updateProfile(auth.user.id, change, audit);
    // The person's other devices show the new name, zone and formats at once.
    this.deps.hub.accountChanged(auth.user.id, auth.user.role);
    const prefs = await this.deps.store.findUserPreferences(auth.user.id);
    const { id, email, role, workspaceId } = auth.user;
    return {
      id,
      email,
      role,
      workspaceId,
      name: change.name ?? auth.user.name,
      timeZone: change.timeZone ?? auth.user.timeZone,
      clock: prefs?.clock ?? 'auto',
      dateFormat: prefs?.dateFormat ?? 'auto',
    };
  }
}
