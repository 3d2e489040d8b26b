import { createContext, useContext } from 'react';
import { browserTimeZone, createDisplay, type Display } from './display.js';

/**
 * The Display of the signed-in person (SignedInApp provides it from their
 * profile). Outside a signed-in app (component tests, the sign-in page) it
 * reads in the computer's zone.
 */
export const DisplayContext = createContext<Display>(createDisplay(browserTimeZone()));

export const useDisplay = (): Display => useContext(DisplayContext);
