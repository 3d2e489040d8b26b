import { BRIDGE_GLOBAL, channelName, IPC, pushListenerName, type DesktopBridge, type IpcKey } from '../../shared/ipc/contract.js';

/**
 * What the bridge needs of the IPC pipe: in preload, thin wrappers around
 * ipcRenderer (which itself is never exposed); in the tests, stand-ins.
 */
export interface BridgeTransport {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  /** Subscribes to a main → renderer channel; answers the unsubscribe. Listeners get the payload only. */
  on(channel: string, listener: (payload: unknown) => void): () => void;
}

/**
 * Builds `window.tab` by walking the IPC map: one function per invoke (at
 * most one argument crosses; main validates it), one `onX` per push. A frozen
 * object of functions: no secrets, no ipcRenderer, nothing else.
 */
export function createDesktopBridge(transport: BridgeTransport): DesktopBridge {
  const bridge: Record<string, (...args: never[]) => unknown> = {};
  for (const key of Object.keys(IPC) as IpcKey[]) {
    const channel = channelName(key);
    if (IPC[key].kind === 'invoke') {
      bridge[key] = (...args: unknown[]) => (args[0] === undefined ? transport.invoke(channel) : transport.invoke(channel, args[0]));
    } else {
      bridge[pushListenerName(key)] = (listener: (payload: unknown) => void) => transport.on(channel, (payload) => listener(payload));
    }
  }
  return Object.freeze(bridge) as unknown as DesktopBridge;
}

export { BRIDGE_GLOBAL };
