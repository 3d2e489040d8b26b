import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type AnchorHTMLAttributes, type MouseEvent, type ReactNode } from 'react';

export interface NavigateOptions {
  replace?: boolean;
  keepScroll?: boolean;
  /**
   * Only if the address is still this one. A redirect decided in an effect can
   * run after the person has clicked on (React runs pending effects before the
   * next event's render): without it, the redirect would overwrite where they went.
   */
  ifAt?: string;
}

interface RouterValue {
  path: string;
  /**
   * With `replace`, the address bar changes without a new history entry (a redirect).
   * With `keepScroll`, the view stays where it is (a control on the page changed what it shows, e.g. the week).
   */
  navigate(path: string, options?: NavigateOptions): void;
}

const RouterContext = createContext<RouterValue | null>(null);

/**
 * In the browser the path lives in the address bar (history API), so links can
 * be shared and reloads keep the page. A renderer loaded from disk (desktop,
 * `file:`) has no meaningful path, so it routes in memory instead.
 */
export function RouterProvider({ children, initialPath }: { children: ReactNode; initialPath?: string }) {
  const useHistory = initialPath === undefined && typeof window !== 'undefined' && window.location.protocol !== 'file:';
  const [path, setPath] = useState(() => initialPath ?? (useHistory ? window.location.pathname : '/'));
  // The address as of the last navigation, ahead of the render that shows it (for `ifAt`).
  const current = useRef(path);

  useEffect(() => {
    if (!useHistory) return;
    const onPop = () => {
      current.current = window.location.pathname;
      setPath(window.location.pathname);
    };
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, [useHistory]);

  const navigate = useCallback(
    (next: string, options?: NavigateOptions) => {
      if (options?.ifAt !== undefined && options.ifAt !== current.current) return;
      current.current = next;
      if (useHistory && next !== window.location.pathname) {
        if (options?.replace) window.history.replaceState(null, '', next);
        else window.history.pushState(null, '', next);
      }
      setPath(next);
      if (!options?.replace && !options?.keepScroll) window.scrollTo?.(0, 0);
    },
    [useHistory],
  );

  const value = useMemo(() => ({ path, navigate }), [path, navigate]);
  return <RouterContext.Provider value={value}>{children}</RouterContext.Provider>;
}

export function useRouter(): RouterValue {
  const value = useContext(RouterContext);
  if (!value) throw new Error('useRouter outside RouterProvider');
  return value;
}

/** Calls `navigate` for plain left clicks; modified clicks (new tab…) keep the browser's behaviour. */
export function useLinkHandler(to: string): (event: MouseEvent<HTMLAnchorElement>) => void {
  const { navigate } = useRouter();
  return (event) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
  };
}

/** An in-app link: a real `href` (new tab, copy link address work) that routes in place on a plain click. */
export function RouteLink({ to, ...rest }: Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href' | 'onClick'> & { to: string }) {
  const onClick = useLinkHandler(to);
  return <a {...rest} href={to} onClick={onClick} />;
}
