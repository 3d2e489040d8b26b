export { ProfilePage, default } from './ProfilePage.js';
