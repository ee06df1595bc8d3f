// File-system constants: renameat2 and fallocate flags, statfs magics and mount flags, the
// preadv2/pwritev2 and splice flags, openat2's resolve flags, poll events (x86-64 values, strace
// 6.1 order).

import type { Xlat } from '../xlat.js';

export const RENAME_FLAGS: Xlat = [
  [1, 'RENAME_NOREPLACE'],
  [2, 'RENAME_EXCHANGE'],
  [4, 'RENAME_WHITEOUT'],
];

export const FALLOC_FLAGS: Xlat = [
  [0x01, 'FALLOC_FL_KEEP_SIZE'],
  [0x02, 'FALLOC_FL_PUNCH_HOLE'],
  [0x04, 'FALLOC_FL_NO_HIDE_STALE'],
  [0x08, 'FALLOC_FL_COLLAPSE_RANGE'],
  [0x10, 'FALLOC_FL_ZERO_RANGE'],
  [0x20, 'FALLOC_FL_INSERT_RANGE'],
  [0x40, 'FALLOC_FL_UNSHARE_RANGE'],
];

export const RWF_FLAGS: Xlat = [
  [0x01, 'RWF_HIPRI'],
  [0x02, 'RWF_DSYNC'],
  [0x04, 'RWF_SYNC'],
  [0x08, 'RWF_NOWAIT'],
  [0x10, 'RWF_APPEND'],
];

export const SPLICE_FLAGS: Xlat = [
  [0x1, 'SPLICE_F_MOVE'],
  [0x2, 'SPLICE_F_NONBLOCK'],
  [0x4, 'SPLICE_F_MORE'],
  [0x8, 'SPLICE_F_GIFT'],
];

export const RESOLVE_FLAGS: Xlat = [
  [0x01, 'RESOLVE_NO_XDEV'],
  [0x02, 'RESOLVE_NO_MAGICLINKS'],
  [0x04, 'RESOLVE_NO_SYMLINKS'],
  [0x08, 'RESOLVE_BENEATH'],
  [0x10, 'RESOLVE_IN_ROOT'],
  [0x20, 'RESOLVE_CACHED'],
];

/** statfs f_type: the file systems emtrace reports, and common hosts'. */
export const FS_MAGICS: Xlat = [
  [0xef53, 'EXT2_SUPER_MAGIC'],
  [0x9fa0, 'PROC_SUPER_MAGIC'],
  [0x01021994, 'TMPFS_MAGIC'],
  [0x50495045, 'PIPEFS_MAGIC'],
  [0x62656572, 'SYSFS_MAGIC'],
  [0x794c7630, 'OVERLAYFS_SUPER_MAGIC'],
  [0x9123683e, 'BTRFS_SUPER_MAGIC'],
  [0x58465342, 'XFS_SUPER_MAGIC'],
  [0x1cd1, 'DEVPTS_SUPER_MAGIC'],
  [0x27e0eb, 'CGROUP_SUPER_MAGIC'],
  [0x63677270, 'CGROUP2_SUPER_MAGIC'],
];

/** statfs's f_flags, in strace's order (xlat/statfs_flags.in: ST_VALID first). */
export const STATFS_FLAGS: Xlat = [
  [0x0020, 'ST_VALID'],
  [0x0001, 'ST_RDONLY'],
  [0x0002, 'ST_NOSUID'],
  [0x0004, 'ST_NODEV'],
  [0x0008, 'ST_NOEXEC'],
  [0x0010, 'ST_SYNCHRONOUS'],
  [0x0040, 'ST_MANDLOCK'],
  [0x0400, 'ST_NOATIME'],
  [0x0800, 'ST_NODIRATIME'],
  [0x1000, 'ST_RELATIME'],
  [0x2000, 'ST_NOSYMFOLLOW'],
];

/** In strace's order (xlat/pollflags.in): a combination prints in this order. */
export const POLL_EVENTS: Xlat = [
  [0x0001, 'POLLIN'],
  [0x0002, 'POLLPRI'],
  [0x0004, 'POLLOUT'],
  [0x0008, 'POLLERR'],
  [0x0010, 'POLLHUP'],
  [0x0020, 'POLLNVAL'],
  [0x0040, 'POLLRDNORM'],
  [0x0080, 'POLLRDBAND'],
  [0x0100, 'POLLWRNORM'],
  [0x0200, 'POLLWRBAND'],
  [0x0400, 'POLLMSG'],
  [0x1000, 'POLLREMOVE'],
  [0x2000, 'POLLRDHUP'],
  [0x8000, 'POLL_BUSY_LOOP'],
];

export const UTIME_NOW = 0x3fffffff;
export const UTIME_OMIT = 0x3ffffffe;

/** strace's xlat/xattrflags.in */
export const XATTR_FLAGS: Xlat = [
  [1, 'XATTR_CREATE'], [2, 'XATTR_REPLACE'],
];

/** strace's xlat/advise.in (fadvise64's advice; x86-64 values) */
export const FADVISE_ADVICE: Xlat = [
  [0, 'POSIX_FADV_NORMAL'], [1, 'POSIX_FADV_RANDOM'], [2, 'POSIX_FADV_SEQUENTIAL'],
  [3, 'POSIX_FADV_WILLNEED'], [4, 'POSIX_FADV_DONTNEED'], [5, 'POSIX_FADV_NOREUSE'],
];

/** strace's xlat/sync_file_range_flags.in */
export const SYNC_FILE_RANGE_FLAGS: Xlat = [
  [1, 'SYNC_FILE_RANGE_WAIT_BEFORE'], [2, 'SYNC_FILE_RANGE_WRITE'], [4, 'SYNC_FILE_RANGE_WAIT_AFTER'],
];

/** strace's xlat/name_to_handle_at_flags.in */
export const NAME_TO_HANDLE_AT_FLAGS: Xlat = [
  [0x400, 'AT_SYMLINK_FOLLOW'], [0x1000, 'AT_EMPTY_PATH'],
];

/** flock's operations (strace's xlat/flockcmds.in). */
export const FLOCK_OPS: Xlat = [
  [1, 'LOCK_SH'], [2, 'LOCK_EX'], [4, 'LOCK_NB'], [8, 'LOCK_UN'], [32, 'LOCK_MAND'], [192, 'LOCK_RW'],
  [64, 'LOCK_READ'], [128, 'LOCK_WRITE'],
];
