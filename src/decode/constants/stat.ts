// File types of st_mode and the statx(2) constants.

import type { Xlat } from '../xlat.js';

export const S_IFMT = 0o170000;

export const FILE_TYPES: Xlat = [
  [0o100000, 'S_IFREG'],
  [0o140000, 'S_IFSOCK'],
  [0o10000, 'S_IFIFO'],
  [0o120000, 'S_IFLNK'],
  [0o40000, 'S_IFDIR'],
  [0o60000, 'S_IFBLK'],
  [0o20000, 'S_IFCHR'],
];
export const S_IFCHR = 0o20000;
export const S_IFBLK = 0o60000;

export const STATX_MASKS: Xlat = [
  [0xfff, 'STATX_ALL'],
  [0x7ff, 'STATX_BASIC_STATS'],
  [0x1, 'STATX_TYPE'],
  [0x2, 'STATX_MODE'],
  [0x4, 'STATX_NLINK'],
  [0x8, 'STATX_UID'],
  [0x10, 'STATX_GID'],
  [0x20, 'STATX_ATIME'],
  [0x40, 'STATX_MTIME'],
  [0x80, 'STATX_CTIME'],
  [0x100, 'STATX_INO'],
  [0x200, 'STATX_SIZE'],
  [0x400, 'STATX_BLOCKS'],
  [0x800, 'STATX_BTIME'],
  [0x1000, 'STATX_MNT_ID'],
  [0x2000, 'STATX_DIOALIGN'],
];
export const STATX_TYPE = 0x1;
export const STATX_MODE = 0x2;
export const STATX_SIZE = 0x200;

export const STATX_ATTRS: Xlat = [
  [0x4, 'STATX_ATTR_COMPRESSED'],
  [0x10, 'STATX_ATTR_IMMUTABLE'],
  [0x20, 'STATX_ATTR_APPEND'],
  [0x40, 'STATX_ATTR_NODUMP'],
  [0x800, 'STATX_ATTR_ENCRYPTED'],
  [0x1000, 'STATX_ATTR_AUTOMOUNT'],
  [0x2000, 'STATX_ATTR_MOUNT_ROOT'],
  [0x100000, 'STATX_ATTR_VERITY'],
  [0x200000, 'STATX_ATTR_DAX'],
];

export const AT_STATX_SYNC_TYPE = 0x6000;
export const STATX_SYNC_TYPES: Xlat = [
  [0x0000, 'AT_STATX_SYNC_AS_STAT'],
  [0x2000, 'AT_STATX_FORCE_SYNC'],
  [0x4000, 'AT_STATX_DONT_SYNC'],
  [0x6000, 'AT_STATX_SYNC_TYPE'],
];
