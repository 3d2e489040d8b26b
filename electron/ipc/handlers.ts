import { ApiError } from '../../shared/api/client.js';
import type { DesktopSettings, DesktopSettingsPatch, IdlePrompt, SaveDownloadArgs, SavedDownload, SyncStatus } from '../../shared/ipc/contract.js';
import type { AuthController } from '../auth-controller.js';
import type { TimeService } from '../time-queue/time-service.js';
import type { IdleService } from '../idle/idle-service.js';
import type { IpcHandlers } from './dispatch.js';
import { checkApiRequest } from './api-proxy.js';

/** What the handlers reach: each one is a thin call into a service. */
export interface IpcHandlerDeps {
  controller: Pick<AuthController, 'send' | 'signIn' | 'signInCode' | 'signInWithSso' | 'signInWithPasskey' | 'signInEnrolStart' | 'signInEnrolConfirm' | 'cancelBrowserSignIn' | 'signOut' | 'getState' | 'setServerUrl' | 'webPageUrl'>;
  /** The offline-safe time queue (absent: the time channels answer an error). */
  time?: Pick<TimeService, 'timerStart' | 'timerStop' | 'saveEntry' | 'deleteEntry' | 'discardQueuedWrite' | 'getSyncStatus' | 'rememberRead' | 'offlineRead'>;
  idle?: Pick<IdleService, 'pending' | 'answer'>;
  settings?: { get(): DesktopSettings; set(patch: DesktopSettingsPatch): DesktopSettings };
  saveDownload?: (args: SaveDownloadArgs) => Promise<SavedDownload>;
  /** Opens a URL in the system browser (shell.openExternal). */
  openExternal?: (url: string) => Promise<void>;
}

const unavailable = (what: string) => new ApiError(503, 'internal_error', `${what} is not available in this window.`);
const EMPTY_SYNC: SyncStatus = { queue: [], runningTimer: null, lastSyncedAt: null, online: false };

/**
 * The handler of every invoke channel (shared/ipc/channels.ts). The
 * dispatcher (dispatch.ts) has checked the sender and validated the argument
 * before any of these runs; what a handler throws is answered as an IpcError.
 */
export function createIpcHandlers(deps: IpcHandlerDeps): IpcHandlers {
  const { controller } = deps;
  const time = () => deps.time ?? (() => { throw unavailable('Time tracking'); })();
  return {
    async apiRequest(request) {
      const checked = checkApiRequest(request);
      try {
        const body = await controller.send(checked);
        deps.time?.rememberRead(checked, body);
        return body;
      } catch (error) {
        // Offline: the matters and activities kept at the last sync, so that entries can still be made.
        const kept = deps.time?.offlineRead(checked, error);
        if (kept !== undefined) return kept;
        throw error;
      }
    },
    signIn: (args) => controller.signIn(args),
    signInCode: (args) => controller.signInCode(args),
    signInWithSso: (args) => controller.signInWithSso(args),
    signInWithPasskey: (args) => controller.signInWithPasskey(args),
    signInEnrolStart: () => controller.signInEnrolStart(),
    cancelBrowserSignIn: () => controller.cancelBrowserSignIn(),
    signInEnrolConfirm: (args) => controller.signInEnrolConfirm(args),
    signOut: () => controller.signOut(),
    getState: () => controller.getState(),
    setServerUrl: (url) => controller.setServerUrl(url),
    async openProfileInBrowser() {
      const url = controller.webPageUrl('/profile');
      if (!url || !deps.openExternal) throw unavailable('Opening the browser');
      await deps.openExternal(url);
      return null;
    },
    timerStart: (args) => time().timerStart(args),
    timerStop: (args) => time().timerStop(args),
    saveEntry: (args) => time().saveEntry(args),
    deleteEntry: (args) => time().deleteEntry(args),
    discardQueuedWrite: (args) => time().discardQueuedWrite(args),
    getSyncStatus: () => deps.time?.getSyncStatus() ?? EMPTY_SYNC,
    getIdlePrompt: (): IdlePrompt | null => deps.idle?.pending ?? null,
    answerIdlePrompt(args) {
      if (!deps.idle) throw unavailable('Idle detection');
      deps.idle.answer(args.promptId, args.action);
      return null;
    },
    getDesktopSettings() {
      if (!deps.settings) throw unavailable('Desktop settings');
      return deps.settings.get();
    },
    setDesktopSettings(patch) {
      if (!deps.settings) throw unavailable('Desktop settings');
      return deps.settings.set(patch);
    },
    saveDownload(args) {
      if (!deps.saveDownload) throw unavailable('Saving files');
      return deps.saveDownload(args);
    },
  };
}
