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
import { ElfImage, parseElf, readSymbols } from './elf.js';
import { Clock } from './kernel/clock.js';
import { DeviceFile, EMULATED_DEVICES, HostFile, O_CLOEXEC } from './kernel/files.js';
import { Kernel, LiveSyscalls, SyscallBackend } from './kernel/kernel.js';
import type { SyscallInjector } from './kernel/injection.js';
import { mmOf } from './kernel/mm.js';
import { FileMetadata } from './kernel/metadata.js';
import { Process } from './kernel/process.js';
import { faultSignal, SignalDelivery } from './kernel/signal-delivery.js';
import { PIPEFS_DEV } from './kernel/pipes.js';
import { stringAreas } from './kernel/procfs.js';
import { SOCKFS_DEV, Vfs } from './kernel/vfs.js';
import { HostRandom, SeededRandom } from './kernel/random.js';
import { GuestString, loadElf, ProcessIdentity } from './loader.js';
import type { ExecProgram } from './kernel/exec.js';
import { sha256 } from '../trace/trace-file.js';
import { AddressSpace, MemoryFault } from './memory.js';

export interface RunOptions {
  /** argv as the guest sees it (argv[0] included). */
  argv: string[];
  /** The environment as NAME=value strings. */
  env: string[];
  /** Seed of the guest's entropy (AT_RANDOM, getrandom, /dev/urandom). */
  seed?: string;
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
   *  that serves recorded results and uses `live` for the calls it re-executes. */
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

export class Machine {
  readonly mem = new AddressSpace();
  readonly cpu = new Cpu(this.mem);
  readonly interpreter = new Interpreter(this.cpu);
  readonly process: Process;
  readonly kernel: Kernel;
  /** Where and how signals reach the guest (kernel/signal-delivery.ts). */
  readonly signals: SignalDelivery;
  /** The bytes AT_RANDOM gave the program (a trace header keeps them for the replay). */
  readonly atRandom: Uint8Array;
  private readonly observer: SyscallObserver | null;
  private readonly diagnose: (message: string) => void;

  /** Whether programs get the vDSO (--no-vdso turns it off). */
  private readonly vdso: boolean;
  /** execve calls so far: each new program's AT_RANDOM derives from the first's and this. */
  private execs = 0;

  constructor(
    /** The program running now (execve replaces it). */
    public image: ElfImage,
    options: RunOptions,
  ) {
    this.observer = options.observer ?? null;
    this.diagnose = options.diagnose ?? (() => {});
    const random = options.hostRandom ? new HostRandom() : new SeededRandom(options.seed ?? '0');
    const identity = options.identity ?? hostIdentity();
    const clock = new Clock(this.cpu, options.hostTime ?? false);
    const host = hostIdentity();
    const metadata = new FileMetadata(clock, { hostUid: host.uid, hostGid: host.gid, uid: identity.uid, gid: identity.gid });
    const exePath = path.resolve(image.path);
    const vfs = new Vfs(options.root ?? '/', options.readOnly ?? false);
    if (options.root !== undefined && !isDirectory(vfs.root)) throw new UserError(options.root, 'is not a directory (--root)');
    // The working directory as the guest sees it: the host's, inside the root; else the root.
    const cwd = vfs.guestPath(options.cwd ?? process.cwd()) ?? '/';
    this.process = new Process(this.cpu, this.mem, exePath, cwd, identity, random, clock, metadata);
    this.process.vfs = vfs;
    this.process.diagnose = this.diagnose;
    const live = new LiveSyscalls(this.process, this.diagnose);
    this.kernel = new Kernel(this.process, this.observer, options.backend ? options.backend(live, this) : live);
    this.kernel.injector = options.injector ?? null;
    this.kernel.onExit = () => {
      this.interpreter.stopRequested = true;
    };
    this.kernel.onStall = () => {
      this.stalled = true;
      this.interpreter.stopRequested = true;
    };
    this.signals = new SignalDelivery(this.process, this.observer, this.kernel.backend.signals ?? null, () => {
      this.interpreter.stopRequested = true;
    }, this.diagnose);
    this.kernel.onReturn = this.signals.atSyscallReturn;
    this.cpu.onSyscall = this.kernel.syscall;
    this.cpu.onInt80 = this.kernel.int80;
    this.interpreter.beforeInstruction = options.beforeInstruction ?? null;

    this.atRandom = options.atRandom ?? random.bytes(16);
    mmOf(this.process).maxMemory = options.maxMemory ?? Infinity;
    // The kernel keeps uname's names as bytes (latin1 strings).
    for (const [field, value] of Object.entries(options.uname ?? {})) {
      if (value !== undefined) this.process.uts[field as 'release' | 'nodename'] = Buffer.from(value, 'utf8').toString('latin1');
    }
    this.vdso = options.vdso ?? true;
    this.load(image, { argv: options.argv, envp: options.env, execfn: options.execfn ?? image.path, random: this.atRandom });
    this.process.exec = (program) => this.exec(program);
    this.inheritStdio(options.stdio ?? [0, 1, 2]);
  }

  /** Loads a program into the empty address space and points the CPU at its entry: the start
   *  of the run, and every execve. */
  private load(image: ElfImage, start: { argv: GuestString[]; envp: GuestString[]; execfn: GuestString; random: Uint8Array }): void {
    const proc = this.process;
    const { uid, euid, gid, egid } = proc.identity;
    const loaded = loadElf(this.mem, image, { ...start, identity: { uid, euid, gid, egid }, vdso: this.vdso });
    const execfn = typeof start.execfn === 'string' ? start.execfn : Buffer.from(start.execfn).toString('utf8');
    proc.comm = path.basename(execfn).slice(0, 15);
    proc.auxv = loaded.auxv;
    proc.stackStart = loaded.stackPointer;
    Object.assign(proc, stringAreas(this.mem, loaded.stackPointer));
    proc.brkStart = loaded.brk;
    proc.brkEnd = loaded.brk;
    this.cpu.rip = loaded.entry;
    this.cpu.setNumber(4, loaded.stackPointer);
  }

  /**
   * execve's point of no return (kernel/exec.ts checked everything before): the old program's
   * memory, decoded code, registers, signal handlers, POSIX timers and close-on-exec fds go;
   * pid, fds, mask, pending signals, credentials, limits, cwd and seccomp filters stay.
   */
  private exec(program: ExecProgram): void {
    const proc = this.process;
    const mem = this.mem;
    // The new program's bytes are not the call's output: keep them out of the trace.
    const log = mem.writeLog;
    mem.writeLog = null;
    try {
      const mm = mmOf(proc);
      mm.release();
      mm.locked.clear();
      mm.lockFuture = false;
      for (const m of [...mem.mappings]) mem.unmap(m.start, m.end - m.start);
      this.interpreter.flush();
      this.cpu.codeVersion++;
      this.cpu.resetForExec();
      proc.signals.resetForExec();
      proc.fds.closeOnExec();
      proc.setExecutable(program.hostPath);
      proc.clearChildTid = 0;
      proc.robustList = 0;
      proc.rseqArea = 0;
      proc.rseqSignature = 0;
      this.image = program.image;
      this.symbols = null;
      this.execs++;
      const random = createHash('sha256').update(this.atRandom).update(`execve ${this.execs}`).digest().subarray(0, 16);
      this.load(program.image, { argv: program.argv, envp: program.envp, execfn: program.filename, random });
      proc.started = { path: program.hostPath, sha256: sha256(program.image.data), ...(program.scriptArgv ? { argv: program.argv.map((a) => Buffer.from(a).toString('latin1')) } : {}) };
    } finally {
      mem.writeLog = log;
    }
  }

  /** fds 0, 1, 2 are emtrace's own (or the host fds the caller gives), as a shell would pass
   *  them to the program. */
  private inheritStdio(hostFds: readonly number[]): void {
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
        ? new DeviceFile(target, flags, nullDevice, this.process.random, this.process.clock.bootRealtimeNs)
        : new HostFile(hostFd, this.stdioName(target), flags, false);
      this.process.fds.install(fd, file, false);
    }
  }

  /** What /proc/self/fd shows for an inherited host fd: a file's guest path (under --root, a
   *  file outside the root keeps its host path, as Linux shows an unreachable one); a pipe or
   *  socket numbered on the kernel's pipefs or sockfs in stdio order (the host's numbers differ
   *  on every run). */
  private stdioName(target: string): string {
    if (target.startsWith('/')) return this.process.vfs.guestPath(target) ?? target;
    const m = /^(pipe|socket):\[\d+\]$/.exec(target);
    if (!m) return target;
    const dev = m[1] === 'pipe' ? PIPEFS_DEV : SOCKFS_DEV;
    return `${m[1]}:[${this.process.metadata.virtualIno(dev, this.process.vfs.newPipeId())}]`;
  }

  /** True while the syscall backend waits for input (a replay reading its trace). */
  private stalled = false;

  /** Runs the guest until it exits or a signal kills it. */
  run(): RunResult {
    const result = this.runUntilStall();
    if (!result) throw new Error('the syscall backend stalled a synchronous run');
    return result;
  }

  /** Runs until the guest ends (returns how) or the backend stalls (returns null; call again
   *  once it is ready). */
  runUntilStall(): RunResult | null {
    this.stalled = false;
    while (!this.process.exitStatus && !this.stalled) {
      // A replay must see its next recorded signal before it runs on.
      if (!this.kernel.backend.ready()) {
        this.stalled = true;
        break;
      }
      // Run to the next timer expiry (or recorded signal), exactly.
      const until = this.signals.nextStop();
      try {
        this.interpreter.run(until);
      } catch (e) {
        let fault = e;
        try {
          // A fault the kernel resolves (a vsyscall entry it emulates) lets the run go on.
          if (fault instanceof MemoryFault && this.kernel.pageFault(fault)) continue;
        } catch (raised) {
          fault = raised;
        }
        this.deliverFault(fault);
      }
      if (!this.process.exitStatus && !this.stalled) this.signals.atBoundary();
    }
    if (this.stalled) return null;
    const status = this.process.exitStatus!;
    if (!this.finished) {
      this.finished = true;
      const slept = Number(this.process.clock.sleptTotalNs);
      this.observer?.processExit({ pid: this.process.pid, icount: this.cpu.icount, status, ...(slept > 0 ? { slept } : {}) });
      mmOf(this.process).release();
      this.process.fds.closeAll();
    }
    return { status, instructions: this.cpu.icount };
  }

  private finished = false;

  /** A synchronous fault: its signal goes to the handler, or its default action ends the
   *  process (kernel/signal-delivery.ts). */
  private deliverFault(e: unknown): void {
    const fault = faultSignal(e, this.process.signals.lastTrap);
    if (!fault) throw e;
    const signal = fault.info.signo;
    if (fault.detail) this.diagnose(`${signalName(signal) ?? signal} at rip 0x${this.cpu.rip.toString(16)}${this.symbolAt(this.cpu.rip)}: ${fault.detail}`);
    this.signals.fault(fault.info, fault.trap);
  }

  private symbols: ReturnType<typeof readSymbols> | null = null;

  /** ` (function+0x12)` for an address inside a known function, else ''. */
  symbolAt(addr: number): string {
    this.symbols ??= readSymbols(this.image);
    let best: (typeof this.symbols)[number] | undefined;
    for (const s of this.symbols) {
      if (s.value > addr) break;
      if (s.type === 2 && addr < s.value + Math.max(s.size, 1)) best = s;
    }
    return best ? ` (${best.name}+0x${(addr - best.value).toString(16)})` : '';
  }
}

/** Exit status as a shell reports it: the code, or 128 + the signal. */
export function shellStatus(status: ExitStatus): number {
  return status.kind === 'exited' ? status.code : 128 + status.signal;
}
