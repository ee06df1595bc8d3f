// Clock ids, clock_nanosleep flags and futex operations.

import type { Xlat } from '../xlat.js';

export const CLOCKS: Xlat = [
  [0, 'CLOCK_REALTIME'],
  [1, 'CLOCK_MONOTONIC'],
  [2, 'CLOCK_PROCESS_CPUTIME_ID'],
  [3, 'CLOCK_THREAD_CPUTIME_ID'],
  [4, 'CLOCK_MONOTONIC_RAW'],
  [5, 'CLOCK_REALTIME_COARSE'],
  [6, 'CLOCK_MONOTONIC_COARSE'],
  [7, 'CLOCK_BOOTTIME'],
  [8, 'CLOCK_REALTIME_ALARM'],
  [9, 'CLOCK_BOOTTIME_ALARM'],
  [10, 'CLOCK_SGI_CYCLE'],
  [11, 'CLOCK_TAI'],
];

export const CLOCK_FLAGS: Xlat = [[1, 'TIMER_ABSTIME']];

export const FUTEX_PRIVATE_FLAG = 128;
export const FUTEX_CLOCK_REALTIME = 256;

const FUTEX_CMDS: [number, string][] = [
  [0, 'FUTEX_WAIT'],
  [1, 'FUTEX_WAKE'],
  [2, 'FUTEX_FD'],
  [3, 'FUTEX_REQUEUE'],
  [4, 'FUTEX_CMP_REQUEUE'],
  [5, 'FUTEX_WAKE_OP'],
  [6, 'FUTEX_LOCK_PI'],
  [7, 'FUTEX_UNLOCK_PI'],
  [8, 'FUTEX_TRYLOCK_PI'],
  [9, 'FUTEX_WAIT_BITSET'],
  [10, 'FUTEX_WAKE_BITSET'],
  [11, 'FUTEX_WAIT_REQUEUE_PI'],
  [12, 'FUTEX_CMP_REQUEUE_PI'],
  [13, 'FUTEX_LOCK_PI2'],
];

/** Whole futex op values (command | FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME) that have a name. */
export const FUTEX_OPS: Xlat = [
  ...FUTEX_CMDS,
  ...FUTEX_CMDS.map(([v, s]): [number, string] =>
    v === 2 ? [v | FUTEX_PRIVATE_FLAG, 'FUTEX_FD|FUTEX_PRIVATE_FLAG'] : [v | FUTEX_PRIVATE_FLAG, s + '_PRIVATE'],
  ),
  [0 | FUTEX_CLOCK_REALTIME, 'FUTEX_WAIT|FUTEX_CLOCK_REALTIME'],
  [0 | FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME, 'FUTEX_WAIT_PRIVATE|FUTEX_CLOCK_REALTIME'],
  [9 | FUTEX_CLOCK_REALTIME, 'FUTEX_WAIT_BITSET|FUTEX_CLOCK_REALTIME'],
  [9 | FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME, 'FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME'],
  [11 | FUTEX_CLOCK_REALTIME, 'FUTEX_WAIT_REQUEUE_PI|FUTEX_CLOCK_REALTIME'],
  [11 | FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME, 'FUTEX_WAIT_REQUEUE_PI_PRIVATE|FUTEX_CLOCK_REALTIME'],
];

export const FUTEX_WAKE_OPS: Xlat = [
  [0, 'FUTEX_OP_SET'],
  [1, 'FUTEX_OP_ADD'],
  [2, 'FUTEX_OP_OR'],
  [3, 'FUTEX_OP_ANDN'],
  [4, 'FUTEX_OP_XOR'],
];

export const FUTEX_WAKE_CMPS: Xlat = [
  [0, 'FUTEX_OP_CMP_EQ'],
  [1, 'FUTEX_OP_CMP_NE'],
  [2, 'FUTEX_OP_CMP_LT'],
  [3, 'FUTEX_OP_CMP_LE'],
  [4, 'FUTEX_OP_CMP_GT'],
  [5, 'FUTEX_OP_CMP_GE'],
];

export const FUTEX_BITSET: Xlat = [[0xffffffff, 'FUTEX_BITSET_MATCH_ANY']];

/** strace's xlat/adjtimex_modes.in (composite modes first) */
export const ADJTIMEX_MODES: Xlat = [
  [0xa001, 'ADJ_OFFSET_SS_READ'], [0x8001, 'ADJ_OFFSET_SINGLESHOT'], [1, 'ADJ_OFFSET'], [2, 'ADJ_FREQUENCY'],
  [4, 'ADJ_MAXERROR'], [8, 'ADJ_ESTERROR'], [0x10, 'ADJ_STATUS'], [0x20, 'ADJ_TIMECONST'], [0x80, 'ADJ_TAI'],
  [0x100, 'ADJ_SETOFFSET'], [0x1000, 'ADJ_MICRO'], [0x2000, 'ADJ_NANO'], [0x4000, 'ADJ_TICK'],
];

/** strace's xlat/adjtimex_status.in */
export const ADJTIMEX_STATUS: Xlat = [
  [1, 'STA_PLL'], [2, 'STA_PPSFREQ'], [4, 'STA_PPSTIME'], [8, 'STA_FLL'], [0x10, 'STA_INS'],
  [0x20, 'STA_DEL'], [0x40, 'STA_UNSYNC'], [0x80, 'STA_FREQHOLD'], [0x100, 'STA_PPSSIGNAL'],
  [0x200, 'STA_PPSJITTER'], [0x400, 'STA_PPSWANDER'], [0x800, 'STA_PPSERROR'], [0x1000, 'STA_CLOCKERR'],
  [0x2000, 'STA_NANO'], [0x4000, 'STA_MODE'], [0x8000, 'STA_CLK'],
];

/** strace's xlat/adjtimex_state.in: adjtimex's result. */
export const ADJTIMEX_STATES: Xlat = [
  [0, 'TIME_OK'], [1, 'TIME_INS'], [2, 'TIME_DEL'], [3, 'TIME_OOP'], [4, 'TIME_WAIT'], [5, 'TIME_ERROR'],
];
