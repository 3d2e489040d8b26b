export { MemberSessionsPage } from './MemberSessionsPage.js';
