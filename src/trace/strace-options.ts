// strace's display options as one value the strace sink reads: the `-e` qualifiers other than
// trace= (status, signal, abbrev, verbose, raw, read, write, quiet) and the flags (-x, -X, -y,
// -v, -a, -t, -r, -T, -i, -n, -k, -q, -z, -Z, -P). Parsing follows strace 6.1 (filter_qualify.c):
// each qualifier takes a comma-separated set, `!` in front inverts it, `all` and `none`; an
// unknown member is an error with strace's message (`invalid signal 'FOO'`).
//
//   parseStraceOptions({ expressions: ['status=failed', 'signal=!SIGCHLD'], ... })

import { signalByName } from '../decode/index.js';
import type { DisplayStyle, HexStrings, XlatStyle } from '../decode/style.js';
import { FilterError, parseTraceExpression, selectSyscalls, splitQualifier } from './filter.js';
import type { SyscallPredicate } from './filter.js';

/** How a call ended, for -e status= (strace's names). */
export type CallStatus = 'successful' | 'failed' | 'unfinished' | 'unavailable' | 'detached';
const STATUSES: readonly CallStatus[] = ['successful', 'failed', 'unfinished', 'unavailable', 'detached'];
/** How many statuses there are: a -e status= set smaller than this holds each call's lines
 *  until its end (strace's memstream). */
export const CALL_STATUSES = STATUSES.length;

/** The messages -e quiet= (and -q, -qq) suppress; emtrace prints `personality` and `exit` ones. */
export type QuietMessage = 'attach' | 'exit' | 'path-resolution' | 'personality' | 'thread-execve' | 'superseded';
const QUIET_NAMES: Readonly<Record<string, QuietMessage>> = {
  attach: 'attach',
  exit: 'exit',
  exits: 'exit',
  'path-resolution': 'path-resolution',
  personality: 'personality',
  personalities: 'personality',
  'thread-execve': 'thread-execve',
  superseded: 'superseded',
};
/** -q, -qq, -qqq (strace.c). */
const QUIET_LEVELS: readonly (readonly QuietMessage[])[] = [
  [],
  ['attach', 'personality'],
  ['attach', 'personality', 'exit'],
  ['attach', 'personality', 'exit', 'path-resolution', 'thread-execve', 'superseded'],
];

/** Everything the strace sink needs to print a run as strace would with these options. */
export interface StraceDisplay {
  /** -e trace= (and --no-vdso). */
  selected: SyscallPredicate;
  /** -s. */
  stringLimit: number;
  /** -e status=, -z, -Z: which calls print by how they ended. */
  status: ReadonlySet<CallStatus>;
  /** -e signal=: whose `--- SIG... ---` (and `+++ killed by +++`) lines print. */
  signals: (sig: number) => boolean;
  /** -e abbrev= (-v: none), -e verbose=, -e raw=: per call. */
  abbrev: SyscallPredicate;
  verbose: SyscallPredicate;
  raw: SyscallPredicate;
  /** -e read=, -e write=: descriptors whose data is dumped in hex after the line. */
  readFds: (fd: number) => boolean;
  writeFds: (fd: number) => boolean;
  /** -e quiet=, -q: messages left out. */
  quiet: ReadonlySet<QuietMessage>;
  /** -X, -x. */
  style: DisplayStyle;
  /** -y (1), -yy (2). */
  decodeFds: number;
  /** -a: the column of ` = `. */
  column: number;
  /** -t (1), -tt (2), -ttt (3). */
  timestamps: number;
  /** -r. */
  relative: boolean;
  /** -T. */
  syscallTimes: boolean;
  /** -i. */
  instructionPointer: boolean;
  /** -n. */
  syscallNumbers: boolean;
  /** -k: a backtrace line after each call, from the symbolizer. */
  stackTrace: boolean;
  /** -P: only the calls that touch one of these paths (empty: all). */
  paths: readonly string[];
}

/** The options as given on a command line. */
export interface StraceOptionValues {
  /** Every -e argument in order (trace= ones included; inject= and fault= are not display). */
  expressions: readonly string[];
  stringLimit?: number;
  noVdso?: boolean;
  /** -x count, -X value. */
  hex?: number;
  xlat?: string;
  /** -y count. */
  decodeFds?: number;
  /** -v. */
  unabbreviated?: boolean;
  column?: number;
  timestamps?: number;
  relative?: boolean;
  syscallTimes?: boolean;
  instructionPointer?: boolean;
  syscallNumbers?: boolean;
  stackTrace?: boolean;
  /** -q count. */
  quiet?: number;
  /** -z and -Z in command-line order, after the -e status= they follow ('z' or 'Z'). */
  statusFlags?: readonly ('z' | 'Z')[];
  paths?: readonly string[];
}

/** A set of members, `!` inverting it, `all` and `none` (strace's qualify_tokens). `member`
 *  adds a token's members to the set and returns false when the token is invalid. */
function parseSet<T>(spec: string, what: string, member: (token: string, set: Set<T>) => boolean): (v: T) => boolean {
  let negate = false;
  let s = spec;
  while (s.startsWith('!')) {
    negate = !negate;
    s = s.slice(1);
  }
  if (s === 'all') return () => !negate;
  if (s === 'none') return () => negate;
  const set = new Set<T>();
  for (const token of s.split(',')) {
    if (token !== '' && !member(token, set)) throw new FilterError(`invalid ${what} '${token}'`);
  }
  return (v) => set.has(v) !== negate;
}

/** A signal by number or name, with or without SIG, any case (strace's sigstr_to_uint). */
export function parseSignal(token: string): number | undefined {
  if (/^\d+$/.test(token)) {
    const n = Number(token);
    return n >= 1 && n <= 64 ? n : undefined;
  }
  const upper = token.toUpperCase();
  return signalByName(upper.startsWith('SIG') ? upper : 'SIG' + upper);
}

const signalSet = (spec: string) => parseSet<number>(spec, 'signal', (t, set) => {
  const n = parseSignal(t);
  if (n !== undefined) set.add(n);
  return n !== undefined;
});

const fdSet = (spec: string) => parseSet<number>(spec, 'descriptor', (t, set) => {
  if (!/^\d+$/.test(t)) return false;
  set.add(Number(t));
  return true;
});

function statusSet(spec: string): Set<CallStatus> {
  const has = parseSet<string>(spec, 'status', (t, set) => {
    if (!(STATUSES as readonly string[]).includes(t)) return false;
    set.add(t);
    return true;
  });
  return new Set(STATUSES.filter((s) => has(s)));
}

function quietSet(spec: string): Set<QuietMessage> {
  const has = parseSet<string>(spec, 'quiet', (t, set) => {
    const name = QUIET_NAMES[t];
    if (name !== undefined) set.add(name);
    return name !== undefined;
  });
  return new Set(Object.values(QUIET_NAMES).filter((q) => has(q)));
}

const XLAT_STYLES: readonly XlatStyle[] = ['raw', 'abbrev', 'verbose'];

/** The display an option set asks for; throws FilterError (a UserError) with strace's message. */
export function parseStraceOptions(v: StraceOptionValues): StraceDisplay {
  const all: SyscallPredicate = () => true;
  const display: StraceDisplay = {
    selected: selectSyscalls(v.expressions, { noVdso: v.noVdso }),
    stringLimit: v.stringLimit ?? 32,
    status: new Set(STATUSES),
    signals: () => true,
    abbrev: v.unabbreviated ? () => false : all,
    verbose: all,
    raw: () => false,
    readFds: () => false,
    writeFds: () => false,
    quiet: new Set(QUIET_LEVELS[Math.min(v.quiet ?? 0, 3)]),
    style: { xlat: 'abbrev', hexStrings: Math.min(v.hex ?? 0, 2) as HexStrings },
    decodeFds: Math.min(v.decodeFds ?? 0, 2),
    column: v.column ?? 40,
    timestamps: Math.min(v.timestamps ?? 0, 3),
    relative: v.relative ?? false,
    syscallTimes: v.syscallTimes ?? false,
    instructionPointer: v.instructionPointer ?? false,
    syscallNumbers: v.syscallNumbers ?? false,
    stackTrace: v.stackTrace ?? false,
    paths: v.paths ?? [],
  };
  if (v.xlat !== undefined) {
    if (!(XLAT_STYLES as readonly string[]).includes(v.xlat)) throw new FilterError(`invalid -X argument: '${v.xlat}'`);
    display.style = { ...display.style, xlat: v.xlat as XlatStyle };
  }
  for (const e of v.expressions) {
    const { qualifier, value } = splitQualifier(e);
    switch (qualifier) {
      case 'status':
        display.status = statusSet(value);
        break;
      case 'signal':
        display.signals = signalSet(value);
        break;
      case 'abbrev':
        display.abbrev = parseTraceExpression(value);
        break;
      case 'verbose':
        display.verbose = parseTraceExpression(value);
        break;
      case 'raw':
        display.raw = parseTraceExpression(value);
        break;
      case 'read':
        display.readFds = fdSet(value);
        break;
      case 'write':
        display.writeFds = fdSet(value);
        break;
      case 'quiet':
        display.quiet = new Set([...display.quiet, ...quietSet(value)]);
        break;
    }
  }
  // -z and -Z replace -e status= (strace: the last of them wins).
  const flag = v.statusFlags?.[v.statusFlags.length - 1];
  if (flag !== undefined) display.status = new Set([flag === 'z' ? 'successful' : 'failed']);
  return display;
}

/** The warning strace gives when both -z and -Z are on the command line. */
export function statusFlagsWarning(flags: readonly ('z' | 'Z')[] | undefined): string | null {
  return flags !== undefined && new Set(flags).size > 1
    ? 'Only the last of -z/--successful-only/-Z/--failed-only options will take effect. See status qualifier for more complex filters.'
    : null;
}

/** The display of a run with no strace options: every call, strace's defaults (library users,
 *  and callers that only choose the calls and the string limit). */
export function defaultDisplay(overrides: Partial<StraceDisplay> = {}): StraceDisplay {
  return { ...parseStraceOptions({ expressions: [] }), ...overrides };
}
