export { SsoSettingsPanel } from './SsoSettingsPanel.js';
