export * from './RecoveryCodesList.js';
