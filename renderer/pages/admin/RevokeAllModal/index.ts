export { RevokeAllModal, type RevokeAllModalProps } from './RevokeAllModal.js';
