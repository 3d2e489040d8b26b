export { SectionNav } from './SectionNav.js';
