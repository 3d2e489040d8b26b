export { LocationCredit, type AboutApi } from './LocationCredit.js';
