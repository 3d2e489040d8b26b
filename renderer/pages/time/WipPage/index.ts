export { WipPage } from './WipPage.js';
