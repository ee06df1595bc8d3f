// seccomp(2) and prctl's seccomp options: installing filters (seccomp.ts judges each syscall).
import { argInt, argUint, argUlong } from '../../../trace/event.js';
import type { SyscallContext, SyscallHandler } from '../context.js';
import { StructWriter } from '../context.js';
import { Errno } from '../errno.js';
import {
  decodeProgram,
  Seccomp,
  SECCOMP_GET_ACTION_AVAIL,
  SECCOMP_GET_NOTIF_SIZES,
  SECCOMP_SET_MODE_FILTER,
  SECCOMP_SET_MODE_STRICT,
  validateProgram,
} from '../seccomp.js';

const SECCOMP_FILTER_FLAG_TSYNC = 1;
const SECCOMP_FILTER_FLAG_LOG = 2;
const SECCOMP_FILTER_FLAG_SPEC_ALLOW = 4;
const SECCOMP_FILTER_FLAG_NEW_LISTENER = 8;
const SECCOMP_FILTER_FLAG_TSYNC_ESRCH = 16;
/** The flags this kernel accepts: with one thread, TSYNC has nothing to synchronise; a listener
 *  (NEW_LISTENER) cannot be offered. */
const SUPPORTED_FLAGS = SECCOMP_FILTER_FLAG_TSYNC | SECCOMP_FILTER_FLAG_LOG | SECCOMP_FILTER_FLAG_SPEC_ALLOW | SECCOMP_FILTER_FLAG_TSYNC_ESRCH;
const BPF_MAXINSNS = 4096;

function setStrict(c: SyscallContext): number {
  if (c.proc.seccomp.filters.length > 0) return -Errno.EINVAL;
  c.proc.seccomp.strict = true;
  return 0;
}

/** Installs the filter whose struct sock_fprog is at `addr`. */
function addFilter(c: SyscallContext, flags: number, addr: number): number {
  const proc = c.proc;
  if (flags & ~SUPPORTED_FLAGS || flags & SECCOMP_FILTER_FLAG_NEW_LISTENER) return -Errno.EINVAL;
  if (proc.seccomp.strict) return -Errno.EINVAL;
  // Without CAP_SYS_ADMIN a task must have promised no new privileges first.
  if (!proc.noNewPrivs && proc.identity.euid !== 0) return -Errno.EACCES;
  const header = new DataView(proc.mem.readBytes(addr, 16).buffer);
  const length = header.getUint16(0, true);
  const filter = header.getUint32(8, true) + header.getUint32(12, true) * 4294967296;
  if (length === 0 || length > BPF_MAXINSNS) return -Errno.EINVAL;
  const program = decodeProgram(proc.mem.readBytes(filter, length * 8));
  if (validateProgram(program) !== null) return -Errno.EINVAL;
  proc.seccomp.filters.push(program);
  return 0;
}

function seccomp(c: SyscallContext): number {
  const operation = argUint(c.args, 0);
  const flags = argUint(c.args, 1);
  const addr = argUlong(c.args, 2);
  switch (operation) {
    case SECCOMP_SET_MODE_STRICT:
      return flags !== 0 || addr !== 0 ? -Errno.EINVAL : setStrict(c);
    case SECCOMP_SET_MODE_FILTER:
      return addFilter(c, flags, addr);
    case SECCOMP_GET_ACTION_AVAIL: {
      if (flags !== 0) return -Errno.EINVAL;
      const action = new DataView(c.proc.mem.readBytes(addr, 4).buffer).getUint32(0, true);
      return Seccomp.knows(action) ? 0 : -Errno.EOPNOTSUPP;
    }
    case SECCOMP_GET_NOTIF_SIZES:
      if (flags !== 0) return -Errno.EINVAL;
      // sizeof struct seccomp_notif, seccomp_notif_resp, seccomp_data.
      c.proc.mem.writeBytes(addr, new StructWriter(6).u16(0, 80).u16(2, 24).u16(4, 64).bytes);
      return 0;
    default:
      return -Errno.EINVAL;
  }
}

const SECCOMP_MODE_STRICT = 1;
const SECCOMP_MODE_FILTER = 2;

/** prctl(PR_SET_SECCOMP, mode, prog) and PR_GET_SECCOMP, the older interface. */
export function prctlSetSeccomp(c: SyscallContext): number {
  const mode = argInt(c.args, 1);
  if (mode === SECCOMP_MODE_STRICT) return setStrict(c);
  if (mode === SECCOMP_MODE_FILTER) return addFilter(c, 0, argUlong(c.args, 2));
  return -Errno.EINVAL;
}

export function prctlGetSeccomp(c: SyscallContext): number {
  const s = c.proc.seccomp;
  return s.strict ? SECCOMP_MODE_STRICT : s.filters.length > 0 ? SECCOMP_MODE_FILTER : 0;
}

export const SECURITY_SYSCALLS: Record<string, SyscallHandler> = { seccomp };
