export { DesktopShell } from './DesktopShell.js';
