export { WeekGridPage } from './WeekGridPage.js';
