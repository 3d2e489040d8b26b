import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { User } from '../shared/api/auth.js';
import { DEFAULT_IDLE_THRESHOLD_MINUTES, IDLE_THRESHOLD_CHOICES, type IdleThresholdMinutes } from '../shared/ipc/contract.js';
import type { SavedWindowState } from './shell/window-state.js';

/**
 * What the desktop app keeps in `settings.json` in its data folder: the
 * server address, the last signed-in user's public profile (to show
 * "offline" with a name when the server cannot be reached at launch), the
 * person's desktop settings and the window's place. Never a secret.
 */
export interface StoredSettings {
  serverUrl: string | null;
  lastUser: User | null;
  idleThresholdMinutes: IdleThresholdMinutes;
  /** Opt-in, off by default. */
  uploadCrashReports: boolean;
  window: SavedWindowState | null;
}

export interface SettingsStore {
  read(): StoredSettings;
  write(patch: Partial<StoredSettings>): void;
}

const EMPTY: StoredSettings = { serverUrl: null, lastUser: null, idleThresholdMinutes: DEFAULT_IDLE_THRESHOLD_MINUTES, uploadCrashReports: false, window: null };

export function createMemorySettings(initial: Partial<StoredSettings> = {}): SettingsStore {
  let current: StoredSettings = { ...EMPTY, ...initial };
  return {
    read: () => ({ ...current }),
    write: (patch) => {
      current = { ...current, ...patch };
    },
  };
}

const isRect = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && ['x', 'y', 'width', 'height'].every((k) => Number.isFinite((value as Record<string, unknown>)[k]));

/** Reads what a (possibly hand-edited or older) settings.json holds, keeping only well-formed values. */
export function parseSettings(text: string): StoredSettings {
  let parsed: Record<string, unknown>;
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value !== 'object' || value === null) return { ...EMPTY };
    parsed = value as Record<string, unknown>;
  } catch {
    return { ...EMPTY };
  }
  const threshold = parsed.idleThresholdMinutes;
  const window = parsed.window as { bounds?: unknown; maximized?: unknown } | undefined;
  return {
    serverUrl: typeof parsed.serverUrl === 'string' ? parsed.serverUrl : null,
    lastUser: parsed.lastUser && typeof parsed.lastUser === 'object' ? (parsed.lastUser as User) : null,
    idleThresholdMinutes: (IDLE_THRESHOLD_CHOICES as readonly unknown[]).includes(threshold) ? (threshold as IdleThresholdMinutes) : DEFAULT_IDLE_THRESHOLD_MINUTES,
    uploadCrashReports: parsed.uploadCrashReports === true,
    window: window && isRect(window.bounds) ? { bounds: window.bounds as SavedWindowState['bounds'], maximized: window.maximized === true } : null,
  };
}

/** `settings.json` in the app's data folder, written atomically. */
export function createFileSettings(dataDir: string): SettingsStore {
  const file = join(dataDir, 'settings.json');
  const read = (): StoredSettings => {
    try {
      return parseSettings(readFileSync(file, 'utf8'));
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
