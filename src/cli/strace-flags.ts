// strace's display flags (-x -X -y -v -a -t -r -T -i -n -k -q -z -Z -P) in one group that
// trace, record --strace, replay --strace and dump share, and the StraceDisplay (and fault
// injector) their values and the -e arguments make.
import type { Command } from 'commander';
import type { SyscallInjector } from '../emulator/kernel/injection.js';
import { parseInjections } from '../trace/inject.js';
import { parseStraceOptions, statusFlagsWarning } from '../trace/strace-options.js';
import type { StraceDisplay } from '../trace/strace-options.js';
import { splitQualifier } from '../trace/filter.js';
import { collect, integer } from './common.js';

const count = (_: unknown, previous: number): number => previous + 1;

/** -z and -Z in the order given, per command (commander keeps no order across options). */
const statusFlags = new WeakMap<Command, ('z' | 'Z')[]>();

/** Adds the flags; `quiet: false` leaves out -q (replay's -q means something else). */
export function addStraceOptions(command: Command, { quiet = true }: { quiet?: boolean } = {}): Command {
  const order: ('z' | 'Z')[] = [];
  statusFlags.set(command, order);
  command
    .option('-x, --strings-in-hex', 'print non-ASCII strings in hex (-xx: all strings)', count, 0)
    .option('-X, --const-print-style <style>', 'constants as names (abbrev, the default), numbers (raw) or both (verbose)')
    .option('-y, --decode-fds', 'print the paths of file descriptor arguments (-yy: and device numbers)', count, 0)
    .option('-v, --no-abbrev', 'print structures unabbreviated')
    .option('-a, --columns <column>', 'align results at COLUMN (default 40)', integer('-a', 0))
    .option('-t, --absolute-timestamps', 'prefix lines with the time of day (-tt: with microseconds, -ttt: seconds since the epoch), of the virtual clock', count, 0)
    .option('-r, --relative-timestamps', 'prefix lines with the time since the previous line (virtual clock)')
    .option('-T, --syscall-times', 'show the time spent in each call (virtual clock)')
    .option('-i, --instruction-pointer', 'prefix lines with the address after the syscall instruction')
    .option('-n, --syscall-number', 'prefix lines with the syscall number')
    .option('-k, --stack-trace', 'print the function each call is made from (ELF symbols), as strace -k')
    .option('-z, --successful-only', 'print only the calls that succeeded')
    .option('-Z, --failed-only', 'print only the calls that failed')
    .option('-P, --trace-path <path>', 'trace only the calls that touch PATH (repeatable)', collect, [] as string[]);
  if (quiet) command.option('-q, --quiet', 'leave out personality messages (-qq: also +++ exited lines)', count, 0);
  command.on('option:successful-only', () => order.push('z'));
  command.on('option:failed-only', () => order.push('Z'));
  return command;
}

export interface StraceFlagValues {
  expr: string[];
  stringLimit: number;
  vdso: boolean;
  stringsInHex: number;
  constPrintStyle?: string;
  decodeFds: number;
  abbrev: boolean;
  columns?: number;
  absoluteTimestamps: number;
  relativeTimestamps?: boolean;
  syscallTimes?: boolean;
  instructionPointer?: boolean;
  syscallNumber?: boolean;
  stackTrace?: boolean;
  quiet?: number | boolean;
  tracePath: string[];
}

/** The display the flags and -e arguments ask for (the -e inject= and fault= ones aside), and
 *  strace's warning when -z and -Z are both given. Throws a UserError on a bad value. */
export function straceDisplay(command: Command, v: StraceFlagValues): { display: StraceDisplay; warning: string | null } {
  const flags = statusFlags.get(command) ?? [];
  const display = parseStraceOptions({
    expressions: v.expr,
    stringLimit: v.stringLimit,
    noVdso: !v.vdso,
    hex: v.stringsInHex,
    xlat: v.constPrintStyle,
    decodeFds: v.decodeFds,
    unabbreviated: !v.abbrev,
    column: v.columns,
    timestamps: v.absoluteTimestamps,
    relative: v.relativeTimestamps,
    syscallTimes: v.syscallTimes,
    instructionPointer: v.instructionPointer,
    syscallNumbers: v.syscallNumber,
    stackTrace: v.stackTrace,
    quiet: typeof v.quiet === 'number' ? v.quiet : 0,
    statusFlags: flags,
    paths: v.tracePath,
  });
  return { display, warning: statusFlagsWarning(flags) };
}

/** The fault injector of the -e inject= and fault= arguments (null when none), over the calls
 *  the display traces. */
export function straceInjector(v: StraceFlagValues, display: StraceDisplay): SyscallInjector | null {
  return parseInjections(v.expr, display.selected);
}

/** Whether -e inject= or fault= was given (a recorded trace cannot be injected into). */
export function hasInjection(expressions: readonly string[]): boolean {
  return expressions.some((e) => ['inject', 'fault'].includes(splitQualifier(e).qualifier));
}
