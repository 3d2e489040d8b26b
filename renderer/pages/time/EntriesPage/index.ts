export { EntriesPage } from './EntriesPage.js';
