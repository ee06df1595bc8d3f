// The strace text sink: one line per syscall in strace's format, plus the signal and exit lines.
import { beginCall, exitedLine, finishCall, joinLine, killedLine, signalLine } from '../decode/index.js';
import type { FormatOptions, PendingCall } from '../decode/index.js';
import type { GuestMemoryReader, SyscallEvent } from './event.js';
import type { LineWriter } from './line-writer.js';
import type { ExitStatus, SignalInfo, SyscallObserver } from './observer.js';

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

  signal(_pid: number, info: SignalInfo): void {
    this.out.line(signalLine(info.signal, { signo: info.signal, code: info.code, addr: info.addr }));
  }

  processExit(_pid: number, status: ExitStatus): void {
    this.out.line(status.kind === 'exited' ? exitedLine(status.code) : killedLine(status.signal, status.coreDumped));
  }
}
