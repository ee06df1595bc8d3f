// open(2) flags, *at() flags and access(2) modes, x86-64 values, in strace 6.1's order.

import type { Xlat } from '../xlat.js';

/** The access mode: the low 2 bits of the open flags (printed first). */
export const OPEN_ACCESS_MODES: Xlat = [
  [0, 'O_RDONLY'],
  [1, 'O_WRONLY'],
  [2, 'O_RDWR'],
  [3, 'O_ACCMODE'],
];

/** The other open flags. O_SYNC is listed before O_DSYNC and O_TMPFILE before O_DIRECTORY so the
 *  composite names win. O_LARGEFILE (0100000) is shown when set, as the kernel sees it. */
export const OPEN_MODE_FLAGS: Xlat = [
  [0o100, 'O_CREAT'],
  [0o200, 'O_EXCL'],
  [0o400, 'O_NOCTTY'],
  [0o1000, 'O_TRUNC'],
  [0o2000, 'O_APPEND'],
  [0o4000, 'O_NONBLOCK'],
  [0o4010000, 'O_SYNC'],
  [0o4000000, '__O_SYNC'],
  [0o10000, 'O_DSYNC'],
  [0o40000, 'O_DIRECT'],
  [0o100000, 'O_LARGEFILE'],
  [0o400000, 'O_NOFOLLOW'],
  [0o1000000, 'O_NOATIME'],
  [0o2000000, 'O_CLOEXEC'],
  [0o10000000, 'O_PATH'],
  [0o20200000, 'O_TMPFILE'],
  [0o20000000, '__O_TMPFILE'],
  [0o200000, 'O_DIRECTORY'],
  [0o20000, 'FASYNC'],
];

export const O_CREAT = 0o100;
export const O_TMPFILE_BIT = 0o20000000;

export const AT_FDCWD = -100;

/** AT_* flags of the *at() calls. */
export const AT_FLAGS: Xlat = [
  [0x100, 'AT_SYMLINK_NOFOLLOW'],
  [0x200, 'AT_REMOVEDIR'],
  [0x400, 'AT_SYMLINK_FOLLOW'],
  [0x800, 'AT_NO_AUTOMOUNT'],
  [0x1000, 'AT_EMPTY_PATH'],
  [0x8000, 'AT_RECURSIVE'],
];

/** faccessat2's flags: AT_EACCESS shares its value with AT_REMOVEDIR. */
export const FACCESSAT_FLAGS: Xlat = [
  [0x100, 'AT_SYMLINK_NOFOLLOW'],
  [0x200, 'AT_EACCESS'],
  [0x1000, 'AT_EMPTY_PATH'],
];

/** access(2) modes. */
export const ACCESS_MODES: Xlat = [
  [0, 'F_OK'],
  [4, 'R_OK'],
  [2, 'W_OK'],
  [1, 'X_OK'],
];

/** lseek(2) whence. */
export const WHENCE: Xlat = [
  [0, 'SEEK_SET'],
  [1, 'SEEK_CUR'],
  [2, 'SEEK_END'],
  [3, 'SEEK_DATA'],
  [4, 'SEEK_HOLE'],
];
