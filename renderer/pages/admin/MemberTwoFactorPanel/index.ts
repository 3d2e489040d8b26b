export { MemberTwoFactorPanel, type MemberTwoFactorPanelProps } from './MemberTwoFactorPanel.js';
