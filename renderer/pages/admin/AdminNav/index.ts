export { AdminNav } from './AdminNav.js';
