// seccomp(2), and the filter program it shares with prctl(PR_SET_SECCOMP).

import { argUint } from '../../trace/event.js';
import { argAddr, printStruct, type StructSpec } from '../arg-kinds.js';
import { u16, u32, u64, u64x } from '../bytes.js';
import { SECCOMP_FILTER_FLAGS, SECCOMP_OPS, SECCOMP_RET_ACTIONS } from '../constants/prctl.js';
import { printAddr } from '../strings.js';
import type { ArgSpec, Call, Dir, MemRule } from '../types.js';
import { hex, printFlags, printXval } from '../xlat.js';

const SET_MODE_FILTER = 1;
const GET_ACTION_AVAIL = 2;
const GET_NOTIF_SIZES = 3;

/** struct sock_fprog: `{len=2, filter=0x…}` (the instructions are not decoded). */
export const SOCK_FPROG: StructSpec = {
  kind: 'sock_fprog',
  size: 16,
  print: (b) => '{len=' + u16(b, 0) + ', filter=' + printAddr(u64x(b, 8)) + '}',
};

const ACTION: StructSpec = {
  kind: 'seccomp_action',
  size: 4,
  print: (b) => '[' + printXval(SECCOMP_RET_ACTIONS, u32(b, 0), 'SECCOMP_RET_???') + ']',
};

const NOTIF_SIZES: StructSpec = {
  kind: 'seccomp_notif_sizes',
  size: 6,
  print: (b) => '{seccomp_notif=' + u16(b, 0) + ', seccomp_notif_resp=' + u16(b, 2) + ', seccomp_data=' + u16(b, 4) + '}',
};

/** What seccomp's third argument points to, by operation. */
function argStruct(op: number): { s: StructSpec; dir: Dir } | undefined {
  switch (op) {
    case SET_MODE_FILTER:
      return { s: SOCK_FPROG, dir: 'in' };
    case GET_ACTION_AVAIL:
      return { s: ACTION, dir: 'in' };
    case GET_NOTIF_SIZES:
      return { s: NOTIF_SIZES, dir: 'out' };
  }
  return undefined;
}

export const seccompOp = (name: string): ArgSpec => ({
  name,
  kind: 'seccomp_op',
  dir: 'in',
  fmt: (c, i) => printXval(SECCOMP_OPS, argUint(c.ev.args, i), 'SECCOMP_SET_MODE_???'),
});

export const seccompFlags = (name: string): ArgSpec => ({
  name,
  kind: 'flags',
  dir: 'in',
  fmt: (c, i) => {
    const v = argUint(c.ev.args, i);
    return argUint(c.ev.args, 0) === SET_MODE_FILTER ? printFlags(SECCOMP_FILTER_FLAGS, v, 'SECCOMP_FILTER_FLAG_???') : hex(v);
  },
});

export const seccompArgs = (name: string): ArgSpec => ({
  name,
  kind: 'seccomp_args',
  dir: (args) => argStruct(argUint(args, 0))?.dir ?? 'in',
  mem: (args): MemRule | undefined => {
    const st = argStruct(argUint(args, 0));
    return st && { kind: 'buffer', dir: st.dir, size: { fixed: st.s.size } };
  },
  fmt: (c: Call, i) => {
    const st = argStruct(argUint(c.ev.args, 0));
    const addr = argAddr(c.ev.args, i);
    return st === undefined ? printAddr(addr) : printStruct(c, addr, st.s);
  },
});
