export { ClientsPage } from './ClientsPage.js';
