export { IssuedLinkModal, type IssuedLinkModalProps } from './IssuedLinkModal.js';
