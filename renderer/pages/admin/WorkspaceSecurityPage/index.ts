export { WorkspaceSecurityPage } from './WorkspaceSecurityPage.js';
