// epoll_ctl's event and the events epoll_wait returns.

import { argUint } from '../../trace/event.js';
import { argAddr, printStruct, type StructSpec } from '../arg-kinds.js';
import { printArray } from '../arrays.js';
import { u32, u64dec } from '../bytes.js';
import { EPOLL_EVENTS } from '../constants/notify.js';
import { printAddr } from '../strings.js';
import type { ArgSpec } from '../types.js';
import { printFlags } from '../xlat.js';

const EPOLL_CTL_DEL = 2;

/** struct epoll_event (12 bytes, packed on x86-64): the data printed both ways, strace cannot
 *  know which the program uses. */
const EPOLL_EVENT: StructSpec = {
  kind: 'epoll_event',
  size: 12,
  print: (b) =>
    '{events=' + printFlags(EPOLL_EVENTS, u32(b, 0), 'EPOLL???') + ', data={u32=' + u32(b, 4) + ', u64=' + u64dec(b, 4) + '}}',
};

/** epoll_ctl's event: none for EPOLL_CTL_DEL. */
export const epollEvent = (name: string): ArgSpec => ({
  name,
  kind: 'epoll_event',
  dir: 'in',
  mem: (args) => (argUint(args, 1) === EPOLL_CTL_DEL ? undefined : { kind: 'buffer', dir: 'in', size: { fixed: EPOLL_EVENT.size } }),
  fmt: (c, i) => {
    const addr = argAddr(c.ev.args, i);
    return argUint(c.ev.args, 1) === EPOLL_CTL_DEL ? printAddr(addr) : printStruct(c, addr, EPOLL_EVENT);
  },
});

/** The events epoll_wait returned: as many as its result. */
export const epollEvents = (name: string): ArgSpec => ({
  name,
  kind: 'epoll_event[]',
  dir: 'out',
  fmt: (c, i) => {
    const addr = argAddr(c.ev.args, i);
    if (c.ev.errno !== 0) return printAddr(addr);
    return printArray(c, addr, c.ev.ret, EPOLL_EVENT.size, (b) => EPOLL_EVENT.print(b, c));
  },
});
