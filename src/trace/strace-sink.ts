// The strace text sink: one line per syscall in strace's format, plus the signal and exit lines,
// shaped by strace's options (strace-options.ts). Tracing, `replay --strace` and `dump` all print
// through it: a recorded event is fed to it as the live kernel would (feedRecorded).
import { beginCall, exitedLine, finishCall, joinLine, killedLine, personalityLine, rowOf, signalLine } from '../decode/index.js';
import type { FormatOptions, PendingCall, SigInfo } from '../decode/index.js';
import { withStyle } from '../decode/style.js';
import type { Symbolizer } from './backtrace.js';
import { eventTime } from './event.js';
import type { CallOrigin, CallSite, ExitEvent, GuestMemoryReader, SignalEvent, SyscallEvent } from './event.js';
import { ioDumpLines } from './io-dump.js';
import type { LineWriter } from './line-writer.js';
import type { SyscallObserver } from './observer.js';
import { touchesPath } from './path-filter.js';
import type { CallStatus, StraceDisplay } from './strace-options.js';
import { LinePrefix } from './strace-prefix.js';
import { RecordedMemory, TraceEvent } from './trace-file.js';

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
  if (ev.child) {
    info.status = ev.child.status;
    info.utime = 0;
    info.stime = 0;
  }
  if (ev.value !== undefined) {
    info.int = Number(BigInt.asIntN(32, ev.value));
    // Exact: a pointer above 2^53 is a bigint.
    info.ptr = ev.value < 2n ** 53n ? Number(ev.value) : ev.value;
  }
  return info;
}

const EXECVE = 59;

/** How a finished call ended, for -e status=. */
function statusOf(ev: SyscallEvent): CallStatus {
  if (Number.isNaN(ev.ret)) return 'unfinished';
  return ev.errno !== 0 ? 'failed' : 'successful';
}

/** The address strace -i shows for a call: the instruction after the syscall instruction
 *  (`syscall` and `int 0x80` are 2 bytes); a vsyscall entry is its own address. */
function returnAddress(ev: SyscallEvent): number {
  return ev.via === 'vsyscall' ? ev.rip : ev.rip + 2;
}

/** A call being traced: its entry formatted, and the prefix its line starts with. */
interface Pending {
  call: PendingCall;
  format: FormatOptions;
  prefix: string;
}

export class StraceSink implements SyscallObserver {
  readonly describesFds: boolean;
  /** The calls being traced, by thread. */
  private readonly pending = new Map<number, Pending>();
  private readonly prefix: LinePrefix;
  /** The number of the last call each process made, traced or not (-n on signal, exit and
   *  personality lines): at first the execve that started it, which emtrace does not see. */
  private readonly lastNr = new Map<number, number>();
  /** -k lines of a call that does not return: strace prints them after the process's end. */
  private deferredFrames: string[] = [];

  /** The personality (ABI) each process last made a syscall in; x86-64 until then. */
  private readonly personalities = new Map<number, 'x86_64' | 'i386'>();

  constructor(
    private readonly out: LineWriter,
    private readonly display: StraceDisplay,
    /** Print `[ Process PID=… runs in 32 bit mode. ]` when a process switches ABI, as strace does
     *  on its stderr (strace -o implies -e quiet=personality). */
    private readonly personality = true,
    /** -k: names the frame of a call; null when the program's symbols are not at hand. */
    private readonly symbolizer: Symbolizer | null = null,
  ) {
    this.prefix = new LinePrefix(display);
    this.describesFds = display.decodeFds > 0 || display.paths.length > 0;
  }

  /** Asked for every call, traced or not: strace notes a personality switch at any syscall (its
   *  line's -n is the previous call's number). */
  wants(nr: number, origin?: CallOrigin, pid = 0, site?: CallSite): boolean {
    if (origin?.via === undefined) {
      const abi = origin?.abi ?? 'x86_64';
      if ((this.personalities.get(pid) ?? 'x86_64') !== abi) {
        this.personalities.set(pid, abi);
        if (this.personality && !this.display.quiet.has('personality')) {
          const prefix = site ? this.prefix.of({ time: eventTime(site), nr: this.lastNrOf(pid), ip: site.rip + 2, narrow: abi === 'i386' }) : '';
          this.out.line(prefix + personalityLine(pid, abi));
        }
      }
      this.lastNr.set(pid, nr);
    }
    return this.display.selected(nr, origin);
  }

  private lastNrOf(pid: number): number {
    return this.lastNr.get(pid) ?? EXECVE;
  }

  /** The process runs in 32-bit mode (-i's width). */
  private narrow(pid: number): boolean {
    return this.personalities.get(pid) === 'i386';
  }

  enter(ev: SyscallEvent, mem: GuestMemoryReader): void {
    const d = this.display;
    if (d.paths.length > 0 && !touchesPath(ev, mem, d.paths)) {
      this.pending.delete(ev.tid);
      return;
    }
    const format: FormatOptions = {
      stringLimit: d.stringLimit,
      textStyle: d.style,
      abbreviate: d.abbrev(ev.nr, ev),
      verbose: d.verbose(ev.nr, ev),
      raw: d.raw(ev.nr, ev),
      decodeFds: d.decodeFds,
    };
    // The prefix is taken at entry, as strace's (-r counts calls -e status= then hides).
    const prefix = this.prefix.of({ time: eventTime(ev), nr: ev.nr, ip: returnAddress(ev), narrow: ev.abi === 'i386' });
    this.pending.set(ev.tid, { call: beginCall(ev, mem, format), format, prefix });
  }

  exit(ev: SyscallEvent, mem: GuestMemoryReader): void {
    const pending = this.pending.get(ev.tid);
    this.pending.delete(ev.tid);
    if (pending === undefined || !this.display.status.has(statusOf(ev))) return;
    const d = this.display;
    const done = finishCall(pending.call, ev, mem, pending.format);
    const returned = !Number.isNaN(ev.ret);
    const took = d.syscallTimes && returned ? LinePrefix.duration(ev.duration ?? 0) : '';
    this.out.line(pending.prefix + joinLine(done.call, done.result + took, pending.prefix.length, d.column));
    for (const line of ioDumpLines(ev, mem, d.writeFds, d.readFds)) this.out.line(line);
    if (d.stackTrace && this.symbolizer) {
      const frame = this.symbolizer.frame(returnAddress(ev));
      // exit_group's frame comes after `+++ exited`, where strace prints it.
      if (returned || !rowOf(ev)?.noReturn) this.out.line(frame);
      else this.deferredFrames.push(frame);
    }
  }

  signal(ev: SignalEvent): void {
    if (!this.display.signals(ev.signo)) return;
    const prefix = this.prefix.of({ time: eventTime(ev), nr: this.lastNrOf(ev.pid), ip: ev.rip, narrow: this.narrow(ev.pid) });
    this.out.line(prefix + withStyle(this.display.style, () => signalLine(ev.signo, signalInfo(ev))));
  }

  processExit(ev: ExitEvent): void {
    const status = ev.status;
    // -qq leaves out `+++ exited`; -e signal= leaves out the kill by a signal not in its set.
    const shown = status.kind === 'exited' ? !this.display.quiet.has('exit') : this.display.signals(status.signal);
    if (shown) {
      const prefix = this.prefix.of({ time: eventTime(ev), nr: this.lastNrOf(ev.pid), ip: undefined, narrow: this.narrow(ev.pid) });
      this.out.line(prefix + (status.kind === 'exited' ? exitedLine(status.code) : killedLine(status.signal, status.coreDumped)));
    }
    for (const frame of this.deferredFrames) this.out.line(frame);
    this.deferredFrames = [];
  }
}

/** Tells an observer about a recorded event as the kernel told it live: the call at entry with
 *  the memory it read, at exit with what the kernel wrote. */
export function feedRecorded(observer: SyscallObserver, event: TraceEvent): void {
  switch (event.type) {
    case 'syscall': {
      const ev = event.event;
      if (!observer.wants(ev.nr, ev, ev.pid, ev)) return;
      observer.enter(ev, RecordedMemory.atEntry(event));
      observer.exit(ev, RecordedMemory.of(event), { writes: null, fdPath: event.fd });
      return;
    }
    case 'signal':
      observer.signal(event);
      return;
    case 'exit':
      observer.processExit(event);
      return;
  }
}
