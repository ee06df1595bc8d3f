// adjtimex(2) and clock_adjtime(2): struct timex, and the clock state they return.

import { argAddr, printStruct, type StructSpec } from '../arg-kinds.js';
import { i32, i64dec, u32, u64dec } from '../bytes.js';
import { ADJTIMEX_MODES, ADJTIMEX_STATES, ADJTIMEX_STATUS } from '../constants/time.js';
import type { ArgSpec, RetFormatter } from '../types.js';
import { printFlags, udec, xlookup } from '../xlat.js';

/** struct timex (208 bytes on x86-64), every field. */
const TIMEX: StructSpec = {
  kind: 'timex',
  size: 208,
  print: (b) =>
    '{modes=' + printFlags(ADJTIMEX_MODES, u32(b, 0), 'ADJ_???') +
    ', offset=' + i64dec(b, 8) + ', freq=' + i64dec(b, 16) + ', maxerror=' + i64dec(b, 24) +
    ', esterror=' + i64dec(b, 32) + ', status=' + printFlags(ADJTIMEX_STATUS, u32(b, 40), 'STA_???') +
    ', constant=' + i64dec(b, 48) + ', precision=' + i64dec(b, 56) + ', tolerance=' + i64dec(b, 64) +
    ', time={tv_sec=' + i64dec(b, 72) + ', tv_usec=' + u64dec(b, 80) + '}' +
    ', tick=' + i64dec(b, 88) + ', ppsfreq=' + i64dec(b, 96) + ', jitter=' + i64dec(b, 104) +
    ', shift=' + i32(b, 112) + ', stabil=' + i64dec(b, 120) + ', jitcnt=' + i64dec(b, 128) +
    ', calcnt=' + i64dec(b, 136) + ', errcnt=' + i64dec(b, 144) + ', stbcnt=' + i64dec(b, 152) +
    ', tai=' + i32(b, 160) + '}',
};

/** The struct timex the kernel reads and updates: printed at exit. */
export const timexArg = (name: string): ArgSpec => ({
  name,
  kind: 'timex',
  dir: 'inout',
  mem: { kind: 'buffer', dir: 'inout', size: { fixed: TIMEX.size } },
  fmt: (c, i) => printStruct(c, argAddr(c.ev.args, i), TIMEX),
});

/** The clock state: `0 (TIME_OK)`. */
export const RET_CLOCK_STATE: RetFormatter = (c) => {
  const name = xlookup(ADJTIMEX_STATES, c.ev.ret);
  return name === undefined ? udec(c.ev.ret) : udec(c.ev.ret) + ' (' + name + ')';
};
