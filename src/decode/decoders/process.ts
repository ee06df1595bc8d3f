// Processes: clone, clone3, execve, execveat, wait4, waitid, and the resource usage they and
// getrusage/times report.

import { argExact, argInt, argUint, argUlong } from '../../trace/event.js';
import type { U64 } from '../../trace/event.js';
import { argAddr, failed, printStruct, type StructSpec } from '../arg-kinds.js';
import { i32, u32, u64, u64dec, u64hex, u64x } from '../bytes.js';
import { CLONE3_FLAGS, CLONE_FLAGS, WAIT4_OPTIONS, WAITID_TYPES } from '../constants/process.js';
import { printSignal } from '../constants/signals.js';
import { printFd } from '../fds.js';
import { EXTENSIBLE_STRUCT_MAX, printAddr, printCString, printStructTail } from '../strings.js';
import { TIMEVAL } from '../structs.js';
import type { ArgSpec, Call } from '../types.js';
import { hex, printFlags, printXval, type Xlat } from '../xlat.js';

const CLONE_PIDFD = 0x1000;
const CLONE_SETTLS = 0x80000;
const CLONE_PARENT_SETTID = 0x100000;
const CLONE_CHILD_CLEARTID = 0x200000;
const CLONE_CHILD_SETTID = 0x1000000;
/** The exit signal's bits in clone's flags. */
const CSIGNAL = 0xff;

/** An int the kernel writes: a pid `[1235]`, or a descriptor `[3]` (CLONE_PIDFD). */
const PID_REF: StructSpec = { kind: 'pid_t', size: 4, print: (b) => '[' + i32(b, 0) + ']' };
const FD_REF: StructSpec = { kind: 'int', size: 4, print: (b, c) => '[' + printFd(c, i32(b, 0)) + ']' };

/** clone's flags: the CLONE_* names and then the exit signal, `CLONE_VM|SIGCHLD`. */
function printCloneFlags(args: Int32Array): string {
  const sig = argUint(args, 0) & CSIGNAL;
  const v = argExact(args, 0);
  const flags = typeof v === 'bigint' ? v - BigInt(sig) : v - sig;
  if (flags === 0) return printSignal(sig);
  return printFlags(CLONE_FLAGS, flags, 'CLONE_???') + (sig ? '|' + printSignal(sig) : '');
}

const cloneHas = (bits: number) => (args: Int32Array) => (argUint(args, 0) & bits) !== 0;

/** A pointer printed at exit as `name=0x…`, from register `reg`. */
const namedPtr = (name: string, reg: number, bits: number): ArgSpec => ({
  name,
  kind: 'ptr',
  dir: 'in',
  at: 'exit',
  separatorAtExit: true,
  show: cloneHas(bits),
  fmt: (c) => name + '=' + printAddr(argAddr(c.ev.args, reg)),
});

/**
 * clone's arguments in strace's order (x86-64 registers: flags, stack, parent_tid, child_tid,
 * tls): `child_stack=`, `flags=`, then at exit the pointers the flags make the kernel use.
 */
export function cloneArgs(): ArgSpec[] {
  return [
    { name: 'child_stack', kind: 'ptr', dir: 'in', fmt: (c) => 'child_stack=' + printAddr(argAddr(c.ev.args, 1)) },
    { name: 'flags', kind: 'clone_flags', dir: 'in', fmt: (c) => 'flags=' + printCloneFlags(c.ev.args) },
    {
      name: 'parent_tid',
      kind: 'pid_t*',
      dir: 'out',
      separatorAtExit: true,
      show: cloneHas(CLONE_PARENT_SETTID | CLONE_PIDFD),
      fmt: (c) => {
        const ref = argUint(c.ev.args, 0) & CLONE_PARENT_SETTID ? PID_REF : FD_REF;
        return 'parent_tid=' + printStruct(c, argAddr(c.ev.args, 2), ref);
      },
    },
    namedPtr('tls', 4, CLONE_SETTLS),
    namedPtr('child_tidptr', 3, CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID),
  ];
}

// ---------------------------------------------------------------- clone3

/** The struct clone_args strace knows (up to cgroup), and the least the kernel accepts. */
const CLONE_ARGS_SIZE = 88;
const CLONE_ARGS_MIN = 64;
const INT_MAX = 0x7fffffff;

const addr64 = (b: Uint8Array, off: number): string => printAddr(u64x(b, off));

function printCloneArgs(c: Call, b: Uint8Array, fetched: number): string {
  const flags = u64x(b, 0);
  const lo = u32(b, 0);
  const f = ['flags=' + printFlags(CLONE3_ALL, flags, 'CLONE_???')];
  if (lo & CLONE_PIDFD) f.push('pidfd=' + addr64(b, 8));
  if (lo & (CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID)) f.push('child_tid=' + addr64(b, 16));
  if (lo & CLONE_PARENT_SETTID) f.push('parent_tid=' + addr64(b, 24));
  const exitSignal = u64(b, 32);
  f.push('exit_signal=' + (exitSignal < INT_MAX ? printSignal(exitSignal) : u64dec(b, 32)));
  f.push('stack=' + addr64(b, 40), 'stack_size=' + u64hex(b, 48));
  if (lo & CLONE_SETTLS) f.push('tls=' + addr64(b, 56));
  const setTid = u64(b, 64);
  const setTidSize = u64(b, 72);
  if (setTid || setTidSize) {
    if (!setTid || !setTidSize || setTidSize > 32) f.push('set_tid=' + printAddr(u64x(b, 64)));
    else {
      const tids = c.mem.readBytes(setTid, 4 * setTidSize);
      const list: string[] = [];
      for (let k = 0; tids !== null && k < setTidSize; k++) list.push(String(i32(tids, 4 * k)));
      f.push('set_tid=' + (tids === null ? hex(u64x(b, 64)) : '[' + list.join(', ') + ']'));
    }
    f.push('set_tid_size=' + u64dec(b, 72));
  }
  // CLONE_INTO_CGROUP is bit 33: bit 1 of the high word.
  if (fetched > 80 && (u64(b, 80) || u32(b, 4) & 2)) f.push('cgroup=' + u64dec(b, 80));
  return '{' + f.join(', ');
}

const CLONE3_ALL: Xlat = [...CLONE_FLAGS, ...CLONE3_FLAGS];

/** clone3's struct clone_args: at entry, then at exit ` => {pidfd=[3], parent_tid=[1001]}`. */
export const cloneArgsStruct = (name: string): ArgSpec => ({
  name,
  kind: 'clone_args',
  dir: 'in',
  mem: (args) => ({ kind: 'buffer', dir: 'in', size: { fixed: Math.min(argUlong(args, 1), EXTENSIBLE_STRUCT_MAX) } }),
  fmt: (c, i) => {
    const addr = argAddr(c.ev.args, i);
    const fetch = Math.min(argUlong(c.ev.args, 1), CLONE_ARGS_SIZE);
    if (fetch < CLONE_ARGS_MIN || addr === 0 || typeof addr === 'bigint') return printAddr(addr);
    const b = c.mem.readBytes(addr, fetch);
    if (b === null) return hex(addr);
    const full = new Uint8Array(CLONE_ARGS_SIZE);
    full.set(b);
    return printCloneArgs(c, full, fetch) + printStructTail(c, addr, CLONE_ARGS_SIZE, argUlong(c.ev.args, 1)) + '}';
  },
  suffix: (c, i) => {
    const addr = argAddr(c.ev.args, i);
    if (failed(c) || argUlong(c.ev.args, 1) < CLONE_ARGS_MIN) return '';
    const b = typeof addr === 'bigint' ? null : c.mem.readBytes(addr, 32);
    if (b === null) return ' => ' + hex(addr);
    const out: string[] = [];
    const lo = u64(b, 0) % 2 ** 32;
    if (lo & CLONE_PIDFD) out.push('pidfd=' + printStruct(c, u64(b, 8), FD_REF));
    if (lo & CLONE_PARENT_SETTID) out.push('parent_tid=' + printStruct(c, u64(b, 24), PID_REF));
    return out.length === 0 ? '' : ' => {' + out.join(', ') + '}';
  },
});

// ---------------------------------------------------------------- execve

/** strace's printargv: `["ls", "-l"]`, at most -s strings when abbreviated. */
function printArgv(c: Call, addr: U64): string {
  // An address of 2^53 or more is never readable: printed exactly.
  if (typeof addr === 'bigint') return hex(addr);
  if (addr === 0 || !c.opts.verbose) return printAddr(addr);
  const parts: string[] = [];
  for (let n = 0; ; n++) {
    const w = c.mem.readBytes(addr + 8 * n, 8);
    if (w === null) {
      if (n === 0) return hex(addr);
      parts.push('... /* ' + hex(addr + 8 * n) + ' */');
      break;
    }
    const word = u64x(w, 0);
    if (word === 0) break;
    if (c.opts.abbreviate && n >= c.opts.stringLimit) {
      parts.push('...');
      break;
    }
    parts.push(printCString(c, word));
  }
  return '[' + parts.join(', ') + ']';
}

/** strace's printargc (the abbreviated environment): `0x7ffd… /* 23 vars *\/`. */
function printArgc(c: Call, addr: U64): string {
  // An address of 2^53 or more is never readable: printed exactly.
  if (typeof addr === 'bigint') return hex(addr);
  if (addr === 0 || !c.opts.verbose) return printAddr(addr);
  let n = 0;
  let unterminated = false;
  for (; ; n++) {
    const w = c.mem.readBytes(addr + 8 * n, 8);
    if (w === null) {
      if (n === 0) return hex(addr);
      unterminated = true;
      break;
    }
    if (u64(w, 0) === 0) break;
  }
  return hex(addr) + ' /* ' + n + ' var' + (n === 1 ? '' : 's') + (unterminated ? ', unterminated' : '') + ' */';
}

export const argvArg = (name: string): ArgSpec => ({
  name,
  kind: 'argv',
  dir: 'in',
  fmt: (c, i) => printArgv(c, argAddr(c.ev.args, i)),
});

/** The environment: its count of variables unless -v. */
export const envpArg = (name: string): ArgSpec => ({
  name,
  kind: 'envp',
  dir: 'in',
  fmt: (c, i) => (c.opts.abbreviate ? printArgc : printArgv)(c, argAddr(c.ev.args, i)),
});

// ---------------------------------------------------------------- wait4, waitid

const PTRACE_EVENTS: Xlat = [
  [1, 'PTRACE_EVENT_FORK'], [2, 'PTRACE_EVENT_VFORK'], [3, 'PTRACE_EVENT_CLONE'], [4, 'PTRACE_EVENT_EXEC'],
  [5, 'PTRACE_EVENT_VFORK_DONE'], [6, 'PTRACE_EVENT_EXIT'], [7, 'PTRACE_EVENT_SECCOMP'], [0x80, 'PTRACE_EVENT_STOP'],
];

/** strace's printstatus: `[{WIFEXITED(s) && WEXITSTATUS(s) == 0}]`. */
export function printWaitStatus(status: number): string {
  let s = status >>> 0;
  const low = s & 0x7f;
  let text: string;
  if ((s & 0xff) === 0x7f) {
    const sig = (s >>> 8) & 0xff;
    text = '{WIFSTOPPED(s) && WSTOPSIG(s) == ' + printSignal(sig & 0x7f) + (sig & 0x80 ? ' | 0x80' : '') + '}';
    s = (s & ~((sig << 8) | 0x7f)) >>> 0;
  } else if (low !== 0 && low !== 0x7f) {
    text = '{WIFSIGNALED(s) && WTERMSIG(s) == ' + printSignal(low) + (s & 0x80 ? ' && WCOREDUMP(s)' : '') + '}';
    s = (s & ~0xff) >>> 0;
  } else if (low === 0) {
    text = '{WIFEXITED(s) && WEXITSTATUS(s) == ' + ((s >>> 8) & 0xff) + '}';
    s = (s & ~0xff00) >>> 0;
  } else if (s === 0xffff) {
    text = '{WIFCONTINUED(s)}';
    s = 0;
  } else {
    return '[' + hex(s) + ']';
  }
  if (s !== 0) {
    const event = s >>> 16;
    if (event) {
      text += '|' + printXval(PTRACE_EVENTS, event, 'PTRACE_EVENT_???') + '<<16';
      s &= 0xffff;
    }
    if (s) text += '|' + hex(s);
  }
  return '[' + text + ']';
}

const WAIT_STATUS: StructSpec = { kind: 'int', size: 4, print: (b) => printWaitStatus(i32(b, 0)) };

/** wait4's status: printed at exit, the address when nothing was reaped. */
export const waitStatus = (name: string): ArgSpec => ({
  name,
  kind: 'wstatus',
  dir: 'out',
  mem: { kind: 'buffer', dir: 'out', size: { fixed: 4 } },
  fmt: (c, i) => {
    const addr = argAddr(c.ev.args, i);
    return c.ev.ret === 0 ? printAddr(addr) : printStruct(c, addr, WAIT_STATUS);
  },
});

/** wait4's and waitid's options, printed at exit as strace does. */
export const waitOptions = (name: string): ArgSpec => ({
  name,
  kind: 'flags',
  dir: 'in',
  at: 'exit',
  fmt: (c, i) => printFlags(WAIT4_OPTIONS, argUint(c.ev.args, i), 'W???'),
});

/** waitid's id: a pid, a process group, or a pidfd, as idtype says. */
export const waitidId = (name: string): ArgSpec => ({
  name,
  kind: 'id_t',
  dir: 'in',
  fmt: (c, i) => (argUint(c.ev.args, 0) === 3 ? printFd(c, argInt(c.ev.args, i)) : String(argInt(c.ev.args, i))),
});

export const waitidType = (name: string): ArgSpec => ({
  name,
  kind: 'enum',
  dir: 'in',
  fmt: (c, i) => printXval(WAITID_TYPES, argUint(c.ev.args, i), 'P_???'),
});

// ---------------------------------------------------------------- resource usage

const RUSAGE_COUNTERS = [
  'ru_maxrss', 'ru_ixrss', 'ru_idrss', 'ru_isrss', 'ru_minflt', 'ru_majflt', 'ru_nswap', 'ru_inblock',
  'ru_oublock', 'ru_msgsnd', 'ru_msgrcv', 'ru_nsignals', 'ru_nvcsw', 'ru_nivcsw',
];

/** struct rusage (144 bytes): the two times, then `...` unless -v. */
export const RUSAGE: StructSpec = {
  kind: 'rusage',
  size: 144,
  print: (b, c) => {
    const times = 'ru_utime=' + TIMEVAL.print(b.subarray(0, 16), c) + ', ru_stime=' + TIMEVAL.print(b.subarray(16, 32), c);
    if (c.opts.abbreviate) return '{' + times + ', ...}';
    return '{' + times + RUSAGE_COUNTERS.map((f, k) => ', ' + f + '=' + u64dec(b, 32 + 8 * k)).join('') + '}';
  },
};

/** wait4's rusage: written only when a child was reaped (a positive result). */
export const waitRusage = (name: string): ArgSpec => ({
  name,
  kind: 'rusage',
  dir: 'out',
  mem: { kind: 'buffer', dir: 'out', size: { fixed: RUSAGE.size } },
  fmt: (c, i) => {
    const addr = argAddr(c.ev.args, i);
    return c.ev.ret > 0 ? printStruct(c, addr, RUSAGE) : printAddr(addr);
  },
});

/** struct tms (times): `{tms_utime=0, tms_stime=0, tms_cutime=0, tms_cstime=0}`. */
export const TMS: StructSpec = {
  kind: 'tms',
  size: 32,
  print: (b) =>
    '{tms_utime=' + u64dec(b, 0) + ', tms_stime=' + u64dec(b, 8) + ', tms_cutime=' + u64dec(b, 16) + ', tms_cstime=' + u64dec(b, 24) + '}',
};
