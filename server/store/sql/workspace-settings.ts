import type { WorkspaceSettings } from '../../../shared/api/workspace.js';
import type { AuditInput } from '../audit.js';
import type { WorkspaceSettingsStore } from '../workspace-settings.js';
import { SqlDomain, zeroOne } from './base.js';

export class WorkspaceSettingsSql extends SqlDomain implements WorkspaceSettingsStore {
  async getWorkspaceSettings(workspaceId: string): Promise<WorkspaceSettings | undefined> {
    const row = await this.db
      .selectFrom('workspaces')
      .select(['name', 'address', 'time_zone as timeZone', 'require_approved_weeks as requireApprovedWeeks', 'description_required as descriptionRequired'])
      .where('id', '=', workspaceId)
      .executeTakeFirst();
    if (!row) return undefined;
    return { ...row, requireApprovedWeeks: row.requireApprovedWeeks === 1, descriptionRequired: row.descriptionRequired === 1 };
  }

  async setWorkspaceSettings(workspaceId: string, settings: WorkspaceSettings, audit: AuditInput) {
    await this.tx(async (trx) => {
      await trx
        .updateTable('workspaces')
        .set({
          name: settings.name,
          address: settings.address,
          time_zone: settings.timeZone,
          require_approved_weeks: zeroOne(settings.requireApprovedWeeks),
          description_required: zeroOne(settings.descriptionRequired),
        })
        .where('id', '=', workspaceId)
        .execute();
      await this.audit(trx, audit);
    });
  }
}
