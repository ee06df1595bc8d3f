// What the -c summary counts: per syscall, its calls, failures and time spent, kept apart per
// personality (ABI) as strace keeps them.
import { eventName, rowOf } from '../../decode/index.js';
import type { SyscallEvent } from '../event.js';

/** One row of the summary. Times in nanoseconds. */
export interface CallStats {
  nr: number;
  /** The syscall's name; a vDSO (or vsyscall) call is a row of its own, `clock_gettime<vdso>`,
   *  which strace never shows (it cannot see them). */
  name: string;
  calls: number;
  errors: number;
  timeNs: number;
  minNs: number;
  maxNs: number;
}

export type Personality = 'x86_64' | 'i386';

/** strace's personality order, and the name its summary heading gives each after the first. */
export const PERSONALITIES: readonly { abi: Personality; mode: string }[] = [
  { abi: 'x86_64', mode: '64 bit' },
  { abi: 'i386', mode: '32 bit' },
];

export class SyscallCounts {
  private readonly tables = new Map<Personality, Map<string, CallStats>>();

  /** Counts one finished call that took `ns`. Like strace, only calls that returned count
   *  (exit and exit_group never do), and only numbers the syscall table knows. */
  add(ev: SyscallEvent, ns: number): void {
    if (Number.isNaN(ev.ret) || rowOf(ev) === undefined) return;
    const abi = ev.abi ?? 'x86_64';
    let table = this.tables.get(abi);
    if (!table) this.tables.set(abi, (table = new Map()));
    const name = eventName(ev) + (ev.via === undefined ? '' : `<${ev.via}>`);
    let stats = table.get(name);
    if (!stats) table.set(name, (stats = { nr: ev.nr, name, calls: 0, errors: 0, timeNs: 0, minNs: Infinity, maxNs: 0 }));
    const t = Math.max(ns, 0);
    stats.calls++;
    if (ev.errno !== 0) stats.errors++;
    stats.timeNs += t;
    stats.minNs = Math.min(stats.minNs, t);
    stats.maxNs = Math.max(stats.maxNs, t);
  }

  /** The rows of one personality in syscall number order (strace's order before sorting), a
   *  vDSO row after the syscall's own; empty when nothing of it was counted. */
  rows(abi: Personality): CallStats[] {
    const table = this.tables.get(abi);
    if (!table) return [];
    return [...table.values()].sort((a, b) => a.nr - b.nr || a.name.length - b.name.length);
  }
}
