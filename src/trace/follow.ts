// Which tasks the strace sink prints and how its lines name them, as strace 6.1's -f, -ff and -o
// decide (strace.c printleader, init): without -f only the first task is traced; with -f to a
// file (-o) every line starts with the task's id in a column; on stderr, `[pid N] ` is printed
// while more than one task is traced; -ff -o PREFIX gives each task its own file PREFIX.TID,
// whose lines name no task.
import type { LineOutput } from './line-writer.js';

export interface FollowOptions {
  /** -f: children and threads are traced too; without it only the first task is. */
  readonly forks: boolean;
  /** -o FILE with -f: each line starts with its task's id (strace's print_pid_pfx). */
  readonly pidColumn: boolean;
  /** -ff -o PREFIX (or --output-separately -o PREFIX): the file of each task, PREFIX.TID. */
  readonly separate?: (tid: number) => LineOutput;
}

/** strace without -f: one task, no pid prefixes. */
export const FOLLOW_NONE: FollowOptions = { forks: false, pidColumn: false };

/** What a line of task `tid` starts with while `live` tasks are traced: `1234  ` (`%-5u `) in a
 *  -f log file, `[pid  1234] ` (`[pid %5u] `) on stderr when more than one task is traced. */
export function pidPrefix(options: FollowOptions, tid: number, live: number): string {
  if (options.separate) return '';
  if (options.pidColumn) return String(tid).padEnd(5, ' ') + ' ';
  return live > 1 ? '[pid ' + String(tid).padStart(5, ' ') + '] ' : '';
}

/** The calls that start a task: the parent's call returns the new task's id. */
export const TASK_STARTING_CALLS: ReadonlySet<string> = new Set(['clone', 'clone3', 'fork', 'vfork']);

/** strace's `Process N attached`, printed when a new task is first traced (with -f, on stderr:
 *  -o implies -e quiet=attach). */
export function attachedMessage(tid: number): string {
  return 'emtrace: Process ' + tid + ' attached';
}
