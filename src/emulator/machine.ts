// A guest program in its machine: loads the ELF, wires CPU, memory, interpreter and kernel, runs
// it to the end and reports how it ended. Faults become signals with Linux's default action.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { signalName } from '../decode/index.js';
import { UserError } from '../errors.js';
import type { ExitStatus, SyscallObserver } from '../trace/observer.js';
import { Interpreter } from './cpu/interpreter.js';
import { Cpu } from './cpu/state.js';
import { ElfImage, parseElf } from './elf.js';
import { Clock } from './kernel/clock.js';
import { DeviceFile, EMULATED_DEVICES, HostFile, O_CLOEXEC } from './kernel/files.js';
import { Kernel, LiveSyscalls, SyscallBackend } from './kernel/kernel.js';
import type { SyscallInjector } from './kernel/injection.js';
import { mmOf } from './kernel/mm.js';
import { FileMetadata } from './kernel/metadata.js';
import { Process } from './kernel/process.js';
import { faultSignal, type SignalDelivery } from './kernel/signal-delivery.js';
import { PIPEFS_DEV } from './kernel/pipes.js';
import { SOCKFS_DEV, Vfs } from './kernel/vfs.js';
import { HostRandom, SeededRandom } from './kernel/random.js';
import type { ProcessIdentity } from './loader.js';
import { Guest, GuestHooks } from './guest.js';
import { Scheduler, Task } from './kernel/scheduler.js';
import type { CloneRequest } from './kernel/clone-args.js';
import { createThread, forkProcess, processEnded } from './kernel/fork.js';
import { CLONE_THREAD } from './kernel/clone-args.js';
import { threadEnded } from './kernel/thread-exit.js';
import { jobChanged, orphanedGroup } from './kernel/job-control.js';
import { SIGSTOP } from './kernel/signals.js';
import { Errno } from './kernel/errno.js';
import { CAP_SYS_RESOURCE } from './kernel/creds.js';

/** RLIMIT_NPROC's index in the limits. */
const RLIMIT_NPROC = 6;
import { AddressSpace, MemoryFault } from './memory.js';

export interface RunOptions {
  /** argv as the guest sees it (argv[0] included). */
  argv: string[];
  /** The environment as NAME=value strings. */
  env: string[];
  /** Seed of the guest's entropy (AT_RANDOM, getrandom, /dev/urandom). */
  seed?: string;
  /** Chaos mode's seed (kernel/chaos.ts): random slices and picks, the same for the same seed;
   *  none: plain round robin. */
  chaos?: string;
  /** Take the guest's entropy from the host (crypto.randomBytes) instead of the seed: AT_RANDOM,
   *  getrandom, /dev/random and /dev/urandom differ on every run. */
  hostRandom?: boolean;
  /** Read the host's clocks instead of the virtual clock (which starts at 2030-01-01T00:00:00Z
   *  and advances 1 ns per instruction), and really sleep in nanosleep and clock_nanosleep. */
  hostTime?: boolean;
  observer?: SyscallObserver | null;
  /** Fault injection (strace -e inject=): answers chosen calls instead of the kernel. */
  injector?: SyscallInjector | null;
  /** Who performs syscalls; by default the emulated kernel (`live`). A replay passes a factory
   *  that serves recorded results and uses `live` for the calls it re-executes; it is called
   *  for every task (process or thread) the run creates, with that task's `live`. */
  backend?: (live: LiveSyscalls, machine: Machine) => SyscallBackend;
  /** emtrace's own diagnostics (one line each, without the `emtrace: ` prefix). */
  diagnose?: (message: string) => void;
  cwd?: string;
  /** The user and group ids the guest runs as; by default emtrace's own. */
  identity?: ProcessIdentity;
  /** The program's name as execve got it (AT_EXECFN); by default the path it was read from. */
  execfn?: string;
  /** The host fds the guest gets as its stdin, stdout and stderr; by default emtrace's own. */
  stdio?: readonly number[];
  /** The 16 bytes AT_RANDOM points at; by default the first 16 of the guest's entropy. */
  atRandom?: Uint8Array;
  /** Called before every instruction (an instruction log; it turns compiled blocks off). */
  beforeInstruction?: (cpu: Cpu) => void;
  /** The host directory that is the guest's `/` (chroot-like: no path leads out of it); by
   *  default the host's `/`. */
  root?: string;
  /** Refuse every change to the file tree with EROFS (the host stays as it was). */
  readOnly?: boolean;
  /** --max-memory: mmap, brk, mremap and stack growth fail with ENOMEM once this many bytes of
   *  address space would be mapped. */
  maxMemory?: number;
  /** uname's release and node name instead of the fixed ones (--uname-release, --hostname). */
  uname?: { release?: string; nodename?: string };
  /** Map the vDSO (AT_SYSINFO_EHDR); default true. Without it libc makes real clock syscalls. */
  vdso?: boolean;
}

function hostIdentity(): ProcessIdentity {
  const user = os.userInfo();
  return { uid: user.uid, euid: user.uid, gid: user.gid, egid: user.gid };
}

export interface RunResult {
  status: ExitStatus;
  /** Instructions executed. */
  instructions: number;
}

/** Reads and validates an executable, with clear errors for every way it can be unusable. */
export function readExecutable(file: string): ElfImage {
  let data: Buffer;
  try {
    const stat = fs.statSync(file);
    if (stat.isDirectory()) throw new UserError(file, 'is a directory');
    data = fs.readFileSync(file);
  } catch (e) {
    if (e instanceof UserError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'No such file or directory' : code === 'EACCES' ? 'Permission denied' : (e as Error).message;
    throw new UserError(file, reason);
  }
  return parseElf(file, data);
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** The executable a command name refers to: a path when it has a slash, else a PATH lookup. */
export function findExecutable(command: string): string {
  if (command.includes('/')) return command;
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (!dir) continue;
    const candidate = path.join(dir, command);
    try {
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not in this directory
    }
  }
  throw new UserError(command, 'command not found in PATH');
}

/** The instructions every guest has retired: the virtual clock's count (each CPU counts its own
 *  thread's, which events carry). */
class MachineCounter {
  /** Retired by the guests before the running one's current slice. */
  private base = 0;
  private running: Cpu | null = null;
  private startedAt = 0;

  get icount(): number {
    return this.running ? this.base + this.running.icount - this.startedAt : this.base;
  }

  /** `cpu` runs from now on. */
  switchTo(cpu: Cpu): void {
    if (this.running) this.base += this.running.icount - this.startedAt;
    this.running = cpu;
    this.startedAt = cpu.icount;
  }
}

export class Machine {
  /** The first process: the program emtrace started. */
  readonly first: Guest;
  /** The bytes AT_RANDOM gave the program (a trace header keeps them for the replay). */
  readonly atRandom: Uint8Array;
  private readonly observer: SyscallObserver | null;
  private readonly diagnose: (message: string) => void;
  private readonly counter = new MachineCounter();
  private readonly sched: Scheduler<Guest>;
  private readonly hooks: GuestHooks;
  /** execve calls so far: each new program's AT_RANDOM derives from the first's and this. */
  private execs = 0;
  /** True while the syscall backend waits for input (a replay reading its trace). */
  private stalled = false;
  /** Who performs a guest's syscalls (RunOptions.backend), for every task the run creates. */
  private readonly backendOf: (live: LiveSyscalls) => SyscallBackend;

  constructor(image: ElfImage, options: RunOptions) {
    this.observer = options.observer ?? null;
    this.diagnose = options.diagnose ?? (() => {});
    const random = options.hostRandom ? new HostRandom() : new SeededRandom(options.seed ?? '0');
    const identity = options.identity ?? hostIdentity();
    const clock = new Clock(this.counter, options.hostTime ?? false);
    this.sched = new Scheduler<Guest>({ clock: { now: () => clock.monotonicNs(), advance: (ns) => clock.sleep(ns) }, chaosSeed: options.chaos ?? null });
    const host = hostIdentity();
    const metadata = new FileMetadata(clock, { hostUid: host.uid, hostGid: host.gid, uid: identity.uid, gid: identity.gid });
    const exePath = path.resolve(image.path);
    const vfs = new Vfs(options.root ?? '/', options.readOnly ?? false);
    if (options.root !== undefined && !isDirectory(vfs.root)) throw new UserError(options.root, 'is not a directory (--root)');
    // The working directory as the guest sees it: the host's, inside the root; else the root.
    const cwd = vfs.guestPath(options.cwd ?? process.cwd()) ?? '/';
    const mem = new AddressSpace();
    const proc = new Process(new Cpu(mem), mem, exePath, cwd, identity, random, clock, metadata);
    proc.vfs = vfs;
    proc.diagnose = this.diagnose;
    this.atRandom = options.atRandom ?? random.bytes(16);
    this.hooks = {
      observer: this.observer,
      injector: options.injector ?? null,
      diagnose: this.diagnose,
      beforeInstruction: options.beforeInstruction ?? null,
      vdso: options.vdso ?? true,
      execRandom: () => createHash('sha256').update(this.atRandom).update(`execve ${++this.execs}`).digest().subarray(0, 16),
      stall: () => {
        this.stalled = true;
      },
      block: (guest, wait) => this.sched.block(this.taskOf(guest), wait),
      returned: () => this.afterCall(),
    };
    this.backendOf = (live) => (options.backend ? options.backend(live, this) : live);
    this.first = new Guest(proc, image, this.backendOf(new LiveSyscalls(proc, this.diagnose)), this.hooks);
    this.wire(this.first);
    mmOf(proc).maxMemory = options.maxMemory ?? Infinity;
    // The kernel keeps uname's names as bytes (latin1 strings).
    for (const [field, value] of Object.entries(options.uname ?? {})) {
      if (value !== undefined) proc.uts[field as 'release' | 'nodename'] = Buffer.from(value, 'utf8').toString('latin1');
    }
    this.first.load(image, { argv: options.argv, envp: options.env, execfn: options.execfn ?? image.path, random: this.atRandom });
    this.inheritStdio(options.stdio ?? [0, 1, 2]);
    this.tasks.set(this.first, this.sched.add(this.first)!);
  }

  /** The first process's parts, as the single-process callers know them. */
  get process(): Process {
    return this.first.process;
  }

  get mem(): AddressSpace {
    return this.first.mem;
  }

  get cpu(): Cpu {
    return this.first.cpu;
  }

  get interpreter(): Interpreter {
    return this.first.interpreter;
  }

  get kernel(): Kernel {
    return this.first.kernel;
  }

  get signals(): SignalDelivery {
    return this.first.signals;
  }

  /** The first process's program now. */
  get image(): ElfImage {
    return this.first.image;
  }

  private readonly tasks = new Map<Guest, Task<Guest>>();

  private taskOf(guest: Guest): Task<Guest> {
    return this.tasks.get(guest)!;
  }

  /** What a guest's process asks of the machine: a child, whether others could wake it. */
  private wire(guest: Guest): void {
    const proc = guest.process;
    proc.fork = (request) => this.fork(guest, request);
    proc.canWaitForOthers = () => this.sched.tasks.length > 1;
    proc.stopProcess = (signal) => this.stopProcess(proc, signal);
    proc.continueProcess = () => this.continueProcess(proc);
    proc.yieldCpu = () => {
      if (this.sched.tasks.length < 2) return;
      this.sliceEnd = guest.cpu.icount;
      guest.interpreter.stopRequested = true;
    };
    proc.processes = () => this.processes();
    proc.reap = (child) => this.reap(child);
  }

  /** fork, vfork and clone without CLONE_VM: a copy of the process (forkProcess); clone with
   *  CLONE_THREAD: a new thread of it (createThread). The new task runs after its parent; the
   *  result is its tid (a new process's pid), or -EAGAIN at the task limit. */
  private fork(parent: Guest, request: CloneRequest): number {
    if (this.overProcessLimit(parent.process)) return -Errno.EAGAIN;
    const thread = (request.flags & BigInt(CLONE_THREAD)) !== 0n;
    // The task first: its id is the new tid (null at the task limit: EAGAIN).
    const task = this.sched.add(parent, thread ? parent.process.pid : undefined);
    if (!task) return -Errno.EAGAIN;
    const child = thread ? createThread(parent.process, request, task.tid) : forkProcess(parent.process, request, task.tid);
    const guest = new Guest(child, parent.image, this.backendOf(new LiveSyscalls(child, this.diagnose)), this.hooks);
    this.wire(guest);
    task.data = guest;
    this.tasks.set(guest, task);
    // The parent ran unsliced while alone: from now on it shares the CPU.
    if (this.sliceEnd === Infinity) this.sliceEnd = parent.cpu.icount + this.sched.quantum(this.taskOf(parent));
    return child.tid;
  }

  /** A stop signal's default action (job-control.ts): every thread of the process stops, when
   *  its parent is a process of the machine that can continue it. */
  private stopProcess(proc: Process, signal: number): boolean {
    const processes = this.processes();
    if (!processes.some((p) => p.pid === proc.ppid && p.children.includes(proc))) return false;
    // SIGTSTP, SIGTTIN and SIGTTOU do not stop a process of an orphaned group (do_signal_stop).
    if (signal !== SIGSTOP && orphanedGroup(proc, processes)) return true;
    proc.group.stopped = true;
    for (const task of this.tasksOf(proc)) this.sched.stop(task);
    jobChanged(proc, { kind: 'stopped', signal }, processes);
    this.wakeWaiters();
    return true;
  }

  /** SIGCONT to a stopped process: its threads run again. */
  private continueProcess(proc: Process): void {
    if (!proc.group.stopped) return;
    proc.group.stopped = false;
    for (const task of this.tasksOf(proc)) this.sched.resume(task);
    jobChanged(proc, { kind: 'continued' }, this.processes());
    this.wakeWaiters();
  }

  /** The live tasks of `proc`'s process. */
  private tasksOf(proc: Process): Task<Guest>[] {
    return [...this.tasks].filter(([g, t]) => g.process.group === proc.group && !t.dead).map(([, t]) => t);
  }

  /** RLIMIT_NPROC: a caller without CAP_SYS_RESOURCE (root has it) may not have more live tasks
   *  of its real uid than its soft limit (copy_process). */
  private overProcessLimit(proc: Process): boolean {
    if (proc.identity.capable(CAP_SYS_RESOURCE)) return false;
    const limit = proc.limits[RLIMIT_NPROC][0];
    const uid = proc.identity.uid;
    const tasks = this.sched.tasks.filter((t) => t.data.process.identity.uid === uid).length;
    return BigInt(tasks) >= limit;
  }

  /** fds 0, 1, 2 are emtrace's own (or the host fds the caller gives), as a shell would pass
   *  them to the program. */
  private inheritStdio(hostFds: readonly number[]): void {
    const proc = this.process;
    for (let fd = 0; fd < 3; fd++) {
      const hostFd = hostFds[fd];
      let target: string;
      let flags: number;
      try {
        target = fs.readlinkSync(`/proc/self/fd/${hostFd}`);
        // The access mode and status flags, as fcntl(F_GETFL) would give them.
        const info = fs.readFileSync(`/proc/self/fdinfo/${hostFd}`, 'latin1');
        flags = parseInt(/^flags:\s*([0-7]+)/m.exec(info)?.[1] ?? '2', 8) & ~O_CLOEXEC;
      } catch {
        continue; // closed in emtrace: closed in the guest too
      }
      // /dev/null is the emulated device, whose identity and times are the same on every host.
      const nullDevice = target === '/dev/null' ? EMULATED_DEVICES.get(target) : undefined;
      const file = nullDevice
        ? new DeviceFile(target, flags, nullDevice, proc.random, proc.clock.bootRealtimeNs)
        : new HostFile(hostFd, this.stdioName(target), flags, false);
      proc.fds.install(fd, file, false);
    }
  }

  /** What /proc/self/fd shows for an inherited host fd: a file's guest path (under --root, a
   *  file outside the root keeps its host path, as Linux shows an unreachable one); a pipe or
   *  socket numbered on the kernel's pipefs or sockfs in stdio order (the host's numbers differ
   *  on every run). */
  private stdioName(target: string): string {
    const proc = this.process;
    if (target.startsWith('/')) return proc.vfs.guestPath(target) ?? target;
    const m = /^(pipe|socket):\[\d+\]$/.exec(target);
    if (!m) return target;
    const dev = m[1] === 'pipe' ? PIPEFS_DEV : SOCKFS_DEV;
    return `${m[1]}:[${proc.metadata.virtualIno(dev, proc.vfs.newPipeId())}]`;
  }

  /** Runs the guest until it exits or a signal kills it. */
  run(): RunResult {
    const result = this.runUntilStall();
    if (!result) throw new Error('the syscall backend stalled a synchronous run');
    return result;
  }

  /** The task running now (kept across a stall, so the run resumes with it). */
  private current: Task<Guest> | null = null;

  /** Runs until every guest has ended (returns how the first one did) or the backend stalls
   *  (returns null; call again once it is ready). */
  runUntilStall(): RunResult | null {
    this.stalled = false;
    for (;;) {
      // After a stall the same slice goes on, exactly where it stopped.
      const resumed = this.current;
      const task = resumed ?? this.pick();
      if (!task) break;
      this.current = task;
      const guest = task.data;
      if (!resumed) this.startSlice(guest, task);
      this.runSlice(guest, task);
      if (this.stalled) return null;
      if (guest.process.ended) this.finish(guest, task);
      if (task.dead || task.wait || task.stopped || this.sliceEnded(guest, task)) this.current = null;
    }
    const status = this.first.process.exitStatus!;
    return { status, instructions: this.counter.icount };
  }

  /** The next task to run; on a deadlock, the waits end with 'deadlock' (their calls fail with
   *  EDEADLK) and the run goes on; null when every task has ended. */
  private pick(): Task<Guest> | null {
    for (;;) {
      const task = this.sched.pick();
      if (task) return task;
      const outcome = this.sched.outcome;
      if (outcome.kind !== 'deadlock') return null;
      for (const t of outcome.tasks) this.sched.wakeTask(t, 'deadlock');
    }
  }

  /** Slice bookkeeping: where the running task's slice ends (Infinity with one task, so a
   *  single process runs exactly as it always did, until it creates another). */
  private sliceEnd = Infinity;

  /** `task` gets the CPU: its slice starts, and its wait's end is told to its call. */
  private startSlice(guest: Guest, task: Task<Guest>): void {
    this.counter.switchTo(guest.cpu);
    guest.process.wakeReason = task.wakeReason;
    task.wakeReason = null;
    this.sliceEnd = this.sched.tasks.length > 1 ? guest.cpu.icount + this.sched.quantum(task) : Infinity;
  }

  private sliceEnded(guest: Guest, _task: Task<Guest>): boolean {
    return guest.cpu.icount >= this.sliceEnd;
  }

  /** Runs one task until its slice ends, it waits, it ends, or the backend stalls. */
  private runSlice(guest: Guest, task: Task<Guest>): void {
    while (!guest.process.ended && !this.stalled && !task.wait && !task.stopped && guest.cpu.icount < this.sliceEnd) {
      // A replay must see its next recorded signal before it runs on.
      if (!guest.kernel.backend.ready()) {
        this.stalled = true;
        break;
      }
      // Run to the next timer expiry (or recorded signal), exactly.
      const until = Math.min(guest.signals.nextStop(), this.sliceEnd);
      try {
        guest.interpreter.run(until);
      } catch (e) {
        let fault = e;
        try {
          // A fault the kernel resolves (a vsyscall entry it emulates) lets the run go on.
          if (fault instanceof MemoryFault && guest.kernel.pageFault(fault)) continue;
        } catch (raised) {
          fault = raised;
        }
        this.deliverFault(guest, fault);
      }
      if (!guest.process.ended && !this.stalled && !task.wait && !task.stopped) guest.signals.atBoundary();
    }
  }

  /**
   * A thread ended. The observer hears of each thread's end as strace does: another thread's at
   * once, the leader's last (Linux reports the leader when its whole group is gone). The last
   * thread's end is the process's: its memory and fds go, its parent is told.
   */
  private finish(guest: Guest, task: Task<Guest>): void {
    if (guest.finished) return;
    guest.finished = true;
    guest.interpreter.detach();
    const proc = guest.process;
    const group = proc.group;
    this.sched.exit(task);
    const remaining = threadEnded(proc);
    if (!proc.isLeader || remaining === 0) this.reportExit(guest, proc.threadExit ?? proc.ended!);
    if (!proc.isLeader) this.tasks.delete(guest);
    if (remaining === 0) {
      const leader = [...this.tasks.keys()].find((g) => g.process.group === group && g.process.isLeader);
      const process = leader?.process ?? proc;
      if (leader && leader !== guest) this.reportExit(leader, process.ended!);
      mmOf(process).release();
      process.fds.closeAll();
      for (const gone of processEnded(process, this.processes())) this.reap(gone);
    }
    // What it held may end other waits (a pipe's last writer, a wait4 for it, a thread join):
    // they look again.
    this.wakeWaiters();
  }

  /** Tells the observer how one thread ended. */
  private reportExit(guest: Guest, status: ExitStatus): void {
    const proc = guest.process;
    const slept = Number(proc.clock.sleptTotalNs);
    this.observer?.processExit({ pid: proc.pid, tid: proc.tid, icount: guest.cpu.icount, status, ...(slept > 0 ? { slept } : {}) });
  }

  /** A zombie is gone for good (reaped by its parent, or by nobody): its pid is free again. */
  private reap(proc: Process): void {
    for (const [guest, task] of this.tasks) {
      if (guest.process !== proc || guest === this.first) continue;
      this.tasks.delete(guest);
      this.sched.ids.release(task.pid);
    }
  }

  /** Every live or zombie process (its leader thread), first one first. */
  private processes(): Process[] {
    return [...this.tasks.keys()].map((g) => g.process).filter((p) => p.isLeader);
  }

  /** After any call while several processes live: the ones it killed end, and every waiting
   *  call looks again (the call may have filled a pipe, or signalled the waiter). */
  private afterCall(): void {
    if (this.sched.tasks.length < 2) return;
    for (const [guest, task] of this.tasks) if (guest.process.ended && !task.dead && task !== this.current) this.finish(guest, task);
    this.wakeWaiters();
  }

  /** Ends every wait: each waiting call runs again and waits again if it must (a sleep keeps
   *  its deadline; a signal that came meanwhile ends it). */
  wakeWaiters(): void {
    for (const t of this.sched.tasks) if (t.wait) this.sched.wakeTask(t, 'woken');
  }

  /** A synchronous fault: its signal goes to the handler, or its default action ends the
   *  process (kernel/signal-delivery.ts). */
  private deliverFault(guest: Guest, e: unknown): void {
    const fault = faultSignal(e, guest.process.signals.lastTrap);
    if (!fault) throw e;
    const signal = fault.info.signo;
    if (fault.detail) this.diagnose(`${signalName(signal) ?? signal} at rip 0x${guest.cpu.rip.toString(16)}${guest.symbolAt(guest.cpu.rip)}: ${fault.detail}`);
    guest.signals.fault(fault.info, fault.trap);
  }

  /** ` (function+0x12)` for an address inside a known function of the first program. */
  symbolAt(addr: number): string {
    return this.first.symbolAt(addr);
  }
}

/** Exit status as a shell reports it: the code, or 128 + the signal. */
export function shellStatus(status: ExitStatus): number {
  return status.kind === 'exited' ? status.code : 128 + status.signal;
}
