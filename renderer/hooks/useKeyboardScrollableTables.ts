import { useEffect, type RefObject } from 'react';

const SCROLLER = '.cds--data-table-content';

/** Makes one table scroller reachable by keyboard, named after its table. */
function enable(scroller: Element): void {
  if (scroller.hasAttribute('tabindex')) return;
  const table = scroller.querySelector('table');
  scroller.setAttribute('tabindex', '0');
  scroller.setAttribute('role', 'region');
  const name = table?.getAttribute('aria-label');
  if (name) scroller.setAttribute('aria-label', `${name} (scrolls sideways)`);
  else if (table?.getAttribute('aria-labelledby')) scroller.setAttribute('aria-labelledby', table.getAttribute('aria-labelledby')!);
}

/**
 * Carbon wraps every data table in a div that scrolls sideways when the table
 * is wider than a phone, but that div cannot take focus, so a keyboard user
 * cannot scroll a table without links or buttons (WCAG 2.1.1; axe's
 * `scrollable-region-focusable`). Carbon offers no prop for it: this gives every
 * such div under `root` a tab stop and a name, as tables appear.
 */
export function useKeyboardScrollableTables(root: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    const node = root.current;
    if (!node) return;
    node.querySelectorAll(SCROLLER).forEach(enable);
    const observer = new MutationObserver(() => node.querySelectorAll(`${SCROLLER}:not([tabindex])`).forEach(enable));
    observer.observe(node, { childList: true, subtree: true });
    return () => observer.disconnect();
  }, [root]);
}
