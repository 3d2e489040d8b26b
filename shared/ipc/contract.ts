/**
 * The IPC contract between the desktop renderer (through preload) and
 * Electron's main process: the only thing the two agree on. Main is the only
 * desktop part that talks to the server and the only one that ever holds the
 * session cookie or the JWT; the renderer sends requests without credentials
 * and main adds them. The channels are declared once in `channels.ts`.
 */
export * from './channels.js';
export * from './errors.js';
export * from './types.js';
