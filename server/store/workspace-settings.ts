import type { WorkspaceSettings } from '../../shared/api/workspace.js';
import type { AuditInput } from './audit.js';

/** The firm's settings: name and address for invoices, its time zone, and two rules for time entries. */
export interface WorkspaceSettingsStore {
  getWorkspaceSettings(workspaceId: string): Promise<WorkspaceSettings | undefined>;
  /** Writes the given settings (the caller merged the change), with its audit row. */
  setWorkspaceSettings(workspaceId: string, settings: WorkspaceSettings, audit: AuditInput): Promise<void>;
}
