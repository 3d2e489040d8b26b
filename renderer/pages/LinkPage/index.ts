export { LinkPage, linkErrorMessage, type LinkPageProps } from './LinkPage.js';
