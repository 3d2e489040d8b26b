import type { ApiTokenScope } from '../../../shared/api/api-tokens.js';

/** What each scope lets a token do, in the words of the people who choose them. */
export const SCOPE_TEXT: Record<ApiTokenScope, { name: string; description: string }> = {
  'time:read': { name: 'Read time', description: 'Your profile, clients, time entries, the dashboard and the running timer.' },
  'time:write': { name: 'Write time', description: 'Add, change and delete time entries; start and stop the timer.' },
  'reports:read': { name: 'Read reports', description: 'Reports and the CSV export (if your role may see them).' },
  'billing:write': { name: 'Billing', description: 'Mark entries billed, add and change clients and their rates (if your role allows it).' },
};
