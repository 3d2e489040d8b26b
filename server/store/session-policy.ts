import type { SessionPolicy } from '../../shared/api/admin.js';
import type { AuditInput } from './audit.js';

/** A workspace's session policy (timeouts, concurrent-session limit, what unusual changes do). */
export interface SessionPolicyStore {
  /** The workspace's policy, or the default one for an unknown workspace. */
  getSessionPolicy(workspaceId: string): Promise<SessionPolicy>;
  setSessionPolicy(workspaceId: string, policy: SessionPolicy, audit: AuditInput): Promise<void>;
}
