import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { Page } from 'playwright-core';
import { contentSecurityPolicy, serveAppRequest } from '../../../electron/window-security.js';
import type { IpcListener } from '../../../electron/ipc/dispatch.js';
import type { AuthController } from '../../../electron/auth-controller.js';
import type { TimeService } from '../../../electron/time-queue/time-service.js';
import { channelName, type PushKey, type PushPayload } from '../../../shared/ipc/contract.js';

const root = join(import.meta.dirname, '..', '..', '..');

/**
 * Serves dist/renderer over http with exactly what the app:// protocol handler
 * answers in the packaged app (same files, same CSP): its origin stands in for
 * app://tab.
 */
export async function serveRenderer(rendererRoot = join(root, 'dist', 'renderer')): Promise<{ url: string; server: Server }> {
  const csp = contentSecurityPolicy(null);
  const server = createServer((req, res) => {
    void serveAppRequest(rendererRoot, `app://tab${req.url ?? '/'}`, csp).then(async (response) => {
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** electron/bridge.ts (the code preload runs) bundled for the page, over a stand-in IPC pipe. */
export async function bridgeInitScript(): Promise<string> {
  const result = await build({
    stdin: {
      contents: `
        import { BRIDGE_GLOBAL, createDesktopBridge } from './electron/preload/bridge.ts';
        const listeners = new Map();
        const invoke = globalThis.__tabIpcInvoke;
        Object.defineProperty(globalThis, '__tabIpcPush', {
          value: (channel, payload) => { for (const l of [...(listeners.get(channel) ?? [])]) l(payload); },
        });
        delete globalThis.__tabIpcInvoke;
        const bridge = createDesktopBridge({
          invoke: (channel, ...args) => invoke(channel, ...args),
          on: (channel, listener) => {
            if (!listeners.has(channel)) listeners.set(channel, new Set());
            listeners.get(channel).add(listener);
            return () => listeners.get(channel).delete(listener);
          },
        });
        Object.defineProperty(globalThis, BRIDGE_GLOBAL, { value: bridge, enumerable: true });
      `,
      resolveDir: root,
      loader: 'ts',
    },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    write: false,
  });
  return result.outputFiles[0]!.text;
}

/** Main's pushes, as main.ts sends them: (push key, payload) for the page. */
export type PushSink = <K extends PushKey>(key: K, payload: PushPayload<K>) => void;

/** The pushes main.ts wires from the controller and the time queue. */
export function wirePushes(controller: AuthController, time: Pick<TimeService, 'onSyncChanged'> | undefined, send: PushSink): () => void {
  const offState = controller.onStateChanged((state) => send('stateChanged', state));
  const offEvents = controller.onServerEvent((event) => send('serverEvent', event));
  const offSync = time?.onSyncChanged((status) => send('syncChanged', status));
  return () => {
    offState();
    offEvents();
    offSync?.();
  };
}

/**
 * Connects a page to the main-process modules the way preload + ipcMain do:
 * invoke → the real dispatcher and handlers (with the calling frame as the
 * sender), and main's pushes → the page. Only Electron's IPC pipe is stood in for.
 */
export async function connectPage(
  page: Page,
  listeners: ReadonlyMap<string, IpcListener>,
  controller: AuthController,
  time?: Pick<TimeService, 'onSyncChanged'>,
): Promise<{ stop: () => void; push: PushSink }> {
  // exposeBinding's function is installed before init scripts run; the bridge script then hides it.
  await page.exposeBinding('__tabIpcInvoke', async (source, channel: string, ...args: unknown[]) => {
    const listener = listeners.get(channel);
    if (!listener) throw new Error(`unknown channel ${channel}`);
    return listener({ senderFrame: { url: source.frame.url(), parent: source.frame.parentFrame() } }, ...args);
  });
  await page.addInitScript({ content: await bridgeInitScript() });
  const send: PushSink = (key, payload) =>
    void page
      .evaluate(([c, p]) => (globalThis as unknown as { __tabIpcPush?: (c: string, p: unknown) => void }).__tabIpcPush?.(c as string, p), [channelName(key), payload] as const)
      .catch(() => undefined);
  return { stop: wirePushes(controller, time, send), push: send };
}
