export { ApprovalTag } from './ApprovalTag.js';
