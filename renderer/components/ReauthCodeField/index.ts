export * from './ReauthCodeField.js';
