// fcntl(2) commands and their argument constants (x86-64 values, strace 6.1 order).

import type { Xlat } from '../xlat.js';

export const F = {
  DUPFD: 0,
  GETFD: 1,
  SETFD: 2,
  GETFL: 3,
  SETFL: 4,
  GETLK: 5,
  SETLK: 6,
  SETLKW: 7,
  SETOWN: 8,
  GETOWN: 9,
  SETSIG: 10,
  GETSIG: 11,
  SETOWN_EX: 15,
  GETOWN_EX: 16,
  GETOWNER_UIDS: 17,
  OFD_GETLK: 36,
  OFD_SETLK: 37,
  OFD_SETLKW: 38,
  SETLEASE: 1024,
  GETLEASE: 1025,
  NOTIFY: 1026,
  CANCELLK: 1029,
  DUPFD_CLOEXEC: 1030,
  SETPIPE_SZ: 1031,
  GETPIPE_SZ: 1032,
  ADD_SEALS: 1033,
  GET_SEALS: 1034,
} as const;

/** fcntl commands. On x86-64 F_GETLK64/F_SETLK64/F_SETLKW64 equal F_GETLK/F_SETLK/F_SETLKW. */
export const FCNTL_CMDS: Xlat = [
  [0, 'F_DUPFD'],
  [1, 'F_GETFD'],
  [2, 'F_SETFD'],
  [3, 'F_GETFL'],
  [4, 'F_SETFL'],
  [5, 'F_GETLK'],
  [6, 'F_SETLK'],
  [7, 'F_SETLKW'],
  [8, 'F_SETOWN'],
  [9, 'F_GETOWN'],
  [10, 'F_SETSIG'],
  [11, 'F_GETSIG'],
  [15, 'F_SETOWN_EX'],
  [16, 'F_GETOWN_EX'],
  [17, 'F_GETOWNER_UIDS'],
  [36, 'F_OFD_GETLK'],
  [37, 'F_OFD_SETLK'],
  [38, 'F_OFD_SETLKW'],
  [1024, 'F_SETLEASE'],
  [1025, 'F_GETLEASE'],
  [1026, 'F_NOTIFY'],
  [1029, 'F_CANCELLK'],
  [1030, 'F_DUPFD_CLOEXEC'],
  [1031, 'F_SETPIPE_SZ'],
  [1032, 'F_GETPIPE_SZ'],
  [1033, 'F_ADD_SEALS'],
  [1034, 'F_GET_SEALS'],
];

export const FD_FLAGS: Xlat = [[1, 'FD_CLOEXEC']];

/** struct flock l_type, and the lease types of F_SETLEASE. */
export const LOCK_TYPES: Xlat = [
  [0, 'F_RDLCK'],
  [1, 'F_WRLCK'],
  [2, 'F_UNLCK'],
  [4, 'F_EXLCK'],
  [8, 'F_SHLCK'],
];

export const NOTIFY_FLAGS: Xlat = [
  [0x1, 'DN_ACCESS'],
  [0x2, 'DN_MODIFY'],
  [0x4, 'DN_CREATE'],
  [0x8, 'DN_DELETE'],
  [0x10, 'DN_RENAME'],
  [0x20, 'DN_ATTRIB'],
  [0x80000000, 'DN_MULTISHOT'],
];

export const SEALS: Xlat = [
  [0x1, 'F_SEAL_SEAL'],
  [0x2, 'F_SEAL_SHRINK'],
  [0x4, 'F_SEAL_GROW'],
  [0x8, 'F_SEAL_WRITE'],
  [0x10, 'F_SEAL_FUTURE_WRITE'],
];

export const OWNER_TYPES: Xlat = [
  [0, 'F_OWNER_TID'],
  [1, 'F_OWNER_PID'],
  [2, 'F_OWNER_PGRP'],
];
