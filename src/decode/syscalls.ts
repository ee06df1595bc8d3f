// Lookups over the syscall table: by number, by name, by trace class.

import { argInt } from '../trace/event.js';
import type { SyscallEvent } from '../trace/event.js';
import { FD_RESULTS, SYSCALLS } from './syscall-table.js';
import { buildI386Table } from './syscall-table-i386.js';
import type { SyscallRow, TraceClass } from './types.js';

const BY_NR: (SyscallRow | undefined)[] = [];
const BY_NAME = new Map<string, SyscallRow>();
for (const row of SYSCALLS) {
  BY_NR[row.nr] = row;
  BY_NAME.set(row.name, row);
}

const I386_SYSCALLS = buildI386Table((name) => BY_NAME.get(name));
const I386_BY_NR: (SyscallRow | undefined)[] = [];
const I386_BY_NAME = new Map<string, SyscallRow>();
for (const row of I386_SYSCALLS) {
  I386_BY_NR[row.nr] = row;
  I386_BY_NAME.set(row.name, row);
}

/** The row of i386 syscall `nr` (INT 0x80), or undefined. */
export function i386ByNumber(nr: number): SyscallRow | undefined {
  return nr >= 0 ? I386_BY_NR[nr] : undefined;
}

/** The row of the i386 syscall strace calls `name`, or undefined. */
export function i386ByName(name: string): SyscallRow | undefined {
  return I386_BY_NAME.get(name);
}

/** Every i386 row, ascending by number. */
export function allI386Syscalls(): readonly SyscallRow[] {
  return I386_SYSCALLS;
}

/** The row of an event's call in its ABI's table. */
export function rowOf(ev: { readonly nr: number; readonly abi?: 'i386' }): SyscallRow | undefined {
  return ev.abi === 'i386' ? i386ByNumber(ev.nr) : syscallByNumber(ev.nr);
}

/** The name strace prints for an event's call (its ABI's name, or `syscall_0x…`). */
export function eventName(ev: { readonly nr: number; readonly abi?: 'i386' }): string {
  if (ev.abi !== 'i386') return syscallName(ev.nr);
  return i386ByNumber(ev.nr)?.name ?? 'syscall_0x' + (ev.nr >>> 0).toString(16);
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
  const name = rowOf(ev)?.name;
  if (name === 'fcntl') {
    const cmd = argInt(ev.args, 1);
    return cmd === F_DUPFD || cmd === F_DUPFD_CLOEXEC;
  }
  return name !== undefined && FD_RESULTS.has(name);
}
