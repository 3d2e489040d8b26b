export { TimesheetsPage } from './TimesheetsPage.js';
