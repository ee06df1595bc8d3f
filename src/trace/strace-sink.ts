// The strace text sink: one line per syscall in strace's format, plus the signal and exit lines.
import { beginCall, exitedLine, finishCall, joinLine, killedLine, personalityLine, signalLine } from '../decode/index.js';
import type { FormatOptions, PendingCall, SigInfo } from '../decode/index.js';
import type { CallOrigin, ExitEvent, GuestMemoryReader, SignalEvent, SyscallEvent } from './event.js';
import type { LineWriter } from './line-writer.js';
import type { SyscallObserver } from './observer.js';

/** The siginfo fields strace prints for a signal event. */
export function signalInfo(ev: SignalEvent): SigInfo {
  if (ev.seccomp) {
    const { errno, callAddr, syscall, arch } = ev.seccomp;
    return { signo: ev.signo, code: ev.code, errno, callAddr, syscall, arch };
  }
  const info: SigInfo = { signo: ev.signo, code: ev.code, addr: ev.addr };
  if (ev.sender) {
    info.pid = ev.sender.pid;
    info.uid = ev.sender.uid;
  }
  if (ev.timer) {
    info.timerid = ev.timer.id;
    info.overrun = ev.timer.overrun;
  }
  if (ev.value !== undefined) {
    info.int = Number(BigInt.asIntN(32, ev.value));
    info.ptr = Number(ev.value);
  }
  return info;
}

export class StraceSink implements SyscallObserver {
  private pending: PendingCall | null = null;

  /** The personality (ABI) each process last made a syscall in; x86-64 until then. */
  private readonly personalities = new Map<number, 'x86_64' | 'i386'>();

  constructor(
    private readonly out: LineWriter,
    private readonly selected: (nr: number, origin?: CallOrigin) => boolean,
    private readonly options: FormatOptions,
    /** Print `[ Process PID=… runs in 32 bit mode. ]` when a process switches ABI, as strace does
     *  on its stderr (strace -o implies -e quiet=personality). */
    private readonly personality = true,
  ) {}

  /** Asked for every call, traced or not: strace notes a personality switch at any syscall. */
  wants(nr: number, origin?: CallOrigin, pid = 0): boolean {
    if (this.personality && origin?.via === undefined) {
      const abi = origin?.abi ?? 'x86_64';
      if ((this.personalities.get(pid) ?? 'x86_64') !== abi) {
        this.personalities.set(pid, abi);
        this.out.line(personalityLine(pid, abi));
      }
    }
    return this.selected(nr, origin);
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
    this.out.line(signalLine(ev.signo, signalInfo(ev)));
  }

  processExit(ev: ExitEvent): void {
    const status = ev.status;
    this.out.line(status.kind === 'exited' ? exitedLine(status.code) : killedLine(status.signal, status.coreDumped));
  }
}
