import { DEFAULT_ROUNDING, type RoundingRule } from '../../../shared/billing/rounding.js';
import type { AuditInput } from '../audit.js';
import type { ClientStore, StoredClient } from '../clients.js';
import { SqlDomain } from './base.js';

const CLIENT_COLUMNS = [
  'id', 'workspace_id as workspaceId', 'name', 'hourly_rate_cents as hourlyRateCents', 'currency',
  'archived_at as archivedAt', 'created_at as createdAt', 'updated_at as updatedAt',
  'rounding_increment', 'rounding_mode', 'rounding_scope',
] as const;

type ClientRow = Omit<StoredClient, 'rounding'> & { rounding_increment: number; rounding_mode: string; rounding_scope: string };

const toClient = ({ rounding_increment, rounding_mode, rounding_scope, ...rest }: ClientRow): StoredClient => ({
  ...rest,
  rounding: { incrementMinutes: rounding_increment, mode: rounding_mode, scope: rounding_scope } as RoundingRule,
});

const roundingValues = (rule: RoundingRule | undefined) =>
  rule ? { rounding_increment: rule.incrementMinutes, rounding_mode: rule.mode, rounding_scope: rule.scope } : {};

export class ClientSql extends SqlDomain implements ClientStore {
  readonly #byId = this.fixed(($: { id: string }) => this.db.selectFrom('clients').select(CLIENT_COLUMNS).where('id', '=', $.id));

  async listClients(workspaceId: string) {
    const rows = await this.db.selectFrom('clients').select(CLIENT_COLUMNS).where('workspace_id', '=', workspaceId).orderBy(this.caseless('name')).orderBy('id').execute();
    return rows.map(toClient);
  }

  async findClient(id: string) {
    const row = await this.#byId.first(this.db, { id });
    return row && toClient(row);
  }

  async createClient(input: StoredClient, audit?: AuditInput) {
    await this.tx(async (trx) => {
      await trx
        .insertInto('clients')
        .values({
          id: input.id,
          workspace_id: input.workspaceId,
          name: input.name,
          hourly_rate_cents: input.hourlyRateCents,
          currency: input.currency,
          archived_at: input.archivedAt,
          created_at: input.createdAt,
          updated_at: input.updatedAt,
          ...roundingValues(input.rounding),
        })
        .execute();
      if (audit) await this.audit(trx, audit);
    });
    return { ...input, rounding: input.rounding ?? DEFAULT_ROUNDING };
  }

  async updateClient(client: StoredClient, audit?: AuditInput) {
    await this.tx(async (trx) => {
      await trx
        .updateTable('clients')
        .set({ name: client.name, hourly_rate_cents: client.hourlyRateCents, currency: client.currency, archived_at: client.archivedAt, updated_at: client.updatedAt, ...roundingValues(client.rounding) })
        .where('id', '=', client.id)
        .execute();
      if (audit) await this.audit(trx, audit);
    });
  }

  async deleteOrArchiveClient(id: string, now: number, audit?: AuditInput) {
    return this.tx(async (trx) => {
      // An entry written meanwhile on another server must not lose its client: the client's row is locked first.
      await this.forUpdate(trx.selectFrom('clients').select('id').where('id', '=', id)).execute();
      const used = await trx.selectFrom('time_entries').select('id').where('client_id', '=', id).limit(1).executeTakeFirst();
      if (used) {
        await trx
          .updateTable('clients')
          .set((eb) => ({ archived_at: eb.fn.coalesce('archived_at', eb.val(now)), updated_at: now }))
          .where('id', '=', id)
          .execute();
        if (audit) await this.audit(trx, { ...audit, type: 'client_archived' });
        return 'archived' as const;
      }
      await trx.deleteFrom('clients').where('id', '=', id).execute();
      if (audit) await this.audit(trx, { ...audit, type: 'client_deleted' });
      return 'deleted' as const;
    });
  }
}
