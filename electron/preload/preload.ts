/**
 * Preload (sandboxed): exposes one narrow, typed object as `window.tab` — the
 * DesktopBridge of shared/ipc/contract.ts. ipcRenderer itself is never
 * exposed, and listeners get the payload only (never the IPC event).
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { BRIDGE_GLOBAL } from '../shared/ipc/contract.js';
import { createDesktopBridge } from './bridge.js';

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
