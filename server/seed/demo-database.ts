import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { DAY_MS } from '../platform/clock.js';
import type { OpenedStore } from '../store/open-store.js';
import { isPostgresUrl } from '../store/open-store.js';
import { DEMO_WORKSPACE } from './demo.js';
import { DEMO_VERSION, seedDemoFirm } from './demo-firm.js';

/**
 * What `--seed-demo` does with the database it is given (and `--renew-demo`
 * with `npm start`'s own demo file). Which demo a SQLite file holds is kept in
 * a marker file beside it, `<db>.demo.json` (as its JWT key is): the version
 * of the story and when it was made.
 *
 * A demo is "older" when its version is older or it was made more than a week
 * ago: the story is relative to the day it was made (a week on, Ana's timer
 * would have run for seven days and "this week" would be empty).
 */
export const DEMO_MAX_AGE_MS = 7 * DAY_MS;

export interface DemoMarker {
  version: number;
  seededAt: number;
}

export const demoMarkerPath = (dbFile: string) => `${dbFile}.demo.json`;

export type DemoDatabaseOutcome =
  /** Seeded into an empty database. */
  | 'seeded'
  /** An older demo deleted and seeded anew (--renew-demo). */
  | 'renewed'
  /** Already holds the current demo: nothing written. */
  | 'current'
  /** Holds only the demo firm, an older one, and renewing was not asked for (or is not possible: PostgreSQL). */
  | 'older'
  /** Holds something else: never touched. */
  | 'not_demo';

/**
 * Seeds the demo where the database allows it. `reopen` opens the location
 * again after an older demo's files are deleted. Answers the store to use
 * (a new one after renewing) and what happened.
 */
export async function prepareDemoDatabase(
  store: OpenedStore,
  location: string,
  options: { renew: boolean; now: number; reopen: () => Promise<OpenedStore> },
): Promise<{ store: OpenedStore; outcome: DemoDatabaseOutcome }> {
  const file = isPostgresUrl(location) || location === ':memory:' ? null : location;
  const seed = async (target: OpenedStore) => {
    const result = await seedDemoFirm(target, options.now);
    if (result.outcome === 'seeded' && file) writeMarker(file, { version: DEMO_VERSION, seededAt: options.now });
    return result.outcome === 'seeded';
  };
  if (await seed(store)) return { store, outcome: 'seeded' };

  const workspaces = await store.listWorkspaces();
  const demoOnly = workspaces.length === 1 && workspaces[0]!.name === DEMO_WORKSPACE;
  if (!demoOnly) return { store, outcome: 'not_demo' };
  const marker = file ? readMarker(file) : null;
  const current = marker !== null && marker.version >= DEMO_VERSION && options.now - marker.seededAt <= DEMO_MAX_AGE_MS;
  if (current || file === null) return { store, outcome: current ? 'current' : 'older' };
  if (!options.renew) return { store, outcome: 'older' };

  await store.close();
  for (const path of [file, `${file}-wal`, `${file}-shm`, demoMarkerPath(file)]) rmSync(path, { force: true });
  const fresh = await options.reopen();
  await seed(fresh);
  return { store: fresh, outcome: 'renewed' };
}

export function readMarker(dbFile: string): DemoMarker | null {
  const path = demoMarkerPath(dbFile);
  if (!existsSync(path)) return null;
  try {
    const value = JSON.parse(readFileSync(path, 'utf8')) as Partial<DemoMarker>;
    return typeof value.version === 'number' && typeof value.seededAt === 'number' ? { version: value.version, seededAt: value.seededAt } : null;
  } catch {
    return null; // unreadable: treated as an older demo
  }
}

function writeMarker(dbFile: string, marker: DemoMarker): void {
  writeFileSync(demoMarkerPath(dbFile), `${JSON.stringify(marker)}\n`, { mode: 0o600 });
}
