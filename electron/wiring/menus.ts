import { Menu, type MenuItemConstructorOptions, type WebContents } from 'electron';
import type { AppMenuCommand, AppMenuItem } from '../shell/app-menu.js';
import { contextMenuEntries, type ContextMenuParams } from '../shell/context-menu.js';

function toElectron(items: AppMenuItem[], onCommand: (command: AppMenuCommand) => void): MenuItemConstructorOptions[] {
  return items.map((item) => {
    const { command, submenu, ...rest } = item;
    const out: MenuItemConstructorOptions = { ...rest };
    if (command) out.click = () => onCommand(command);
    if (submenu) out.submenu = toElectron(submenu, onCommand);
    return out;
  });
}

export function setAppMenu(template: AppMenuItem[], onCommand: (command: AppMenuCommand) => void): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(toElectron(template, onCommand)));
}

/** Right-click in the window: spelling suggestions and edit commands (see shell/context-menu.ts). */
export function attachContextMenu(contents: WebContents): void {
  contents.on('context-menu', (_event, params: ContextMenuParams) => {
    const entries = contextMenuEntries(params);
    if (entries.length === 0) return;
    const template: MenuItemConstructorOptions[] = entries.map((entry) => {
      if ('type' in entry) return { type: 'separator' };
      if ('role' in entry) return { role: entry.role, enabled: entry.enabled };
      if (!('action' in entry)) return { label: entry.label, enabled: false };
      const { action } = entry;
      return {
        label: entry.label,
        click: () =>
          action.kind === 'replace-misspelling' ? contents.replaceMisspelling(action.word) : contents.session.addWordToSpellCheckerDictionary(action.word),
      };
    });
    Menu.buildFromTemplate(template).popup();
  });
}
