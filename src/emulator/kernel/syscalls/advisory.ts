// flock (whole-file locks of an open description: flocks.ts) and the calls that only advise or
// flush: fadvise64, readahead, sync_file_range. The advice has no effect here (there is no page
// cache to steer), so those calls check their arguments as Linux does and succeed.
import { argInt, argLong, argU64, argUint } from '../../../trace/event.js';
import type { SyscallContext, SyscallHandler } from '../context.js';
import { blocksForever } from '../context.js';
import { Errno } from '../errno.js';
import { O_ACCMODE, O_WRONLY, OpenFile } from '../files.js';
import type { FlockType } from '../flocks.js';
import { usableFd } from './lookup.js';

const LOCK_SH = 1;
const LOCK_EX = 2;
const LOCK_NB = 4;
const LOCK_UN = 8;
/** Samba's old mandatory locks: accepted and ignored, with nothing else checked. */
const LOCK_MAND = 32;

function flock(c: SyscallContext): number {
  const cmd = argUint(c.args, 1);
  if (cmd & LOCK_MAND) return 0;
  const op = cmd & ~LOCK_NB;
  if (op !== LOCK_SH && op !== LOCK_EX && op !== LOCK_UN) return -Errno.EINVAL;
  const file = usableFd(c, 0);
  if (typeof file === 'number') return file;
  const vfs = c.proc.vfs;
  const key = vfs.locks.keyOf(file);
  if (op === LOCK_UN) {
    vfs.flocks.release(key, file);
    return 0;
  }
  const type: FlockType = op === LOCK_EX ? 'exclusive' : 'shared';
  if (vfs.flocks.conflicts(key, file, type)) {
    // A conversion gives up the old lock before it waits, as Linux's does.
    vfs.flocks.release(key, file);
    return cmd & LOCK_NB ? -Errno.EAGAIN : blocksForever(c.proc, `flock on ${file.path}`);
  }
  vfs.flocks.set(key, file, type);
  return 0;
}

function isPipe(file: OpenFile): boolean {
  return file.kind === 'pipe' || file.kind === 'fifo';
}

/** POSIX_FADV_NORMAL .. POSIX_FADV_NOREUSE. */
const POSIX_FADV_LAST = 5;

/** generic_fadvise's checks: pipes have no page cache to advise on (ESPIPE). */
function advise(file: OpenFile, len: number, advice: number): number {
  if (isPipe(file)) return -Errno.ESPIPE;
  if (len < 0) return -Errno.EINVAL;
  if (advice < 0 || advice > POSIX_FADV_LAST) return -Errno.EINVAL;
  return 0;
}

function fadvise64(c: SyscallContext): number {
  const file = usableFd(c, 0);
  if (typeof file === 'number') return file;
  return advise(file, argLong(c.args, 2), argInt(c.args, 3));
}

const POSIX_FADV_WILLNEED = 3;

/** readahead: fadvise's WILLNEED on a readable regular file or block device. */
function readahead(c: SyscallContext): number {
  const file = usableFd(c, 0);
  if (typeof file === 'number') return file;
  if ((file.flags & O_ACCMODE) === O_WRONLY) return -Errno.EBADF;
  if (file.kind !== 'regular' && file.kind !== 'blockdev') return -Errno.EINVAL;
  return advise(file, argLong(c.args, 2), POSIX_FADV_WILLNEED);
}

/** SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER. */
const SYNC_FILE_RANGE_FLAGS = 0x7;

/** sync_file_range: the host writes its files back by itself; the range and flags are checked,
 *  and the file must be one with pages to write (regular, block device, directory, symlink). */
function syncFileRange(c: SyscallContext): number {
  const file = usableFd(c, 0);
  if (typeof file === 'number') return file;
  const offset = BigInt.asIntN(64, argU64(c.args, 1));
  const nbytes = BigInt.asIntN(64, argU64(c.args, 2));
  if (argUint(c.args, 3) & ~SYNC_FILE_RANGE_FLAGS) return -Errno.EINVAL;
  const end = BigInt.asIntN(64, offset + nbytes);
  if (offset < 0n || end < 0n || end < offset) return -Errno.EINVAL;
  if (file.kind !== 'regular' && file.kind !== 'blockdev' && file.kind !== 'directory' && file.kind !== 'symlink') return -Errno.ESPIPE;
  return 0;
}

export const ADVISORY_SYSCALLS: Record<string, SyscallHandler> = {
  flock,
  fadvise64,
  readahead,
  sync_file_range: syncFileRange,
};
