import type { PasskeyView } from '../../shared/api/passkeys.js';
import type { EventHub } from '../events/event-hub.js';
import type { Clock } from '../platform/clock.js';
import { HttpError, notFound } from '../http/http-error.js';
import { requireRole } from '../http/request-context.js';
import type { AuthContext, SessionAuth } from '../sessions/auth-context.js';
import type { ReauthProof, Reauthenticator } from '../sessions/reauth.js';
import type { StoredUser, TabStore } from '../store/types.js';
import { toPasskeyView } from './passkeys.js';

const gone = () => new HttpError('passkey_not_found', 'No such passkey (it may have been removed already).');

/**
 * A member's passkeys as their admin sees them: the list (name, added, last
 * used; never the credential's key material) and the removal of one, e.g. a
 * security key lost with a laptop.
 *
 * Choices where the brief was silent:
 * - Managers and admins read the list (they read a member's sessions and
 *   two-factor too); only admins remove, after their own re-check
 *   (`reauth.require`, action `member_passkey_remove`), like the two-factor
 *   reset.
 * - Removing a passkey does not sign the member out. Losing a credential does
 *   not prove that a session was taken over, and the member page lists the
 *   member's sessions one click away ("Sign out" per device, or all): the
 *   admin signs out the lost laptop's session there. Signing everyone out
 *   here would also end the member's sessions on devices they still hold.
 * - Not on oneself: an admin removes their own passkeys on their Profile
 *   (same re-check, their own audit line).
 * - Audited `passkey_removed`, actor the admin, target the member, with the
 *   passkey's name (no key material). The member's open screens get
 *   `account.changed`, so an open Profile rereads its list.
 */
export class MemberPasskeys {
  constructor(private readonly deps: { store: TabStore; clock: Clock; reauth: Reauthenticator; hub: EventHub }) {}

  async list(auth: AuthContext, userId: string): Promise<PasskeyView[]> {
    requireRole(auth, 'admin', 'manager');
    const member = await this.#memberOf(auth, userId);
    return (await this.deps.store.listPasskeys(member.id)).map(toPasskeyView);
  }

  async remove(auth: SessionAuth, userId: string, passkeyId: string, proof: ReauthProof, from: { ip: string }): Promise<{ name: string }> {
    requireRole(auth, 'admin');
    const { store, clock, reauth, hub } = this.deps;
    const member = await this.#memberOf(auth, userId);
    if (member.id === auth.user.id) throw new HttpError('invalid_request', 'Remove your own passkeys from your Profile.');
    // Checked before the re-check so a stale list says "gone" without asking for a password; checked again by the removal itself.
    if (!(await store.listPasskeys(member.id)).some((p) => p.id === passkeyId)) throw gone();
    await reauth.require({ user: auth.user, sessionId: auth.session.id, ip: from.ip }, proof, 'member_passkey_remove', 'That password is not right.');
    const name = await store.removePasskey(member.id, passkeyId, (removed) => ({
      workspaceId: member.workspaceId,
      type: 'passkey_removed',
      at: clock.now(),
      actorUserId: auth.user.id,
      targetUserId: member.id,
      sessionId: auth.session.id,
      ip: from.ip,
      detail: { name: removed },
    }));
    if (name === null) throw gone();
    hub.accountChanged(member.id, member.role);
    return { name };
  }

  async #memberOf(auth: AuthContext, userId: string): Promise<StoredUser> {
    const member = await this.deps.store.findUserById(userId);
    if (!member || member.workspaceId !== auth.user.workspaceId) throw notFound('That member');
    return member;
  }
}
