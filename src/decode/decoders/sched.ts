// Scheduling, personality and host-name decoders: sched_getscheduler's result, personas,
// I/O priorities, sethostname's name (strace's sched.c, personality.c, ioprio.c, hostname.c).

import { argUint } from '../../trace/event.js';
import { argAddr } from '../arg-kinds.js';
import { IOPRIO_CLASSES, PER_MASK, PERSONALITY_FLAGS, PERSONALITY_TYPES, SCHEDULERS } from '../constants/sched.js';
import { printAddr, printBuffer } from '../strings.js';
import type { ArgSpec, RetFormatter } from '../types.js';
import { hex, printFlags, printXval, sprintFlags, udec, xlookup } from '../xlat.js';

/** sched_getscheduler: `0 (SCHED_OTHER)`; a policy with SCHED_RESET_ON_FORK has no name. */
export const RET_SCHEDULER: RetFormatter = (c) => {
  const name = xlookup(SCHEDULERS, c.ev.ret);
  return name === undefined ? udec(c.ev.ret) : `${c.ev.ret} (${name})`;
};

/** A persona: the type (low byte), then the flags: `PER_LINUX|ADDR_NO_RANDOMIZE`. */
function printPersona(v: number): string {
  const type = printXval(PERSONALITY_TYPES, v & PER_MASK, 'PER_???');
  const flags = (v & ~PER_MASK) >>> 0;
  return flags ? type + '|' + printFlags(PERSONALITY_FLAGS, flags) : type;
}

/** personality's argument: 0xffffffff (only asks) in hex, any other as a persona. */
export const persona = (name: string): ArgSpec => ({
  name,
  kind: 'persona',
  dir: 'in',
  fmt: (c, i) => {
    const v = argUint(c.ev.args, i);
    return v === 0xffffffff ? '0xffffffff' : printPersona(v);
  },
});

/** personality's result, the previous persona: `0x40000 (PER_LINUX|ADDR_NO_RANDOMIZE)`. */
export const RET_PERSONA: RetFormatter = (c) => {
  const v = c.ev.ret >>> 0;
  const type = printXval(PERSONALITY_TYPES, v & PER_MASK, 'PER_???');
  return `${hex(v)} (${type}${sprintFlags('|', PERSONALITY_FLAGS, (v & ~PER_MASK) >>> 0) ?? ''})`;
};

/** strace's sprint_ioprio: `IOPRIO_PRIO_VALUE(IOPRIO_CLASS_BE, 4)`. */
function printIoprio(v: number): string {
  const u = v >>> 0;
  return `IOPRIO_PRIO_VALUE(${printXval(IOPRIO_CLASSES, Math.floor(u / 8192), 'IOPRIO_CLASS_???')}, ${u & 0x1fff})`;
}

/** ioprio_set's priority. */
export const ioprio = (name: string): ArgSpec => ({
  name,
  kind: 'ioprio',
  dir: 'in',
  fmt: (c, i) => printIoprio(argUint(c.ev.args, i)),
});

/** ioprio_get's result: `16388 (IOPRIO_PRIO_VALUE(IOPRIO_CLASS_BE, 4))`. */
export const RET_IOPRIO: RetFormatter = (c) => `${udec(c.ev.ret)} (${printIoprio(c.ev.ret)})`;

/** __NEW_UTS_LEN: a longer name is refused, and printed as its address. */
const NEW_UTS_LEN = 64;

/** sethostname's and setdomainname's name: `len` bytes, not NUL-terminated. */
export const utsName = (name: string, lenArg: number): ArgSpec => ({
  name,
  kind: 'char[]',
  dir: 'in',
  mem: (args) => {
    const len = argUint(args, lenArg);
    return len > 0 && len <= NEW_UTS_LEN ? { kind: 'buffer', dir: 'in', size: { arg: lenArg } } : undefined;
  },
  fmt: (c, i) => {
    const len = argUint(c.ev.args, lenArg);
    const addr = argAddr(c.ev.args, i);
    return len > NEW_UTS_LEN ? printAddr(addr) : printBuffer(c, addr, len);
  },
});
