// arch_prctl codes, resource limits, getrandom flags, clone and wait flags (x86-64 values).

import type { Xlat } from '../xlat.js';

export const ARCH_CODES: Xlat = [
  [0x1001, 'ARCH_SET_GS'],
  [0x1002, 'ARCH_SET_FS'],
  [0x1003, 'ARCH_GET_FS'],
  [0x1004, 'ARCH_GET_GS'],
  [0x1011, 'ARCH_GET_CPUID'],
  [0x1012, 'ARCH_SET_CPUID'],
  [0x1021, 'ARCH_GET_XCOMP_SUPP'],
  [0x1022, 'ARCH_GET_XCOMP_PERM'],
  [0x1023, 'ARCH_REQ_XCOMP_PERM'],
  [0x1024, 'ARCH_GET_XCOMP_GUEST_PERM'],
  [0x1025, 'ARCH_REQ_XCOMP_GUEST_PERM'],
  [0x2001, 'ARCH_MAP_VDSO_X32'],
  [0x2002, 'ARCH_MAP_VDSO_32'],
  [0x2003, 'ARCH_MAP_VDSO_64'],
];
export const ARCH_SET_GS = 0x1001;
export const ARCH_SET_FS = 0x1002;
export const ARCH_GET_FS = 0x1003;
export const ARCH_GET_GS = 0x1004;
export const ARCH_GET_CPUID = 0x1011;

export const RLIMITS: Xlat = [
  [0, 'RLIMIT_CPU'],
  [1, 'RLIMIT_FSIZE'],
  [2, 'RLIMIT_DATA'],
  [3, 'RLIMIT_STACK'],
  [4, 'RLIMIT_CORE'],
  [5, 'RLIMIT_RSS'],
  [6, 'RLIMIT_NPROC'],
  [7, 'RLIMIT_NOFILE'],
  [8, 'RLIMIT_MEMLOCK'],
  [9, 'RLIMIT_AS'],
  [10, 'RLIMIT_LOCKS'],
  [11, 'RLIMIT_SIGPENDING'],
  [12, 'RLIMIT_MSGQUEUE'],
  [13, 'RLIMIT_NICE'],
  [14, 'RLIMIT_RTPRIO'],
  [15, 'RLIMIT_RTTIME'],
];

export const GRND_FLAGS: Xlat = [
  [1, 'GRND_NONBLOCK'],
  [2, 'GRND_RANDOM'],
  [4, 'GRND_INSECURE'],
];

/** XSAVE feature masks (arch_prctl ARCH_GET_XCOMP_*), composite names first. */
export const X86_XFEATURES: Xlat = [
  [0x3, 'XFEATURE_MASK_FPSSE'],
  [0x1, 'XFEATURE_MASK_FP'],
  [0x2, 'XFEATURE_MASK_SSE'],
  [0x4, 'XFEATURE_MASK_YMM'],
  [0x8, 'XFEATURE_MASK_BNDREGS'],
  [0x10, 'XFEATURE_MASK_BNDCSR'],
  [0xe0, 'XFEATURE_MASK_AVX512'],
  [0x20, 'XFEATURE_MASK_OPMASK'],
  [0x40, 'XFEATURE_MASK_ZMM_Hi256'],
  [0x80, 'XFEATURE_MASK_Hi16_ZMM'],
  [0x100, 'XFEATURE_MASK_PT'],
  [0x200, 'XFEATURE_MASK_PKRU'],
  [0x400, 'XFEATURE_MASK_PASID'],
  [0x8000, 'XFEATURE_MASK_LBR'],
  [0x60000, 'XFEATURE_MASK_XTILE'],
  [0x20000, 'XFEATURE_MASK_XTILE_CFG'],
  [0x40000, 'XFEATURE_MASK_XTILE_DATA'],
];

/** XSAVE feature numbers (arch_prctl ARCH_REQ_XCOMP_PERM). */
export const X86_XFEATURE_BITS: Xlat = [
  [0, 'XFEATURE_FP'],
  [1, 'XFEATURE_SSE'],
  [2, 'XFEATURE_YMM'],
  [3, 'XFEATURE_BNDREGS'],
  [4, 'XFEATURE_BNDCSR'],
  [5, 'XFEATURE_OPMASK'],
  [6, 'XFEATURE_ZMM_Hi256'],
  [7, 'XFEATURE_Hi16_ZMM'],
  [8, 'XFEATURE_PT_UNIMPLEMENTED_SO_FAR'],
  [9, 'XFEATURE_PKRU'],
  [10, 'XFEATURE_PASID'],
  [15, 'XFEATURE_LBR'],
  [17, 'XFEATURE_XTILE_CFG'],
  [18, 'XFEATURE_XTILE_DATA'],
];

// ---- clone, wait and resource usage

/** strace's xlat/clone_flags.in */
export const CLONE_FLAGS: Xlat = [
  [0x100, 'CLONE_VM'], [0x200, 'CLONE_FS'], [0x400, 'CLONE_FILES'], [0x800, 'CLONE_SIGHAND'],
  [0x1000, 'CLONE_PIDFD'], [0x2000, 'CLONE_PTRACE'], [0x4000, 'CLONE_VFORK'], [0x8000, 'CLONE_PARENT'],
  [0x10000, 'CLONE_THREAD'], [0x20000, 'CLONE_NEWNS'], [0x40000, 'CLONE_SYSVSEM'], [0x80000, 'CLONE_SETTLS'],
  [0x100000, 'CLONE_PARENT_SETTID'], [0x200000, 'CLONE_CHILD_CLEARTID'], [0x800000, 'CLONE_UNTRACED'],
  [0x1000000, 'CLONE_CHILD_SETTID'], [0x2000000, 'CLONE_NEWCGROUP'], [0x4000000, 'CLONE_NEWUTS'],
  [0x8000000, 'CLONE_NEWIPC'], [0x10000000, 'CLONE_NEWUSER'], [0x20000000, 'CLONE_NEWPID'],
  [0x40000000, 'CLONE_NEWNET'], [0x80000000, 'CLONE_IO'],
];

/** strace's xlat/clone3_flags.in */
export const CLONE3_FLAGS: Xlat = [
  [0x80, 'CLONE_NEWTIME'], [0x100000000, 'CLONE_CLEAR_SIGHAND'], [0x200000000, 'CLONE_INTO_CGROUP'],
];

/** strace's xlat/setns_types.in */
export const SETNS_TYPES: Xlat = [
  [0x80, 'CLONE_NEWTIME'], [0x20000, 'CLONE_NEWNS'], [0x2000000, 'CLONE_NEWCGROUP'],
  [0x4000000, 'CLONE_NEWUTS'], [0x8000000, 'CLONE_NEWIPC'], [0x10000000, 'CLONE_NEWUSER'],
  [0x20000000, 'CLONE_NEWPID'], [0x40000000, 'CLONE_NEWNET'],
];

/** strace's xlat/unshare_flags.in */
export const UNSHARE_FLAGS: Xlat = [
  [0x80, 'CLONE_NEWTIME'], [0x100, 'CLONE_VM'], [0x200, 'CLONE_FS'], [0x400, 'CLONE_FILES'],
  [0x800, 'CLONE_SIGHAND'], [0x10000, 'CLONE_THREAD'], [0x20000, 'CLONE_NEWNS'], [0x40000, 'CLONE_SYSVSEM'],
  [0x2000000, 'CLONE_NEWCGROUP'], [0x4000000, 'CLONE_NEWUTS'], [0x8000000, 'CLONE_NEWIPC'],
  [0x10000000, 'CLONE_NEWUSER'], [0x20000000, 'CLONE_NEWPID'], [0x40000000, 'CLONE_NEWNET'],
];

/** strace's xlat/wait4_options.in (WUNTRACED is left out where WSTOPPED, its value, exists) */
export const WAIT4_OPTIONS: Xlat = [
  [1, 'WNOHANG'], [4, 'WEXITED'], [2, 'WSTOPPED'],
  [8, 'WCONTINUED'], [0x1000000, 'WNOWAIT'], [0x80000000, '__WCLONE'], [0x40000000, '__WALL'],
  [0x20000000, '__WNOTHREAD'],
];

/** strace's xlat/waitid_types.in */
export const WAITID_TYPES: Xlat = [
  [0, 'P_ALL'], [1, 'P_PID'], [2, 'P_PGID'], [3, 'P_PIDFD'],
];

/** strace's xlat/usagewho.in (RUSAGE_CHILDREN and RUSAGE_BOTH are -1 and -2) */
export const RUSAGE_WHO: Xlat = [
  [0, 'RUSAGE_SELF'], [-1, 'RUSAGE_CHILDREN'], [-2, 'RUSAGE_BOTH'], [1, 'RUSAGE_THREAD'],
];
