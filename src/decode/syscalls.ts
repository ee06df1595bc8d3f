// Lookups over the syscall table: by number, by name, by trace class.

import { argInt } from '../trace/event.js';
import type { SyscallEvent } from '../trace/event.js';
import { FD_RESULTS, SYSCALLS } from './syscall-table.js';
import type { SyscallRow, TraceClass } from './types.js';

const BY_NR: (SyscallRow | undefined)[] = [];
const BY_NAME = new Map<string, SyscallRow>();
for (const row of SYSCALLS) {
  BY_NR[row.nr] = row;
  BY_NAME.set(row.name, row);
}

/** The row of syscall `nr`, or undefined when x86-64 Linux has no such syscall. */
export function syscallByNumber(nr: number): SyscallRow | undefined {
  return nr >= 0 ? BY_NR[nr] : undefined;
}

/** The row of the syscall strace calls `name`, or undefined. */
export function syscallByName(name: string): SyscallRow | undefined {
  return BY_NAME.get(name);
}

/** The name strace prints for syscall `nr`: its name, or `syscall_0x3e7` when unknown. */
export function syscallName(nr: number): string {
  const row = syscallByNumber(nr);
  if (row !== undefined) return row.name;
  return 'syscall_0x' + (nr >>> 0).toString(16);
}

/** The numbers of the syscalls in a trace class (`%file` is 'file'), ascending. */
export function syscallsInClass(cls: TraceClass): number[] {
  const out: number[] = [];
  for (const row of SYSCALLS) if (row.classes.includes(cls)) out.push(row.nr);
  return out;
}

/** Every row, ascending by number. */
export function allSyscalls(): readonly SyscallRow[] {
  return SYSCALLS;
}

/** The number of the syscall strace calls `name`, or undefined. */
export function syscallNumber(name: string): number | undefined {
  return BY_NAME.get(name)?.nr;
}

const F_DUPFD = 0;
const F_DUPFD_CLOEXEC = 1030;

/** Whether the call, if it succeeded, returned a new file descriptor. */
export function returnsFd(ev: SyscallEvent): boolean {
  const name = syscallByNumber(ev.nr)?.name;
  if (name === 'fcntl') {
    const cmd = argInt(ev.args, 1);
    return cmd === F_DUPFD || cmd === F_DUPFD_CLOEXEC;
  }
  return name !== undefined && FD_RESULTS.has(name);
}
