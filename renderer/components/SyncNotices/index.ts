export { SyncNotices, describeWrite } from './SyncNotices.js';
