import type { Backend } from '../../backend/backend.js';
import { DesktopSettings } from '../DesktopSettings/index.js';
import { IdlePrompt } from '../IdlePrompt/index.js';

export interface DesktopShellProps {
  backend: Backend;
  settingsOpen: boolean;
  onSettingsClose(): void;
}

/** Desktop only: what the app shows over any page — the idle prompt, and the desktop settings when asked for. */
export function DesktopShell({ backend, settingsOpen, onSettingsClose }: DesktopShellProps) {
  return (
    <>
      <IdlePrompt backend={backend} />
      <DesktopSettings backend={backend} open={settingsOpen} onClose={onSettingsClose} />
    </>
  );
}
