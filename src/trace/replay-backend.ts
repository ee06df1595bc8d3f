// The syscall backend of a replay: each syscall the guest makes is checked against the next
// recorded one (number, the arguments that call uses, the bytes it reads, where and when it is
// made) and answered from the trace: the recorded result, and the recorded bytes written back into
// guest memory. Calls that shape the emulator's own state (memory mappings, FS base, exit, the
// tasks and their futex waits) are re-executed by the emulated kernel and their results checked
// against the recording.
//
// Several tasks (threads, processes): the recording holds each call when it completed. The
// scheduler is deterministic, so the replay runs the tasks as the recording did, and a call
// completes when it is the next recorded event: a re-executed call that must wait (a futex
// wait, wait4) waits in the emulated kernel as it did; a served call whose task is not the
// next recorded one waits for its turn (it waited for something in the recording too).
import fs from 'node:fs';
import { argInt, argUlong } from './event.js';
import type { ExitEvent, FdNames, GuestMemoryReader, MemoryRange, SignalEvent, SyscallEvent } from './event.js';
import { eventName, exitedLine, killedLine, returnsFd, rowOf } from '../decode/index.js';
import type { LiveSyscalls, SyscallBackend } from '../emulator/kernel/kernel.js';
import type { RecordedSignals } from '../emulator/kernel/signal-delivery.js';
import { SIGKILL } from '../emulator/kernel/signals.js';
import { SIGNAL_REPLAY_EFFECTS } from '../emulator/kernel/syscalls/signal.js';
import { replayExec } from '../emulator/kernel/syscalls/exec.js';
import type { ElfImage } from '../emulator/elf.js';
import { UserError } from '../errors.js';
import { findBinary } from './header.js';
import type { Machine } from '../emulator/machine.js';
import { readInputs } from './recorder.js';
import { encodeEvent } from './trace-file.js';
import type { ExitRecord, SignalRecord, SyscallRecord, TraceEvent } from './trace-file.js';
import { BLOCKED } from '../emulator/kernel/context.js';
import type { FdTable } from '../emulator/kernel/files.js';
import type { Process } from '../emulator/kernel/process.js';

/** Syscalls the replay re-executes instead of serving: they change state the emulator itself
 *  holds, and are deterministic given that state. */
const REEXECUTED = new Set([
  'brk', 'mmap', 'munmap', 'mprotect', 'madvise', 'mremap', 'arch_prctl', 'set_tid_address',
  'set_robust_list', 'rseq', 'exit', 'exit_group', 'prctl', 'seccomp', 'mmap2', 'mlock', 'mlock2',
  'munlock', 'mlockall', 'munlockall', 'msync', 'mincore',
  // The signal state: actions, mask, frames, alternate stack.
  'rt_sigaction', 'rt_sigprocmask', 'rt_sigreturn', 'sigaltstack',
  // Credentials, limits, scheduling, names: later re-executed calls (prctl's dumpable flag,
  // rlimits of mlock, permission checks) depend on them.
  'setuid', 'setgid', 'setreuid', 'setregid', 'setresuid', 'setresgid', 'setfsuid', 'setfsgid',
  'setgroups', 'capset', 'setrlimit', 'prlimit64', 'personality', 'sethostname', 'setdomainname',
  'sched_setaffinity', 'sched_setparam', 'sched_setscheduler', 'setpriority', 'ioprio_set',
  // Tasks, their groups and sessions, and how they wait for each other: all within the
  // emulated kernel.
  'clone', 'clone3', 'fork', 'vfork', 'wait4', 'waitid', 'sched_yield', 'setpgid', 'setsid',
]);

/** The calls that create tasks (a new process's fd table starts as a copy of its creator's). */
const TASK_CREATORS = new Set(['clone', 'clone3', 'fork', 'vfork']);

/** What the replay follows of one fd table: which fds are emtrace's own stdio (by the host fd
 *  the guest's writes are shown on again), and which were opened read-only (a shared mapping
 *  of one may not be made writable). */
interface ReplayFds {
  stdio: Map<number, number>;
  readOnly: Set<number>;
}

/** What tasks do to each other and how they wait on the clock: with several tasks, the replay
 *  runs these again, so that they wait on the scheduler as they did (the clock moves when every
 *  task waits) and a signal one sends another stops, continues or wakes it as it did. Alone, a
 *  task's sleep or futex wait is served (only a signal could end it early, and the replay
 *  delivers signals from the recording), and so is a signal it sends itself. */
const TASK_WAITS = new Set(['nanosleep', 'clock_nanosleep', 'futex', 'kill', 'tgkill', 'tkill']);

/** The calls that start a new program: re-run when they succeeded (replay loads the recorded
 *  program), served when they failed. */
const EXECS = new Set(['execve', 'execveat']);

/** The replay keeps this many events read ahead: a delivery point sees the signals recorded
 *  after the call it follows. */
const LOW_WATER = 16;

const MAP_ANONYMOUS = 0x20;
const MAP_FIXED = 0x10;
const MAP_PRIVATE = 0x02;
const MAP_TYPE = 0x0f;
const O_ACCMODE = 3;
const O_RDONLY = 0;
const PAGE_SIZE = 4096;
/** How many earlier events a divergence report shows. */
export const CONTEXT_EVENTS = 8;

/** Where and why a replay stopped matching its recording. */
export class ReplayDivergence {
  constructor(
    /** The 0-based index of the recorded event that does not match. */
    readonly eventIndex: number,
    readonly reason: string,
    /** The recorded event expected there (null past the end of the trace). */
    readonly expected: TraceEvent | null,
    /** The call the guest made instead (null when it did something other than a syscall). */
    readonly actual: { ev: SyscallEvent; mem: GuestMemoryReader } | null,
    readonly icount: number,
    readonly rip: number,
    /** The last recorded events that did match, oldest first. */
    readonly context: { index: number; record: TraceEvent }[],
  ) {}
}

/** One task's backend: the shared replay, with the task's emulated kernel. */
class TaskReplay implements SyscallBackend {
  readonly signals: RecordedSignals;

  constructor(
    private readonly replay: ReplayBackend,
    private readonly live: LiveSyscalls,
  ) {
    this.signals = replay.signalsOf(live.proc.tid);
  }

  ready(): boolean {
    return this.replay.ready();
  }

  perform(ev: SyscallEvent, mem: GuestMemoryReader): number {
    return this.replay.perform(ev, mem, this.live);
  }

  filtered(ev: SyscallEvent, mem: GuestMemoryReader): void {
    this.replay.filtered(ev, mem);
  }

  describeFds(ev: SyscallEvent, fds: number[], phase: 'entry' | 'exit'): FdNames | undefined {
    return this.replay.describeFds(ev, fds, phase);
  }
}

export class ReplayBackend {
  /** Recorded events read from the trace and not yet matched. */
  readonly queue: TraceEvent[] = [];
  /** The trace has no more events to read. */
  traceEnded = false;
  /** Index of the next recorded event. */
  nextIndex = 0;
  private readonly matched: { index: number; record: TraceEvent }[] = [];
  /** What the replay follows of each fd table (a process's, shared by its threads; the
   *  calls that change it are served, so the emulated table does not know). */
  private readonly fdStates = new WeakMap<FdTable, ReplayFds>();

  constructor(
    private readonly machine: Machine,
    /** Repeat the guest's writes to its inherited stdout/stderr on ours. */
    private readonly echoOutput: boolean,
  ) {}

  /** The backend of one task (RunOptions.backend: every task the replay creates). */
  forTask(live: LiveSyscalls): SyscallBackend {
    return new TaskReplay(this, live);
  }

  ready(): boolean {
    return this.queue.length > LOW_WATER || this.traceEnded;
  }

  /** The recorded asynchronous signals (kill, timers) of thread `tid`: the replay generates
   *  none and delivers these, each at its recorded instruction count. */
  signalsOf(tid: number): RecordedSignals {
    const next = (): SignalRecord | null => {
      const head = this.queue[0];
      return head?.type === 'signal' && head.async && (head.tid ?? head.pid) === tid ? head : null;
    };
    return {
      nextAsync: () => {
        if (this.queue.length === 0) return this.traceEnded ? Infinity : null;
        return next()?.icount ?? Infinity;
      },
      asyncAt: (icount) => {
        const head = next();
        if (!head) return null;
        if (head.icount < icount) throw this.divergeOnSignal(head, `the program went past instruction ${head.icount}, where the recording delivers this signal`);
        return head.icount === icount ? head : null;
      },
      refuse: (ev, reason) => {
        throw this.divergeOnSignal({ type: 'signal', ...ev }, reason);
      },
    };
  }

  /** A thread ended: it must be the next recorded event. */
  exited(ev: ExitEvent): void {
    const expected = this.queue[0];
    const actual: ExitRecord = { type: 'exit', ...ev };
    if (expected?.type === 'exit' && (expected.tid ?? expected.pid) === (ev.tid ?? ev.pid) && JSON.stringify(expected.status) === JSON.stringify(ev.status)) {
      this.remember(this.queue.shift()!);
      return;
    }
    const ending = actual.status.kind === 'exited' ? exitedLine(actual.status.code) : killedLine(actual.status.signal, actual.status.coreDumped);
    throw new ReplayDivergence(this.nextIndex, `thread ${ev.tid ?? ev.pid} ends with ${ending}`, expected ?? null, null, ev.icount, 0, this.recentContext());
  }

  /** A signal was delivered to the program: it must be the next recorded event. */
  signalDelivered(ev: SignalEvent): void {
    const expected = this.queue[0];
    const actual: SignalRecord = { type: 'signal', ...ev };
    if (expected?.type === 'signal' && encodeEvent(expected) === encodeEvent(actual)) {
      this.remember(this.queue.shift()!);
      return;
    }
    throw this.divergeOnSignal(expected ?? null, expected ? `the program receives ${describeSignal(ev)} here` : 'the program receives a signal after the end of the recording');
  }

  private divergeOnSignal(expected: TraceEvent | null, reason: string): ReplayDivergence {
    const cpu = this.machine.cpu;
    return new ReplayDivergence(this.nextIndex, reason, expected, null, cpu.icount, cpu.rip, this.recentContext());
  }

  /** Takes the next recorded event (for the checks at the end of the run). */
  take(): TraceEvent | undefined {
    const event = this.queue.shift();
    if (event) this.remember(event);
    return event;
  }

  /** The events that matched last, for a divergence report. */
  recentContext(): { index: number; record: TraceEvent }[] {
    return [...this.matched];
  }

  /** A call a seccomp filter answered: it must be the recorded one; nothing is served. */
  filtered(ev: SyscallEvent, mem: GuestMemoryReader): void {
    const expected = this.queue[0];
    if (!expected) throw this.diverge(ev, mem, null, 'the program makes a syscall after the end of the recording');
    if (expected.type !== 'syscall') throw this.diverge(ev, mem, expected, `the recording has a ${expected.type} event here`);
    const mismatch = this.compare(expected, ev, mem);
    if (mismatch) throw this.diverge(ev, mem, expected, mismatch);
    this.remember(this.queue.shift()!);
  }

  /** The recorded descriptions (-y): at entry those of the next recorded call, at exit those of
   *  the call just served. */
  describeFds(ev: SyscallEvent, _fds: number[], phase: 'entry' | 'exit'): FdNames | undefined {
    const rec = phase === 'entry' ? this.queue[0] : this.served;
    if (rec?.type !== 'syscall' || rec.event.seq !== ev.seq) return undefined;
    return phase === 'entry' ? rec.event.fds : rec.event.newFds;
  }

  /** The recorded call perform() last answered. */
  private served: SyscallRecord | null = null;

  perform(ev: SyscallEvent, mem: GuestMemoryReader, live: LiveSyscalls): number {
    const expected = this.queue[0];
    if (!expected) throw this.diverge(ev, mem, null, 'the program makes a syscall after the end of the recording');
    if (taskOf(expected) !== ev.tid) return this.notYet(ev, mem, live, expected);
    if (expected.type !== 'syscall') throw this.diverge(ev, mem, expected, `the recording has a ${expected.type} event here`);
    const mismatch = this.compare(expected, ev, mem);
    if (mismatch) throw this.diverge(ev, mem, expected, mismatch);
    this.served = expected;
    const name = eventName(ev);
    const started = EXECS.has(name) && expected.event.errno === 0;
    // (A wait that started on the scheduler goes on there.)
    const waitsOnScheduler = TASK_WAITS.has(name) && (live.proc.canWaitForOthers() || live.proc.sleep !== null || live.proc.futexWait !== null);
    const reexecuted = started || isReexecuted(name, ev, expected) || waitsOnScheduler;
    // The virtual clock moves as it did in the recording: a sleep the trace answers moves it,
    // unless the call waited for its turn here, while the scheduler moved the clock (the
    // re-executed sleeps of the other tasks wait on it again).
    if (expected.event.duration !== undefined && !reexecuted && !this.waitedForTurn.has(ev)) live.proc.clock.sleep(BigInt(expected.event.duration));
    if (expected.event.injected) {
      // An injected result: the call never ran in the recording either.
      ev.injected = true;
      this.remember(this.queue.shift()!);
      return this.serve(expected, ev, mem, live);
    }
    const result = started ? this.startRecorded(expected, ev, mem, name, live) : reexecuted ? this.reexecute(expected, ev, mem, live) : this.serve(expected, ev, mem, live);
    // It waits in the emulated kernel, as it did in the recording: it is matched when it ends.
    if (result === BLOCKED) return result;
    if (!reexecuted) {
      SIGNAL_REPLAY_EFFECTS[name]?.(live.proc, ev.args, result);
      // A call that never returned (kill of itself with SIGKILL) ended the process.
      if (Number.isNaN(result)) live.proc.exitStatus = { kind: 'killed', signal: SIGKILL, coreDumped: false };
    }
    if (this.echoOutput) this.echo(name, ev, result, mem, live.proc);
    this.trackFds(name, ev, result, live.proc);
    this.remember(this.queue.shift()!);
    return result;
  }

  /**
   * The next recorded event is another task's: this call completed later in the recording. A
   * re-executed call runs, and must wait (it waited then); a served one waits for its turn. A
   * wait nothing can end (the tasks left all wait for their turns) is a divergence.
   */
  private notYet(ev: SyscallEvent, mem: GuestMemoryReader, live: LiveSyscalls, expected: TraceEvent): number {
    const proc = live.proc;
    this.inputsAtEntry(ev, mem);
    const reason = `the recording has thread ${taskOf(expected)}'s ${expected.type === 'syscall' ? expected.name : expected.type} here`;
    const name = eventName(ev);
    if (isReexecuted(name, ev, null) || TASK_WAITS.has(name)) {
      // (It may be the call that creates the task the recording goes on with: a vfork.)
      const result = live.perform(ev);
      if (result !== BLOCKED) throw this.diverge(ev, mem, expected, `${reason}, but this call completes first`);
      return result;
    }
    if (proc.wakeReason === 'deadlock' || !proc.canWaitForOthers()) throw this.diverge(ev, mem, expected, reason);
    proc.wakeReason = null;
    proc.pendingWait = { key: null, what: 'its turn in the recording' };
    this.waitedForTurn.add(ev);
    return BLOCKED;
  }

  private remember(record: TraceEvent): void {
    this.matched.push({ index: this.nextIndex++, record });
    if (this.matched.length > CONTEXT_EVENTS) this.matched.shift();
  }

  /** What a call passes to the kernel, read when it is first made (a call that waits is
   *  performed again later, when the memory may hold something else: the recording has what
   *  it passed at entry). */
  private readonly entryInputs = new WeakMap<SyscallEvent, MemoryRange[]>();
  /** Served calls that waited for their turn (notYet). */
  private readonly waitedForTurn = new WeakSet<SyscallEvent>();

  private inputsAtEntry(ev: SyscallEvent, mem: GuestMemoryReader): MemoryRange[] {
    let inputs = this.entryInputs.get(ev);
    if (!inputs) this.entryInputs.set(ev, (inputs = readInputs(ev, mem)));
    return inputs;
  }

  /** Why the call differs from the recorded one, or null when it matches. */
  private compare(rec: SyscallRecord, ev: SyscallEvent, mem: GuestMemoryReader): string | null {
    const want = rec.event;
    if (want.nr !== ev.nr || want.abi !== ev.abi) return `a different syscall: ${eventName(ev)}${ev.abi ? ' (i386)' : ''} instead of ${rec.name}${want.abi ? ' (i386)' : ''}`;
    if (want.via !== ev.via) return `a different kind of call: ${ev.via ?? 'a syscall'} where the recording has ${want.via ?? 'a syscall'}`;
    const used = rowOf(ev)?.nargs ?? 6;
    for (let k = 0; k < used; k++) {
      if (want.args[2 * k] !== ev.args[2 * k] || want.args[2 * k + 1] !== ev.args[2 * k + 1]) return `argument ${k + 1} differs`;
    }
    const inputs = this.inputsAtEntry(ev, mem);
    const recorded = rec.inputs;
    for (let k = 0; k < Math.max(inputs.length, recorded.length); k++) {
      const now = inputs[k];
      const then = recorded[k];
      if (!now || !then || now.addr !== then.addr || now.len !== then.len) return 'the memory it passes to the kernel differs';
      const difference = firstDifference(then, now);
      if (difference) return `the bytes it passes to the kernel differ (${difference})`;
    }
    if (want.rip !== ev.rip) return `it is made from a different instruction (rip 0x${want.rip.toString(16)} recorded)`;
    if (want.icount !== ev.icount) return `it comes after a different number of instructions (${want.icount} recorded, ${ev.icount} now)`;
    return null;
  }

  /** The recorded result, with the recorded bytes written back into guest memory. */
  private serve(rec: SyscallRecord, ev: SyscallEvent, mem: GuestMemoryReader, live: LiveSyscalls): number {
    for (const range of rec.outputs) {
      try {
        // As the kernel wrote them: a read-only mapping's too (a file mapping reloaded).
        live.proc.mem.writeForced(range.addr, range.data);
      } catch {
        throw this.diverge(ev, mem, rec, `the kernel's recorded write to 0x${range.addr.toString(16)} does not fit the replayed memory`);
      }
    }
    return rec.event.ret;
  }

  /** Runs the call in the emulated kernel and checks its result against the recording. A file
   *  mapping is re-created as an anonymous one at the recorded address, then given the recorded
   *  file bytes: the file itself need not exist on this machine. */
  private reexecute(rec: SyscallRecord, ev: SyscallEvent, mem: GuestMemoryReader, live: LiveSyscalls): number {
    let args = ev.args;
    const fileMapping = isFileMapping(rec.name, ev) && rec.event.errno === 0;
    if (fileMapping) {
      args = args.slice();
      const at = rec.event.ret;
      args[0] = at % 4294967296;
      args[1] = Math.floor(at / 4294967296);
      args[6] = args[6] | MAP_ANONYMOUS | MAP_FIXED;
      args[8] = -1;
      args[9] = -1;
      args[10] = 0;
      args[11] = 0;
    }
    const result = live.perform({ ...ev, args });
    if (result === BLOCKED) return result;
    if (fileMapping && result === rec.event.ret) this.denyWritesIfReadOnly(ev, result, live);
    // What the kernel wrote: a file mapping's bytes (the file need not exist here), pages a
    // madvise or mremap brought back from a file.
    if (result === rec.event.ret) for (const range of rec.outputs) live.proc.mem.writeForced(range.addr, range.data);
    const recorded = rec.event.ret;
    const exited = live.proc.ended !== null;
    if (!exited && result !== recorded) {
      throw this.diverge(ev, mem, rec, `the emulated kernel returns ${result} where the recording has ${recorded}`);
    }
    return result;
  }

  /** A successful execve: the program the recording started, loaded from the file it names
   *  (which must be here, with the same SHA-256); a failed one is served like any call. */
  private startRecorded(rec: SyscallRecord, ev: SyscallEvent, mem: GuestMemoryReader, name: string, live: LiveSyscalls): number {
    const started = rec.event.exec;
    if (!started) throw this.diverge(ev, mem, rec, 'the recording does not say which program this execve started');
    let image: ElfImage;
    try {
      image = findBinary([started.path], started.sha256, started.path);
    } catch (e) {
      if (e instanceof UserError) throw this.diverge(ev, mem, rec, `the program it started: ${e.message}`);
      throw e;
    }
    const result = replayExec(live.proc, name, ev.args, started, image);
    if (result !== 0) throw this.diverge(ev, mem, rec, `the emulated kernel returns ${result} where the recording has 0`);
    return result;
  }

  /** A re-created shared mapping of a file the guest opened read-only keeps Linux's rule that
   *  mprotect may not make it writable. */
  private denyWritesIfReadOnly(ev: SyscallEvent, at: number, live: LiveSyscalls): void {
    const flags = argInt(ev.args, 3);
    if ((flags & MAP_TYPE) === MAP_PRIVATE || !this.fdsOf(live.proc).readOnly.has(argInt(ev.args, 4))) return;
    const end = at + Math.ceil(argUlong(ev.args, 1) / PAGE_SIZE) * PAGE_SIZE;
    for (const m of live.proc.mem.mappings) if (m.start >= at && m.end <= end) m.writeDenied = true;
  }

  /** Shows again what the guest wrote to emtrace's own stdout/stderr. */
  private echo(name: string, ev: SyscallEvent, result: number, mem: GuestMemoryReader, proc: Process): void {
    if (result <= 0) return;
    const host = this.fdsOf(proc).stdio.get(argInt(ev.args, 0));
    if (host === undefined || host === 0) return;
    let data: Uint8Array | null = null;
    if (name === 'write' || name === 'pwrite64') data = mem.readBytes(argUlong(ev.args, 1), result);
    else if (name === 'writev' || name === 'pwritev' || name === 'pwritev2') data = gather(mem, argUlong(ev.args, 1), argInt(ev.args, 2), result);
    if (data) writeAll(host, data);
  }

  /** The fd state of `proc`'s table: the first process's starts with the inherited stdio; a
   *  new task's is copied from its creator's when it is created (inheritFds). */
  private fdsOf(proc: Process): ReplayFds {
    let state = this.fdStates.get(proc.fds);
    if (!state) this.fdStates.set(proc.fds, (state = { stdio: new Map([[0, 0], [1, 1], [2, 2]]), readOnly: new Set() }));
    return state;
  }

  /** A fork or clone made task `tid`: a table of its own starts as a copy of its creator's. */
  private inheritFds(creator: Process, tid: number): void {
    for (const p of creator.processes()) {
      const task = p.group.threads.find((t) => t.tid === tid);
      if (!task || this.fdStates.has(task.fds)) continue;
      const from = this.fdsOf(creator);
      this.fdStates.set(task.fds, { stdio: new Map(from.stdio), readOnly: new Set(from.readOnly) });
    }
  }

  /** Follows which fds are still the inherited stdio, and which were opened read-only, through
   *  open/close/dup. */
  private trackFds(name: string, ev: SyscallEvent, result: number, proc: Process): void {
    if (result < 0) return;
    if (TASK_CREATORS.has(name) && result > 0) return this.inheritFds(proc, result);
    const { stdio, readOnly } = this.fdsOf(proc);
    const fd = argInt(ev.args, 0);
    if (name === 'close') {
      stdio.delete(fd);
      readOnly.delete(fd);
    } else if (name === 'dup2' || name === 'dup3' || ((name === 'dup' || name === 'fcntl') && returnsFd(ev))) {
      copyMembership(stdio, fd, result);
      if (readOnly.has(fd)) readOnly.add(result);
      else readOnly.delete(result);
    } else if (returnsFd(ev)) {
      stdio.delete(result);
      const flags = name === 'open' ? argInt(ev.args, 1) : name === 'openat' ? argInt(ev.args, 2) : null;
      if (flags !== null && (flags & O_ACCMODE) === O_RDONLY) readOnly.add(result);
      else readOnly.delete(result);
    }
  }

  private diverge(ev: SyscallEvent, mem: GuestMemoryReader | null, expected: TraceEvent | null, reason: string): ReplayDivergence {
    return new ReplayDivergence(this.nextIndex, reason, expected, mem ? { ev, mem } : null, ev.icount, ev.rip, this.recentContext());
  }
}

/** Makes `to` a member of `map` exactly when `from` is, with the same value. */
function copyMembership<V>(map: Map<number, V>, from: number, to: number): void {
  const value = map.get(from);
  if (value === undefined) map.delete(to);
  else map.set(to, value);
}

/** mmap of a file descriptor (the i386 `mmap` takes a struct and is left out). */
function isFileMapping(name: string, ev: SyscallEvent): boolean {
  return (name === 'mmap' || name === 'mmap2') && !(ev.abi === 'i386' && name === 'mmap') && !(argInt(ev.args, 3) & MAP_ANONYMOUS);
}

/** Whether the emulated kernel runs this call again rather than serving it from the trace.
 *  vDSO and vsyscall calls only read the clock, and a file mapping that failed changed nothing
 *  (its fd may not exist in the replay): both are served like any other call. */
function isReexecuted(name: string, ev: SyscallEvent, rec: SyscallRecord | null): boolean {
  if (!REEXECUTED.has(name) || ev.via !== undefined) return false;
  return !(isFileMapping(name, ev) && rec !== null && rec.event.errno !== 0);
}

/** The thread a recorded event belongs to. */
function taskOf(event: TraceEvent): number {
  const ev = event.type === 'syscall' ? event.event : event;
  return ev.tid ?? ev.pid;
}

/** Where two recordings of the same range differ, as text; null when they are the same. */
function firstDifference(then: MemoryRange, now: MemoryRange): string | null {
  const at = `at 0x${then.addr.toString(16)}`;
  const shown = Math.min(then.data.length, now.data.length);
  for (let k = 0; k < shown; k++) {
    if (then.data[k] !== now.data[k]) {
      const byte = (b: number) => '0x' + b.toString(16).padStart(2, '0');
      return `${at}+${k}: ${byte(then.data[k])} recorded, ${byte(now.data[k])} now`;
    }
  }
  if (then.sha256 !== now.sha256) return `${at}, after its first ${shown} bytes`;
  return null;
}

/** The first `total` bytes described by an iovec array. */
function gather(mem: GuestMemoryReader, iovecs: number, count: number, total: number): Uint8Array | null {
  const parts: Uint8Array[] = [];
  let left = total;
  for (let k = 0; k < count && left > 0; k++) {
    const entry = mem.readBytes(iovecs + 16 * k, 16);
    if (!entry) return null;
    const view = new DataView(entry.buffer, entry.byteOffset, 16);
    const base = view.getUint32(0, true) + view.getUint32(4, true) * 4294967296;
    const len = Math.min(left, view.getUint32(8, true) + view.getUint32(12, true) * 4294967296);
    const bytes = len > 0 ? mem.readBytes(base, len) : new Uint8Array(0);
    if (!bytes) return null;
    parts.push(bytes);
    left -= len;
  }
  return Buffer.concat(parts);
}

function writeAll(fd: number, data: Uint8Array): void {
  for (let done = 0; done < data.length; ) {
    try {
      done += fs.writeSync(fd, data, done, data.length - done);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
    }
  }
}

/** `SIGUSR1 (10)` for a divergence report. */
function describeSignal(ev: SignalEvent): string {
  return `signal ${ev.signo}${ev.async ? ' (sent to it)' : ''} at instruction ${ev.icount}`;
}
