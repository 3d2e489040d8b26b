import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { APP_ORIGIN, originOf } from './ipc/sender.js';

/**
 * The window's security settings and handlers, as plain factories that the
 * wiring in main.ts hands to Electron (and that the tests check one by one).
 */

export interface SecureWebPreferences {
  preload: string;
  contextIsolation: true;
  sandbox: true;
  nodeIntegration: false;
  nodeIntegrationInWorker: false;
  nodeIntegrationInSubFrames: false;
  webSecurity: true;
  allowRunningInsecureContent: false;
  webviewTag: false;
  experimentalFeatures: false;
  navigateOnDragDrop: false;
  safeDialogs: true;
  spellcheck: boolean;
}

export function createWebPreferences(preloadPath: string): SecureWebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: true,
  };
}

/** The main window's fixed options; its size and place come from shell/window-state.ts. */
export interface MainWindowOptions {
  title: string;
  show: boolean;
  backgroundColor: string;
  autoHideMenuBar: boolean;
  webPreferences: SecureWebPreferences;
}

export function createMainWindowOptions(preloadPath: string): MainWindowOptions {
  return {
    title: 'TAB',
    show: false,
    backgroundColor: '#ffffff',
    autoHideMenuBar: true,
    webPreferences: createWebPreferences(preloadPath),
  };
}

/**
 * The renderer's Content-Security-Policy. Packaged, everything comes from the
 * app's own origin and the renderer reaches the server only through the
 * bridge (so `connect-src 'self'`). In development Vite needs its inline
 * preamble and its HMR socket.
 */
export function contentSecurityPolicy(devServerUrl?: string | null): string {
  const dev = devServerUrl ? originOf(devServerUrl) : null;
  const devWs = dev ? dev.replace(/^http/, 'ws') : null;
  const directives: Record<string, string[]> = {
    'default-src': ["'self'"],
    'script-src': dev ? ["'self'", "'unsafe-inline'"] : ["'self'"],
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:'],
    'font-src': ["'self'", 'data:'],
    'connect-src': dev && devWs ? ["'self'", devWs] : ["'self'"],
    'object-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'none'"],
    'frame-ancestors': ["'none'"],
    'frame-src': ["'none'"],
    'worker-src': ["'self'"],
  };
  return Object.entries(directives)
    .map(([name, values]) => `${name} ${values.join(' ')}`)
    .join('; ');
}

/** Adds the CSP to a response's headers (for session.webRequest.onHeadersReceived). */
export function withCspHeader(headers: Record<string, string[] | string> | undefined, csp: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() === 'content-security-policy') continue;
    out[name] = Array.isArray(value) ? value : [value];
  }
  out['Content-Security-Policy'] = [csp];
  return out;
}

export interface PreventableEvent {
  preventDefault(): void;
}

/** For `will-navigate` / `will-redirect`: anything leaving the app's own origin is blocked. */
export function createNavigationGuard(appOrigins: readonly string[], onBlocked?: (url: string) => void) {
  return (event: PreventableEvent, url: string): void => {
    const origin = originOf(url);
    if (origin === null || !appOrigins.includes(origin)) {
      event.preventDefault();
      onBlocked?.(url);
    }
  };
}

/** Links the app may open in the system browser (help pages). https only, exact origins. */
export const EXTERNAL_LINK_ALLOW_LIST: readonly string[] = ['https://tab.example.com', 'https://help.tab.example.com'];

export function isAllowedExternalUrl(url: string, allowList: readonly string[]): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'https:' || parsed.username || parsed.password) return false;
  return allowList.includes(parsed.origin);
}

/**
 * For `setWindowOpenHandler`: never a new Electron window; an allow-listed
 * `https:` link opens in the system browser instead.
 */
export function createWindowOpenHandler(options: { allowList: readonly string[]; openExternal: (url: string) => unknown }) {
  return (details: { url: string }): { action: 'deny' } => {
    if (isAllowedExternalUrl(details.url, options.allowList)) {
      void Promise.resolve(options.openExternal(details.url)).catch(() => undefined);
    }
    return { action: 'deny' };
  };
}

/** For `session.setPermissionRequestHandler`: every permission (camera, notifications…) is denied. */
export function createPermissionRequestHandler(allowed: ReadonlySet<string> = new Set()) {
  return (_webContents: unknown, permission: string, callback: (granted: boolean) => void): void => {
    callback(allowed.has(permission));
  };
}

/** For `session.setPermissionCheckHandler`. */
export function createPermissionCheckHandler(allowed: ReadonlySet<string> = new Set()) {
  return (_webContents: unknown, permission: string): boolean => allowed.has(permission);
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/** Maps an `app://tab/…` URL to a file under the renderer folder; null for anything outside it. */
export function resolveAppFile(rendererRoot: string, requestUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (originOf(requestUrl) !== APP_ORIGIN) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0')) return null;
  const root = resolve(rendererRoot);
  const file = resolve(root, '.' + normalize('/' + pathname));
  if (file !== root && !file.startsWith(root + sep)) return null;
  return file;
}

/**
 * Serves the packaged renderer for the `app://` protocol, with the CSP and
 * the usual hardening headers. Unknown paths without an extension get
 * index.html (client-side routes).
 */
export async function serveAppRequest(rendererRoot: string, requestUrl: string, csp: string): Promise<Response> {
  const headers = {
    'content-security-policy': csp,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
  };
  let file = resolveAppFile(rendererRoot, requestUrl);
  if (file === null) return new Response('Not found', { status: 404, headers });
  const isFile = async (p: string) => (await stat(p).catch(() => null))?.isFile() ?? false;
  if (!(await isFile(file))) {
    if (extname(file) !== '') return new Response('Not found', { status: 404, headers });
    file = join(resolve(rendererRoot), 'index.html');
  }
  const body = await readFile(file);
  return new Response(body, {
    status: 200,
    headers: { ...headers, 'content-type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream' },
  });
}
