export { PageNotification, type Notice } from './PageNotification.js';
