// strace's `-e trace=` expressions, turned into a predicate on syscall numbers (x86-64 ones, or
// i386 ones for a call made with INT 0x80: `origin.abi`).
//
//   parseTraceExpression('open,%file,!...')  → (nr, origin?) => boolean  (throws FilterError)
//   splitQualifier('trace=open')             → { qualifier: 'trace', value: 'open' }
//   traceFilterFromOption('open')            → the predicate for `-e open` (trace= implied)
//   selectSyscalls(['trace=%file', 'v=all']) → the predicate of a whole command line's `-e`s
//
// Grammar (strace 6.1, basic_filters.c): leading `!`s invert the whole set; `all` / `none`;
// otherwise comma-separated tokens, each one of: a syscall name, a number, `/regex` (matched
// anywhere in the name), a class (`%file`, `%desc`, `%process`, `%net`/`%network`, `%signal`,
// `%ipc`, `%memory`, `%stat`, `%lstat`, `%fstat`, `%%stat`, `%statfs`, `%fstatfs`, `%%statfs`,
// `%pure`, `%clock`, `%creds`, and the legacy `file`, `desc`, `process`, `network`, `signal`,
// `ipc`, `memory`, `all`); `?` before a token suppresses the error when it matches nothing;
// `@64`, `@32`, `@x32` after a token choose the personality (x86-64, i386 for INT 0x80 calls;
// nothing runs as x32). `--no-vdso` (selectSyscalls' option) leaves out the vDSO and vsyscall
// calls, which strace cannot see.

import { UserError } from '../errors.js';
import { allI386Syscalls, allSyscalls, i386ByName, i386ByNumber, syscallByName, syscallByNumber } from '../decode/index.js';
import type { SyscallRow, TraceClass } from '../decode/index.js';
import type { CallOrigin } from './event.js';

/** A bad `-e` expression; the message is strace's (`invalid system call 'foo'`). */
export class FilterError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'FilterError';
  }
}

/** Whether syscall number `nr` is traced. */
export type SyscallPredicate = (nr: number, origin?: CallOrigin) => boolean;

const CLASSES: Readonly<Record<string, TraceClass | 'all'>> = {
  '%desc': 'desc',
  '%file': 'file',
  '%memory': 'memory',
  '%process': 'process',
  '%creds': 'creds',
  '%signal': 'signal',
  '%ipc': 'ipc',
  '%net': 'network',
  '%network': 'network',
  '%stat': 'stat',
  '%lstat': 'lstat',
  '%fstat': 'fstat',
  '%%stat': 'stat_like',
  '%statfs': 'statfs',
  '%fstatfs': 'fstatfs',
  '%%statfs': 'statfs_like',
  '%pure': 'pure',
  '%clock': 'clock',
  all: 'all',
  desc: 'desc',
  file: 'file',
  memory: 'memory',
  process: 'process',
  signal: 'signal',
  ipc: 'ipc',
  network: 'network',
};

/**
 * Names strace knows only for the i386 personality: accepted (strace traces them in 32-bit
 * processes) but they match nothing here.
 */
const I386_ONLY = new Set(
  ('_llseek _newselect bdflush break chown32 clock_adjtime64 clock_getres_time64 clock_gettime64 ' +
    'clock_nanosleep_time64 clock_settime64 fadvise64_64 fchown32 fcntl64 fstat64 fstatat64 fstatfs64 ftime ' +
    'ftruncate64 futex_time64 getegid32 geteuid32 getgid32 getgroups32 getresgid32 getresuid32 getuid32 gtty ' +
    'idle io_pgetevents_time64 ipc lchown32 lock lstat64 mmap2 mpx mq_timedreceive_time64 mq_timedsend_time64 ' +
    'nice oldfstat oldlstat oldolduname oldstat olduname ppoll_time64 prof profil pselect6_time64 readdir ' +
    'recvmmsg_time64 rt_sigtimedwait_time64 sched_rr_get_interval_time64 semtimedop_time64 sendfile64 setfsgid32 ' +
    'setfsuid32 setgid32 setgroups32 setregid32 setresgid32 setresuid32 setreuid32 setuid32 sgetmask sigaction ' +
    'signal sigpending sigprocmask sigreturn sigsuspend socketcall ssetmask stat64 statfs64 stime stty ' +
    'timer_gettime64 timer_settime64 timerfd_gettime64 timerfd_settime64 truncate64 ugetrlimit ulimit umount ' +
    'utimensat_time64 vm86 vm86old waitpid').split(' '),
);

const PERSONALITIES = new Set(['64', '32', 'x32']);

/** The numbers a trace expression selects, in each personality's table. */
interface Selection {
  x86_64: Set<number>;
  i386: Set<number>;
}

/** Adds the numbers `token` designates to `sel`; false when it designates nothing. */
function qualifyToken(token: string, sel: Selection): boolean {
  let rc = false;
  while (token.startsWith('?')) {
    token = token.slice(1);
    rc = true;
  }
  let pers: Personality = 'any';
  const at = token.lastIndexOf('@');
  if (at >= 0) {
    const p = token.slice(at + 1);
    if (!PERSONALITIES.has(p)) {
      throw new FilterError(`incorrect personality designator '${p}' in qualification '${token}'`);
    }
    pers = p === '64' ? '64' : p === '32' ? '32' : 'other';
    token = token.slice(0, at);
  }
  return qualifyName(token, sel, pers) || rc;
}

/** Which personality a token names: x86-64 (`@64`), i386 (`@32`), x32 (nothing runs as it
 *  here), or any. */
type Personality = '64' | '32' | 'other' | 'any';

function qualifyName(token: string, sel: Selection, pers: Personality): boolean {
  // The tables a token looks in, with the set each adds to.
  const tables: [readonly SyscallRow[], Set<number>][] = [];
  if (pers === '64' || pers === 'any') tables.push([allSyscalls(), sel.x86_64]);
  if (pers === '32' || pers === 'any') tables.push([allI386Syscalls(), sel.i386]);
  const c = token.charCodeAt(0);
  if (c >= 0x30 && c <= 0x39) {
    if (!/^\d+$/.test(token)) return false;
    const nr = Number(token);
    if (syscallByNumber(nr) === undefined && i386ByNumber(nr) === undefined) return false;
    for (const [rows, set] of tables) if (rows.some((r) => r.nr === nr)) set.add(nr);
    return true;
  }
  if (token.startsWith('/')) {
    let re: RegExp;
    try {
      re = new RegExp(token.slice(1));
    } catch (e) {
      throw new FilterError(`regcomp: ${token.slice(1)}: ${(e as Error).message}`);
    }
    let found = allSyscalls().some((row) => re.test(row.name));
    for (const [rows, set] of tables) {
      for (const row of rows) {
        if (re.test(row.name)) {
          set.add(row.nr);
          found = true;
        }
      }
    }
    return found;
  }
  const cls = Object.prototype.hasOwnProperty.call(CLASSES, token) ? CLASSES[token] : undefined;
  if (cls !== undefined) {
    for (const [rows, set] of tables) for (const row of rows) if (cls === 'all' || row.classes.includes(cls)) set.add(row.nr);
    return true;
  }
  let found = false;
  for (const [rows, set] of tables) {
    const row = rows.find((r) => r.name === token);
    if (row !== undefined) {
      set.add(row.nr);
      found = true;
    }
  }
  if (found || syscallByName(token) !== undefined) return true;
  return pers !== '64' && (I386_ONLY.has(token) || i386ByName(token) !== undefined);
}

/** Parses the value of `-e trace=` into a predicate; throws FilterError with strace's message. */
export function parseTraceExpression(spec: string): SyscallPredicate {
  let negate = false;
  let s = spec;
  while (s.startsWith('!')) {
    negate = !negate;
    s = s.slice(1);
  }
  const sel: Selection = { x86_64: new Set<number>(), i386: new Set<number>() };
  if (s === 'none') return () => negate;
  if (s === 'all') return () => !negate;
  let done = false;
  for (const token of s.split(',')) {
    if (token === '') continue;
    done = qualifyToken(token, sel);
    if (!done) throw new FilterError(`invalid system call '${token}'`);
  }
  if (!done) throw new FilterError(`invalid system call '${spec}'`);
  return (nr, origin) => (origin?.abi === 'i386' ? sel.i386 : sel.x86_64).has(nr) !== negate;
}

/** strace's `-e` qualifiers and their aliases, by canonical name. */
const QUALIFIERS: Readonly<Record<string, string>> = {
  trace: 'trace',
  t: 'trace',
  abbrev: 'abbrev',
  a: 'abbrev',
  verbose: 'verbose',
  v: 'verbose',
  raw: 'raw',
  x: 'raw',
  signal: 'signal',
  signals: 'signal',
  s: 'signal',
  status: 'status',
  quiet: 'quiet',
  silent: 'quiet',
  silence: 'quiet',
  q: 'quiet',
  read: 'read',
  reads: 'read',
  r: 'read',
  write: 'write',
  writes: 'write',
  w: 'write',
  fault: 'fault',
  inject: 'inject',
  kvm: 'kvm',
  'decode-fd': 'decode-fd',
  'decode-fds': 'decode-fd',
  'decode-pid': 'decode-pid',
  'decode-pids': 'decode-pid',
  secontext: 'secontext',
};

/** Splits an `-e` argument into its qualifier (canonical name) and value; without a known
 *  `qualifier=` prefix the whole argument is a trace expression, as in strace. */
export function splitQualifier(expr: string): { qualifier: string; value: string } {
  const eq = expr.indexOf('=');
  if (eq > 0) {
    const q = expr.slice(0, eq);
    if (Object.prototype.hasOwnProperty.call(QUALIFIERS, q)) return { qualifier: QUALIFIERS[q], value: expr.slice(eq + 1) };
  }
  return { qualifier: 'trace', value: expr };
}

/** The predicate of an `-e` argument when it is about tracing (`trace=…`, `t=…` or a bare
 *  expression), else undefined. */
export function traceFilterFromOption(expr: string): SyscallPredicate | undefined {
  const { qualifier, value } = splitQualifier(expr);
  return qualifier === 'trace' ? parseTraceExpression(value) : undefined;
}

/**
 * The syscalls selected by a list of `-e` arguments, in command-line order: each trace expression
 * replaces the previous one, as in strace; other qualifiers are left to their own handlers.
 * With no trace expression every syscall is selected.
 */
export function selectSyscalls(expressions: readonly string[], options: { noVdso?: boolean } = {}): SyscallPredicate {
  let selected: SyscallPredicate = () => true;
  for (const e of expressions) {
    const p = traceFilterFromOption(e);
    if (p !== undefined) selected = p;
  }
  if (!options.noVdso) return selected;
  const expression = selected;
  return (nr, origin) => origin?.via === undefined && expression(nr, origin);
}
