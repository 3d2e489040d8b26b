/**
 * Auto-update (electron-updater), only where an update can be trusted:
 *
 * - packaged builds only (never `npm start`);
 * - a signed build that was given a feed at build time (package-desktop.mjs
 *   writes `app-update.yml` only when TAB_UPDATE_URL and the platform's signing
 *   identity are both set); `TAB_UPDATE_URL` at run time may point it elsewhere
 *   (https only);
 * - Windows: electron-updater checks the downloaded installer's Authenticode
 *   signature against the publisher name in app-update.yml — without one it
 *   would skip the check, so no publisher name means no auto-update;
 * - macOS: Squirrel.Mac refuses an update whose code signature does not match
 *   the running app's;
 * - Linux: no signature to check on an AppImage, so no auto-update (the
 *   package manager or a new download updates it).
 * Every download is also checked against the sha512 in the feed's latest*.yml.
 */

export type UpdatePlan = { enabled: false; reason: string } | { enabled: true; feedUrl: string | null };

export interface UpdatePlanInput {
  packaged: boolean;
  platform: NodeJS.Platform;
  /** TAB_UPDATE_URL at run time. */
  envFeedUrl: string | undefined;
  /** resources/app-update.yml, as written at build time (null when absent). */
  appUpdateConfig: { url?: string; publisherName?: string[] | string | null } | null;
}

function httpsUrl(value: string): string | null {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && !url.username && !url.password ? url.toString() : null;
  } catch {
    return null;
  }
}

export function updatePlan(input: UpdatePlanInput): UpdatePlan {
  if (!input.packaged) return { enabled: false, reason: 'not a packaged build' };
  if (input.platform === 'linux') return { enabled: false, reason: 'Linux builds are updated by a new download' };
  if (!input.appUpdateConfig) return { enabled: false, reason: 'this build has no update feed (built without TAB_UPDATE_URL and signing)' };
  if (input.platform === 'win32') {
    const names = input.appUpdateConfig.publisherName;
    if (!names || (Array.isArray(names) && names.length === 0)) return { enabled: false, reason: 'no publisher name to check update signatures against' };
  }
  if (input.envFeedUrl) {
    const feed = httpsUrl(input.envFeedUrl);
    if (!feed) return { enabled: false, reason: 'TAB_UPDATE_URL must be an https address' };
    return { enabled: true, feedUrl: feed };
  }
  if (!input.appUpdateConfig.url || !httpsUrl(input.appUpdateConfig.url)) return { enabled: false, reason: 'the build-time update feed is not https' };
  return { enabled: true, feedUrl: null };
}

/** The part of electron-updater's autoUpdater the flow uses. */
export interface UpdaterLike {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  checkForUpdates(): Promise<unknown>;
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void;
  on(event: 'update-downloaded', listener: (info: { version: string }) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

export interface UpdateFlowOptions {
  updater: UpdaterLike;
  /** "Restart to update": resolves true to restart now (else it installs at the next quit). */
  askToRestart: (version: string) => Promise<boolean>;
  log: (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;
}

/** Downloads in the background, then asks once per version; "Later" installs it at the next quit. */
export function startUpdateFlow(options: UpdateFlowOptions): { check: () => Promise<void> } {
  const { updater, log } = options;
  updater.autoDownload = true;
  updater.autoInstallOnAppQuit = true;
  const asked = new Set<string>();
  updater.on('error', (error) => log('warn', 'update check failed', { error: error.message.slice(0, 300) }));
  updater.on('update-downloaded', (info) => {
    if (asked.has(info.version)) return;
    asked.add(info.version);
    log('info', 'update downloaded', { version: info.version });
    void options.askToRestart(info.version).then((restart) => {
      if (restart) updater.quitAndInstall(false, true);
    });
  });
  return {
    check: async () => {
      try {
        await updater.checkForUpdates();
      } catch (error) {
        log('warn', 'update check failed', { error: error instanceof Error ? error.message.slice(0, 300) : String(error) });
      }
    },
  };
}

/**
 * The few keys of electron-builder's `app-update.yml` the policy reads
 * (`url`, `publisherName` as a scalar or a list); everything else is ignored.
 */
export function parseAppUpdateYml(text: string): { url?: string; publisherName?: string[] } {
  const out: { url?: string; publisherName?: string[] } = {};
  let inPublishers = false;
  const unquote = (v: string) => v.trim().replace(/^(['"])(.*)\1$/, '$2');
  for (const line of text.split(/\r?\n/)) {
    const item = /^\s+-\s+(.+)$/.exec(line);
    if (inPublishers && item) {
      out.publisherName!.push(unquote(item[1]!));
      continue;
    }
    inPublishers = false;
    const pair = /^([A-Za-z]+):\s*(.*)$/.exec(line);
    if (!pair) continue;
    const [, key, value] = pair as unknown as [string, string, string];
    if (key === 'url' && value) out.url = unquote(value);
    if (key === 'publisherName') {
      out.publisherName = value ? [unquote(value)] : [];
      inPublishers = !value;
    }
  }
  return out;
}
