// Mounting: mount(2)/umount2(2)/swapon(2) flags and the new mount API's (fsopen, fsconfig,
// fsmount, fspick, open_tree, move_mount, mount_setattr), in strace 6.1's xlat/*.in order.

import type { Xlat } from '../xlat.js';

/** strace's xlat/mount_flags.in */
export const MOUNT_FLAGS: Xlat = [
  [1, 'MS_RDONLY'], [2, 'MS_NOSUID'], [4, 'MS_NODEV'], [8, 'MS_NOEXEC'], [0x10, 'MS_SYNCHRONOUS'],
  [0x20, 'MS_REMOUNT'], [0x40, 'MS_MANDLOCK'], [0x80, 'MS_DIRSYNC'], [0x100, 'MS_NOSYMFOLLOW'],
  [0x400, 'MS_NOATIME'], [0x800, 'MS_NODIRATIME'], [0x1000, 'MS_BIND'], [0x2000, 'MS_MOVE'],
  [0x4000, 'MS_REC'], [0x8000, 'MS_SILENT'], [0x10000, 'MS_POSIXACL'], [0x20000, 'MS_UNBINDABLE'],
  [0x40000, 'MS_PRIVATE'], [0x80000, 'MS_SLAVE'], [0x100000, 'MS_SHARED'], [0x200000, 'MS_RELATIME'],
  [0x400000, 'MS_KERNMOUNT'], [0x800000, 'MS_I_VERSION'], [0x1000000, 'MS_STRICTATIME'],
  [0x2000000, 'MS_LAZYTIME'], [0x4000000, 'MS_SUBMOUNT'], [0x8000000, 'MS_NOREMOTELOCK'],
  [0x10000000, 'MS_NOSEC'], [0x20000000, 'MS_BORN'], [0x40000000, 'MS_ACTIVE'], [0x80000000, 'MS_NOUSER'],
];

/** strace's xlat/umount_flags.in */
export const UMOUNT_FLAGS: Xlat = [
  [1, 'MNT_FORCE'], [2, 'MNT_DETACH'], [4, 'MNT_EXPIRE'], [8, 'UMOUNT_NOFOLLOW'],
];

/** strace's xlat/swap_flags.in */
export const SWAP_FLAGS: Xlat = [
  [0x8000, 'SWAP_FLAG_PREFER'], [0x10000, 'SWAP_FLAG_DISCARD'], [0x20000, 'SWAP_FLAG_DISCARD_ONCE'],
  [0x40000, 'SWAP_FLAG_DISCARD_PAGES'],
];

/** strace's xlat/fsopen_flags.in */
export const FSOPEN_FLAGS: Xlat = [
  [1, 'FSOPEN_CLOEXEC'],
];

/** strace's xlat/fsmount_flags.in */
export const FSMOUNT_FLAGS: Xlat = [
  [1, 'FSMOUNT_CLOEXEC'],
];

/** strace's xlat/fsmount_attr_flags.in */
export const FSMOUNT_ATTR_FLAGS: Xlat = [
  [1, 'MOUNT_ATTR_RDONLY'], [2, 'MOUNT_ATTR_NOSUID'], [4, 'MOUNT_ATTR_NODEV'], [8, 'MOUNT_ATTR_NOEXEC'],
  [0x10, 'MOUNT_ATTR_NOATIME'], [0x20, 'MOUNT_ATTR_STRICTATIME'], [0x80, 'MOUNT_ATTR_NODIRATIME'],
];

/** strace's xlat/fspick_flags.in */
export const FSPICK_FLAGS: Xlat = [
  [1, 'FSPICK_CLOEXEC'], [2, 'FSPICK_SYMLINK_NOFOLLOW'], [4, 'FSPICK_NO_AUTOMOUNT'],
  [8, 'FSPICK_EMPTY_PATH'],
];

/** strace's xlat/open_tree_flags.in */
export const OPEN_TREE_FLAGS: Xlat = [
  [1, 'OPEN_TREE_CLONE'], [0x80000, 'OPEN_TREE_CLOEXEC'], [0x100, 'AT_SYMLINK_NOFOLLOW'],
  [0x200, 'AT_REMOVEDIR'], [0x400, 'AT_SYMLINK_FOLLOW'], [0x800, 'AT_NO_AUTOMOUNT'],
  [0x1000, 'AT_EMPTY_PATH'], [0x8000, 'AT_RECURSIVE'],
];

/** strace's xlat/move_mount_flags.in */
export const MOVE_MOUNT_FLAGS: Xlat = [
  [1, 'MOVE_MOUNT_F_SYMLINKS'], [2, 'MOVE_MOUNT_F_AUTOMOUNTS'], [4, 'MOVE_MOUNT_F_EMPTY_PATH'],
  [0x10, 'MOVE_MOUNT_T_SYMLINKS'], [0x20, 'MOVE_MOUNT_T_AUTOMOUNTS'], [0x40, 'MOVE_MOUNT_T_EMPTY_PATH'],
  [0x100, 'MOVE_MOUNT_SET_GROUP'],
];

/** strace's xlat/mount_setattr_flags.in */
export const MOUNT_SETATTR_FLAGS: Xlat = [
  [0x100, 'AT_SYMLINK_NOFOLLOW'], [0x800, 'AT_NO_AUTOMOUNT'], [0x1000, 'AT_EMPTY_PATH'],
  [0x8000, 'AT_RECURSIVE'],
];

/** strace's xlat/mount_attr_attr.in */
export const MOUNT_ATTR_ATTR: Xlat = [
  [1, 'MOUNT_ATTR_RDONLY'], [2, 'MOUNT_ATTR_NOSUID'], [4, 'MOUNT_ATTR_NODEV'], [8, 'MOUNT_ATTR_NOEXEC'],
  [0x10, 'MOUNT_ATTR_NOATIME'], [0x20, 'MOUNT_ATTR_STRICTATIME'], [0x80, 'MOUNT_ATTR_NODIRATIME'],
  [0x100000, 'MOUNT_ATTR_IDMAP'], [0x200000, 'MOUNT_ATTR_NOSYMFOLLOW'],
];

/** strace's xlat/mount_attr_propagation.in */
export const MOUNT_ATTR_PROPAGATION: Xlat = [
  [0x20000, 'MS_UNBINDABLE'], [0x40000, 'MS_PRIVATE'], [0x80000, 'MS_SLAVE'], [0x100000, 'MS_SHARED'],
];

/** strace's xlat/fsconfig_cmds.in (an enum: its values in order) */
export const FSCONFIG_CMDS: Xlat = [
  [0, 'FSCONFIG_SET_FLAG'], [1, 'FSCONFIG_SET_STRING'], [2, 'FSCONFIG_SET_BINARY'], [3, 'FSCONFIG_SET_PATH'],
  [4, 'FSCONFIG_SET_PATH_EMPTY'], [5, 'FSCONFIG_SET_FD'], [6, 'FSCONFIG_CMD_CREATE'], [7, 'FSCONFIG_CMD_RECONFIGURE'],
];
