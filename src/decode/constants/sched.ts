// Scheduling policies, priority targets, I/O priority classes, personalities and capabilities
// (strace 6.1's xlat tables: schedulers, priorities, ioprio_who, ioprio_class,
// personality_types, personality_flags, cap_mask0, cap_mask1, cap_version).

import type { Xlat } from '../xlat.js';

export const SCHEDULERS: Xlat = [
  [0, 'SCHED_OTHER'],
  [1, 'SCHED_FIFO'],
  [2, 'SCHED_RR'],
  [3, 'SCHED_BATCH'],
  [4, 'SCHED_ISO'],
  [5, 'SCHED_IDLE'],
  [6, 'SCHED_DEADLINE'],
];

export const PRIORITIES: Xlat = [
  [0, 'PRIO_PROCESS'],
  [1, 'PRIO_PGRP'],
  [2, 'PRIO_USER'],
];

export const IOPRIO_WHO: Xlat = [
  [1, 'IOPRIO_WHO_PROCESS'],
  [2, 'IOPRIO_WHO_PGRP'],
  [3, 'IOPRIO_WHO_USER'],
];

export const IOPRIO_CLASSES: Xlat = [
  [0, 'IOPRIO_CLASS_NONE'],
  [1, 'IOPRIO_CLASS_RT'],
  [2, 'IOPRIO_CLASS_BE'],
  [3, 'IOPRIO_CLASS_IDLE'],
];

/** The persona types, looked up by the low byte (PER_MASK) only: strace's composite values
 *  (PER_SVR4 = 0x0001|STICKY_TIMEOUTS|...) can never match one and are left out. */
export const PERSONALITY_TYPES: Xlat = [
  [0x00, 'PER_LINUX'],
  [0x06, 'PER_BSD'],
  [0x08, 'PER_LINUX32'],
  [0x0c, 'PER_RISCOS'],
  [0x0f, 'PER_OSF4'],
  [0x10, 'PER_HPUX'],
  [0xff, 'PER_MASK'],
];

export const PERSONALITY_FLAGS: Xlat = [
  [0x0020000, 'UNAME26'],
  [0x0040000, 'ADDR_NO_RANDOMIZE'],
  [0x0080000, 'FDPIC_FUNCPTRS'],
  [0x0100000, 'MMAP_PAGE_ZERO'],
  [0x0200000, 'ADDR_COMPAT_LAYOUT'],
  [0x0400000, 'READ_IMPLIES_EXEC'],
  [0x0800000, 'ADDR_LIMIT_32BIT'],
  [0x1000000, 'SHORT_INODE'],
  [0x2000000, 'WHOLE_SECONDS'],
  [0x4000000, 'STICKY_TIMEOUTS'],
  [0x8000000, 'ADDR_LIMIT_3GB'],
];

export const PER_MASK = 0xff;

/** Capabilities 0..31, as the bits of the first word of a set. */
const CAPS_0 = [
  'CHOWN', 'DAC_OVERRIDE', 'DAC_READ_SEARCH', 'FOWNER', 'FSETID', 'KILL', 'SETGID', 'SETUID', 'SETPCAP', 'LINUX_IMMUTABLE',
  'NET_BIND_SERVICE', 'NET_BROADCAST', 'NET_ADMIN', 'NET_RAW', 'IPC_LOCK', 'IPC_OWNER', 'SYS_MODULE', 'SYS_RAWIO', 'SYS_CHROOT',
  'SYS_PTRACE', 'SYS_PACCT', 'SYS_ADMIN', 'SYS_BOOT', 'SYS_NICE', 'SYS_RESOURCE', 'SYS_TIME', 'SYS_TTY_CONFIG', 'MKNOD', 'LEASE',
  'AUDIT_WRITE', 'AUDIT_CONTROL', 'SETFCAP',
];
/** Capabilities 32..40, as the bits of the second word. */
const CAPS_1 = ['MAC_OVERRIDE', 'MAC_ADMIN', 'SYSLOG', 'WAKE_ALARM', 'BLOCK_SUSPEND', 'AUDIT_READ', 'PERFMON', 'BPF', 'CHECKPOINT_RESTORE'];

const capMask = (names: string[]): Xlat => names.map((name, bit) => [2 ** bit, `1<<CAP_${name}`] as const);

export const CAP_MASK0: Xlat = capMask(CAPS_0);
export const CAP_MASK1: Xlat = capMask(CAPS_1);

export const CAP_VERSION_1 = 0x19980330;
export const CAP_VERSION_2 = 0x20071026;
export const CAP_VERSION_3 = 0x20080522;

export const CAP_VERSIONS: Xlat = [
  [CAP_VERSION_1, '_LINUX_CAPABILITY_VERSION_1'],
  [CAP_VERSION_2, '_LINUX_CAPABILITY_VERSION_2'],
  [CAP_VERSION_3, '_LINUX_CAPABILITY_VERSION_3'],
];
