export { SessionRow, sessionLabel, type SessionRowProps } from './SessionRow.js';
