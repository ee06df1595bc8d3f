// Interval and POSIX timers: struct itimerval, struct itimerspec and struct sigevent.

import type { StructSpec } from '../arg-kinds.js';
import { i32, u64, u64x } from '../bytes.js';
import { printSignal, SIGEV_NOTIFY } from '../constants/signals.js';
import { printAddr } from '../strings.js';
import { TIMESPEC, TIMEVAL } from '../structs.js';
import type { Call } from '../types.js';
import { printXval } from '../xlat.js';

function pair(name: string, s: StructSpec): StructSpec {
  return {
    kind: name,
    size: 2 * s.size,
    print: (b: Uint8Array, c: Call) => '{it_interval=' + s.print(b.subarray(0, s.size), c) + ', it_value=' + s.print(b.subarray(s.size), c) + '}',
  };
}

/** struct itimerval (setitimer, getitimer): two timevals. */
export const ITIMERVAL = pair('itimerval', TIMEVAL);

/** struct itimerspec (timer_settime, timer_gettime): two timespecs. */
export const ITIMERSPEC = pair('itimerspec', TIMESPEC);

const SIGEV_SIGNAL = 0;
const SIGEV_THREAD = 2;
const SIGEV_THREAD_ID = 4;

/** struct sigevent (64 bytes), as strace's print_sigevent: sigev_value only when non-zero, the
 *  signal by name when it is one, the target thread or function. */
export const SIGEVENT: StructSpec = {
  kind: 'sigevent',
  size: 64,
  print(b) {
    const notify = i32(b, 12);
    const signo = i32(b, 8);
    let s = '{';
    const ptr = u64(b, 0);
    if (ptr !== 0) s += 'sigev_value={sival_int=' + i32(b, 0) + ', sival_ptr=' + printAddr(u64x(b, 0)) + '}, ';
    const signalling = notify === SIGEV_SIGNAL || notify === SIGEV_THREAD || notify === SIGEV_THREAD_ID;
    s += 'sigev_signo=' + (signalling ? printSignal(signo) : String(signo >>> 0));
    s += ', sigev_notify=' + printXval(SIGEV_NOTIFY, notify >>> 0, 'SIGEV_???');
    if (notify === SIGEV_THREAD_ID) s += ', sigev_notify_thread_id=' + i32(b, 16);
    else if (notify === SIGEV_THREAD) s += ', sigev_notify_function=' + printAddr(u64x(b, 16)) + ', sigev_notify_attributes=' + printAddr(u64x(b, 24));
    return s + '}';
  },
};

/** A timer id written back (timer_create): `[0]`. */
export const TIMER_ID: StructSpec = {
  kind: 'timer_t',
  size: 4,
  print: (b) => '[' + i32(b, 0) + ']',
};
