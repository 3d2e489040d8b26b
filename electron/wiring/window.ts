import { BrowserWindow, screen } from 'electron';
import { createMainWindowOptions } from '../window-security.js';
import { windowPlacement, type SavedWindowState } from '../shell/window-state.js';
import { attachContextMenu } from './menus.js';

export interface MainWindowOptions {
  preloadPath: string;
  url: string;
  saved: SavedWindowState | null;
  saveState: (state: SavedWindowState) => void;
  onRendererGone: (window: BrowserWindow, reason: string) => void;
}

/** How long after the last move or resize the window's place is saved. */
const SAVE_AFTER_MS = 500;

/**
 * The one window: sized from the display's work area, restored where it
 * was (on a display that still exists), shown when ready, with the
 * right-click menu. Its place is saved as it moves and when it closes.
 */
export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const placement = windowPlacement(options.saved, screen.getAllDisplays(), screen.getPrimaryDisplay());
  const window = new BrowserWindow({
    ...createMainWindowOptions(options.preloadPath),
    ...placement.bounds,
    minWidth: placement.minWidth,
    minHeight: placement.minHeight,
  });
  if (placement.maximized) window.maximize();
  window.once('ready-to-show', () => window.show());

  let timer: ReturnType<typeof setTimeout> | undefined;
  const save = () => {
    clearTimeout(timer);
    if (window.isDestroyed() || window.isMinimized() || window.isFullScreen()) return;
    options.saveState({ bounds: window.getNormalBounds(), maximized: window.isMaximized() });
  };
  const saveSoon = () => {
    clearTimeout(timer);
    timer = setTimeout(save, SAVE_AFTER_MS);
  };
  window.on('resize', saveSoon);
  window.on('move', saveSoon);
  window.on('close', save);

  attachContextMenu(window.webContents);
  window.webContents.on('render-process-gone', (_event, details) => options.onRendererGone(window, details.reason));
  void window.loadURL(options.url);
  return window;
}
