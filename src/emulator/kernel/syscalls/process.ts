// Process and thread identity and set-up: ids, exit, arch_prctl, set_tid_address,
// set_robust_list, rseq, resource limits, uname and getrandom.
import { argInt, argUint, argUlong } from '../../../trace/event.js';
import type { SyscallContext, SyscallHandler } from '../context.js';
import { StructWriter } from '../context.js';
import { Errno } from '../errno.js';
import { RLIM_INFINITY } from '../process.js';
import { prctlGetSeccomp, prctlSetSeccomp } from './security.js';

/** What uname(2) reports: fixed, so traces do not depend on the host. */
export const UNAME = {
  sysname: 'Linux',
  nodename: 'emtrace',
  release: '6.1.0-emtrace',
  version: '#1 SMP PREEMPT_DYNAMIC emtrace',
  machine: 'x86_64',
  domainname: '(none)',
};

function exitGroup(c: SyscallContext): number {
  c.proc.exitStatus = { kind: 'exited', code: argInt(c.args, 0) & 0xff };
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

function encodeRlimit(soft: bigint, hard: bigint): Uint8Array {
  return new StructWriter(16).u64(0, soft).u64(8, hard).bytes;
}

function prlimit64(c: SyscallContext): number {
  const pid = argInt(c.args, 0);
  const resource = argUint(c.args, 1);
  const newAddr = argUlong(c.args, 2);
  const oldAddr = argUlong(c.args, 3);
  if (pid !== 0 && pid !== c.proc.pid) return -Errno.ESRCH;
  if (resource >= RLIMIT_NLIMITS) return -Errno.EINVAL;
  let update: [bigint, bigint] | null = null;
  if (newAddr) {
    const raw = c.proc.mem.readBytes(newAddr, 16);
    const view = new DataView(raw.buffer);
    update = [view.getBigUint64(0, true), view.getBigUint64(8, true)];
    if (update[0] > update[1]) return -Errno.EINVAL;
    if (update[1] > c.proc.limits[resource][1] && c.proc.identity.euid !== 0) return -Errno.EPERM;
  }
  const [soft, hard] = c.proc.limits[resource];
  if (oldAddr) c.proc.mem.writeBytes(oldAddr, encodeRlimit(soft, hard));
  if (update) {
    c.proc.limits[resource] = update;
    if (resource === RLIMIT_NOFILE) c.proc.fds.limit = Number(update[0] === RLIM_INFINITY ? 1048576n : update[0]);
  }
  return 0;
}

function getrlimit(c: SyscallContext): number {
  const resource = argUint(c.args, 0);
  if (resource >= RLIMIT_NLIMITS) return -Errno.EINVAL;
  const [soft, hard] = c.proc.limits[resource];
  c.proc.mem.writeBytes(argUlong(c.args, 1), encodeRlimit(soft, hard));
  return 0;
}

function uname(c: SyscallContext): number {
  const fields = [UNAME.sysname, UNAME.nodename, UNAME.release, UNAME.version, UNAME.machine, UNAME.domainname];
  const w = new StructWriter(65 * 6);
  fields.forEach((value, k) => w.text(65 * k, value, 65));
  c.proc.mem.writeBytes(argUlong(c.args, 0), w.bytes);
  return 0;
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
  exit: exitGroup,
  exit_group: exitGroup,
  getpid: (c) => c.proc.pid,
  gettid: (c) => c.proc.tid,
  getppid: (c) => c.proc.ppid,
  getuid: (c) => c.proc.identity.uid,
  geteuid: (c) => c.proc.identity.euid,
  getgid: (c) => c.proc.identity.gid,
  getegid: (c) => c.proc.identity.egid,
  arch_prctl: archPrctl,
  set_tid_address: setTidAddress,
  set_robust_list: setRobustList,
  rseq,
  prlimit64,
  getrlimit,
  uname,
  getrandom,
  sysinfo,
  prctl,
  umask,
};
