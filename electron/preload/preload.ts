/**
 * Preload (sandboxed): exposes one narrow, typed object as `window.tab`, built
 * from the IPC map in shared/ipc/channels.ts. ipcRenderer itself is never
 * exposed, and listeners get the payload only (never the IPC event).
 *
 * This folder runs in the renderer's sandbox: ESLint keeps Node built-ins and
 * main-process modules out of it (see eslint.config.js).
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { BRIDGE_GLOBAL, createDesktopBridge } from './bridge.js';

const bridge = createDesktopBridge({
  invoke: (channel, ...args) => ipcRenderer.invoke(channel, ...args),
  on: (channel, listener) => {
    const wrapped = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(channel, wrapped);
    return () => {
      ipcRenderer.removeListener(channel, wrapped);
    };
  },
});

contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, bridge);
