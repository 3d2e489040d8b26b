import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { User } from '../shared/api/auth.js';

/**
 * What the desktop app keeps on disk in its data folder: the server address
 * and the last signed-in user's public profile (to show "offline" with a name
 * when the server cannot be reached at launch). Never a secret.
 */
export interface DesktopSettings {
  serverUrl: string | null;
  lastUser: User | null;
}

export interface SettingsStore {
  read(): DesktopSettings;
  write(patch: Partial<DesktopSettings>): void;
}

const EMPTY: DesktopSettings = { serverUrl: null, lastUser: null };

export function createMemorySettings(initial: Partial<DesktopSettings> = {}): SettingsStore {
  let current: DesktopSettings = { ...EMPTY, ...initial };
  return {
    read: () => ({ ...current }),
    write: (patch) => {
      current = { ...current, ...patch };
    },
  };
}

/** `settings.json` in the app's data folder, written atomically. */
export function createFileSettings(dataDir: string): SettingsStore {
  const file = join(dataDir, 'settings.json');
  const read = (): DesktopSettings => {
    try {
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<DesktopSettings>;
      return {
        serverUrl: typeof parsed.serverUrl === 'string' ? parsed.serverUrl : null,
        lastUser: parsed.lastUser && typeof parsed.lastUser === 'object' ? (parsed.lastUser as User) : null,
      };
    } catch {
      return { ...EMPTY };
    }
  };
  return {
    read,
    write(patch) {
      const next = { ...read(), ...patch };
      mkdirSync(dataDir, { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(next, null, 2), { mode: 0o600 });
      renameSync(tmp, file);
    },
  };
}
