// Time and scheduling decoders: remaining-time outputs and CPU sets.

import { argUint } from '../../trace/event.js';
import type { U64 } from '../../trace/event.js';
import { argAddr, printStruct, type StructSpec } from '../arg-kinds.js';
import { i64dec } from '../bytes.js';
import { timeText } from './fs.js';
import { printAddr } from '../strings.js';
import { TIMESPEC } from '../structs.js';
import type { ArgSpec, Call, RetFormatter } from '../types.js';
import { hex } from '../xlat.js';

/** ERESTARTSYS..ERESTART_RESTARTBLOCK: the call was interrupted by a signal. */
export function interrupted(c: Call): boolean {
  return c.ev.errno >= 512 && c.ev.errno <= 516;
}

/**
 * nanosleep's / clock_nanosleep's remaining time: the kernel writes it only when a signal
 * interrupted the sleep, so strace shows it then and the address otherwise. `flagsArg` is
 * clock_nanosleep's flags (TIMER_ABSTIME sleeps write nothing).
 */
export const remainingTime = (name: string, flagsArg = -1): ArgSpec => ({
  name,
  kind: 'timespec',
  dir: 'out',
  mem: (args) =>
    flagsArg >= 0 && argUint(args, flagsArg) !== 0
      ? undefined
      : { kind: 'buffer', dir: 'out', size: { fixed: 16 }, when: 'interrupted' },
  fmt: (c, i) => {
    const addr = argAddr(c.ev.args, i);
    const abs = flagsArg >= 0 && argUint(c.ev.args, flagsArg) !== 0;
    if (abs || !interrupted(c)) return printAddr(addr);
    // Printed as if the call had succeeded (strace clears the error to read it).
    return printStruct({ ...c, exiting: false }, addr, TIMESPEC);
  },
});

/**
 * strace's print_affinitylist: the CPUs set in a cpu_set_t of `len` bytes, `[0 1]`, with `...`
 * when `len` exceeds the kernel's CPU set size.
 */
export function printCpuset(c: Call, addr: U64, len: number): string {
  // An address of 2^53 or more is never readable: printed exactly.
  if (typeof addr === 'bigint') return hex(addr);
  if (addr === 0 || (c.exiting && c.ev.errno !== 0)) return printAddr(addr);
  if (len === 0) return '[]';
  const size = Math.min(len, c.opts.cpusetSize);
  const b = c.mem.readBytes(addr, size);
  if (b === null) return hex(addr);
  const cpus: string[] = [];
  for (let k = 0; k < size; k++) {
    const byte = b[k];
    if (byte === 0) continue;
    for (let bit = 0; bit < 8; bit++) if (byte & (1 << bit)) cpus.push(String(k * 8 + bit));
  }
  if (Math.ceil(size / 8) * 8 < len) cpus.push('...');
  return '[' + cpus.join(' ') + ']';
}

/** sched_setaffinity's mask (read by the kernel, `lenArg` bytes). */
export const cpusetIn = (name: string, lenArg: number): ArgSpec => ({
  name,
  kind: 'cpu_set',
  dir: 'in',
  mem: { kind: 'buffer', dir: 'in', size: { arg: lenArg } },
  fmt: (c, i) => printCpuset(c, argAddr(c.ev.args, i), argUint(c.ev.args, lenArg)),
});

/** sched_getaffinity's mask (written by the kernel: as many bytes as it returns). */
export const cpusetOut = (name: string, lenArg: number): ArgSpec => ({
  name,
  kind: 'cpu_set',
  dir: 'out',
  mem: { kind: 'buffer', dir: 'out', size: { ret: true, cap: lenArg } },
  fmt: (c, i) => printCpuset(c, argAddr(c.ev.args, i), c.ev.ret),
});

/** time's tloc, with the date strace adds: `[1893456000 /* 2030-01-01T00:00:00+0000 *\/]`. */
export const TIME_T_DATED: StructSpec = {
  kind: 'time_t',
  size: 8,
  print: (b) => {
    const date = timeText(BigInt(i64dec(b, 0)), 0n, 0n, 0);
    return '[' + i64dec(b, 0) + (date === undefined ? '' : ' /* ' + date + ' */') + ']';
  },
};

/** time's result and its date: `1893456000 (2030-01-01T00:00:00+0000)`. */
export const RET_TIME: RetFormatter = (c) => {
  const date = timeText(BigInt(c.ev.ret), 0n, 0n, 0);
  return String(c.ev.ret) + (date === undefined ? '' : ' (' + date + ')');
};
