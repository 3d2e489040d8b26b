import { CompiledQuery } from 'kysely';
import type { OpenedStore } from '../../server/store/open-store.js';

/**
 * Raw SQL for tests that check the tables themselves, on whichever store the
 * server runs: `?` placeholders (turned into `$1, $2…` on PostgreSQL), run
 * through the store's own connection, after any transaction in progress.
 */
export async function sqlRows<T = Record<string, unknown>>(store: OpenedStore, text: string, ...params: unknown[]): Promise<T[]> {
  let n = 0;
  const dialectText = store.kind === 'postgres' ? text.replace(/\?/g, () => `$${++n}`) : text;
  return (await store.kysely.executeQuery<T>(CompiledQuery.raw(dialectText, params))).rows;
}

export async function sqlRow<T = Record<string, unknown>>(store: OpenedStore, text: string, ...params: unknown[]): Promise<T | undefined> {
  return (await sqlRows<T>(store, text, ...params))[0];
}
