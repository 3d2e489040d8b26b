export { IdlePrompt, IdlePromptDialog } from './IdlePrompt.js';
