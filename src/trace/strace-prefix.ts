// What strace puts before and after a line: the timestamp (-t, -tt, -ttt, -r), the syscall
// number (-n), the instruction pointer (-i), and after a call the time it took (-T). Times come
// from the virtual timeline (event.ts eventTime): the same on every run.
import { timeOfDay } from '../decode/times.js';
import type { StraceDisplay } from './strace-options.js';

const NS_PER_SEC = 1_000_000_000n;

/** `%ld.%06ld` of a nanosecond count (microseconds, truncated as strace does); `width` pads the
 *  seconds (-r's `%6ld`). */
function secondsText(ns: bigint, width = 0): string {
  const sec = ns / NS_PER_SEC;
  const usec = (ns % NS_PER_SEC) / 1000n;
  return String(sec).padStart(width, ' ') + '.' + String(usec).padStart(6, '0');
}

/** What a line's prefix says about where it came from. */
export interface LineOrigin {
  /** When the line's event happened (nanoseconds since the epoch). */
  time: bigint;
  /** The syscall number -n shows (the last call's for signal and exit lines). */
  nr: number | undefined;
  /** The address -i shows; undefined when there is none (the process is gone). */
  ip: number | undefined;
  /** The process runs in 32-bit mode (i386 calls): -i shows 8 hex digits, not 16. */
  narrow?: boolean;
}

export class LinePrefix {
  /** The time of the previous line, for -r. */
  private previous: bigint | null = null;

  constructor(private readonly display: StraceDisplay) {}

  /** The prefix of a line, `17:55:06.758382 [  20] [0000000000402070] `; '' without options. */
  of(origin: LineOrigin): string {
    const d = this.display;
    let text = '';
    if (d.timestamps > 0 || d.relative) text += this.timestamp(origin.time);
    if (d.syscallNumbers) text += '[' + (origin.nr === undefined ? '?' : String(origin.nr)).padStart(4, ' ') + '] ';
    if (d.instructionPointer) {
      const digits = origin.narrow ? 8 : 16;
      text += '[' + (origin.ip === undefined ? '?'.repeat(digits) : origin.ip.toString(16).padStart(digits, '0')) + '] ';
    }
    return text;
  }

  private timestamp(time: bigint): string {
    const d = this.display;
    const delta = this.previous === null ? 0n : time - this.previous;
    this.previous = time;
    let absolute = '';
    if (d.timestamps === 3) absolute = secondsText(time);
    else if (d.timestamps > 0) {
      absolute = timeOfDay(Number(time / NS_PER_SEC));
      if (d.timestamps === 2) absolute += '.' + String((time % NS_PER_SEC) / 1000n).padStart(6, '0');
    }
    if (!d.relative) return absolute + ' ';
    return absolute === '' ? secondsText(delta, 6) + ' ' : absolute + ' (+' + secondsText(delta, 6) + ') ';
  }

  /** -T after a call's result: ` <0.000012>`. */
  static duration(ns: number): string {
    return ' <' + secondsText(BigInt(ns)) + '>';
  }
}
