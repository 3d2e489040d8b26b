/**
 * The main window's size and place: from the display's work area on first
 * launch (a fixed 1280×820 would overflow a 1366×768 laptop), and restored
 * afterwards — but only onto a display that is still there, and never larger
 * than its work area.
 */

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface SavedWindowState {
  bounds: Rect;
  maximized: boolean;
}

export interface DisplayLike {
  workArea: Rect;
}

export interface WindowPlacement {
  bounds: Rect;
  maximized: boolean;
  minWidth: number;
  minHeight: number;
}

export const PREFERRED_SIZE = { width: 1280, height: 820 } as const;
export const MIN_SIZE = { width: 960, height: 600 } as const;
/** At most this share of the work area on first launch. */
const FIRST_LAUNCH_SHARE = 0.9;
/** A saved window must keep at least this much on a display to be restored there. */
const MIN_VISIBLE = { width: 160, height: 80 } as const;

function overlap(a: Rect, b: Rect): { width: number; height: number } {
  return {
    width: Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)),
    height: Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y)),
  };
}

const clamp = (value: number, min: number, max: number) => Math.min(Math.max(value, min), Math.max(min, max));

function minimumFor(area: Rect): { minWidth: number; minHeight: number } {
  return { minWidth: Math.min(MIN_SIZE.width, area.width), minHeight: Math.min(MIN_SIZE.height, area.height) };
}

/** Fits `bounds` inside `area`: no larger than it, and moved in where it sticks out. */
export function fitInto(bounds: Rect, area: Rect): Rect {
  const { minWidth, minHeight } = minimumFor(area);
  const width = Math.round(clamp(bounds.width, minWidth, area.width));
  const height = Math.round(clamp(bounds.height, minHeight, area.height));
  return {
    width,
    height,
    x: Math.round(clamp(bounds.x, area.x, area.x + area.width - width)),
    y: Math.round(clamp(bounds.y, area.y, area.y + area.height - height)),
  };
}

/** The first-launch window: the preferred size or 90 % of the work area, whichever is smaller, centred. */
export function defaultBounds(area: Rect): Rect {
  const width = Math.round(Math.min(PREFERRED_SIZE.width, area.width * FIRST_LAUNCH_SHARE));
  const height = Math.round(Math.min(PREFERRED_SIZE.height, area.height * FIRST_LAUNCH_SHARE));
  return fitInto({ width, height, x: area.x + Math.round((area.width - width) / 2), y: area.y + Math.round((area.height - height) / 2) }, area);
}

/**
 * Where the window opens: the saved bounds fitted into the display they are
 * mostly on (if enough of them is on one), else the default on the primary display.
 */
export function windowPlacement(saved: SavedWindowState | null, displays: readonly DisplayLike[], primary: DisplayLike): WindowPlacement {
  if (saved) {
    let best: { display: DisplayLike; area: number } | null = null;
    for (const display of displays) {
      const o = overlap(saved.bounds, display.workArea);
      if (o.width >= MIN_VISIBLE.width && o.height >= MIN_VISIBLE.height && (!best || o.width * o.height > best.area)) {
        best = { display, area: o.width * o.height };
      }
    }
    if (best) return { bounds: fitInto(saved.bounds, best.display.workArea), maximized: saved.maximized, ...minimumFor(best.display.workArea) };
  }
  return { bounds: defaultBounds(primary.workArea), maximized: false, ...minimumFor(primary.workArea) };
}
