/** Who may call main over IPC: only the main frame of the app's own page. */

/** What a handler needs of Electron's IpcMainInvokeEvent (so this module never imports electron). */
export interface IpcSenderFrameLike {
  url: string;
  /** null for the main frame. */
  parent: unknown;
}
export interface IpcInvokeEventLike {
  senderFrame: IpcSenderFrameLike | null;
}

/** `scheme://host[:port]` of a URL, also for custom schemes (where URL.origin is "null"). */
export function originOf(url: string): string | null {
  try {
    const parsed = new URL(url);
    if (!parsed.host) return null;
    return `${parsed.protocol}//${parsed.host}`.toLowerCase();
  } catch {
    return null;
  }
}

/** The origin the app's renderer is loaded from: `app://tab` packaged, the Vite server in development. */
export const APP_PROTOCOL = 'app';
export const APP_HOST = 'tab';
export const APP_ORIGIN = `${APP_PROTOCOL}://${APP_HOST}`;

export function allowedAppOrigins(devServerUrl: string | null | undefined): string[] {
  const origins = [APP_ORIGIN];
  const dev = devServerUrl ? originOf(devServerUrl) : null;
  if (dev) origins.push(dev);
  return origins;
}

/** True only for the main frame of a page from one of the app's own origins. */
export function isTrustedSender(event: IpcInvokeEventLike | null | undefined, appOrigins: readonly string[]): boolean {
  const frame = event?.senderFrame;
  if (!frame || typeof frame.url !== 'string') return false;
  if (frame.parent !== null && frame.parent !== undefined) return false;
  const origin = originOf(frame.url);
  return origin !== null && appOrigins.includes(origin);
}

/** Thrown for a sender that is not the app's own main frame: Electron rejects the invoke. */
export class IpcSenderRefused extends Error {
  constructor(channel: string) {
    super(`IPC on ${channel} refused: not the app's main frame.`);
    this.name = 'IpcSenderRefused';
  }
}
