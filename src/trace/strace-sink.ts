// The strace text sink: one line per syscall in strace's format, plus the signal and exit lines.
import { beginCall, exitedLine, finishCall, joinLine, killedLine, signalLine } from '../decode/index.js';
import type { FormatOptions, PendingCall } from '../decode/index.js';
import type { ExitEvent, GuestMemoryReader, SignalEvent, SyscallEvent } from './event.js';
import type { LineWriter } from './line-writer.js';
import type { SyscallObserver } from './observer.js';

export class StraceSink implements SyscallObserver {
  private pending: PendingCall | null = null;

  constructor(
    private readonly out: LineWriter,
    private readonly selected: (nr: number) => boolean,
    private readonly options: FormatOptions,
  ) {}

  wants(nr: number): boolean {
    return this.selected(nr);
  }

  enter(ev: SyscallEvent, mem: GuestMemoryReader): void {
    this.pending = beginCall(ev, mem, this.options);
  }

  exit(ev: SyscallEvent, mem: GuestMemoryReader): void {
    const done = finishCall(this.pending!, ev, mem, this.options);
    this.pending = null;
    this.out.line(joinLine(done.call, done.result));
  }

  signal(ev: SignalEvent): void {
    this.out.line(signalLine(ev.signo, { signo: ev.signo, code: ev.code, addr: ev.addr }));
  }

  processExit(ev: ExitEvent): void {
    const status = ev.status;
    this.out.line(status.kind === 'exited' ? exitedLine(status.code) : killedLine(status.signal, status.coreDumped));
  }
}
