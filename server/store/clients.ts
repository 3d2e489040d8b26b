/** A firm's clients (archived, never deleted once they have entries). */
export interface ClientStore {
  listClients(workspaceId: string): Promise<StoredClient[]>;
  findClient(id: string): Promise<StoredClient | undefined>;
  createClient(input: StoredClient): Promise<StoredClient>;
  /** Writes every field of the client as given (the caller merged the change). */
  updateClient(client: StoredClient): Promise<void>;
  /** Deletes a client that has no entries (not even deleted ones); archives it otherwise. */
  deleteOrArchiveClient(id: string, now: number): Promise<'deleted' | 'archived'>;
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
}
