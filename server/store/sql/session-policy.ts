import { DEFAULT_SESSION_POLICY, type SessionPolicy } from '../../../shared/api/admin.js';
import type { AuditInput } from '../audit.js';
import type { SessionPolicyStore } from '../session-policy.js';
import { SqlDomain } from './base.js';

export class SessionPolicySql extends SqlDomain implements SessionPolicyStore {
  async getSessionPolicy(workspaceId: string): Promise<SessionPolicy> {
    const row = await this.db
      .selectFrom('workspaces')
      .select([
        'inactivity_timeout_minutes as inactivityTimeoutMinutes',
        'absolute_timeout_days as absoluteTimeoutDays',
        'max_concurrent_sessions as maxConcurrentSessions',
        'ip_change_policy as ipChangePolicy',
        'ua_change_policy as userAgentChangePolicy',
      ])
      .where('id', '=', workspaceId)
      .executeTakeFirst();
    return (row as SessionPolicy | undefined) ?? { ...DEFAULT_SESSION_POLICY };
  }

  async setSessionPolicy(workspaceId: string, policy: SessionPolicy, audit: AuditInput) {
    await this.tx(async (trx) => {
      await trx
        .updateTable('workspaces')
        .set({
          inactivity_timeout_minutes: policy.inactivityTimeoutMinutes,
          absolute_timeout_days: policy.absoluteTimeoutDays,
          max_concurrent_sessions: policy.maxConcurrentSessions,
          ip_change_policy: policy.ipChangePolicy,
          ua_change_policy: policy.userAgentChangePolicy,
        })
        .where('id', '=', workspaceId)
        .execute();
      await this.audit(trx, audit);
    });
  }
}
