export * from './TotpSetup.js';
