import { randomBytes } from 'node:crypto';
import type pg from 'pg';

/**
 * A secret every server on this database shares (the JWT signing key), made
 * on the first start of the first server: insert-if-absent, then read, so
 * servers starting together all end up with the one that was stored.
 */
export async function sharedKey(pool: pg.Pool, name: string): Promise<Buffer> {
  await pool.query('INSERT INTO server_keys (name, key) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [name, randomBytes(32)]);
  const { rows } = await pool.query<{ key: Buffer }>('SELECT key FROM server_keys WHERE name = $1', [name]);
  return rows[0]!.key;
}
