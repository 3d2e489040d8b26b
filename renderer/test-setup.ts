import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';

// Testing Library only cleans up by itself when test globals are on; they are not here.
afterEach(() => cleanup());

// findBy/waitFor wait up to 1 s by default; on a loaded 2-core machine a render with a few fake
// round trips can take longer. A correctness bound, not a speed target.
configure({ asyncUtilTimeout: 4_000 });

// jsdom has no layout, hence no ResizeObserver; Carbon's header and popovers use one.
if (!('ResizeObserver' in globalThis)) {
  class NoLayoutResizeObserver {
    observe() {}
    unobserve() {}
    disconnect() {}
  }
  (globalThis as { ResizeObserver?: unknown }).ResizeObserver = NoLayoutResizeObserver;
}

// jsdom has no media queries either; Carbon's side nav asks whether the screen is `lg`. Answer "no"
// (the small-screen layout), and never fire a change.
if (typeof window !== 'undefined' && typeof window.matchMedia !== 'function') {
  window.matchMedia = (query: string) =>
    ({
      matches: false,
      media: query,
      onchange: null,
      addEventListener() {},
      removeEventListener() {},
      addListener() {},
      removeListener() {},
      dispatchEvent: () => false,
    }) as MediaQueryList;
}

// jsdom's scrollTo only logs "not implemented"; the router scrolls to the top on every navigation.
if (typeof window !== 'undefined') window.scrollTo = () => {};

// Nor scrollIntoView (Carbon's combo box scrolls the highlighted option into view).
if (typeof Element !== 'undefined' && !Element.prototype.scrollIntoView) Element.prototype.scrollIntoView = () => {};
