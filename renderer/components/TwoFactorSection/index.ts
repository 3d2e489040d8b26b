export * from './TwoFactorSection.js';
