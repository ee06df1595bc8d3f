// POSIX message queues: the attributes and the calls' buffers (strace's mq.c).

import { argUint, argUlong } from '../../trace/event.js';
import { argAddr, failed, printStruct, type StructSpec } from '../arg-kinds.js';
import { i64dec, u64, u64hex, u64x } from '../bytes.js';
import { O_CREAT } from '../constants/open.js';
import { printAddr, printBuffer } from '../strings.js';
import { TIMESPEC } from '../structs.js';
import type { ArgSpec } from '../types.js';
import { printFlags, type Xlat } from '../xlat.js';

const MQ_ATTR_FLAGS: Xlat = [[0o4000, 'O_NONBLOCK']];

/** struct mq_attr; mq_open shows its flags in hex, mq_getsetattr by name. */
function mqAttr(named: boolean): StructSpec {
  return {
    kind: 'mq_attr',
    size: 64,
    print: (b) =>
      '{mq_flags=' + (named ? printFlags(MQ_ATTR_FLAGS, u64x(b, 0), 'O_???') : u64hex(b, 0)) +
      ', mq_maxmsg=' + i64dec(b, 8) + ', mq_msgsize=' + i64dec(b, 16) + ', mq_curmsgs=' + i64dec(b, 24) + '}',
  };
}

const creates = (args: Int32Array): boolean => (argUint(args, 1) & O_CREAT) !== 0;

/** mq_open's attributes: only with O_CREAT. */
export const mqOpenAttr = (name: string): ArgSpec => ({
  name,
  kind: 'mq_attr',
  dir: 'in',
  show: creates,
  mem: (args) => (creates(args) ? { kind: 'buffer', dir: 'in', size: { fixed: 64 } } : undefined),
  fmt: (c, i) => printStruct(c, argAddr(c.ev.args, i), mqAttr(false)),
});

/** mq_getsetattr's new (`in`) and old (`out`) attributes. */
export const mqAttrArg = (name: string, dir: 'in' | 'out'): ArgSpec => ({
  name,
  kind: 'mq_attr',
  dir,
  mem: { kind: 'buffer', dir, size: { fixed: 64 } },
  fmt: (c, i) => printStruct(c, argAddr(c.ev.args, i), mqAttr(true)),
});

/** mq_timedreceive's buffer: the message received. */
export const mqMessageOut = (name: string): ArgSpec => ({
  name,
  kind: 'buf',
  dir: 'out',
  mem: { kind: 'buffer', dir: 'out', size: { ret: true, cap: 2 } },
  fmt: (c, i) => {
    const addr = argAddr(c.ev.args, i);
    return failed(c) ? printAddr(addr) : printBuffer(c, addr, Math.min(c.ev.ret, argUlong(c.ev.args, 2)));
  },
});

/** mq_timedreceive's timeout: printed at exit, and even when the call failed (the kernel read it
 *  at entry). */
export const mqTimeout = (name: string): ArgSpec => ({
  name,
  kind: 'timespec',
  dir: 'in',
  at: 'exit',
  mem: { kind: 'buffer', dir: 'in', size: { fixed: 16 } },
  fmt: (c, i) => printStruct({ ...c, exiting: false }, argAddr(c.ev.args, i), TIMESPEC),
});
