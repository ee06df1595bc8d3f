// strace's display flags (-x -X -y -v -a -t -r -T -i -n -k -q -z -Z -P, -f -ff) in one group
// that trace, record --strace, replay --strace and dump share, and the StraceDisplay (and fault
// injector, and the tasks followed) their values and the -e arguments make.
import { InvalidArgumentError, type Command } from 'commander';
import type { SyscallInjector } from '../emulator/kernel/injection.js';
import { UserError } from '../errors.js';
import type { FollowOptions } from '../trace/follow.js';
import { parseInjections } from '../trace/inject.js';
import { LineWriter } from '../trace/line-writer.js';
import { parseStraceOptions, statusFlagsWarning } from '../trace/strace-options.js';
import type { StraceDisplay } from '../trace/strace-options.js';
import { splitQualifier } from '../trace/filter.js';
import { argvRewriters, collect, integer } from './common.js';

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
    .option('-P, --trace-path <path>', 'trace only the calls that touch PATH (repeatable)', collect, [] as string[])
    .option('-f', 'follow forks: trace child processes and threads too (-ff with -o FILE: one file FILE.PID per task)', count, 0)
    .option('--follow-forks', 'the same as -f')
    .option('--output-separately', 'with -o FILE, each task to its own file FILE.PID (-ff)');
  if (quiet) command.option('-q, --quiet', 'leave out personality messages (-qq: also +++ exited lines)', count, 0);
  command.on('option:successful-only', () => order.push('z'));
  command.on('option:failed-only', () => order.push('Z'));
  argvRewriters.set(command, (argv) => expandLongForms(command, argv, quiet));
  return command;
}

// ---- strace's long options -------------------------------------------------------------------
//
// The long options commander declares above (--output, --string-limit, --no-abbrev, --columns,
// --const-print-style, --summary-only, ...) it parses itself; the ones below take values
// commander's options do not (`--trace=open` is `-e trace=open`, `--absolute-timestamps=unix,us`
// is `-ttt`), so they are rewritten to the short form before parsing: one table, one rule each.

/** A long option: whether it needs a value (`--trace=X` or `--trace X`) or takes one only
 *  after `=` (`--decode-fds[=all]`), and the short-form arguments it stands for. */
interface LongForm {
  readonly value: 'required' | 'optional';
  readonly expand: (value: string | undefined) => string[];
}

/** `--NAME=SET` is `-e NAME=SET` (strace's -e qualifiers as long options). */
const qualifier = (name: string): LongForm => ({ value: 'required', expand: (v) => ['-e', `${name}=${v}`] });

/** A fixed expansion, for an option whose value may only be strace's default. */
const only = (option: string, args: string[], accepted: readonly string[]): LongForm => ({
  value: 'optional',
  expand: (v) => {
    if (v === undefined || accepted.includes(v)) return args;
    throw new InvalidArgumentError(`emtrace supports ${option}${accepted.length ? '[=' + accepted.join('|') + ']' : ''} only, not ${option}=${v}`);
  },
});

/** --absolute-timestamps=[[format:]FORMAT[,[precision:]PRECISION]]: -t, -tt, -ttt or nothing. */
function absoluteTimestamps(v: string | undefined): string[] {
  let format = 'time';
  let precision = 's';
  for (const token of v === undefined || v === '' ? [] : v.split(',')) {
    const [key, val] = token.includes(':') ? token.split(':', 2) : [['none', 'time', 'unix'].includes(token) ? 'format' : 'precision', token];
    if (key === 'format') format = val;
    else if (key === 'precision') precision = val;
    else throw new InvalidArgumentError(`invalid --absolute-timestamps argument: '${v}'`);
  }
  if (format === 'none') return [];
  const flags: Record<string, string> = { 'time,s': '-t', 'time,us': '-tt', 'unix,us': '-ttt' };
  const flag = flags[`${format},${precision}`];
  if (flag === undefined) throw new InvalidArgumentError(`emtrace supports --absolute-timestamps=time (-t), time,us (-tt) and unix,us (-ttt), not '${v}'`);
  return [flag];
}

/** --decode-fds[=SET]: path is -y; all (or path,dev,pidfd,socket) is -yy. */
function decodeFds(v: string | undefined): string[] {
  if (v === undefined) return ['-y'];
  const set = new Set(v.split(','));
  if (set.has('all') || ['path', 'dev', 'pidfd', 'socket'].every((k) => set.has(k))) return ['-yy'];
  if (set.size === 1 && set.has('path')) return ['-y'];
  if (set.size === 1 && set.has('none')) return [];
  throw new InvalidArgumentError(`emtrace supports --decode-fds=path (-y) and --decode-fds=all (-yy), not --decode-fds=${v}`);
}

const LONG_FORMS: Readonly<Record<string, LongForm>> = {
  trace: qualifier('trace'),
  status: qualifier('status'),
  signal: qualifier('signal'),
  abbrev: qualifier('abbrev'),
  verbose: qualifier('verbose'),
  raw: qualifier('raw'),
  read: qualifier('read'),
  write: qualifier('write'),
  inject: qualifier('inject'),
  fault: qualifier('fault'),
  quiet: { value: 'optional', expand: (v) => (v === undefined ? ['-q'] : ['-e', `quiet=${v}`]) },
  'decode-fds': { value: 'optional', expand: decodeFds },
  'absolute-timestamps': { value: 'optional', expand: absoluteTimestamps },
  'relative-timestamps': only('--relative-timestamps', ['-r'], ['us']),
  'syscall-times': only('--syscall-times', ['-T'], ['us']),
  'strings-in-hex': {
    value: 'optional',
    expand: (v) => {
      if (v === undefined || v === 'all') return ['-xx'];
      if (v === 'non-ascii') return ['-x'];
      throw new InvalidArgumentError(`emtrace supports --strings-in-hex=non-ascii (-x) and --strings-in-hex[=all] (-xx), not --strings-in-hex=${v}`);
    },
  },
  'stack-traces': only('--stack-traces', ['-k'], []),
};

/** argv with strace's long forms rewritten to short ones, up to `--` or (for a command that
 *  runs a program) the program's name; option values are left alone. */
export function expandLongForms(command: Command, argv: readonly string[], quiet = true): string[] {
  const stopAtOperand = (command as unknown as { _passThroughOptions?: boolean })._passThroughOptions === true;
  const out: string[] = [];
  for (let k = 0; k < argv.length; k++) {
    const arg = argv[k];
    if (arg === '--' || (stopAtOperand && !arg.startsWith('-'))) {
      out.push(...argv.slice(k));
      break;
    }
    const m = /^--([a-z-]+)(?:=(.*))?$/s.exec(arg);
    const form = m && (m[1] !== 'quiet' || quiet) ? LONG_FORMS[m[1]] : undefined;
    if (m && form) {
      let value: string | undefined = m[2];
      if (value === undefined && form.value === 'required') {
        if (k + 1 >= argv.length) throw new InvalidArgumentError(`option '--${m[1]}' argument missing`);
        value = argv[++k];
      }
      // `--strings-in-hex` alone is -xx in strace 6.1; `--decode-fds` alone -y, `--quiet` -q.
      out.push(...form.expand(value));
      continue;
    }
    out.push(arg);
    // The value of an option given as the next argument (`-o FILE`, `--output FILE`) is not an option.
    if (arg.startsWith('-') && !arg.includes('=')) {
      const option = command.options.find((o) => o.short === arg || o.long === arg);
      if (option?.required && k + 1 < argv.length) out.push(argv[++k]);
    }
  }
  return out;
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
  /** -f count, --follow-forks, --output-separately. */
  f: number;
  followForks?: boolean;
  outputSeparately?: boolean;
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

/** The tasks -f, -ff, --follow-forks and --output-separately follow, as strace 6.1 decides with
 *  `output` (-o FILE) and -c: -ff without -o is -f; --output-separately without -f and -o has no
 *  effect (the warning); each task's file is OUTPUT.PID. Throws strace's errors. `always`: every
 *  task is followed even without -f (dump: a trace holds only what was run). */
export function followOptions(v: StraceFlagValues, output: string | undefined, { summary = false, always = false } = {}): { follow: FollowOptions; warning: string | null } {
  if (v.f > 0 && v.followForks) throw new UserError('-f and --follow-forks cannot be provided simultaneously');
  if (v.f >= 2 && v.outputSeparately) throw new UserError('-ff and --output-separately cannot be provided simultaneously');
  const forks = v.f > 0 || v.followForks === true;
  let separately = v.f >= 2 || v.outputSeparately === true;
  if (separately && summary) throw new UserError('(-c/--summary-only or -C/--summary) and -ff/--output-separately are mutually exclusive');
  let warning: string | null = null;
  if (output === undefined) {
    if (separately && !forks) warning = '--output-separately has no effect without -o/--output';
    separately = false;
  }
  const follow: FollowOptions = {
    forks: forks || always,
    pidColumn: output !== undefined && forks && !separately,
    separate: separately && output !== undefined ? (tid) => LineWriter.file(`${output}.${tid}`) : undefined,
  };
  return { follow, warning };
}
