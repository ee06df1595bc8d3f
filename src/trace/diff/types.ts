// The shapes `emtrace diff` passes between its stages:
//   input (trace file | strace log) → DiffEvent → normalize → NormalLine → align → Hunk → output.
import type { SyscallRecord } from '../trace-file.js';
import type { SyscallPredicate } from '../filter.js';

/** One line of a trace as an input adapter produces it, before normalization. */
export interface DiffEvent {
  /** The task the line belongs to, canonical for its input (a trace's tid; for a log the pid
   *  of the prefix, or INITIAL_PID for unprefixed lines of the first process). */
  pid: number;
  /** `task`: no line, only the news that a task appeared (a log's first line of a pid whose
   *  call is still unfinished), so processes are numbered in the order their lines start. */
  kind: 'syscall' | 'signal' | 'exit' | 'task';
  /** The syscall's name (syscall lines only). */
  name?: string;
  /** The syscall number, when the input says (trace files). */
  nr?: number;
  /** The strace text of the line, without pid prefix, timestamp or duration. */
  text: string;
  /** strace `-t`/`-tt`/`-ttt`/`-r` timestamp (with `-i`'s `[instruction pointer]`) and `-T`
   *  duration (`<0.000123>`), when present. */
  time?: string;
  duration?: string;
  /** The recorded call (trace files): what address tracking reads. */
  record?: SyscallRecord;
  /** The line of the input file it came from (1-based). */
  line: number;
}

/** The key of a log's unprefixed lines until the first process's pid is known. */
export const INITIAL_PID = -1;

/** A stream of DiffEvents from one input. */
export interface EventSource {
  readonly path: string;
  readonly kind: 'trace' | 'log';
  /** The next event, or null at the end. */
  next(): Promise<DiffEvent | null>;
  /** The canonical key of a pid value printed inside a line (a result, an argument). */
  canonical(pid: number): number;
}

/** A normalized line, routed to process `proc` (1-based, by first appearance). */
export interface NormalLine {
  proc: number;
  text: string;
  /** The process's last line (`+++ exited …`, `+++ killed …`). */
  last: boolean;
}

export interface DiffOptions {
  /** Compare the lines as printed: no address, pid, random-byte or execve normalization, and
   *  timestamps and durations kept (the padding before `=` is still collapsed). */
  exact?: boolean;
  /** Syscalls to leave out of the comparison. */
  ignore?: SyscallPredicate;
  /** Lines of context around each change (default 3). */
  context?: number;
  /** Lines of lookahead on each side when resynchronising after a difference (default 2000). */
  window?: number;
  /** Called with each hunk as soon as it is complete. When absent, the result collects them. */
  onHunk?: (hunk: Hunk) => void;
  /** Lines buffered in memory across all processes before queues spill to temporary files
   *  (default 200,000; only reached when the inputs interleave their processes very differently). */
  memoryLines?: number;
}

/** One hunk of the unified diff. `lines` start with ' ', '-' or '+'. */
export interface Hunk {
  proc: number;
  aStart: number;
  aCount: number;
  bStart: number;
  bCount: number;
  lines: string[];
}

export interface DiffSummary {
  /** Lines present only in A, only in B, and paired changes. */
  onlyA: number;
  onlyB: number;
  changed: number;
  /** Aligned rows: equal lines plus the three above. */
  compared: number;
  /** Processes seen (the larger count of the two inputs). */
  processes: number;
  /** onlyA + onlyB + changed. */
  differ: number;
  same: boolean;
  /** Whether each input was read as a trace file or an strace log. */
  inputs: { a: 'trace' | 'log'; b: 'trace' | 'log' };
  /** The hunks, when no onHunk callback was given. */
  hunks?: Hunk[];
}
