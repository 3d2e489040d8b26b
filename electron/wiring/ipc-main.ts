import { ipcMain, type WebContents } from 'electron';
import { channelName, type PushKey, type PushPayload } from '../../shared/ipc/contract.js';
import { ipcListeners, type DispatchOptions, type IpcHandlers } from '../ipc/dispatch.js';

/** Registers every invoke channel of the IPC map once (Electron throws on a second handler for a channel). */
export function registerIpcHandlers(handlers: IpcHandlers, options: DispatchOptions): void {
  for (const [channel, listener] of ipcListeners(handlers, options)) ipcMain.handle(channel, listener);
}

/** The typed `send` of the IPC map: a push channel and its payload. */
export function push<K extends PushKey>(contents: WebContents | null | undefined, key: K, payload: PushPayload<K>): void {
  if (contents && !contents.isDestroyed()) contents.send(channelName(key), payload);
}
