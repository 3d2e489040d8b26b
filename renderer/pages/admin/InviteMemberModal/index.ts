export { InviteMemberModal, type InviteMemberModalProps } from './InviteMemberModal.js';
