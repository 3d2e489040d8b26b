/**
 * The app menu, explicit: Electron's default menu ships DevTools and Reload,
 * which a packaged app must not offer. Plain data (Electron's
 * MenuItemConstructorOptions minus the click handlers): the wiring turns a
 * `command` into a click and hands the rest to Menu.buildFromTemplate.
 */

export type AppMenuCommand = 'open-desktop-settings' | 'open-profile' | 'check-for-updates' | 'open-help' | 'show-window';

export type MenuRole =
  | 'about'
  | 'services'
  | 'hide'
  | 'hideOthers'
  | 'unhide'
  | 'quit'
  | 'close'
  | 'undo'
  | 'redo'
  | 'cut'
  | 'copy'
  | 'paste'
  | 'pasteAndMatchStyle'
  | 'delete'
  | 'selectAll'
  | 'resetZoom'
  | 'zoomIn'
  | 'zoomOut'
  | 'togglefullscreen'
  | 'minimize'
  | 'zoom'
  | 'front'
  | 'window'
  | 'reload'
  | 'forceReload'
  | 'toggleDevTools';

export interface AppMenuItem {
  label?: string;
  role?: MenuRole;
  type?: 'separator' | 'normal';
  accelerator?: string;
  command?: AppMenuCommand;
  enabled?: boolean;
  submenu?: AppMenuItem[];
}

export interface AppMenuOptions {
  platform: NodeJS.Platform;
  appName: string;
  /** Packaged builds get no Reload and no DevTools. */
  packaged: boolean;
  /** Auto-update is set up for this installation (a signed build with a feed). */
  updatesEnabled: boolean;
}

const separator: AppMenuItem = { type: 'separator' };

export function appMenuTemplate(options: AppMenuOptions): AppMenuItem[] {
  const mac = options.platform === 'darwin';
  const settings: AppMenuItem = { label: mac ? 'Settings…' : 'Desktop settings…', accelerator: 'CmdOrCtrl+,', command: 'open-desktop-settings' };
  const updates: AppMenuItem[] = options.updatesEnabled ? [{ label: 'Check for updates…', command: 'check-for-updates' }] : [];
  const profile: AppMenuItem = { label: 'Profile and API tokens (in your browser)…', command: 'open-profile' };

  const appMenu: AppMenuItem = {
    label: options.appName,
    submenu: [
      { role: 'about', label: `About ${options.appName}` },
      ...updates,
      separator,
      settings,
      separator,
      { role: 'services' },
      separator,
      { role: 'hide' },
      { role: 'hideOthers' },
      { role: 'unhide' },
      separator,
      { role: 'quit' },
    ],
  };
  const file: AppMenuItem = { label: 'File', submenu: mac ? [{ role: 'close' }] : [settings, profile, separator, { role: 'quit', label: 'Exit' }] };
  const edit: AppMenuItem = {
    label: 'Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      separator,
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'pasteAndMatchStyle' },
      { role: 'delete' },
      { role: 'selectAll' },
    ],
  };
  const development: AppMenuItem[] = options.packaged ? [] : [separator, { role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }];
  const view: AppMenuItem = {
    label: 'View',
    submenu: [{ role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, separator, { role: 'togglefullscreen' }, ...development],
  };
  const window: AppMenuItem = {
    label: 'Window',
    role: 'window',
    submenu: mac
      ? [{ role: 'minimize' }, { role: 'zoom' }, { label: `Show ${options.appName}`, command: 'show-window' }, separator, { role: 'front' }]
      : [{ role: 'minimize' }, { role: 'close' }],
  };
  const help: AppMenuItem = {
    label: 'Help',
    submenu: [{ label: `${options.appName} help`, command: 'open-help' }, ...(mac ? [profile] : []), ...(mac ? [] : [separator, ...updates, { role: 'about' as const, label: `About ${options.appName}` }])],
  };
  return mac ? [appMenu, file, edit, view, window, help] : [file, edit, view, window, help];
}

/** Every role anywhere in a template (tests: no DevTools or Reload when packaged). */
export function rolesIn(items: readonly AppMenuItem[]): MenuRole[] {
  return items.flatMap((item) => [...(item.role ? [item.role] : []), ...rolesIn(item.submenu ?? [])]);
}
