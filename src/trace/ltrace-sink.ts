// The ltrace -S text sink (--ltrace): one line per syscall in ltrace's layout, its signal lines
// and its exit line. A call that never returns stays open until the next line, which ltrace
// precedes with ` <no return ...>`.
import { ltraceBegin, ltraceExitedLine, ltraceFinish, ltraceKilledLine, ltraceNoReturn, ltraceSignalLine } from '../decode/ltrace/index.js';
import type { LtracePending } from '../decode/ltrace/index.js';
import type { FormatOptions } from '../decode/index.js';
import type { CallOrigin, ExitEvent, GuestMemoryReader, SignalEvent, SyscallEvent } from './event.js';
import type { LineOutput } from './line-writer.js';
import type { SyscallObserver } from './observer.js';

export class LtraceSink implements SyscallObserver {
  /** Each thread's call in progress. */
  private readonly pending = new Map<number, LtracePending>();
  /** A call that did not return, printed when the next line comes. */
  private open: LtracePending | null = null;

  constructor(
    private readonly out: LineOutput,
    private readonly selected: (nr: number, origin?: CallOrigin) => boolean,
    private readonly options: FormatOptions = {},
  ) {}

  wants(nr: number, origin?: CallOrigin): boolean {
    return this.selected(nr, origin);
  }

  enter(ev: SyscallEvent, mem: GuestMemoryReader): void {
    this.closeOpen();
    this.pending.set(ev.tid, ltraceBegin(ev, mem, this.options));
  }

  exit(ev: SyscallEvent, mem: GuestMemoryReader): void {
    const pending = this.pending.get(ev.tid);
    this.pending.delete(ev.tid);
    if (pending === undefined) return;
    if (Number.isNaN(ev.ret)) this.open = pending;
    else this.out.line(ltraceFinish(pending, ev, mem, this.options));
  }

  signal(ev: SignalEvent): void {
    this.line(ltraceSignalLine(ev.signo));
  }

  processExit(ev: ExitEvent): void {
    const s = ev.status;
    this.line(s.kind === 'exited' ? ltraceExitedLine(s.code) : ltraceKilledLine(s.signal));
  }

  private line(text: string): void {
    this.closeOpen();
    this.out.line(text);
  }

  private closeOpen(): void {
    if (this.open) this.out.line(ltraceNoReturn(this.open));
    this.open = null;
  }
}
