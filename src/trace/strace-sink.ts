// The strace text sink: one line per syscall in strace's format, plus the signal and exit lines,
// shaped by strace's options (strace-options.ts). Tracing, `replay --strace` and `dump` all print
// through it: a recorded event is fed to it as the live kernel would (feedRecorded).
import { beginCall, eventName, exitedLine, finishCall, joinLine, killedLine, personalityLine, rowOf, signalLine } from '../decode/index.js';
import type { FormatOptions, PendingCall, SigInfo } from '../decode/index.js';
import { withStyle } from '../decode/style.js';
import type { Symbolizer } from './backtrace.js';
import { eventTime } from './event.js';
import type { CallOrigin, CallSite, ExitEvent, GuestMemoryReader, SignalEvent, SyscallEvent } from './event.js';
import { ioDumpLines } from './io-dump.js';
import type { LineOutput } from './line-writer.js';
import type { SyscallObserver } from './observer.js';
import { touchesPath } from './path-filter.js';
import { CALL_STATUSES } from './strace-options.js';
import type { CallStatus, StraceDisplay } from './strace-options.js';
import { LinePrefix } from './strace-prefix.js';
import type { LineOrigin } from './strace-prefix.js';
import { attachedMessage, FOLLOW_NONE, pidPrefix, TASK_STARTING_CALLS } from './follow.js';
import type { FollowOptions } from './follow.js';
import { TaskLine, TaskLog } from './task-log.js';
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
  if (ev.child) {
    info.status = ev.child.status;
    info.utime = ev.child.utime;
    info.stime = ev.child.stime;
  }
  if (ev.timer) {
    info.timerid = ev.timer.id;
    info.overrun = ev.timer.overrun;
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

/** A call being traced: its entry formatted. */
interface Pending {
  call: PendingCall;
  format: FormatOptions;
}

export class StraceSink implements SyscallObserver {
  readonly describesFds: boolean;
  /** The traced tasks, by thread id (strace's tcbs): the first, and with -f every task since
   *  its start, until its end. */
  private readonly tasks = new Map<number, TaskLine>();
  /** The first task: the only one traced without -f. */
  private first: number | null = null;
  /** The calls being traced, by thread. */
  private readonly pending = new Map<number, Pending>();
  private readonly prefix: LinePrefix;
  private readonly shared: TaskLog;
  /** The number of the last call each task made, traced or not (-n on signal, exit and
   *  personality lines): at first the execve that started it, which emtrace does not see. */
  private readonly lastNr = new Map<number, number>();
  /** -k lines of a call that does not return, by task: strace prints them after its end. */
  private readonly deferredFrames = new Map<number, string>();

  /** The personality (ABI) each task last made a syscall in; x86-64 until then. */
  private readonly personalities = new Map<number, 'x86_64' | 'i386'>();

  constructor(
    out: LineOutput,
    private readonly display: StraceDisplay,
    /** Print strace's own messages (`[ Process PID=… runs in 32 bit mode. ]` when a process
     *  switches ABI, `Process N attached` when -f starts tracing a task) as strace does on its
     *  stderr (strace -o implies -e quiet=attach,personality). */
    private readonly messages = true,
    /** -k: names the frame of a call; null when the program's symbols are not at hand. */
    private readonly symbolizer: Symbolizer | null = null,
    /** -f, -ff: which tasks print, and where. */
    private readonly follow: FollowOptions = FOLLOW_NONE,
  ) {
    this.prefix = new LinePrefix(display);
    this.shared = new TaskLog(out, false);
    this.describesFds = display.decodeFds > 0 || display.paths.length > 0;
  }

  /** The task `tid` when it is traced (the first one seen is; others with -f), else null. */
  private task(tid: number): TaskLine | null {
    const known = this.tasks.get(tid);
    if (known !== undefined) return known;
    if (this.first !== null && !this.follow.forks) return null;
    this.first ??= tid;
    return this.start(tid);
  }

  /** A task starts being traced (strace: its tcb is allocated, `Process N attached`). */
  private start(tid: number): TaskLine {
    const separate = this.follow.separate;
    const task = new TaskLine(tid, separate ? new TaskLog(separate(tid), true) : this.shared);
    if (this.tasks.size > 0 && this.messages && !this.display.quiet.has('attach')) this.shared.interrupt(attachedMessage(tid));
    this.tasks.set(tid, task);
    return task;
  }

  /** Begins a line of `task` (strace's printleader): its pid and the options' prefix (none
   *  without an origin). */
  private begin(task: TaskLine, origin: LineOrigin | null): void {
    task.log.begin(task, pidPrefix(this.follow, task.tid, this.tasks.size) + (origin ? this.prefix.of(origin) : ''));
  }

  /** Asked for every call, traced or not: strace notes a personality switch at any syscall (its
   *  line's -n is the previous call's number). */
  wants(nr: number, origin?: CallOrigin, pid = 0, site?: CallSite): boolean {
    const task = this.task(site?.tid ?? pid);
    if (task === null) return false;
    if (origin?.via === undefined) {
      const abi = origin?.abi ?? 'x86_64';
      if ((this.personalities.get(task.tid) ?? 'x86_64') !== abi) {
        this.personalities.set(task.tid, abi);
        if (this.messages && !this.display.quiet.has('personality')) {
          this.begin(task, site ? { time: eventTime(site), nr: this.lastNrOf(task.tid), ip: site.rip + 2, narrow: abi === 'i386' } : null);
          task.log.end(task, personalityLine(task.tid, abi));
        }
      }
      this.lastNr.set(task.tid, nr);
    }
    return this.display.selected(nr, origin);
  }

  private lastNrOf(tid: number): number {
    return this.lastNr.get(tid) ?? EXECVE;
  }

  /** The task runs in 32-bit mode (-i's width). */
  private narrow(tid: number): boolean {
    return this.personalities.get(tid) === 'i386';
  }

  enter(ev: SyscallEvent, mem: GuestMemoryReader): void {
    const d = this.display;
    this.pending.delete(ev.tid);
    const task = this.task(ev.tid);
    if (task === null || (d.paths.length > 0 && !touchesPath(ev, mem, d.paths))) return;
    const format: FormatOptions = {
      stringLimit: d.stringLimit,
      textStyle: d.style,
      abbreviate: d.abbrev(ev.nr, ev),
      verbose: d.verbose(ev.nr, ev),
      raw: d.raw(ev.nr, ev),
      decodeFds: d.decodeFds,
    };
    const call = beginCall(ev, mem, format);
    // -e status= holds the call's lines until its end (strace opens the memstream first).
    if (d.status.size < CALL_STATUSES) task.staged = [];
    this.begin(task, { time: eventTime(ev), nr: ev.nr, ip: returnAddress(ev), narrow: ev.abi === 'i386' });
    task.open += call.entry;
    this.pending.set(ev.tid, { call, format });
  }

  exit(ev: SyscallEvent, mem: GuestMemoryReader): void {
    const pending = this.pending.get(ev.tid);
    this.pending.delete(ev.tid);
    const task = this.tasks.get(ev.tid);
    if (pending === undefined || task === undefined) return;
    const d = this.display;
    const log = task.log;
    const done = finishCall(pending.call, ev, mem, pending.format);
    const returned = !Number.isNaN(ev.ret);
    if (!returned) log.closeOthers(task);
    if (log.mustResume(task)) {
      const time = eventTime(ev) + BigInt(ev.duration ?? 0);
      this.begin(task, { time, nr: ev.nr, ip: returnAddress(ev), narrow: ev.abi === 'i386' });
      task.open += '<... ' + pending.call.name + ' resumed>';
    }
    log.claim(task);
    if (task.staged !== null) {
      const publish = d.status.has(statusOf(ev));
      log.release(task, publish);
      if (!publish) return;
    }
    const took = d.syscallTimes && returned ? LinePrefix.duration(ev.duration ?? 0) : '';
    const rest = done.call.startsWith(pending.call.entry) ? done.call.slice(pending.call.entry.length) : done.call;
    log.end(task, joinLine(rest, done.result + took, task.open.length, d.column));
    for (const line of ioDumpLines(ev, mem, d.writeFds, d.readFds)) log.extra(line);
    if (d.stackTrace && this.symbolizer) {
      const frame = this.symbolizer.frame(returnAddress(ev));
      // exit_group's frame comes after `+++ exited`, where strace prints it.
      if (returned || !rowOf(ev)?.noReturn) log.extra(frame);
      else this.deferredFrames.set(ev.tid, frame);
    }
    if (returned && ev.ret > 0 && TASK_STARTING_CALLS.has(eventName(ev)) && this.follow.forks && !this.tasks.has(ev.ret)) this.start(ev.ret);
  }

  signal(ev: SignalEvent): void {
    const task = this.task(ev.tid);
    if (task === null || !this.display.signals(ev.signo)) return;
    this.begin(task, { time: eventTime(ev), nr: this.lastNrOf(ev.tid), ip: ev.rip, narrow: this.narrow(ev.tid) });
    task.log.end(task, withStyle(this.display.style, () => signalLine(ev.signo, signalInfo(ev))));
  }

  processExit(ev: ExitEvent): void {
    const tid = ev.tid ?? ev.pid;
    const task = this.task(tid);
    if (task === null) return;
    const status = ev.status;
    // -qq leaves out `+++ exited`; -e signal= leaves out the kill by a signal not in its set.
    const shown = status.kind === 'exited' ? !this.display.quiet.has('exit') : this.display.signals(status.signal);
    if (shown) {
      this.begin(task, { time: eventTime(ev), nr: this.lastNrOf(tid), ip: undefined, narrow: this.narrow(tid) });
      task.log.end(task, status.kind === 'exited' ? exitedLine(status.code) : killedLine(status.signal, status.coreDumped));
    }
    const frame = this.deferredFrames.get(tid);
    if (frame !== undefined) task.log.extra(frame);
    this.deferredFrames.delete(tid);
    task.log.drop(task);
    this.tasks.delete(tid);
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
