// The -c summary, shared by tracing (a live observer) and dump (a recorded trace).
export { DEFAULT_COLUMNS, DEFAULT_SORT, parseColumns, parseSortBy } from './columns.js';
export type { ColumnId, SortKey } from './columns.js';
export { SyscallCounts } from './counts.js';
export type { CallStats } from './counts.js';
export { renderSummary } from './render.js';
export type { SummaryLayout } from './render.js';
export { SummarySink } from './sink.js';
