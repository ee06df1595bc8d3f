// Process and thread identity and set-up: ids, process group and session, exit, arch_prctl,
// set_tid_address, set_robust_list, rseq, resource limits, personality, uname and the host
// name, getrandom.
import { argInt, argUint, argUlong } from '../../../trace/event.js';
import type { SyscallContext, SyscallHandler } from '../context.js';
import { StructWriter } from '../context.js';
import { CAP_SYS_ADMIN, CAP_SYS_RESOURCE } from '../creds.js';
import { Errno } from '../errno.js';
import type { Process, UtsNames } from '../process.js';
import { DEFAULT_UTS, RLIM_INFINITY } from '../process.js';
import { prctlGetSeccomp, prctlSetSeccomp } from './security.js';

/** What uname(2) reports unless the run changes it (process.ts keeps each machine's). */
export const UNAME: Readonly<UtsNames> = DEFAULT_UTS;

function exitGroup(c: SyscallContext): number {
  c.proc.exitStatus = { kind: 'exited', code: argInt(c.args, 0) & 0xff };
  return 0;
}

/** exit: the calling thread ends; the process with it when it was the last one, with the
 *  leader's exit code (what Linux's wait reports when no exit_group ran). */
function exitThread(c: SyscallContext): number {
  const proc = c.proc;
  const status = { kind: 'exited', code: argInt(c.args, 0) & 0xff } as const;
  proc.threadExit = status;
  if (proc.isLeader) proc.group.leaderExit = status;
  if (proc.group.threads.every((t) => t.ended)) proc.exitStatus = proc.group.leaderExit ?? status;
  return 0;
}

const ARCH_SET_GS = 0x1001;
const ARCH_SET_FS = 0x1002;
const ARCH_GET_FS = 0x1003;
const ARCH_GET_GS = 0x1004;

function archPrctl(c: SyscallContext): number {
  const code = argInt(c.args, 0);
  const addr = argUlong(c.args, 1);
  const cpu = c.proc.cpu;
  switch (code) {
    case ARCH_SET_FS:
    case ARCH_SET_GS:
      if (addr >= 0x800000000000) return -Errno.EPERM;
      if (code === ARCH_SET_FS) cpu.fsBase = addr;
      else cpu.gsBase = addr;
      return 0;
    case ARCH_GET_FS:
    case ARCH_GET_GS:
      c.proc.mem.writeBytes(addr, new StructWriter(8).u64(0, code === ARCH_GET_FS ? cpu.fsBase : cpu.gsBase).bytes);
      return 0;
    default:
      return -Errno.EINVAL;
  }
}

function setTidAddress(c: SyscallContext): number {
  c.proc.clearChildTid = argUlong(c.args, 0);
  return c.proc.tid;
}

function setRobustList(c: SyscallContext): number {
  if (argUlong(c.args, 1) !== 24) return -Errno.EINVAL;
  c.proc.robustList = argUlong(c.args, 0);
  return 0;
}

const RSEQ_FLAG_UNREGISTER = 1;
const RSEQ_MIN_SIZE = 32;

/** rseq registration: the kernel keeps cpu_id_start/cpu_id in the area current (CPU 0 here). */
function rseq(c: SyscallContext): number {
  const area = argUlong(c.args, 0);
  const size = argUint(c.args, 1);
  const flags = argInt(c.args, 2);
  const signature = argUint(c.args, 3);
  const proc = c.proc;
  if (flags & RSEQ_FLAG_UNREGISTER) {
    if (flags & ~RSEQ_FLAG_UNREGISTER) return -Errno.EINVAL;
    if (proc.rseqArea !== area) return -Errno.EINVAL;
    if (size < RSEQ_MIN_SIZE) return -Errno.EINVAL;
    if (signature !== proc.rseqSignature) return -Errno.EPERM;
    proc.rseqArea = 0;
    return 0;
  }
  if (flags !== 0) return -Errno.EINVAL;
  if (proc.rseqArea !== 0) return proc.rseqArea === area && signature === proc.rseqSignature ? -Errno.EBUSY : -Errno.EINVAL;
  if (size < RSEQ_MIN_SIZE || area % 32 !== 0) return -Errno.EINVAL;
  // cpu_id_start and cpu_id (offsets 0 and 4) become 0.
  proc.mem.writeBytes(area, new Uint8Array(8));
  proc.rseqArea = area;
  proc.rseqSignature = signature;
  return 0;
}

const RLIMIT_NLIMITS = 16;
const RLIMIT_NOFILE = 7;
/** fs.nr_open: the most descriptors RLIMIT_NOFILE may allow. */
const NR_OPEN = 1048576n;

function encodeRlimit(soft: bigint, hard: bigint): Uint8Array {
  return new StructWriter(16).u64(0, soft).u64(8, hard).bytes;
}

function readRlimit(proc: Process, addr: number): [bigint, bigint] {
  const view = new DataView(proc.mem.readBytes(addr, 16).buffer);
  return [view.getBigUint64(0, true), view.getBigUint64(8, true)];
}

/**
 * do_prlimit, the one path setrlimit and prlimit64 share: checks `update` (soft above hard:
 * EINVAL; a hard limit raised without CAP_SYS_RESOURCE, or descriptors beyond fs.nr_open:
 * EPERM), applies it, and returns the limit as it was.
 */
function doPrlimit(proc: Process, resource: number, update: [bigint, bigint] | null): [bigint, bigint] | number {
  if (resource >= RLIMIT_NLIMITS) return -Errno.EINVAL;
  const old = proc.limits[resource];
  if (update) {
    const [soft, hard] = update;
    if (soft > hard) return -Errno.EINVAL;
    if (resource === RLIMIT_NOFILE && hard > NR_OPEN) return -Errno.EPERM;
    if (hard > old[1] && !proc.identity.capable(CAP_SYS_RESOURCE)) return -Errno.EPERM;
    proc.limits[resource] = update;
    if (resource === RLIMIT_NOFILE) proc.fds.limit = Number(soft === RLIM_INFINITY ? NR_OPEN : soft);
  }
  return old;
}

function prlimit64(c: SyscallContext): number {
  const { proc, args } = c;
  const pid = argInt(args, 0);
  const newAddr = argUlong(args, 2);
  const oldAddr = argUlong(args, 3);
  const update = newAddr ? readRlimit(proc, newAddr) : null;
  if (pid !== 0 && pid !== proc.pid) return -Errno.ESRCH;
  const old = doPrlimit(proc, argUint(args, 1), update);
  if (typeof old === 'number') return old;
  if (oldAddr) proc.mem.writeBytes(oldAddr, encodeRlimit(...old));
  return 0;
}

function setrlimit(c: SyscallContext): number {
  const old = doPrlimit(c.proc, argUint(c.args, 0), readRlimit(c.proc, argUlong(c.args, 1)));
  return typeof old === 'number' ? old : 0;
}

function getrlimit(c: SyscallContext): number {
  const old = doPrlimit(c.proc, argUint(c.args, 0), null);
  if (typeof old === 'number') return old;
  c.proc.mem.writeBytes(argUlong(c.args, 1), encodeRlimit(...old));
  return 0;
}

/** The bytes of a struct utsname field (65): the name, NUL-padded; names are kept as latin1
 *  strings, byte for byte as sethostname got them. */
const UTS_FIELD = 65;
const NEW_UTS_LEN = UTS_FIELD - 1;

const UNAME26 = 0x0020000;

/** The release under the UNAME26 personality (override_release): 6.1.x shows as 2.6.61.x. */
function release26(release: string): string {
  const m = /^\d+\.(\d+)(?:\.\d+)?(.*)$/s.exec(release);
  return m ? `2.6.${Number(m[1]) + 60}${m[2]}` : release;
}

function uname(c: SyscallContext): number {
  const { uts, personality } = c.proc;
  const release = personality & UNAME26 ? release26(uts.release) : uts.release;
  const fields = [uts.sysname, uts.nodename, release, uts.version, uts.machine, uts.domainname];
  const bytes = new Uint8Array(UTS_FIELD * fields.length);
  fields.forEach((value, k) => bytes.set(Buffer.from(value, 'latin1').subarray(0, NEW_UTS_LEN), UTS_FIELD * k));
  c.proc.mem.writeBytes(argUlong(c.args, 0), bytes);
  return 0;
}

/** sethostname, setdomainname: CAP_SYS_ADMIN, then at most 64 bytes, taken as they are. */
function setUtsName(field: 'nodename' | 'domainname'): SyscallHandler {
  return (c) => {
    const { proc, args } = c;
    if (!proc.identity.capable(CAP_SYS_ADMIN)) return -Errno.EPERM;
    const len = argInt(args, 1);
    if (len < 0 || len > NEW_UTS_LEN) return -Errno.EINVAL;
    proc.uts[field] = Buffer.from(proc.mem.readBytes(argUlong(args, 0), len)).toString('latin1');
    return 0;
  };
}

/** personality(2): any value is kept (0xffffffff only reads); the result is the previous one.
 *  Of the flags only UNAME26 changes anything here (ADDR_NO_RANDOMIZE: nothing is randomized
 *  anyway). */
function personality(c: SyscallContext): number {
  const persona = argUint(c.args, 0);
  const previous = c.proc.personality;
  if (persona !== 0xffffffff) c.proc.personality = persona;
  return previous;
}

// ---------------------------------------------------------------- process group and session

/** The process `pid` names (0: the caller's), live or a zombie; undefined when none. */
function processOf(proc: Process, pid: number): Process | undefined {
  if (pid === 0 || pid === proc.pid) return proc;
  return proc.processes().find((p) => p.pid === pid);
}

function getpgid(c: SyscallContext): number {
  return processOf(c.proc, argInt(c.args, 0))?.pgid ?? -Errno.ESRCH;
}

function getsid(c: SyscallContext): number {
  return processOf(c.proc, argInt(c.args, 0))?.sid ?? -Errno.ESRCH;
}

/** setpgid (kernel/sys.c): the caller or a child of it that has not exec'd, in the caller's
 *  session and not a session leader, joins a group of that session or starts its own. */
function setpgid(c: SyscallContext): number {
  const proc = c.proc;
  const pid = argInt(c.args, 0) || proc.pid;
  const pgid = argInt(c.args, 1) || pid;
  if (pgid < 0) return -Errno.EINVAL;
  const target = processOf(proc, pid);
  if (!target || target.isZombie) return -Errno.ESRCH;
  if (target.group !== proc.group) {
    if (!proc.children.includes(target)) return -Errno.ESRCH;
    if (target.sid !== proc.sid) return -Errno.EPERM;
    if (!target.group.forkedNoExec) return -Errno.EACCES;
  }
  if (target.sid === target.pid) return -Errno.EPERM;
  if (pgid !== pid && !proc.processes().some((p) => p.pgid === pgid && p.sid === proc.sid && !p.isZombie)) return -Errno.EPERM;
  target.pgid = pgid;
  return 0;
}

/** setsid: a process that leads no process group starts a session and a group of its own. */
function setsid(c: SyscallContext): number {
  const proc = c.proc;
  if (proc.processes().some((p) => p.pgid === proc.pid)) return -Errno.EPERM;
  proc.sid = proc.pid;
  proc.pgid = proc.pid;
  return proc.pid;
}

const GRND_NONBLOCK = 1;
const GRND_RANDOM = 2;
const GRND_INSECURE = 4;

function getrandom(c: SyscallContext): number {
  const flags = argUint(c.args, 2);
  if (flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE)) return -Errno.EINVAL;
  if ((flags & (GRND_RANDOM | GRND_INSECURE)) === (GRND_RANDOM | GRND_INSECURE)) return -Errno.EINVAL;
  const count = Math.min(argUlong(c.args, 1), 0x1ffffff);
  const addr = argUlong(c.args, 0);
  if (count > 0 && !c.proc.mem.isAccessible(addr, count, 'write')) return -Errno.EFAULT;
  c.proc.mem.writeBytes(addr, c.proc.random.bytes(count));
  return count;
}

/** The machine sysinfo(2) describes: fixed memory sizes, one process, no swap; the uptime is
 *  CLOCK_BOOTTIME's (clock.ts). */
export const MACHINE = {
  totalRam: 8 * 1024 * 1024 * 1024,
  freeRam: 6 * 1024 * 1024 * 1024,
};

function sysinfo(c: SyscallContext): number {
  // Whole seconds, rounded up as the kernel does.
  const uptime = (c.proc.clock.read('boottime') + 999_999_999n) / 1_000_000_000n;
  const w = new StructWriter(112)
    .u64(0, uptime)
    .u64(32, MACHINE.totalRam)
    .u64(40, MACHINE.freeRam)
    .u16(80, 1) // procs
    .u32(104, 1); // mem_unit
  c.proc.mem.writeBytes(argUlong(c.args, 0), w.bytes);
  return 0;
}

const PR_SET_PDEATHSIG = 1;
const PR_GET_PDEATHSIG = 2;
const PR_GET_DUMPABLE = 3;
const PR_SET_DUMPABLE = 4;
const PR_SET_NAME = 15;
const PR_GET_NAME = 16;
const PR_GET_SECCOMP = 21;
const PR_SET_SECCOMP = 22;
const PR_SET_NO_NEW_PRIVS = 38;
const PR_GET_NO_NEW_PRIVS = 39;
const TASK_COMM_LEN = 16;

/** prctl: the thread's name, the parent-death signal, dumpability and no_new_privs. Other
 *  options answer EINVAL, as a kernel without them would. */
function prctl(c: SyscallContext): number {
  const proc = c.proc;
  const arg = argUlong(c.args, 1);
  switch (argInt(c.args, 0)) {
    case PR_SET_NAME: {
      const name = proc.mem.readCString(arg, TASK_COMM_LEN - 1);
      proc.comm = Buffer.from(name.bytes).toString('latin1');
      return 0;
    }
    case PR_GET_NAME: {
      const bytes = new Uint8Array(TASK_COMM_LEN);
      bytes.set(Buffer.from(proc.comm, 'latin1').subarray(0, TASK_COMM_LEN - 1));
      proc.mem.writeBytes(arg, bytes);
      return 0;
    }
    case PR_SET_PDEATHSIG:
      if (arg > 64) return -Errno.EINVAL;
      proc.parentDeathSignal = arg;
      return 0;
    case PR_GET_PDEATHSIG:
      proc.mem.writeBytes(arg, new StructWriter(4).u32(0, proc.parentDeathSignal).bytes);
      return 0;
    case PR_GET_DUMPABLE:
      return proc.dumpable;
    case PR_SET_DUMPABLE:
      if (arg > 1) return -Errno.EINVAL;
      proc.dumpable = arg;
      return 0;
    case PR_GET_SECCOMP:
      return prctlGetSeccomp(c);
    case PR_SET_SECCOMP:
      return prctlSetSeccomp(c);
    case PR_SET_NO_NEW_PRIVS:
      if (arg !== 1) return -Errno.EINVAL;
      proc.noNewPrivs = true;
      return 0;
    case PR_GET_NO_NEW_PRIVS:
      return proc.noNewPrivs ? 1 : 0;
    default:
      return -Errno.EINVAL;
  }
}

function umask(c: SyscallContext): number {
  const previous = c.proc.umask;
  c.proc.umask = argUint(c.args, 0) & 0o777;
  return previous;
}

export const PROCESS_SYSCALLS: Record<string, SyscallHandler> = {
  exit: exitThread,
  exit_group: exitGroup,
  getpid: (c) => c.proc.pid,
  gettid: (c) => c.proc.tid,
  getppid: (c) => c.proc.ppid,
  getuid: (c) => c.proc.identity.uid,
  geteuid: (c) => c.proc.identity.euid,
  getgid: (c) => c.proc.identity.gid,
  getegid: (c) => c.proc.identity.egid,
  getpgid,
  getpgrp: (c) => c.proc.pgid,
  getsid,
  setpgid,
  setsid,
  arch_prctl: archPrctl,
  set_tid_address: setTidAddress,
  set_robust_list: setRobustList,
  rseq,
  prlimit64,
  getrlimit,
  setrlimit,
  personality,
  uname,
  sethostname: setUtsName('nodename'),
  setdomainname: setUtsName('domainname'),
  getrandom,
  sysinfo,
  prctl,
  umask,
};
