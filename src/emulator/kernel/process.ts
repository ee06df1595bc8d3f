// The state the kernel keeps for one guest thread (Linux's task), and what the threads of one
// process share (ThreadGroup: ids, exit status, brk, cwd...). A process's first thread is its
// leader; its tid is the pid. Objects the threads share (memory, fds, credentials, limits,
// signal actions, futex queues) are the same object in each thread; the numbers and strings
// they share live in the group, and each thread reads and writes them through accessors.
import * as fs from 'node:fs';
import type { Cpu } from '../cpu/state.js';
import type { AddressSpace } from '../memory.js';
import type { ExitStatus } from '../../trace/observer.js';
import type { ExecRecord } from '../../trace/event.js';
import type { ProcessIdentity } from '../loader.js';
import type { Clock } from './clock.js';
import { Credentials } from './creds.js';
import { FdTable, O_ACCMODE, O_PATH, O_RDONLY } from './files.js';
import { FutexTable, type FutexWait } from './futex.js';
import type { FileMetadata } from './metadata.js';
import type { Entropy } from './random.js';
import { Vfs } from './vfs.js';
import { SchedState } from './sched.js';
import { Seccomp } from './seccomp.js';
import { SignalState } from './signals.js';
import type { ExecProgram } from './exec.js';
import type { CloneRequest } from './clone-args.js';
import type { Wait, WakeReason } from './scheduler.js';
import type { JobChange } from './job-control.js';
import { IN_CLOSE_NOWRITE, IN_CLOSE_WRITE, notifyFile } from './inotify.js';

/** The first guest process's pid and its parent's: fixed, for determinism. */
export const FIRST_PID = 1000;
export const PARENT_PID = 999;

export const RLIM_INFINITY = 0xffffffffffffffffn;

/** The names uname(2) reports (a UTS namespace): fixed by default, so traces do not depend on
 *  the host; --uname-release and --hostname, and a root guest's sethostname, change them. */
export interface UtsNames {
  sysname: string;
  nodename: string;
  release: string;
  version: string;
  machine: string;
  domainname: string;
}

export const DEFAULT_UTS: Readonly<UtsNames> = {
  sysname: 'Linux',
  nodename: 'emtrace',
  release: '6.1.0-emtrace',
  version: '#1 SMP PREEMPT_DYNAMIC emtrace',
  machine: 'x86_64',
  domainname: '(none)',
};

/** Resource limits (RLIMIT_* order) as [soft, hard]: Linux's defaults for a login session. */
export function defaultLimits(): [bigint, bigint][] {
  const inf = RLIM_INFINITY;
  return [
    [inf, inf], // CPU
    [inf, inf], // FSIZE
    [inf, inf], // DATA
    [8n * 1024n * 1024n, inf], // STACK
    [0n, inf], // CORE
    [inf, inf], // RSS
    [63431n, 63431n], // NPROC
    [1024n, 1048576n], // NOFILE
    [8n * 1024n * 1024n, 8n * 1024n * 1024n], // MEMLOCK
    [inf, inf], // AS
    [inf, inf], // LOCKS
    [63431n, 63431n], // SIGPENDING
    [819200n, 819200n], // MSGQUEUE
    [0n, 0n], // NICE
    [0n, 0n], // RTPRIO
    [inf, inf], // RTTIME
  ];
}

/** A host file's identity, or null when it cannot be read. */
function fileIdentity(hostPath: string): { dev: bigint; ino: bigint } | null {
  try {
    const st = fs.statSync(hostPath, { bigint: true });
    return { dev: st.dev, ino: st.ino };
  } catch {
    return null;
  }
}

/** A process's ids: its own, its parent's, its group's and its session's. */
export interface ProcessIds {
  pid: number;
  ppid: number;
  pgid: number;
  sid: number;
}

/** The first process: its process group is its own (a shell's job); its session is its
 *  parent's. */
export const FIRST_IDS: Readonly<ProcessIds> = { pid: FIRST_PID, ppid: PARENT_PID, pgid: FIRST_PID, sid: PARENT_PID };

/** What the threads of a process share that is not an object of its own: each thread's
 *  accessors of the same names (SHARED_FIELDS) read and write these. */
export class ThreadGroup {
  /** The parent's pid (the first process's when the parent ended before it: reparenting). */
  ppid: number;
  pgid: number;
  sid: number;
  /** The signal its parent gets when it ends (clone's exit signal; SIGCHLD for fork). */
  exitSignal = 0;
  /** How the process ended (exit_group, a fatal signal, its last thread's exit). */
  exitStatus: ExitStatus | null = null;
  /** The leader's exit (not exit_group): the process's status when its last thread exits. */
  leaderExit: ExitStatus | null = null;
  /** A fork's child that has not called execve (PF_FORKNOEXEC): its parent may still move it
   *  to another process group. */
  forkedNoExec = false;
  /** Stopped by a stop signal (job-control.ts) until SIGCONT. */
  stopped = false;
  /** A stop or continue the parent's wait has not taken yet. */
  jobChange: JobChange | null = null;
  /** Program break: where the heap starts and where it ends now. */
  brkStart = 0;
  brkEnd = 0;
  umask = 0o022;
  cwd: string;
  /** Absolute host path of the executable (/proc/self/exe). */
  exePath: string;
  /** personality(2): PER_LINUX and no flags at first. */
  personality = 0;
  dumpable = 1;
  /** The auxiliary vector the loader gave it, and where its argument and environment strings
   *  and its initial stack are (/proc/self/auxv, cmdline, environ, stat). */
  auxv: [number, number][] = [];
  argArea = { start: 0, end: 0 };
  envArea = { start: 0, end: 0 };
  stackStart = 0;
  /** The program the current call started (execve), for its event; the kernel takes it. */
  started: ExecRecord | null = null;
  /** Its live threads, the leader first while it lives. */
  readonly threads: Process[] = [];
  /** The host file identity (dev, ino) of the executable as it was when the process started:
   *  while it runs, Linux refuses to open it for writing or truncate it (ETXTBSY). Compared by
   *  identity, so that another name of it (a hard link, /proc/self/exe, a path through a
   *  symlink) is refused too and a new file renamed over its name is not. */
  exeIdentity: { dev: bigint; ino: bigint } | null = null;

  constructor(ids: Readonly<ProcessIds>, cwd: string, exePath: string) {
    this.ppid = ids.ppid;
    this.pgid = ids.pgid;
    this.sid = ids.sid;
    this.cwd = cwd;
    this.exePath = exePath;
  }
}

/** The group's fields each thread reads and writes as its own (see the accessors below). */
const SHARED_FIELDS = [
  'ppid', 'pgid', 'sid', 'exitSignal', 'exitStatus', 'brkStart', 'brkEnd', 'umask', 'cwd', 'exePath', 'personality',
  'dumpable', 'auxv', 'argArea', 'envArea', 'stackStart', 'started',
] as const satisfies readonly (keyof ThreadGroup)[];

type SharedFields = { -readonly [K in (typeof SHARED_FIELDS)[number]]: ThreadGroup[K] };

// The accessors: `proc.cwd = x` in any thread changes the cwd of them all.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unsafe-declaration-merging
export interface Process extends SharedFields {}

/** A thread to create in an existing process (clone with CLONE_THREAD). */
export interface ThreadOf {
  leader: Process;
  tid: number;
  cpu: Cpu;
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class Process {
  readonly pid: number;
  readonly tid: number;
  /** What it shares with the other threads of its process. */
  readonly group: ThreadGroup;
  /** The processes it created and has not reaped (live ones and zombies); one list for all
   *  the threads of a process. */
  readonly children: Process[];
  /** The thread called exit (not exit_group) while others live on. */
  threadExit: ExitStatus | null = null;
  /** Set while a blocking call waits (context.ts blockOn): the wait the machine hands to the
   *  scheduler. */
  pendingWait: Wait | null = null;
  /** A sleep (nanosleep, pause...) the running call started and waits on the scheduler for:
   *  its start and deadline on the monotonic clock, kept while the call runs again. */
  sleep: { start: bigint; deadline: bigint | null } | null = null;
  /** How the last wait of the call being run again ended (null: the call did not wait). */
  wakeReason: WakeReason | null = null;
  /** The futex wait the running call queued (syscalls/futex.ts), while it waits. */
  futexWait: FutexWait | null = null;
  /** The child a vfork waits for (syscalls/children.ts), while it waits. */
  vforkChild: Process | null = null;
  /** Creates a child process (fork, vfork, clone without CLONE_VM): set by the machine; the
   *  child's pid, or -errno. */
  fork: ((request: CloneRequest) => number) | null = null;
  /** The parent took the child's status (wait4): its pid may be given out again. */
  reap: (child: Process) => void = () => {};
  /** Every process of the machine (live ones and zombies), for kill: set by the machine. */
  processes: () => Process[] = () => [this];
  /** A stop signal's default action: the machine stops the process's threads; false when
   *  nothing in the machine could continue it (its parent is outside). */
  stopProcess: (signal: number) => boolean = () => false;
  /** SIGCONT was sent to the process: the machine runs its threads again if they were stopped. */
  continueProcess: () => void = () => {};
  /** sched_yield: the rest of the slice goes to the other runnable tasks (set by the machine). */
  yieldCpu: () => void = () => {};
  /** Whether another process could end a wait (more than one process is alive). */
  canWaitForOthers: () => boolean = () => false;
  /** Ids, groups and capabilities (creds.ts): what the set*id calls change. */
  readonly identity: Credentials;
  fds = new FdTable();
  readonly limits = defaultLimits();
  /** set_tid_address, set_robust_list and rseq registrations. */
  clearChildTid = 0;
  robustList = 0;
  rseqArea = 0;
  rseqSignature = 0;
  /** The thread's name (prctl PR_SET_NAME, /proc/self/comm): the executable's base name. */
  comm = '';
  parentDeathSignal = 0;
  /** uname's names; the machine's, shared by the processes in it. */
  uts: UtsNames = { ...DEFAULT_UTS };
  /** Scheduling policy, nice value, I/O priority (sched.ts). */
  readonly sched = new SchedState();
  /** Futex wait queues (futex.ts): the threads of the process will share them. */
  readonly futexes = new FutexTable();
  noNewPrivs = false;
  readonly seccomp = new Seccomp();
  /** Signal actions, mask, pending signals, alternate stack and timers (signals.ts). */
  readonly signals = new SignalState();
  /** The file system it sees (root, read-only, record locks): vfs.ts. */
  vfs = new Vfs();
  /** emtrace's diagnostics (a deadlock, an unimplemented corner). */
  diagnose: (message: string) => void = () => {};

  /** Replaces the program (execve's work after its checks): set by the machine. */
  exec: ((program: ExecProgram) => void) | null = null;

  /** The executable is now the file at `hostPath` (execve). */
  setExecutable(hostPath: string): void {
    this.group.exePath = hostPath;
    this.group.exeIdentity = fileIdentity(hostPath);
  }

  /** Whether the host file at `hostPath` is the running executable (ETXTBSY for writes). */
  isRunningExecutable(hostPath: string): boolean {
    const identity = this.group.exeIdentity;
    if (identity === null) return false;
    let st: fs.BigIntStats;
    try {
      st = fs.statSync(hostPath, { bigint: true });
    } catch {
      return false;
    }
    return st.dev === identity.dev && st.ino === identity.ino;
  }

  constructor(
    readonly cpu: Cpu,
    readonly mem: AddressSpace,
    exePath: string,
    cwd: string,
    identity: ProcessIdentity,
    readonly random: Entropy,
    /** The machine's clock and file metadata map, shared by a whole process tree. */
    readonly clock: Clock,
    readonly metadata: FileMetadata,
    ids: Readonly<ProcessIds> = FIRST_IDS,
  ) {
    this.pid = ids.pid;
    this.tid = ids.pid;
    this.group = new ThreadGroup(ids, cwd, exePath);
    this.group.threads.push(this);
    this.children = [];
    this.identity = new Credentials(identity);
    this.setExecutable(exePath);
    this.useFds(this.fds);
  }

  /** A new thread of `leader`'s process (clone with CLONE_THREAD): it shares the memory, fds,
   *  credentials, limits, signal actions, futex queues and the group's fields; its registers,
   *  signal mask, pending thread signals and scheduling state are its own. */
  static thread({ leader, tid, cpu }: ThreadOf): Process {
    // A task of its own first (its tid, registers, signal mask and queue), then made to share.
    const thread = new Process(cpu, leader.mem, leader.exePath, leader.cwd, leader.identity, leader.random, leader.clock, leader.metadata, { pid: tid, ppid: 0, pgid: 0, sid: 0 });
    Object.assign(thread, {
      pid: leader.pid,
      group: leader.group,
      children: leader.children,
      identity: leader.identity,
      fds: leader.fds,
      limits: leader.limits,
      uts: leader.uts,
      futexes: leader.futexes,
      vfs: leader.vfs,
      signals: new SignalState(leader.signals.group),
      diagnose: leader.diagnose,
    });
    thread.seccomp.strict = leader.seccomp.strict;
    thread.seccomp.filters.push(...leader.seccomp.filters);
    thread.noNewPrivs = leader.noNewPrivs;
    thread.comm = leader.comm;
    Object.assign(thread.sched, leader.sched);
    leader.group.threads.push(thread);
    return thread;
  }

  /** How this thread ended: its own exit, or its process's end; null while it runs. */
  get ended(): ExitStatus | null {
    return this.group.exitStatus ?? this.threadExit;
  }

  /** The process has ended and every thread of it is gone: its parent may reap it. */
  get isZombie(): boolean {
    return this.group.exitStatus !== null && this.group.threads.length === 0;
  }

  /** The first thread of the process (the one whose tid is the pid). */
  get isLeader(): boolean {
    return this.tid === this.pid;
  }

  /** Makes `table` the process's fd table (a fork's copy): closes through it release this
   *  process's record locks, and a description's last close its other state. */
  useFds(table: FdTable): void {
    this.fds = table;
    table.onClose = (file, last) => {
      this.vfs.locks.closed(this.pid, file, last);
      if (last) {
        this.vfs.flocks.release(this.vfs.locks.keyOf(file), file);
        if (!(file.flags & O_PATH)) notifyFile(this, file, (file.flags & O_ACCMODE) === O_RDONLY ? IN_CLOSE_NOWRITE : IN_CLOSE_WRITE);
      }
      if (last) this.metadata.released(file.hostKey?.() ?? null);
    };
  }
}

for (const field of SHARED_FIELDS) {
  Object.defineProperty(Process.prototype, field, {
    get(this: Process) {
      return this.group[field];
    },
    set(this: Process, value: never) {
      this.group[field] = value;
    },
  });
}
