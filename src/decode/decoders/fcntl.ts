// fcntl(2): the third argument and the result depend on the command.

import { argInt, argLong, argUint, argExact } from '../../trace/event.js';
import { argAddr, argSdec, printOpenFlags, printStruct, type StructSpec } from '../arg-kinds.js';
import { i32 } from '../bytes.js';
import { F, FCNTL_CMDS, FD_FLAGS, LOCK_TYPES, NOTIFY_FLAGS, OWNER_TYPES, SEALS } from '../constants/fcntl.js';
import { printSignal, signalName } from '../constants/signals.js';
import { flockSpec } from '../structs.js';
import type { ArgSpec, Call, Dir, MemRule, RetFormatter } from '../types.js';
import { hex, printFlags, printXval, sprintFlags, udec, xlookup } from '../xlat.js';
import { symbolic } from '../style.js';

const FLOCK_SET = flockSpec(false);
const FLOCK_GET = flockSpec(true);
const OWNER_EX: StructSpec = {
  kind: 'f_owner_ex',
  size: 8,
  print: (b) => '{type=' + printXval(OWNER_TYPES, i32(b, 0), 'F_OWNER_???') + ', pid=' + i32(b, 4) + '}',
};

/** fcntl's command. */
export const fcntlCmd = (name: string): ArgSpec => ({
  name,
  kind: 'fcntl_cmd',
  dir: 'in',
  fmt: (c, i) => printXval(FCNTL_CMDS, argUint(c.ev.args, i), 'F_???'),
});

const NO_ARG = new Set<number>([F.GETOWN, F.GETPIPE_SZ, F.GETFD, F.GETFL, F.GETLEASE, F.GET_SEALS, F.GETSIG]);

function structOf(cmd: number): { s: StructSpec; dir: Dir } | undefined {
  switch (cmd) {
    case F.SETLK:
    case F.SETLKW:
    case F.OFD_SETLK:
    case F.OFD_SETLKW:
      return { s: FLOCK_SET, dir: 'in' };
    case F.GETLK:
    case F.OFD_GETLK:
      return { s: FLOCK_GET, dir: 'inout' };
    case F.SETOWN_EX:
      return { s: OWNER_EX, dir: 'in' };
    case F.GETOWN_EX:
      return { s: OWNER_EX, dir: 'out' };
  }
  return undefined;
}

function fmtArg(c: Call, i: number): string {
  const cmd = argUint(c.ev.args, 1);
  const st = structOf(cmd);
  if (st !== undefined) return printStruct(c, argAddr(c.ev.args, i), st.s);
  switch (cmd) {
    case F.SETFD:
      return printFlags(FD_FLAGS, argExact(c.ev.args, i), 'FD_???');
    case F.SETOWN:
      return String(argInt(c.ev.args, i));
    case F.SETPIPE_SZ:
    case F.DUPFD:
    case F.DUPFD_CLOEXEC:
      return argSdec(c.ev.args, i);
    case F.SETFL:
      return printOpenFlags(argUint(c.ev.args, i));
    case F.NOTIFY:
      return printFlags(NOTIFY_FLAGS, argExact(c.ev.args, i), 'DN_???');
    case F.SETLEASE:
      return printXval(LOCK_TYPES, argExact(c.ev.args, i), 'F_???');
    case F.ADD_SEALS:
      return printFlags(SEALS, argExact(c.ev.args, i), 'F_SEAL_???');
    case F.SETSIG:
      return printSignal(argInt(c.ev.args, i));
  }
  return hex(argExact(c.ev.args, i));
}

/** fcntl's third argument: absent for the get commands, a struct for the lock commands. */
export const fcntlArg = (name: string): ArgSpec => ({
  name,
  kind: 'fcntl_arg',
  dir: (args) => structOf(argUint(args, 1))?.dir ?? 'in',
  mem: (args): MemRule | undefined => {
    const st = structOf(argUint(args, 1));
    return st && { kind: 'buffer', dir: st.dir, size: { fixed: st.s.size } };
  },
  show: (args) => !NO_ARG.has(argUint(args, 1)),
  fmt: fmtArg,
});

/** fcntl's result: `0x1 (flags FD_CLOEXEC)` for F_GETFD, `0x8002 (flags O_RDWR|O_LARGEFILE)` for
 *  F_GETFL, and so on; decimal otherwise. */
export const fcntlRet: RetFormatter = (c) => {
  const r = c.ev.ret;
  switch (argUint(c.ev.args, 1)) {
    case F.GETFD:
      return r === 0 ? '0' : hex(r) + ' (' + sprintFlags('flags ', FD_FLAGS, r) + ')';
    case F.GETFL:
      // strace prints these flags by name whatever -X says.
      return hex(r) + ' (flags ' + symbolic(() => printOpenFlags(r >>> 0)) + ')';
    case F.GETLEASE: {
      const s = xlookup(LOCK_TYPES, r);
      return s === undefined ? hex(r) : hex(r) + ' (' + s + ')';
    }
    case F.GET_SEALS:
      return r === 0 ? '0' : hex(r) + ' (' + sprintFlags('seals ', SEALS, r) + ')';
    case F.GETSIG: {
      const s = r === 0 ? undefined : signalName(r);
      return s === undefined ? udec(r) : udec(r) + ' (' + s + ')';
    }
  }
  return udec(r);
};
