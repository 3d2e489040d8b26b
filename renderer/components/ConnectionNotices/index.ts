export { ConnectionNotices } from './ConnectionNotices.js';
