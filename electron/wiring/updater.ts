import { dialog, type BrowserWindow } from 'electron';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../logger.js';
import { parseAppUpdateYml, startUpdateFlow, updatePlan } from '../platform/update-policy.js';

const CHECK_EVERY_MS = 6 * 60 * 60_000;

/**
 * Auto-update with electron-updater where update-policy.ts allows it; a
 * "Restart to update" prompt once an update is downloaded. Answers the
 * check function for the menu's "Check for updates…", or null when disabled.
 */
export async function startAutoUpdate(options: { packaged: boolean; window: () => BrowserWindow | null; log: Logger }): Promise<(() => Promise<void>) | null> {
  let config = null;
  try {
    config = parseAppUpdateYml(readFileSync(join(process.resourcesPath, 'app-update.yml'), 'utf8'));
  } catch {
    config = null;
  }
  const plan = updatePlan({ packaged: options.packaged, platform: process.platform, envFeedUrl: process.env.TAB_UPDATE_URL, appUpdateConfig: config });
  if (!plan.enabled) {
    options.log.log('info', 'auto-update off', { reason: plan.reason });
    return null;
  }
  const { autoUpdater } = await import('electron-updater');
  if (plan.feedUrl) autoUpdater.setFeedURL({ provider: 'generic', url: plan.feedUrl });
  const flow = startUpdateFlow({
    updater: autoUpdater,
    log: (level, message, fields) => options.log.log(level, message, fields),
    askToRestart: async (version) => {
      const box = {
        type: 'info' as const,
        buttons: ['Restart now', 'Later'],
        defaultId: 0,
        cancelId: 1,
        message: `TAB ${version} is ready to install`,
        detail: 'Restart TAB to finish updating. Your running timer and any time not yet synced are kept. "Later" installs it when you quit.',
      };
      const parent = options.window();
      const { response } = parent ? await dialog.showMessageBox(parent, box) : await dialog.showMessageBox(box);
      return response === 0;
    },
  });
  void flow.check();
  setInterval(() => void flow.check(), CHECK_EVERY_MS).unref();
  return flow.check;
}
