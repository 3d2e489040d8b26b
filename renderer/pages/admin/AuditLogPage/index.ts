export { AuditLogPage, AUDIT_PAGE_SIZE } from './AuditLogPage.js';
