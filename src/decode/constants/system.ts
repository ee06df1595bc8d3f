// Flags of the system-level calls: kexec, kernel modules, userfaultfd, pidfd_open, memfd_secret
// and landlock, in strace 6.1's xlat/*.in order.

import type { Xlat } from '../xlat.js';

/** strace's xlat/kexec_load_flags.in */
export const KEXEC_LOAD_FLAGS: Xlat = [
  [1, 'KEXEC_ON_CRASH'], [2, 'KEXEC_PRESERVE_CONTEXT'],
];

/** strace's xlat/kexec_arch_values.in */
export const KEXEC_ARCHES: Xlat = [
  [0, 'KEXEC_ARCH_DEFAULT'], [0x30000, 'KEXEC_ARCH_386'], [0x40000, 'KEXEC_ARCH_68K'],
  [0xf0000, 'KEXEC_ARCH_PARISC'], [0x3e0000, 'KEXEC_ARCH_X86_64'], [0x140000, 'KEXEC_ARCH_PPC'],
  [0x150000, 'KEXEC_ARCH_PPC64'], [0x320000, 'KEXEC_ARCH_IA_64'], [0x280000, 'KEXEC_ARCH_ARM'],
  [0x160000, 'KEXEC_ARCH_S390'], [0x2a0000, 'KEXEC_ARCH_SH'], [0xa0000, 'KEXEC_ARCH_MIPS_LE'],
  [0x80000, 'KEXEC_ARCH_MIPS'], [0xb70000, 'KEXEC_ARCH_AARCH64'], [0xf30000, 'KEXEC_ARCH_RISCV'],
  [0x1020000, 'KEXEC_ARCH_LOONGARCH'],
];

/** strace's xlat/kexec_file_load_flags.in */
export const KEXEC_FILE_LOAD_FLAGS: Xlat = [
  [1, 'KEXEC_FILE_UNLOAD'], [2, 'KEXEC_FILE_ON_CRASH'], [4, 'KEXEC_FILE_NO_INITRAMFS'],
];

/** strace's xlat/module_init_flags.in */
export const MODULE_INIT_FLAGS: Xlat = [
  [1, 'MODULE_INIT_IGNORE_MODVERSIONS'], [2, 'MODULE_INIT_IGNORE_VERMAGIC'],
  [4, 'MODULE_INIT_COMPRESSED_FILE'],
];

/** strace's xlat/uffd_flags.in */
export const UFFD_FLAGS: Xlat = [
  [1, 'UFFD_USER_MODE_ONLY'], [0x800, 'O_NONBLOCK'], [0x80000, 'O_CLOEXEC'],
];

/** strace's xlat/pidfd_open_flags.in */
export const PIDFD_OPEN_FLAGS: Xlat = [
  [0x800, 'PIDFD_NONBLOCK'],
];

/** strace's xlat/memfd_secret_flags.in */
export const MEMFD_SECRET_FLAGS: Xlat = [
  [0x80000, 'O_CLOEXEC'],
];

/** strace's xlat/landlock_create_ruleset_flags.in */
export const LANDLOCK_CREATE_RULESET_FLAGS: Xlat = [
  [1, 'LANDLOCK_CREATE_RULESET_VERSION'],
];

/** strace's xlat/landlock_ruleset_access_fs.in */
export const LANDLOCK_ACCESS_FS: Xlat = [
  [1, 'LANDLOCK_ACCESS_FS_EXECUTE'], [2, 'LANDLOCK_ACCESS_FS_WRITE_FILE'],
  [4, 'LANDLOCK_ACCESS_FS_READ_FILE'], [8, 'LANDLOCK_ACCESS_FS_READ_DIR'],
  [0x10, 'LANDLOCK_ACCESS_FS_REMOVE_DIR'], [0x20, 'LANDLOCK_ACCESS_FS_REMOVE_FILE'],
  [0x40, 'LANDLOCK_ACCESS_FS_MAKE_CHAR'], [0x80, 'LANDLOCK_ACCESS_FS_MAKE_DIR'],
  [0x100, 'LANDLOCK_ACCESS_FS_MAKE_REG'], [0x200, 'LANDLOCK_ACCESS_FS_MAKE_SOCK'],
  [0x400, 'LANDLOCK_ACCESS_FS_MAKE_FIFO'], [0x800, 'LANDLOCK_ACCESS_FS_MAKE_BLOCK'],
  [0x1000, 'LANDLOCK_ACCESS_FS_MAKE_SYM'], [0x2000, 'LANDLOCK_ACCESS_FS_REFER'],
];
/** strace's xlat/landlock_rule_types.in */
export const LANDLOCK_RULE_TYPES: Xlat = [[1, 'LANDLOCK_RULE_PATH_BENEATH']];
