import type { RoundingRule } from '../../shared/billing/rounding.js';
import type { AuditInput } from './audit.js';

/** A firm's clients (archived, never deleted once they have entries). */
export interface ClientStore {
  listClients(workspaceId: string): Promise<StoredClient[]>;
  findClient(id: string): Promise<StoredClient | undefined>;
  createClient(input: StoredClient, audit?: AuditInput): Promise<StoredClient>;
  /** Writes every field of the client as given (the caller merged the change). */
  updateClient(client: StoredClient, audit?: AuditInput): Promise<void>;
  /** Deletes a client that has no entries (not even deleted ones); archives it otherwise. The audit row's type follows the outcome. */
  deleteOrArchiveClient(id: string, now: number, audit?: AuditInput): Promise<'deleted' | 'archived'>;
}

export interface StoredClient {
  id: string;
  workspaceId: string;
  name: string;
  hourlyRateCents: number;
  currency: string;
  archivedAt: number | null;
  createdAt: number;
  updatedAt: number;
  /** Migration 9: the client's rounding rule (read always; left out on a write: the default, or unchanged on update). */
  rounding?: RoundingRule;
}
