import type { TimeEntry } from '../../shared/api/time.js';
import type { DesktopAuthState } from '../../shared/ipc/contract.js';
import { formatDuration } from '../../shared/time/duration.js';

/**
 * What the tray (Windows, Linux) / menu-bar (macOS) item shows: the running
 * timer's time as its title (macOS shows it next to the icon), a tooltip, and
 * a menu that stops the timer or starts one for the last client. Plain data;
 * the wiring turns `command`s into clicks.
 */

export type TrayCommand = 'stop-timer' | 'start-last' | 'show-window' | 'quit';

export type TrayMenuItem = { type: 'separator' } | { label: string; command: TrayCommand; enabled: boolean };

export interface TrayModel {
  /** Next to the icon in the macOS menu bar ('' for none). */
  title: string;
  tooltip: string;
  menu: TrayMenuItem[];
}

export interface TrayInput {
  auth: DesktopAuthState;
  running: TimeEntry | null;
  /** The entry written last and its client's name (what "Start timer" continues). */
  last: { entry: TimeEntry; clientName: string | null } | null;
  /** The running entry's client name, when known. */
  runningClientName: string | null;
  now: number;
}

const MAX_LABEL = 48;
const short = (text: string) => (text.length > MAX_LABEL ? `${text.slice(0, MAX_LABEL - 1)}…` : text);

export function trayModel(input: TrayInput): TrayModel {
  const common: TrayMenuItem[] = [{ type: 'separator' }, { label: 'Open TAB', command: 'show-window', enabled: true }, { label: 'Quit TAB', command: 'quit', enabled: true }];
  const signedIn = input.auth.status === 'signed-in' || input.auth.status === 'offline';
  if (!signedIn) return { title: '', tooltip: 'TAB — signed out', menu: [{ label: 'Sign in to track time', command: 'show-window', enabled: true }, ...common] };

  const offline = input.auth.status === 'offline' ? ' (offline: kept on this computer)' : '';
  if (input.running) {
    const elapsed = formatDuration(input.now - Date.parse(input.running.start));
    const what = [input.runningClientName, input.running.description.trim()].filter(Boolean).join(' — ') || 'Timer';
    return {
      title: elapsed,
      tooltip: short(`TAB — ${what} · ${elapsed}`) + offline,
      menu: [{ label: short(`Stop timer (${input.runningClientName ?? 'running'} · ${elapsed})`), command: 'stop-timer', enabled: true }, ...common],
    };
  }
  const start: TrayMenuItem = input.last
    ? { label: short(`Start timer: ${input.last.clientName ?? 'last client'}${input.last.entry.description.trim() ? ` — ${input.last.entry.description.trim()}` : ''}`), command: 'start-last', enabled: true }
    : { label: 'Start a timer in TAB first', command: 'start-last', enabled: false };
  return { title: '', tooltip: `TAB — no timer running${offline}`, menu: [start, ...common] };
}
