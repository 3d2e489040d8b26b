export { MembersPage } from './MembersPage.js';
