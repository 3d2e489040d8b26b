export { WorkspaceSettingsPage } from './WorkspaceSettingsPage.js';
