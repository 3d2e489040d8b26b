import { BRIDGE_GLOBAL, type DesktopBridge } from '../../shared/ipc/contract.js';
import type { Backend } from './backend.js';
import { createDesktopBackend } from './desktop-backend.js';
import { createWebBackend } from './web-backend.js';

export type { Backend, AuthSnapshot } from './backend.js';

/** The desktop app's preload exposes `window.tab`; a browser has no such thing. */
export function desktopBridge(): DesktopBridge | undefined {
  return (globalThis as unknown as Record<string, DesktopBridge | undefined>)[BRIDGE_GLOBAL];
}

export function createBackend(): Backend {
  const bridge = desktopBridge();
  return bridge ? createDesktopBackend(bridge) : createWebBackend();
}
