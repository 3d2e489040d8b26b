export { SsoPage } from './SsoPage.js';
