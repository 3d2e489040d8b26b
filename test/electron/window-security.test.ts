/** Each window-security item of issue 5 (item 2), checked on the factories main.ts hands to Electron. */
import { describe, expect, it, vi } from 'vitest';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  contentSecurityPolicy,
  createMainWindowOptions,
  createNavigationGuard,
  createPermissionCheckHandler,
  createPermissionRequestHandler,
  createWebPreferences,
  createWindowOpenHandler,
  EXTERNAL_LINK_ALLOW_LIST,
  resolveAppFile,
  serveAppRequest,
  withCspHeader,
} from '../../electron/window-security.js';
import { allowedAppOrigins } from '../../electron/ipc/sender.js';

const root = join(import.meta.dirname, '..', '..');

describe('BrowserWindow web preferences', () => {
  const prefs = createWebPreferences('/app/preload.cjs');
  it('contextIsolation, sandbox, no Node, webSecurity, no insecure content, no webview', () => {
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.allowRunningInsecureContent).toBe(false);
    expect(prefs.webviewTag).toBe(false);
    expect(prefs.experimentalFeatures).toBe(false);
    expect(prefs.preload).toBe('/app/preload.cjs');
  });
  it('no @electron/remote, and no enableRemoteModule', () => {
    expect(prefs).not.toHaveProperty('enableRemoteModule');
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect({ ...pkg.dependencies, ...pkg.devDependencies }).not.toHaveProperty('@electron/remote');
    for (const file of readdirSync(join(root, 'electron'))) {
      if (!/\.(ts|mjs)$/.test(file) || file.endsWith('.test.ts')) continue;
      expect(readFileSync(join(root, 'electron', file), 'utf8'), file).not.toMatch(/@electron\/remote|enableRemoteModule/);
    }
  });
  it('the main window uses them and shows only when ready', () => {
    const options = createMainWindowOptions('/app/preload.cjs');
    expect(options.webPreferences).toEqual(prefs);
    expect(options.show).toBe(false);
    expect(options.title).toBe('TAB');
  });
  it('preload never exposes ipcRenderer itself: one contextBridge object built from the bridge factory', () => {
    const preload = readFileSync(join(root, 'electron', 'preload', 'preload.ts'), 'utf8');
    expect(preload.match(/exposeInMainWorld\(/g)).toHaveLength(1);
    expect(preload).toMatch(/exposeInMainWorld\(BRIDGE_GLOBAL, bridge\)/);
    expect(preload).not.toMatch(/exposeInMainWorld\([^)]*ipcRenderer/);
  });
});

describe('Content-Security-Policy', () => {
  it('packaged: everything from the app itself, no inline script, no eval, no plugins, no framing', () => {
    const csp = contentSecurityPolicy(null);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("base-uri 'none'");
    expect(csp).toContain("connect-src 'self';");
  });
  it('development adds only what Vite needs (its inline preamble and HMR socket)', () => {
    const csp = contentSecurityPolicy('http://localhost:5173');
    expect(csp).toContain("script-src 'self' 'unsafe-inline'");
    expect(csp).toContain("connect-src 'self' ws://localhost:5173");
    expect(csp).not.toContain('unsafe-eval');
  });
  it('is set on responses (replacing one the server sent)', () => {
    const headers = withCspHeader({ 'content-type': 'text/html', 'Content-Security-Policy': 'default-src *' }, 'default-src x');
    expect(headers).toEqual({ 'content-type': ['text/html'], 'Content-Security-Policy': ['default-src x'] });
  });
});

describe('navigation and new windows', () => {
  it('will-navigate is blocked for any other origin', () => {
    const blocked: string[] = [];
    const guard = createNavigationGuard(allowedAppOrigins(null), (u) => blocked.push(u));
    for (const url of ['https://evil.example/', 'http://localhost:4000/', 'file:///etc/passwd', 'app://other/x', 'javascript:alert(1)', 'data:text/html,x']) {
      const event = { preventDefault: vi.fn() };
      guard(event, url);
      expect(event.preventDefault, url).toHaveBeenCalled();
    }
    expect(blocked).toHaveLength(6);
    const ok = { preventDefault: vi.fn() };
    guard(ok, 'app://tab/index.html#/sessions');
    expect(ok.preventDefault).not.toHaveBeenCalled();
  });
  it('setWindowOpenHandler always denies; an allow-listed https link opens in the system browser', () => {
    const openExternal = vi.fn(async () => undefined);
    const handler = createWindowOpenHandler({ allowList: EXTERNAL_LINK_ALLOW_LIST, openExternal });
    expect(handler({ url: 'https://help.tab.example.com/sessions' })).toEqual({ action: 'deny' });
    expect(openExternal).toHaveBeenCalledWith('https://help.tab.example.com/sessions');
    openExternal.mockClear();
    for (const url of ['http://help.tab.example.com/', 'https://evil.example/', 'https://help.tab.example.com.evil.example/', 'https://user@help.tab.example.com/', 'file:///etc/passwd', 'smb://x/y', 'app://tab/index.html']) {
      expect(handler({ url })).toEqual({ action: 'deny' });
    }
    expect(openExternal).not.toHaveBeenCalled();
  });
  it('permission requests and checks are denied by default', () => {
    const request = createPermissionRequestHandler();
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen']) {
      const callback = vi.fn();
      request({}, permission, callback);
      expect(callback).toHaveBeenCalledWith(false);
    }
    expect(createPermissionCheckHandler()({}, 'media')).toBe(false);
  });
});

describe('app:// protocol (the packaged renderer)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tab-renderer-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>TAB</title>');
  writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1)');
  const csp = contentSecurityPolicy(null);

  it('serves files under the renderer folder, with the CSP', async () => {
    const res = await serveAppRequest(dir, 'app://tab/assets/app.js', csp);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/javascript/);
    expect(res.headers.get('content-security-policy')).toBe(csp);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });
  it('client-side routes get index.html; missing assets 404', async () => {
    expect(await (await serveAppRequest(dir, 'app://tab/settings/sessions', csp)).text()).toContain('<title>TAB</title>');
    expect((await serveAppRequest(dir, 'app://tab/assets/missing.js', csp)).status).toBe(404);
  });
  it('never leaves the renderer folder, nor serves another host', async () => {
    expect(resolveAppFile(dir, 'app://tab/../../etc/passwd')).toBe(join(dir, 'etc/passwd'));
    expect(resolveAppFile(dir, 'app://tab/%2e%2e/%2e%2e/etc/passwd')?.startsWith(dir)).toBe(true);
    expect(resolveAppFile(dir, 'app://tab/..%2f..%2fetc%2fpasswd')?.startsWith(dir)).toBe(true);
    expect(resolveAppFile(dir, 'app://evil/index.html')).toBeNull();
    expect((await serveAppRequest(dir, 'app://tab/%2e%2e/package.json', csp)).status).toBe(404);
  });
});
