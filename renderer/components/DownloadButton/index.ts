export { DownloadButton } from './DownloadButton.js';
