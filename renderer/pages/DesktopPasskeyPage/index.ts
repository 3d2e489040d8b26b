export { DesktopPasskeyPage } from './DesktopPasskeyPage.js';
