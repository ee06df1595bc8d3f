// strace's summary options (-c -C -S -U, and -w when tracing) in one group, and what they ask of
// the run or the dump.
import { Command, InvalidArgumentError } from 'commander';
import { ColumnId, parseColumns, parseSortBy, SortKey, SummaryLayout } from '../trace/summary/index.js';

/** A -S / -U parser whose errors commander reports as usage errors. */
function parser<T>(parse: (spec: string) => T) {
  return (value: string): T => {
    try {
      return parse(value);
    } catch (e) {
      throw new InvalidArgumentError((e as Error).message);
    }
  };
}

export function addSummaryOptions(command: Command, { wall }: { wall: boolean }): Command {
  command
    .option('-c, --summary-only', 'count time, calls and errors of each syscall and print a summary instead of the calls')
    .option('-C, --summary', 'print the calls and the summary')
    .option('-S, --summary-sort-by <sortby>', 'sort the summary by time (default), min-time, max-time, avg-time, calls, errors, name or nothing', parser(parseSortBy))
    .option('-U, --summary-columns <columns>', 'the summary\'s columns: time-percent, total-time, min-time, max-time, avg-time, calls, errors, name', parser(parseColumns));
  if (wall) command.option('-w, --summary-wall-clock', 'summarise the time from entry to exit of each call (virtual time) instead of the system time, which the emulated kernel never spends');
  return command;
}

export interface SummaryOptionValues {
  summaryOnly?: boolean;
  summary?: boolean;
  summarySortBy?: SortKey;
  summaryColumns?: ColumnId[];
  summaryWallClock?: boolean;
}

export interface SummaryRequest {
  /** -c: the summary alone, no lines. */
  only: boolean;
  /** The table's layout, when a summary is wanted. */
  layout?: SummaryLayout & { wall?: boolean };
  /** strace's warning for an option that does nothing here. */
  warning?: string;
}

/** The summary the options ask for, or strace's complaint about how they were combined. */
export function summaryRequest(v: SummaryOptionValues): SummaryRequest | { error: string } {
  if (v.summaryOnly && v.summary) return { error: '-c/--summary-only and -C/--summary are mutually exclusive' };
  const wanted = v.summaryOnly || v.summary;
  const without = '(-c/--summary-only or -C/--summary)';
  if (!wanted && v.summaryWallClock) return { error: `-w/--summary-wall-clock must be given with ${without}` };
  if (!wanted && v.summaryColumns) return { error: `-U/--summary-columns must be given with ${without}` };
  if (!wanted) return { only: false, warning: v.summarySortBy ? `-S/--summary-sort-by has no effect without ${without}` : undefined };
  return { only: !!v.summaryOnly, layout: { columns: v.summaryColumns, sortBy: v.summarySortBy, wall: v.summaryWallClock } };
}
