export { MemberStatusTag } from './MemberStatusTag.js';
