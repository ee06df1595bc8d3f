// Administering the machine: swapon, swapoff, acct, quotactl, quotactl_fd, reboot, vhangup.
// Each checks its arguments as Linux does (and opens its file as Linux opens it: a directory is
// EISDIR, a missing path ENOENT); what is only a question is answered for real (no swap area is
// active, accounting is off, no file system has quotas on); a change to the machine (enabling
// swap or accounting, rebooting, hanging up the terminal) is refused with EPERM, as Linux
// refuses a caller without the capability.
import fs from 'node:fs';
import { argInt, argUint, argUlong } from '../../../trace/event.js';
import type { SyscallContext, SyscallHandler } from '../context.js';
import { AT_FDCWD } from '../context.js';
import { Errno } from '../errno.js';
import { mayAccess, R_OK, W_OK, Lookup, isDirectoryLookup } from '../vfs.js';
import { existingPath } from './mounts.js';
import { statOf } from './lookup.js';

const SWAP_FLAGS_VALID = 0x7fff | 0x8000 | 0x10000 | 0x20000 | 0x40000;
const SWAP_SIGNATURES = ['SWAPSPACE2', 'SWAP-SPACE'];
const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFBLK = 0o060000;

/** file_open_name's checks for opening a path for writing (and reading, with `read`). */
function openForWrite(c: SyscallContext, addr: number, read: boolean): Lookup | number {
  const l = existingPath(c, AT_FDCWD, addr, true);
  if (typeof l === 'number') return l;
  if (isDirectoryLookup(l)) return -Errno.EISDIR;
  const st = statOf(c.proc, l);
  if (typeof st === 'number') return st;
  if (!mayAccess(c.proc, st, W_OK | (read ? R_OK : 0))) return -Errno.EACCES;
  const rofs = c.proc.vfs.refuseWrite(l);
  return rofs ? rofs : l;
}

function modeOf(c: SyscallContext, l: Lookup): number {
  const st = statOf(c.proc, l);
  return typeof st === 'number' ? 0 : st.mode;
}

/** Whether a host file starts with a swap header (its signature at the end of page 0). */
function hasSwapSignature(host: string | null): boolean {
  if (host === null) return false;
  try {
    const fd = fs.openSync(host, 'r');
    try {
      const buf = Buffer.alloc(10);
      fs.readSync(fd, buf, 0, 10, 4096 - 10);
      return SWAP_SIGNATURES.includes(buf.toString('latin1'));
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return false;
  }
}

function swapon(c: SyscallContext): number {
  if (argInt(c.args, 1) & ~SWAP_FLAGS_VALID) return -Errno.EINVAL;
  const l = openForWrite(c, argUlong(c.args, 0), true);
  if (typeof l === 'number') return l;
  const type = modeOf(c, l) & S_IFMT;
  if (type !== S_IFREG && type !== S_IFBLK) return -Errno.EINVAL;
  // Without a swap signature the area is refused; with one, enabling it would change the host.
  return hasSwapSignature(l.host) ? -Errno.EPERM : -Errno.EINVAL;
}

function swapoff(c: SyscallContext): number {
  const l = openForWrite(c, argUlong(c.args, 0), true);
  if (typeof l === 'number') return l;
  // No swap area is active.
  return -Errno.EINVAL;
}

function acct(c: SyscallContext): number {
  const addr = argUlong(c.args, 0);
  // NULL turns accounting off, which it is.
  if (addr === 0) return 0;
  const l = openForWrite(c, addr, false);
  if (typeof l === 'number') return l;
  if ((modeOf(c, l) & S_IFMT) !== S_IFREG) return -Errno.EACCES;
  return -Errno.EPERM;
}

const SUBCMDSHIFT = 8;
const SUBCMDMASK = 0xff;
const MAXQUOTAS = 3;
const Q_SYNC = 0x800001;
const Q_QUOTAON = 0x800002;
const Q_QUOTAOFF = 0x800003;
const Q_GETFMT = 0x800004;
const Q_GETINFO = 0x800005;
const Q_SETINFO = 0x800006;
const Q_GETQUOTA = 0x800007;
const Q_SETQUOTA = 0x800008;
const Q_GETNEXTQUOTA = 0x800009;
const QUOTA_READS = new Set([Q_GETFMT, Q_GETINFO, Q_GETQUOTA, Q_GETNEXTQUOTA]);
const QUOTA_WRITES = new Set([Q_QUOTAON, Q_QUOTAOFF, Q_SETINFO, Q_SETQUOTA]);

/** What a quota command gets from a file system without quotas. */
function quotaCommand(cmd: number): number {
  const command = cmd >>> SUBCMDSHIFT;
  if (command === Q_SYNC) return 0;
  if (QUOTA_READS.has(command)) return -Errno.ESRCH;
  if (QUOTA_WRITES.has(command)) return -Errno.EPERM;
  return -Errno.EINVAL;
}

function quotactl(c: SyscallContext): number {
  const cmd = argUint(c.args, 0);
  if ((cmd & SUBCMDMASK) >= MAXQUOTAS) return -Errno.EINVAL;
  const special = argUlong(c.args, 1);
  if (special === 0) return cmd >>> SUBCMDSHIFT === Q_SYNC ? 0 : -Errno.ENODEV;
  const l = existingPath(c, AT_FDCWD, special, true);
  if (typeof l === 'number') return l;
  if ((modeOf(c, l) & S_IFMT) !== S_IFBLK) return -Errno.ENOTBLK;
  // No block device here holds a mounted file system.
  return -Errno.ENODEV;
}

function quotactlFd(c: SyscallContext): number {
  const cmd = argUint(c.args, 1);
  if ((cmd & SUBCMDMASK) >= MAXQUOTAS) return -Errno.EINVAL;
  if (!c.proc.fds.get(argInt(c.args, 0))) return -Errno.EBADF;
  return quotaCommand(cmd);
}

const LINUX_REBOOT_MAGIC1 = 0xfee1dead;
const LINUX_REBOOT_MAGIC2 = [672274793, 85072278, 369367448, 537993216];
/** The commands of this kernel (no kexec, no hibernation). */
const REBOOT_COMMANDS = new Set([0x01234567, 0xcdef0123, 0x89abcdef, 0x00000000, 0x4321fedc, 0xa1b2c3d4]);

function reboot(c: SyscallContext): number {
  if (argUint(c.args, 0) !== LINUX_REBOOT_MAGIC1 || !LINUX_REBOOT_MAGIC2.includes(argUint(c.args, 1))) return -Errno.EINVAL;
  if (!REBOOT_COMMANDS.has(argUint(c.args, 2))) return -Errno.EINVAL;
  return -Errno.EPERM;
}

function vhangup(): number {
  return -Errno.EPERM;
}

export const MACHINE_SYSCALLS: Record<string, SyscallHandler> = {
  swapon,
  swapoff,
  acct,
  quotactl,
  quotactl_fd: quotactlFd,
  reboot,
  vhangup,
};
