export { InvoicesPage } from './InvoicesPage.js';
