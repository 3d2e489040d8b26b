import { Menu, Tray, nativeImage } from 'electron';
import type { TrayCommand, TrayModel } from '../shell/tray-model.js';

/**
 * The tray (Windows, Linux) / menu-bar (macOS) item. It is rebuilt only when
 * what it shows changed (a new menu every tick would close an open one).
 */
export function createTray(options: { iconPath: string; template: boolean; onCommand: (command: TrayCommand) => void }): { update(model: TrayModel): void; destroy(): void } {
  const image = nativeImage.createFromPath(options.iconPath);
  if (options.template) image.setTemplateImage(true);
  const tray = new Tray(image);
  tray.on('click', () => options.onCommand('show-window'));
  let shown = '';
  return {
    update(model) {
      const key = JSON.stringify(model);
      if (key === shown) return;
      shown = key;
      tray.setToolTip(model.tooltip);
      if (process.platform === 'darwin') tray.setTitle(model.title, { fontType: 'monospacedDigit' });
      tray.setContextMenu(
        Menu.buildFromTemplate(
          model.menu.map((item) =>
            'type' in item ? { type: 'separator' as const } : { label: item.label, enabled: item.enabled, click: () => options.onCommand(item.command) },
          ),
        ),
      );
    },
    destroy: () => tray.destroy(),
  };
}
