// The columns of the -c summary and the names -U and -S take for them, as strace 6.1 has them
// (src/count.c: column_aliases, set_count_summary_columns, set_sortby).
import { UserError } from '../../errors.js';

export type ColumnId = 'time-percent' | 'total-time' | 'min-time' | 'max-time' | 'avg-time' | 'calls' | 'errors' | 'name';

/** What -S sorts by: a column, or nothing (syscall number order). */
export type SortKey = ColumnId | 'none';

/** strace's default -U. */
export const DEFAULT_COLUMNS: readonly ColumnId[] = ['time-percent', 'total-time', 'avg-time', 'calls', 'errors', 'name'];

/** strace's default -S. */
export const DEFAULT_SORT: SortKey = 'total-time';

/** Every name strace accepts for a column, in its order (the first match wins). */
const ALIASES: readonly (readonly [string, SortKey])[] = [
  ['time', 'time-percent'], ['time_percent', 'time-percent'], ['time-percent', 'time-percent'],
  ['time_total', 'total-time'], ['time-total', 'total-time'], ['total_time', 'total-time'], ['total-time', 'total-time'],
  ['min_time', 'min-time'], ['min-time', 'min-time'], ['shortest', 'min-time'], ['time_min', 'min-time'], ['time-min', 'min-time'],
  ['longest', 'max-time'], ['max_time', 'max-time'], ['max-time', 'max-time'], ['time_max', 'max-time'], ['time-max', 'max-time'],
  ['avg_time', 'avg-time'], ['avg-time', 'avg-time'], ['time_avg', 'avg-time'], ['time-avg', 'avg-time'],
  ['calls', 'calls'], ['count', 'calls'],
  ['error', 'errors'], ['errors', 'errors'],
  ['name', 'name'], ['syscall', 'name'], ['syscall_name', 'name'], ['syscall-name', 'name'],
  ['none', 'none'], ['nothing', 'none'],
];

function lookup(name: string): SortKey | undefined {
  return ALIASES.find(([alias]) => alias === name)?.[1];
}

/** -S SORTBY; an unknown name is strace's error. */
export function parseSortBy(spec: string): SortKey {
  const key = lookup(spec);
  if (key === undefined) throw new UserError(`invalid sortby: '${spec}'`);
  return key;
}

/** -U COLUMNS: a comma-separated list; the name column is added at the end when missing (the
 *  table means nothing without it); none/nothing are not columns. */
export function parseColumns(spec: string): ColumnId[] {
  const columns: ColumnId[] = [];
  let rest = spec;
  for (;;) {
    const comma = rest.indexOf(',');
    const name = comma < 0 ? rest : rest.slice(0, comma);
    const column = lookup(name);
    if (column === undefined || column === 'none') throw new UserError(`unknown column name: '${name}'`);
    if (columns.includes(column)) {
      throw new UserError(`call summary column has been provided more than once: '${name}' (-U option residual: '${rest}')`);
    }
    columns.push(column);
    if (comma < 0) break;
    rest = rest.slice(comma + 1);
  }
  if (!columns.includes('name')) columns.push('name');
  return columns;
}
