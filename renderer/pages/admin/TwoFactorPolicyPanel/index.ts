export * from './TwoFactorPolicyPanel.js';
