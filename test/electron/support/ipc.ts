import { channelName, type InvokeKey, type IpcResult } from '../../../shared/ipc/contract.js';
import { ipcListeners, type DispatchOptions } from '../../../electron/ipc/dispatch.js';
import { createIpcHandlers, type IpcHandlerDeps } from '../../../electron/ipc/handlers.js';
import type { IpcInvokeEventLike } from '../../../electron/ipc/sender.js';

export const appFrame = (url = 'app://tab/index.html'): IpcInvokeEventLike => ({ senderFrame: { url, parent: null } });

/**
 * The real handlers behind the real dispatcher, called the way ipcMain would
 * (the sender frame included): what the renderer's `window.tab.x(args)` reaches.
 */
export function ipcCaller(deps: IpcHandlerDeps, appOrigins: readonly string[] = ['app://tab'], options: Omit<DispatchOptions, 'appOrigins'> = {}) {
  const listeners = new Map(ipcListeners(createIpcHandlers(deps), { ...options, appOrigins }));
  const from =
    (frame: IpcInvokeEventLike) =>
    (key: InvokeKey, ...args: unknown[]): Promise<IpcResult<unknown>> =>
      listeners.get(channelName(key))!(frame, ...args);
  return Object.assign(from(appFrame()), { from, listeners });
}
