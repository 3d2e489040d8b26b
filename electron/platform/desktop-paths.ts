import { join, win32 } from 'node:path';

/**
 * Where the desktop app keeps its files, per platform:
 *
 * - settings and logs: Electron's `userData` — `TAB` for the installed app,
 *   `TAB Dev` for unpackaged runs (`npm start`), so a development run never
 *   reads or writes the installed app's sign-in, settings or time queue;
 * - the offline time queue (SQLite in WAL mode): on Windows under the LOCAL
 *   profile (`%LOCALAPPDATA%\TAB`), never the roaming one (`%APPDATA%`), which
 *   a domain logon/logoff copies around — half a WAL database copied is a
 *   broken one; elsewhere beside the settings.
 */

export const APP_FOLDER = 'TAB';
export const DEV_APP_FOLDER = 'TAB Dev';

export interface DesktopPathsInput {
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
  /** Electron's `appData` (Windows: %APPDATA%, macOS: ~/Library/Application Support, Linux: $XDG_CONFIG_HOME or ~/.config). */
  appData: string;
  packaged: boolean;
}

export interface DesktopPaths {
  /** Settings, logs, crash dumps: set as Electron's `userData` before anything reads it. */
  userData: string;
  /** The folder whose `time/` holds the time databases. */
  timeDataDir: string;
  /** Where an older version kept the time databases (to move them from on first start), when different. */
  legacyTimeDataDir: string | null;
}

export function desktopPaths(input: DesktopPathsInput): DesktopPaths {
  const folder = input.packaged ? APP_FOLDER : DEV_APP_FOLDER;
  const windows = input.platform === 'win32';
  const joinFor = windows ? win32.join : join;
  const userData = joinFor(input.appData, folder);
  const local = windows && input.env.LOCALAPPDATA ? joinFor(input.env.LOCALAPPDATA, folder) : null;
  if (!local || local.toLowerCase() === userData.toLowerCase()) return { userData, timeDataDir: userData, legacyTimeDataDir: null };
  return { userData, timeDataDir: local, legacyTimeDataDir: userData };
}
