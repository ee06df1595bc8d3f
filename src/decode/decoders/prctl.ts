// prctl(2): how many arguments follow the option and how each prints depends on the option (and
// sometimes on the second argument), as in strace's prctl.c. One layout per option, as data.

import { argHex, argInt, argLong, argUint, argUlong, argExact } from '../../trace/event.js';
import { argAddr, argUdec, argSdec, failed, printStruct, type StructSpec } from '../arg-kinds.js';
import { i32, u32, u64hex } from '../bytes.js';
import {
  CAPS, PR_CAP_AMBIENT, PR_DUMPABLE, PR_FP_MODE, PR_MCE_KILL, PR_MCE_KILL_POLICY, PR_SET_MM, PR_SET_VMA,
  PR_SPEC_CMDS, PR_SPEC_GET_FLAGS, PR_SPEC_SET_FLAGS, PR_SUD_CMDS, PR_TSC, PR_UNALIGN_FLAGS, PRCTL_OPTIONS,
  SECBITS, SECCOMP_MODES,
} from '../constants/prctl.js';
import { printSignal } from '../constants/signals.js';
import { printAddr, printCString, printStringN } from '../strings.js';
import { styled } from '../style.js';
import type { ArgSpec, Call, Dir, MemRule, RetFormatter } from '../types.js';
import { hex, printFlags, printXval, sprintFlags, udec, xlookup, type Xlat } from '../xlat.js';
import { SOCK_FPROG } from './seccomp.js';

/** Prints argument `reg` of the call. */
type Printer = (c: Call, reg: number) => string;

interface Layout {
  /** Printers of the arguments after the option, in order; fewer than four: the rest unprinted. */
  readonly args: readonly Printer[];
  /** The first of them is written by the kernel and printed at exit. */
  readonly out?: MemRule;
  /** What the first of them points to when the kernel reads it. */
  readonly in?: MemRule;
  readonly ret?: RetFormatter;
}

const TASK_COMM_LEN = 16;

const hexArg: Printer = (c, r) => argHex(c.ev.args, r);
const udecArg: Printer = (c, r) => argUdec(c.ev.args, r);
const xval64 = (x: Xlat, dflt: string): Printer => (c, r) => printXval(x, argExact(c.ev.args, r), dflt);
const flags64 = (x: Xlat, dflt: string): Printer => (c, r) => printFlags(x, argExact(c.ev.args, r), dflt);

/** An int (or pointer-sized value) the kernel writes through argument 2: `[N]`, the address on
 *  failure. */
function outRef(size: number, show: (b: Uint8Array) => string): Printer {
  const s: StructSpec = { kind: 'prctl_out', size, print: (b) => '[' + show(b) + ']' };
  return (c, r) => printStruct(c, argAddr(c.ev.args, r), s);
}

/** Arguments `from`..5 in hex (strace's print_prctl_args). */
const restHex = (from: number): Printer[] => Array.from({ length: 5 - from }, () => hexArg);

/** `1 (SUID_DUMP_USER)`: the result and its name, when it has one. */
const retNamed =
  (x: Xlat): RetFormatter =>
  (c) => {
    const name = xlookup(x, c.ev.ret);
    return name === undefined ? udec(c.ev.ret) : udec(c.ev.ret) + ' (' + name + ')';
  };

/** `0x1 (SECBIT_NOROOT)`: a non-zero result in hex with its flags. */
const retFlags =
  (x: Xlat): RetFormatter =>
  (c) => {
    if (c.ev.ret === 0) return '0';
    return hex(c.ev.ret) + ' (' + (sprintFlags('', x, c.ev.ret) ?? '') + ')';
  };

/** PR_GET_SPECULATION_CTRL's result: its flags, PR_SPEC_NOT_AFFECTED for 0. */
const retSpec: RetFormatter = (c) => hex(c.ev.ret) + ' (' + (sprintFlags('', PR_SPEC_GET_FLAGS, c.ev.ret) ?? '') + ')';

/** PR_GET_NAME's buffer: the name on success. */
const getName: Printer = (c, r) => {
  const addr = argAddr(c.ev.args, r);
  return failed(c) ? printAddr(addr) : printStringN(c, addr, TASK_COMM_LEN);
};

const NO_ARGS: Layout = { args: [] };
const DEFAULT: Layout = { args: restHex(1) };
const OUT_INT = { kind: 'buffer', dir: 'out', size: { fixed: 4 } } as const;
const uintOut = outRef(4, (b) => String(u32(b, 0)));

/** Per option (by number, named in the comments), its layout, or a function of the arguments
 *  choosing one. Options not here print four hex arguments. */
const LAYOUTS = new Map<number, Layout | ((args: Int32Array) => Layout)>([
  // PR_SET_PDEATHSIG, PR_GET_PDEATHSIG
  [1, { args: [(c, r) => (argUlong(c.ev.args, r) > 128 ? argUdec(c.ev.args, r) : printSignal(argInt(c.ev.args, r)))] }],
  [2, { args: [outRef(4, (b) => printSignal(i32(b, 0)))], out: OUT_INT }],
  // PR_GET_DUMPABLE, PR_SET_DUMPABLE
  [3, { args: [], ret: retNamed(PR_DUMPABLE) }],
  [4, { args: [xval64(PR_DUMPABLE, 'SUID_DUMP_???')] }],
  // PR_GET_UNALIGN, PR_SET_UNALIGN
  [5, { args: [outRef(4, (b) => printFlags(PR_UNALIGN_FLAGS, u32(b, 0), 'PR_UNALIGN_???'))], out: OUT_INT }],
  [6, { args: [(c, r) => printFlags(PR_UNALIGN_FLAGS, argUint(c.ev.args, r), 'PR_UNALIGN_???')] }],
  // PR_GET_KEEPCAPS, PR_SET_KEEPCAPS
  [7, NO_ARGS],
  [8, { args: [udecArg] }],
  // PR_GET_FPEMU, PR_SET_FPEMU, PR_GET_FPEXC, PR_SET_FPEXC, PR_GET_TIMING, PR_SET_TIMING
  [9, { args: [uintOut], out: OUT_INT }],
  [10, { args: [udecArg] }],
  [11, { args: [uintOut], out: OUT_INT }],
  [12, { args: [udecArg] }],
  [13, NO_ARGS],
  [14, { args: [udecArg] }],
  // PR_SET_NAME, PR_GET_NAME
  [15, { args: [(c, r) => printStringN(c, argAddr(c.ev.args, r), TASK_COMM_LEN - 1)], in: { kind: 'cstring' } }],
  [16, { args: [getName], out: { kind: 'buffer', dir: 'out', size: { fixed: TASK_COMM_LEN } } }],
  // PR_GET_ENDIAN, PR_SET_ENDIAN
  [19, { args: [uintOut], out: OUT_INT }],
  [20, { args: [udecArg] }],
  // PR_GET_SECCOMP, PR_SET_SECCOMP
  [21, NO_ARGS],
  [22, (args) => {
    const mode = argLong(args, 1);
    const first = xval64(SECCOMP_MODES, 'SECCOMP_MODE_???');
    if (mode === 1) return { args: [first] };
    if (mode === 2) return { args: [first, (c, r) => printStruct(c, argAddr(c.ev.args, r), SOCK_FPROG)] };
    return { args: [first, ...restHex(2)] };
  }],
  // PR_CAPBSET_READ, PR_CAPBSET_DROP
  [23, { args: [xval64(CAPS, 'CAP_???')] }],
  [24, { args: [xval64(CAPS, 'CAP_???')] }],
  // PR_GET_TSC, PR_SET_TSC
  [25, { args: [outRef(4, (b) => printXval(PR_TSC, u32(b, 0), 'PR_TSC_???'))], out: OUT_INT }],
  [26, { args: [(c, r) => printXval(PR_TSC, argUint(c.ev.args, r), 'PR_TSC_???')] }],
  // PR_GET_SECUREBITS, PR_SET_SECUREBITS
  [27, { args: [], ret: retFlags(SECBITS) }],
  [28, { args: [flags64(SECBITS, 'SECBIT_???')] }],
  // PR_SET_TIMERSLACK, PR_GET_TIMERSLACK, PR_TASK_PERF_EVENTS_DISABLE, _ENABLE
  [29, { args: [(c, r) => argSdec(c.ev.args, r)] }],
  [30, NO_ARGS],
  [31, NO_ARGS],
  [32, NO_ARGS],
  // PR_MCE_KILL, PR_MCE_KILL_GET
  [33, (args) => ({
    args: [
      xval64(PR_MCE_KILL, 'PR_MCE_KILL_???'),
      argLong(args, 1) === 1 ? xval64(PR_MCE_KILL_POLICY, 'PR_MCE_KILL_???') : hexArg,
      ...restHex(3),
    ],
  })],
  [34, { args: restHex(1), ret: retNamed(PR_MCE_KILL_POLICY) }],
  // PR_SET_MM, PR_SET_CHILD_SUBREAPER, PR_GET_CHILD_SUBREAPER, PR_SET_NO_NEW_PRIVS
  [35, { args: [(c, r) => printXval(PR_SET_MM, argUint(c.ev.args, r), 'PR_SET_MM_???'), ...restHex(2)] }],
  [36, { args: [udecArg] }],
  [37, { args: [uintOut], out: OUT_INT }],
  [38, { args: [udecArg, ...restHex(2)] }],
  // PR_GET_TID_ADDRESS, PR_SET_THP_DISABLE
  [40, { args: [outRef(8, (b) => u64hex(b, 0))], out: { kind: 'buffer', dir: 'out', size: { fixed: 8 } } }],
  [41, { args: [udecArg, ...restHex(2)] }],
  // PR_SET_FP_MODE, PR_GET_FP_MODE
  [45, { args: [(c, r) => printFlags(PR_FP_MODE, argUint(c.ev.args, r), 'PR_FP_MODE_???')] }],
  [46, { args: [], ret: retFlags(PR_FP_MODE) }],
  // PR_CAP_AMBIENT: a capability follows for RAISE, LOWER and IS_SET
  [47, (args) => {
    const sub = argLong(args, 1);
    const first = xval64(PR_CAP_AMBIENT, 'PR_CAP_AMBIENT_???');
    if (sub >= 1 && sub <= 3) return { args: [first, xval64(CAPS, 'CAP_???'), ...restHex(3)] };
    return { args: [first, ...restHex(2)] };
  }],
  // PR_GET_SPECULATION_CTRL, PR_SET_SPECULATION_CTRL
  [52, (args) => ({ args: [xval64(PR_SPEC_CMDS, 'PR_SPEC_???')], ret: argLong(args, 1) <= 2 ? retSpec : undefined })],
  [53, (args) => ({
    args: [xval64(PR_SPEC_CMDS, 'PR_SPEC_???'), argLong(args, 1) <= 2 ? xval64(PR_SPEC_SET_FLAGS, 'PR_SPEC_???') : hexArg],
  })],
  // PR_SET_IO_FLUSHER, PR_SET_SYSCALL_USER_DISPATCH
  [57, { args: [udecArg, ...restHex(2)] }],
  [59, { args: [xval64(PR_SUD_CMDS, 'PR_SYS_DISPATCH_???'), hexArg, hexArg, (c, r) => printAddr(argAddr(c.ev.args, r))] }],
  // PR_SET_VMA
  [0x53564d41, (args) =>
    argLong(args, 1) === 0
      ? { args: [xval64(PR_SET_VMA, 'PR_SET_VMA_???'), (c, r) => printAddr(argAddr(c.ev.args, r)), udecArg, (c, r) => printCString(c, argAddr(c.ev.args, r))] }
      : { args: [xval64(PR_SET_VMA, 'PR_SET_VMA_???'), ...restHex(2)] }],
  // PR_SET_PTRACER
  [0x59616d61, { args: [(c, r) => (argInt(c.ev.args, r) === -1 ? styled('-1', 'PR_SET_PTRACER_ANY') : argSdec(c.ev.args, r))] }],
]);

function layoutOf(args: Int32Array): Layout {
  const l = LAYOUTS.get(argUint(args, 0)) ?? DEFAULT;
  return typeof l === 'function' ? l(args) : l;
}

/** prctl's option. */
export const prctlOption = (name: string): ArgSpec => ({
  name,
  kind: 'prctl_option',
  dir: 'in',
  fmt: (c, i) => printXval(PRCTL_OPTIONS, argUint(c.ev.args, i), 'PR_???'),
});

/** Argument `reg` (1..4) of prctl: printed, and how, as the option's layout says. */
const prctlArg = (reg: number): ArgSpec => ({
  name: 'arg' + (reg + 1),
  kind: 'prctl_arg',
  dir: (args): Dir => (reg === 1 && layoutOf(args).out ? 'out' : 'in'),
  at: (args) => (reg === 1 && layoutOf(args).out ? 'exit' : 'entry'),
  mem: reg === 1 ? (args) => layoutOf(args).out ?? layoutOf(args).in : undefined,
  show: (args) => reg <= layoutOf(args).args.length,
  fmt: (c, i) => layoutOf(c.ev.args).args[i - 1](c, i),
});

/** prctl's arguments after the option. */
export const prctlArgs = (): ArgSpec[] => [1, 2, 3, 4].map(prctlArg);

/** prctl's result: a name or flags for some options, decimal otherwise. */
export const prctlRet: RetFormatter = (c) => (layoutOf(c.ev.args).ret ?? ((d) => udec(d.ev.ret)))(c);
