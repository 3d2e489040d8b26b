export { BillingSetupPage } from './BillingSetupPage.js';
