// Normalization: what legitimately differs between two runs of the same program is rewritten so
// that only behaviour is compared. One Normalizer per input; rules (all off with `exact`, except
// the padding):
//
//   padding     `call             = result` → `call = result`
//   processes   numbered 1, 2, … by first appearance (a line's task, or a pid value below);
//               pid values rewritten to that number: the result of getpid, gettid, getppid,
//               set_tid_address, clone, clone3, fork, vfork, wait4 (when positive), the first
//               argument of wait4, kill, tkill (when positive), tgkill's first two, and `si_pid=`
//   addresses   'map' (both inputs are traces): heap/mmap#N/stack names (mappings.ts);
//               'mask' (either input is a log): every hex number >= 0x10000 outside strings → ADDR
//   getrandom   the buffer → RANDOM
//   execve      the first process's leading execve lines are dropped (strace prints the initial
//               execve, emtrace does not)
//   times       -t/-tt/-ttt/-r timestamps and -T durations dropped (kept with `exact`)
//   ignore      syscalls the --ignore set matches are dropped (after the above saw them)
import { syscallByName } from '../../decode/index.js';
import type { SyscallPredicate } from '../filter.js';
import { collapsePadding, replaceHex } from './line-syntax.js';
import { MappingTracker } from './mappings.js';
import type { DiffEvent, EventSource, NormalLine } from './types.js';

export type AddressMode = 'map' | 'mask';

/** Hex numbers below this are values (flags, small sizes), not addresses, in 'mask' mode. */
export const MASK_THRESHOLD = 0x10000;

const PID_RESULT = new Set(['getpid', 'gettid', 'getppid', 'set_tid_address', 'clone', 'clone3', 'fork', 'vfork', 'wait4']);
const PID_ARGS: Readonly<Record<string, number>> = { wait4: 1, kill: 1, tkill: 1, tgkill: 2 };

export interface NormalizeOptions {
  exact: boolean;
  addresses: AddressMode;
  ignore?: SyscallPredicate;
  /** The first process's pid when the input says (a trace header): it is process 1. */
  firstPid?: number;
}

export class Normalizer {
  /** Process numbers by canonical task key; `count` numbers given so far. */
  private readonly numbers = new Map<number, number>();
  private count = 0;
  /** Process numbers whose last line has been seen (a later line with the same pid is a new
   *  process: the pid was reused). */
  private readonly ended = new Set<number>();
  private readonly mappings = new MappingTracker();
  private firstStarted = false;

  constructor(
    private readonly source: EventSource,
    private readonly options: NormalizeOptions,
  ) {
    if (options.firstPid !== undefined) this.numberOf(options.firstPid);
  }

  /** Processes seen so far. */
  get processes(): number {
    return this.count;
  }

  private numberOf(key: number): number {
    let n = this.numbers.get(key);
    if (n === undefined) {
      n = ++this.count;
      this.numbers.set(key, n);
    }
    return n;
  }

  /** The process a line of task `key` belongs to (a new number when that pid's process ended). */
  private lineOwner(key: number): number {
    const n = this.numberOf(key);
    if (!this.ended.has(n)) return n;
    this.numbers.delete(key);
    return this.numberOf(key);
  }

  /** A pid value (decimal, or hex as the formatter prints an undecoded argument) as its
   *  process number; zero and negative values are not pids. */
  private pidText(token: string): string {
    const value = Number(token);
    return value > 0 ? String(this.numberOf(this.source.canonical(value))) : token;
  }

  /** The event as a normalized line, or null when it is dropped. */
  normalize(ev: DiffEvent): NormalLine | null {
    const proc = this.lineOwner(ev.pid);
    if (ev.kind === 'task') return null;
    const last = ev.kind === 'exit';
    if (last) this.ended.add(proc);
    let text = collapsePadding(ev.text);
    if (this.options.exact) {
      if (ev.time !== undefined) text = ev.time + ' ' + text;
      if (ev.duration !== undefined) text += ' ' + ev.duration;
    } else {
      text = this.options.addresses === 'map'
        ? this.mappings.rewrite(ev.pid, ev.record, text)
        : replaceHex(text, (token, value) => (value >= MASK_THRESHOLD ? 'ADDR' : token));
      text = this.renumberPids(ev, text);
      if (ev.name === 'getrandom') text = text.replace(/^getrandom\("(?:[^"\\]|\\.)*"(?:\.\.\.)?/, 'getrandom(RANDOM');
      if (proc === 1 && !this.firstStarted && ev.name === 'execve') return null;
    }
    if (proc === 1) this.firstStarted = true;
    if (ev.kind === 'syscall' && this.options.ignore !== undefined) {
      const nr = ev.nr ?? syscallByName(ev.name ?? '')?.nr;
      if (nr !== undefined && this.options.ignore(nr)) return null;
    }
    return { proc, text, last };
  }

  private renumberPids(ev: DiffEvent, text: string): string {
    if (ev.kind === 'signal') return text.replace(/\bsi_pid=(\d+)/, (_m, d: string) => 'si_pid=' + this.pidText(d));
    if (ev.kind !== 'syscall' || ev.name === undefined) return text;
    if (PID_RESULT.has(ev.name)) text = text.replace(/\) = (\d+)$/, (_m, d: string) => ') = ' + this.pidText(d));
    const n = PID_ARGS[ev.name];
    if (n !== undefined && text.startsWith(ev.name + '(')) {
      let k = 0;
      text = text.replace(/(?<=[(,] ?)(-?\d+|0x[0-9a-f]+)(?=[,)])/g, (d: string) => (k++ < n ? this.pidText(d) : d));
    }
    return text;
  }
}
