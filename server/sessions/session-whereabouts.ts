import type { ChangePolicy } from '../../shared/api/admin.js';
import type { RevokeReason } from '../../shared/errors.js';
import { locationText } from '../../shared/text/location-text.js';
import type { EventHub } from '../events/event-hub.js';
import type { Locator } from '../geoip/locator.js';
import { HttpError } from '../http/http-error.js';
import type { MaybePromise } from '../platform/maybe-promise.js';
import type { AuditInput, TabStore } from '../store/types.js';
import { userAgentFamilies, type UserAgentFamilies } from './device-label.js';
import type { RevokedSession, SessionBaseline, SessionSighting, SessionState } from './session-records.js';
import { locationOf, summaryOf } from './session-view.js';

/** Where a request came from. */
export interface RequestOrigin {
  ip: string;
  /** Absent where the caller has none to give (then the browser is not compared). */
  userAgent?: string;
}

/** What a request saw of its session: where it was, and whether that was written already (the account moved). */
export interface Observation {
  sighting: SessionSighting;
  written: boolean;
}

type ChangeKind = 'ip_changed' | 'ua_changed';

const SIGNED_OUT_MESSAGES: Record<ChangeKind, string> = {
  ip_changed: 'This session was signed out because it was used from another country.',
  ua_changed: 'This session was signed out because it was used from another browser or operating system.',
};

const countryNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' });

/**
 * Where a session is, and what happens when it moves (issue #16).
 *
 * Every authenticated request of a session is compared with what the session
 * already knows: its last address, and its baseline (country, browser family,
 * OS). The usual request (same address, same browser) costs two string
 * comparisons and a Map read, and looks nothing up. A new address is located
 * (a bounded cache makes repeats cheap) and written with the next
 * `last_seen_at` (at most once a minute).
 *
 * A move to another country than the baseline, or to another browser family or
 * OS, is what the workspace's policy says: `off` follows the session
 * silently, `notify` also writes an audit row and sends `session.alert` to the
 * user's other sessions, `reauth` signs the session out at once (401
 * `session_revoked`, reason `ip_changed` / `ua_changed`). After `off` or
 * `notify` the new country (browser, OS) is the baseline, so one move is one
 * alert. The baseline moves with a compare-and-set: of concurrent requests
 * that saw the same move, exactly one alerts. Unknown on either side (a
 * private address, an unparseable User-Agent) is never a change; a session
 * whose sign-in country was unknown takes the first known one, silently.
 */
export class SessionWhereabouts {
  constructor(
    private readonly deps: {
      store: TabStore;
      hub: EventHub;
      locator: Locator;
      /** Ends the revoked session's streams and refreshes the user's other sessions (SessionService.announce). */
      announce: (revoked: RevokedSession[], reason: RevokeReason) => void;
    },
  ) {}

  /** Null (at once) when nothing moved; throws the 401 when the policy signs the session out. */
  observe(session: SessionState, origin: RequestOrigin, now: number): MaybePromise<Observation | null> {
    const ipMoved = origin.ip !== session.lastIp;
    const families = origin.userAgent !== undefined && (session.browserFamily !== null || session.osFamily !== null) ? userAgentFamilies(origin.userAgent) : null;
    const uaMoved = families !== null && (differs(session.browserFamily, families.browserFamily) || differs(session.osFamily, families.osFamily));
    if (!ipMoved && !uaMoved) return null;

    const location = this.deps.locator.locate(origin.ip);
    const sighting: SessionSighting = { lastIp: origin.ip, location };
    const country = location?.countryCode ?? null;
    const countryMoved = differs(session.baselineCountryCode, country);
    if (!countryMoved && !uaMoved) {
      if (country === null || session.baselineCountryCode !== null) return { sighting, written: false };
      // Signed in from a private or unknown address: the first known country becomes the baseline.
      return this.#move(session, { ...baselineOf(session), baselineCountryCode: country }, sighting, []);
    }
    return this.#decide(session, origin, now, sighting, countryMoved ? country : null, uaMoved ? families : null);
  }

  async #decide(
    session: SessionState,
    origin: RequestOrigin,
    now: number,
    sighting: SessionSighting,
    newCountry: string | null,
    newFamilies: UserAgentFamilies | null,
  ): Promise<Observation | null> {
    const { store } = this.deps;
    const [policy, stored] = await Promise.all([store.getSessionPolicy(session.workspaceId), store.findSessionById(session.id)]);
    if (!stored) return null;
    const changes: { kind: ChangeKind; policy: ChangePolicy; from: string | null; to: string | null; detail: Record<string, unknown> }[] = [];
    if (newCountry !== null) {
      const before = locationOf(stored);
      const from = before?.countryCode === session.baselineCountryCode ? locationText(before) : countryName(session.baselineCountryCode);
      const to = locationText(sighting.location);
      changes.push({
        kind: 'ip_changed',
        policy: policy.ipChangePolicy,
        from,
        to,
        detail: { from, to, fromCountryCode: session.baselineCountryCode, toCountryCode: newCountry, location: sighting.location },
      });
    }
    if (newFamilies !== null) {
      const from = familiesText(session);
      const to = familiesText(newFamilies);
      changes.push({ kind: 'ua_changed', policy: policy.userAgentChangePolicy, from, to, detail: { from, to } });
    }
    const audit = (change: (typeof changes)[number]): AuditInput => ({
      workspaceId: session.workspaceId,
      type: change.kind === 'ip_changed' ? 'session_ip_changed' : 'session_ua_changed',
      at: now,
      actorUserId: null,
      targetUserId: session.userId,
      sessionId: session.id,
      ip: origin.ip,
      detail: { policy: change.policy, ...change.detail },
    });

    const reauth = changes.find((c) => c.policy === 'reauth');
    if (reauth) {
      // One audit row says both what changed and that the session was signed out for it.
      const row = audit(reauth);
      const revoked = await store.revokeSession(session.id, { at: now, by: null, reason: reauth.kind }, { ...row, detail: { ...row.detail, reason: reauth.kind } });
      if (revoked) this.deps.announce([{ id: session.id, userId: session.userId }], reauth.kind);
      throw new HttpError('session_revoked', SIGNED_OUT_MESSAGES[reauth.kind], { reason: reauth.kind });
    }

    const next: SessionBaseline = {
      baselineCountryCode: newCountry ?? (session.baselineCountryCode ?? sighting.location?.countryCode ?? null),
      browserFamily: newFamilies?.browserFamily ?? session.browserFamily,
      osFamily: newFamilies?.osFamily ?? session.osFamily,
    };
    const notified = changes.filter((c) => c.policy === 'notify');
    const observation = await this.#move(session, next, sighting, notified.map(audit));
    if (observation.written) {
      const summary = summaryOf(stored, sighting.location);
      for (const change of notified) {
        this.deps.hub.sendToUser(session.userId, { type: 'session.alert', kind: change.kind, session: summary, from: change.from, to: change.to }, new Set([session.id]));
      }
    }
    return observation;
  }

  async #move(session: SessionState, next: SessionBaseline, sighting: SessionSighting, audits: AuditInput[]): Promise<Observation> {
    const written = await this.deps.store.moveSessionBaseline(session.id, baselineOf(session), { ...next, ...sighting }, audits);
    return { sighting, written };
  }
}

/** Both known and not the same: unknown on either side is never a change. */
const differs = (before: string | null, now: string | null) => before !== null && now !== null && before !== now;

const baselineOf = (s: SessionBaseline): SessionBaseline => ({ baselineCountryCode: s.baselineCountryCode, browserFamily: s.browserFamily, osFamily: s.osFamily });

const familiesText = (f: UserAgentFamilies) => [f.browserFamily, f.osFamily].filter((part) => part !== null).join(', ') || null;

function countryName(code: string | null): string | null {
  if (code === null) return null;
  try {
    return countryNames.of(code) ?? code;
  } catch {
    return code;
  }
}
