export { EntriesTable, type EntriesTableProps } from './EntriesTable.js';
