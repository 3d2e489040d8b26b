export { MemberApiTokens, type MemberApiTokensProps } from './MemberApiTokens.js';
