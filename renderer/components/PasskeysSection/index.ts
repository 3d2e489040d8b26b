export * from './PasskeysSection.js';
