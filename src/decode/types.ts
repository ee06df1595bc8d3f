// The shapes the syscall table is made of: classes, argument specs, memory rules, rows.

import type { GuestMemoryReader, SyscallEvent } from '../trace/event.js';
import type { DisplayStyle } from './style.js';

/** strace's trace classes (`-e trace=%file` ...). `stat_like` is `%%stat`, `statfs_like` `%%statfs`. */
export type TraceClass =
  | 'desc'
  | 'file'
  | 'ipc'
  | 'network'
  | 'process'
  | 'signal'
  | 'memory'
  | 'stat'
  | 'lstat'
  | 'fstat'
  | 'stat_like'
  | 'statfs'
  | 'fstatfs'
  | 'statfs_like'
  | 'pure'
  | 'creds'
  | 'clock';

/**
 * Which way the bytes an argument points to travel. `in`: the kernel reads them (printed at
 * syscall entry); `out`: the kernel writes them (printed at exit); `inout`: both. Plain values
 * (fds, flags, sizes) are `in`.
 */
export type Dir = 'in' | 'out' | 'inout';

/** How many bytes a buffer argument covers. */
export type SizeRule =
  | { readonly fixed: number }
  /** The value of argument `arg` (0-based), times `scale` (default 1). */
  | { readonly arg: number; readonly scale?: number }
  /** The return value (bytes actually transferred), at most argument `cap` when given. */
  | { readonly ret: true; readonly cap?: number };

/**
 * The guest memory an argument refers to, for the recorder and the replayer. `when` says when an
 * output is written: on success (the default), or only when the call was interrupted (nanosleep's
 * remaining time).
 */
export type MemRule =
  | { readonly kind: 'buffer'; readonly dir: Dir; readonly size: SizeRule; readonly when?: 'success' | 'interrupted' }
  /** A NUL-terminated string the kernel reads (at most 4096 bytes including the NUL). */
  | { readonly kind: 'cstring' }
  /** A `struct iovec[count]` the kernel reads; the buffers it describes travel `data`-wards,
   *  limited in total to the return value when `data` is `out`. */
  | { readonly kind: 'iovec'; readonly countArg: number; readonly data: Dir }
  /** A { pointer, length } pair the kernel reads, and the `length` bytes it points to (at most
   *  `max`): pselect6's signal mask argument. */
  | { readonly kind: 'indirect'; readonly max: number };

/** Options of the strace formatter. */
export interface FormatOptions {
  /** strace `-s`: bytes of a string shown before `...`, and elements of an array (default 32). */
  stringLimit?: number;
  /** Bytes of a CPU set strace prints at most: it probes the kernel with sched_getaffinity from
   *  128 bytes up until a size is not too small, so 128 on any machine of up to 1024 CPUs
   *  (the emulated one has one). Default 128. */
  cpusetSize?: number;
  /** strace -X and -x: how constants and strings print. */
  textStyle?: DisplayStyle;
  /** False under strace -v (or when -e abbrev= leaves the call out): structs print every field.
   *  Default true. */
  abbreviate?: boolean;
  /** False when -e verbose= leaves the call out: structs print as their addresses. Default true. */
  verbose?: boolean;
  /** strace -e raw= for this call: arguments in hex, undecoded, and the result in hex. */
  raw?: boolean;
  /** strace -y (1), -yy (2): descriptors with what they refer to. Default 0. */
  decodeFds?: number;
}

/** The formatter's view of one call in one phase. */
export interface Call {
  readonly ev: SyscallEvent;
  readonly mem: GuestMemoryReader;
  readonly opts: Required<FormatOptions>;
  /** False at syscall entry, true at exit. */
  readonly exiting: boolean;
  /** At exit, what each argument's `capture` read at entry (by argument index). */
  readonly captured?: readonly (number | undefined)[];
}

/** Formats argument `i` of the call. */
export type ArgFormatter = (c: Call, i: number) => string;

/** One argument of a syscall: how to print it, and what memory it refers to. */
export interface ArgSpec {
  readonly name: string;
  /** A short tag of the kind (`fd`, `path`, `flags`, `buf`, `stat`...), for tools and docs. */
  readonly kind: string;
  /** Which way the data the argument designates travels (see Dir); plain values are `in`.
   *  A function when it depends on other arguments (ioctl's third argument). */
  readonly dir: Dir | ((args: Int32Array) => Dir);
  /** When strace prints it: by default `in` arguments at entry (their memory is read before the
   *  kernel runs), `out` and `inout` ones at exit. */
  readonly at?: 'entry' | 'exit' | ((args: Int32Array) => 'entry' | 'exit');
  /** The memory the argument points to; a function when it depends on other arguments. */
  readonly mem?: MemRule | ((args: Int32Array) => MemRule | undefined);
  /** Where that memory is, when it is not the argument's value (rt_sigreturn's frame is at the
   *  stack pointer). */
  readonly addr?: (ev: SyscallEvent) => number;
  /** Whether strace prints the argument at all (open's mode only with O_CREAT...). */
  readonly show?: (args: Int32Array) => boolean;
  readonly fmt: ArgFormatter;
  /** Text strace appends at exit to an argument it printed at entry (sendfile's offset:
   *  `[0]` at entry, ` => [100]` after). */
  readonly suffix?: ArgFormatter;
  /** Printed at exit with the `, ` before it (clone's `flags=CLONE_VM <unfinished ...>`, then
   *  `<... clone resumed>, parent_tid=[1001]`); by default an entry ends with `, ` when
   *  arguments are left for the exit (`read(3, `). */
  readonly separatorAtExit?: boolean;
  /** A value read at entry that the exit needs (the length a socket call was given, to print
   *  `[16 => 8]`); found in Call.captured. */
  readonly capture?: (c: Call, i: number) => number | undefined;
}

/** Formats a successful result: the text after `= `. */
export type RetFormatter = (c: Call) => string;

/** One row of the syscall table. */
export interface SyscallRow {
  readonly nr: number;
  /** The name strace prints. */
  readonly name: string;
  /** Number of arguments (what strace's generic decoder prints). */
  readonly nargs: number;
  readonly classes: readonly TraceClass[];
  /** The argument specs; undefined for syscalls printed the generic way (each argument in hex). */
  readonly args?: readonly ArgSpec[];
  /** How a successful result prints; default unsigned decimal. */
  readonly ret?: RetFormatter;
  /** The call never returns to the caller when it works (exit, exit_group): strace prints `= ?`. */
  readonly noReturn?: boolean;
}
