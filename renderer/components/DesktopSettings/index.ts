export { DesktopSettings } from './DesktopSettings.js';
