export * from './common.js';
export * from './sessions.js';
export * from './auth.js';
export * from './api-tokens.js';
export * from './admin.js';
export * from './events.js';
export * from './time.js';
export * from './about.js';
