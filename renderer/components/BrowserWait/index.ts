export { BrowserWait } from './BrowserWait.js';
export { useBrowserWait } from './useBrowserWait.js';
