// futex(2): which arguments print, and how, depends on the operation.

import { argUint } from '../../trace/event.js';
import { argAddr, printStruct } from '../arg-kinds.js';
import { FUTEX_BITSET, FUTEX_OPS, FUTEX_WAKE_CMPS, FUTEX_WAKE_OPS } from '../constants/time.js';
import { printAddr } from '../strings.js';
import { TIMESPEC } from '../structs.js';
import type { ArgSpec, Call, MemRule } from '../types.js';
import { hex, printXval, xlookup } from '../xlat.js';

const WAIT = 0;
const WAKE = 1;
const FD = 2;
const REQUEUE = 3;
const CMP_REQUEUE = 4;
const WAKE_OP = 5;
const LOCK_PI = 6;
const UNLOCK_PI = 7;
const TRYLOCK_PI = 8;
const WAIT_BITSET = 9;
const WAKE_BITSET = 10;
const WAIT_REQUEUE_PI = 11;
const CMP_REQUEUE_PI = 12;
const LOCK_PI2 = 13;

const cmdOf = (args: Int32Array): number => args[2] & 127;

/** Commands whose fourth argument is a timeout rather than the number val2. */
const TIMEOUT_CMDS = new Set([WAIT, LOCK_PI, LOCK_PI2, WAIT_BITSET, WAIT_REQUEUE_PI]);
/** Commands that use uaddr2. */
const UADDR2_CMDS = new Set([REQUEUE, CMP_REQUEUE, CMP_REQUEUE_PI, WAKE_OP, WAIT_REQUEUE_PI]);
const KNOWN = new Set([WAIT, WAKE, FD, REQUEUE, CMP_REQUEUE, WAKE_OP, LOCK_PI, UNLOCK_PI, TRYLOCK_PI,
  WAIT_BITSET, WAKE_BITSET, WAIT_REQUEUE_PI, CMP_REQUEUE_PI, LOCK_PI2]);

/** strace's decoding of FUTEX_WAKE_OP's val3: `FUTEX_OP_SET<<28|0<<12|FUTEX_OP_CMP_GT<<24|0x1`. */
export function printWakeOp(v: number): string {
  let s = '';
  if ((v >>> 28) & 8) s += 'FUTEX_OP_OPARG_SHIFT<<28|';
  const op = xlookup(FUTEX_WAKE_OPS, (v >>> 28) & 7);
  s += (op ?? hex((v >>> 28) & 7)) + '<<28' + (op ? '' : ' /* FUTEX_OP_??? */') + '|';
  s += hex((v >>> 12) & 0xfff) + '<<12|';
  const cmp = xlookup(FUTEX_WAKE_CMPS, (v >>> 24) & 0xf);
  s += (cmp ?? hex((v >>> 24) & 0xf)) + '<<24' + (cmp ? '' : ' /* FUTEX_OP_CMP_??? */') + '|';
  return s + hex(v & 0xfff);
}

function show(i: number): (args: Int32Array) => boolean {
  return (args) => {
    const cmd = cmdOf(args);
    if (!KNOWN.has(cmd)) return true;
    switch (i) {
      case 2:
        return cmd !== UNLOCK_PI && cmd !== TRYLOCK_PI && cmd !== LOCK_PI && cmd !== LOCK_PI2;
      case 3:
        return TIMEOUT_CMDS.has(cmd) || cmd === REQUEUE || cmd === CMP_REQUEUE || cmd === CMP_REQUEUE_PI || cmd === WAKE_OP;
      case 4:
        return UADDR2_CMDS.has(cmd);
      case 5:
        return cmd === WAIT_BITSET || cmd === WAKE_BITSET || cmd === CMP_REQUEUE || cmd === CMP_REQUEUE_PI || cmd === WAKE_OP;
    }
    return true;
  };
}

function fmt(c: Call, i: number): string {
  const args = c.ev.args;
  const cmd = cmdOf(args);
  const known = KNOWN.has(cmd);
  switch (i) {
    case 2:
      return String(argUint(args, 2));
    case 3:
      if (!known) return printAddr(argAddr(args, 3));
      return TIMEOUT_CMDS.has(cmd) ? printStruct(c, argAddr(args, 3), TIMESPEC) : String(argUint(args, 3));
    case 4:
      return printAddr(argAddr(args, 4));
    default: {
      const v = argUint(args, 5);
      if (!known) return hex(v);
      if (cmd === WAKE_OP) return printWakeOp(v);
      if (cmd === WAIT_BITSET || cmd === WAKE_BITSET) return printXval(FUTEX_BITSET, v);
      return String(v);
    }
  }
}

const futexWord: MemRule = { kind: 'buffer', dir: 'inout', size: { fixed: 4 } };

/** futex's arguments after uaddr and op: val, timeout/val2, uaddr2, val3. */
export const futexArgs = (): ArgSpec[] => [
  { name: 'val', kind: 'futex_val', dir: 'in', show: show(2), fmt },
  {
    name: 'timeout',
    kind: 'futex_timeout',
    dir: 'in',
    mem: (args) => (TIMEOUT_CMDS.has(cmdOf(args)) && argAddr(args, 3) !== 0
      ? { kind: 'buffer', dir: 'in', size: { fixed: 16 } }
      : undefined),
    show: show(3),
    fmt,
  },
  {
    name: 'uaddr2',
    kind: 'futex_uaddr2',
    dir: 'inout',
    at: 'entry',
    mem: (args) => (UADDR2_CMDS.has(cmdOf(args)) ? futexWord : undefined),
    show: show(4),
    fmt,
  },
  { name: 'val3', kind: 'futex_val3', dir: 'in', show: show(5), fmt },
];

/** futex's op. */
export const futexOp = (name: string): ArgSpec => ({
  name,
  kind: 'futex_op',
  dir: 'in',
  fmt: (c, i) => printXval(FUTEX_OPS, argUint(c.ev.args, i), 'FUTEX_???'),
});

/** futex's uaddr: the futex word the kernel reads (and for the PI operations writes). */
export const futexAddr = (name: string): ArgSpec => ({
  name,
  kind: 'futex_word',
  dir: 'inout',
  at: 'entry',
  mem: futexWord,
  fmt: (c, i) => printAddr(argAddr(c.ev.args, i)),
});
