export { WeekSubmission, useOwnWeekApproval } from './WeekSubmission.js';
