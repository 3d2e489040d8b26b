export { ApiTokensSection } from './ApiTokensSection.js';
export { CreateApiTokenModal, type CreateApiTokenModalProps } from './CreateApiTokenModal.js';
