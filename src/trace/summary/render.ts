// The -c table in strace 6.1's layout (src/count.c, call_summary_pers): a header, a dashed
// divider, a row per syscall, a divider and the total row; columns one space apart, numbers
// right-aligned, the name left-aligned and unpadded when last, errors blank when none.
// cli-table3 draws it: no borders, ' ' between cells, and its header rule made of dashes.
import Table from 'cli-table3';
import { CallStats, PERSONALITIES, SyscallCounts } from './counts.js';
import { ColumnId, DEFAULT_COLUMNS, DEFAULT_SORT, SortKey } from './columns.js';
import { divide, fixed, seconds } from './c-number.js';

export interface SummaryLayout {
  /** -U: the columns, in order. */
  columns?: readonly ColumnId[];
  /** -S: the row order (descending, except by name). */
  sortBy?: SortKey;
}

/** The figures of one row (or of the total row). */
interface Figures {
  percent: number;
  seconds: number;
  min: number;
  max: number;
  usecs: number;
  calls: number;
  errors: number;
  name: string;
}

/** What a column's width depends on besides its cells (strace sizes columns from these). */
interface Extremes {
  cumNs: number;
  minMaxNs: number;
  maxNs: number;
  avgMaxNs: number;
  calls: number;
  errors: number;
  nameMax: number;
}

interface Column {
  header: string;
  align: 'left' | 'right';
  cell(f: Figures): string;
  /** strace's width: the header's (historical) size or what the extremes need. */
  width(e: Extremes): number;
}

const wholeSeconds = (ns: number) => `${Math.floor(ns / 1e9)}.000000`.length;

const COLUMNS: Record<ColumnId, Column> = {
  'time-percent': { header: '% time', align: 'right', cell: (f) => fixed(f.percent, 2), width: () => 6 },
  'total-time': { header: 'seconds', align: 'right', cell: (f) => fixed(f.seconds, 6), width: (e) => Math.max(11, fixed(seconds(e.cumNs), 6).length) },
  'min-time': { header: 'shortest', align: 'right', cell: (f) => fixed(f.min, 6), width: (e) => Math.max(8, wholeSeconds(e.minMaxNs)) },
  'max-time': { header: 'longest', align: 'right', cell: (f) => fixed(f.max, 6), width: (e) => Math.max(7, wholeSeconds(e.maxNs)) },
  'avg-time': { header: 'usecs/call', align: 'right', cell: (f) => String(f.usecs), width: (e) => Math.max(11, String(microseconds(e.avgMaxNs)).length) },
  calls: { header: 'calls', align: 'right', cell: (f) => String(f.calls), width: (e) => Math.max(9, String(e.calls).length) },
  errors: { header: 'errors', align: 'right', cell: (f) => (f.errors === 0 ? '' : String(f.errors)), width: (e) => Math.max(9, String(e.errors).length) },
  name: { header: 'syscall', align: 'left', cell: (f) => f.name, width: (e) => Math.max(16, e.nameMax + 1) },
};

/** Row orders for -S: descending by a figure, ascending by name (strcmp), stable, so ties keep
 *  syscall number order as strace's qsort (glibc's merge sort) does. */
const ORDERS: Record<Exclude<SortKey, 'none'>, (a: CallStats, b: CallStats) => number> = {
  'time-percent': (a, b) => b.timeNs - a.timeNs,
  'total-time': (a, b) => b.timeNs - a.timeNs,
  'min-time': (a, b) => b.minNs - a.minNs,
  'max-time': (a, b) => b.maxNs - a.maxNs,
  'avg-time': (a, b) => divide(b.timeNs, b.calls) - divide(a.timeNs, a.calls),
  calls: (a, b) => b.calls - a.calls,
  errors: (a, b) => b.errors - a.errors,
  name: (a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
};

/** (uint64_t)(seconds * 1e6), as strace's usecs/call. */
function microseconds(ns: number): number {
  return Math.trunc(seconds(ns) * 1e6);
}

/** The whole summary: a table per personality that made calls, the ones after the first
 *  announced as strace does. Empty when nothing was counted. */
export function renderSummary(counts: SyscallCounts, layout: SummaryLayout = {}): string[] {
  const lines: string[] = [];
  PERSONALITIES.forEach(({ abi, mode }, i) => {
    const rows = counts.rows(abi);
    if (rows.length === 0) return;
    if (i > 0) lines.push(`System call usage summary for ${mode} mode:`);
    lines.push(...renderTable(rows, layout));
  });
  return lines;
}

function renderTable(stats: CallStats[], layout: SummaryLayout): string[] {
  const columns = (layout.columns ?? DEFAULT_COLUMNS).map((id) => COLUMNS[id]);
  const sortBy = layout.sortBy ?? DEFAULT_SORT;
  const sorted = sortBy === 'none' ? stats : [...stats].sort(ORDERS[sortBy]);

  const e: Extremes = { cumNs: 0, minMaxNs: 0, maxNs: 0, avgMaxNs: 0, calls: 0, errors: 0, nameMax: 0 };
  let minNs = Infinity;
  for (const s of stats) {
    e.cumNs += s.timeNs;
    minNs = Math.min(minNs, s.minNs);
    e.minMaxNs = Math.max(e.minMaxNs, s.minNs);
    e.maxNs = Math.max(e.maxNs, s.maxNs);
    e.avgMaxNs = Math.max(e.avgMaxNs, divide(s.timeNs, s.calls));
    e.calls += s.calls;
    e.errors += s.errors;
    e.nameMax = Math.max(e.nameMax, s.name.length);
  }
  const cum = seconds(e.cumNs);
  const rows = sorted.map((s): Figures => {
    const time = seconds(s.timeNs);
    // strace divides only a non-zero time, so an all-zero table shows 0.00, not NaN.
    const percent = time === 0 ? 0 : (100 * time) / cum;
    return { percent, seconds: time, min: seconds(s.minNs), max: seconds(s.maxNs), usecs: microseconds(divide(s.timeNs, s.calls)), calls: s.calls, errors: s.errors, name: s.name };
  });
  const total: Figures = { percent: 100, seconds: cum, min: seconds(minNs), max: seconds(e.maxNs), usecs: Math.trunc((cum / e.calls) * 1e6), calls: e.calls, errors: e.errors, name: 'total' };

  const cells = [...rows, total].map((f) => columns.map((c) => c.cell(f)));
  // strace's printf widens a cell that outgrows its column; a table cannot, so the column grows.
  const widths = columns.map((c, k) => Math.max(c.width(e), ...cells.map((row) => row[k].length)));
  const table = new Table({
    head: columns.map((c) => c.header),
    colWidths: widths,
    colAligns: columns.map((c) => c.align),
    chars: PLAIN,
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0, compact: true },
  });
  const divider = widths.map((w) => '-'.repeat(w));
  table.push(...cells.slice(0, -1), divider, cells[cells.length - 1]);
  const lines = table.toString().split('\n');
  // The name column, when last, is printed unpadded.
  return columns[columns.length - 1] === COLUMNS.name ? lines.map((l) => l.trimEnd()) : lines;
}

/** No borders; cells one space apart; the rule under the header is dashes, as strace's divider. */
const PLAIN = {
  top: '', 'top-mid': '', 'top-left': '', 'top-right': '',
  bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
  left: '', 'left-mid': '', right: '', 'right-mid': '',
  mid: '-', 'mid-mid': ' ', middle: ' ',
};
