export { ReportsPage } from './ReportsPage.js';
