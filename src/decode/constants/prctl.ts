// prctl(2) options and their arguments' constants, capability numbers, and seccomp(2)'s
// operations, in strace 6.1's xlat/*.in order.

import type { Xlat } from '../xlat.js';

/** strace's xlat/prctl_options.in */
export const PRCTL_OPTIONS: Xlat = [
  [1, 'PR_SET_PDEATHSIG'], [2, 'PR_GET_PDEATHSIG'], [3, 'PR_GET_DUMPABLE'], [4, 'PR_SET_DUMPABLE'],
  [5, 'PR_GET_UNALIGN'], [6, 'PR_SET_UNALIGN'], [7, 'PR_GET_KEEPCAPS'], [8, 'PR_SET_KEEPCAPS'],
  [9, 'PR_GET_FPEMU'], [0xa, 'PR_SET_FPEMU'], [0xb, 'PR_GET_FPEXC'], [0xc, 'PR_SET_FPEXC'],
  [0xd, 'PR_GET_TIMING'], [0xe, 'PR_SET_TIMING'], [0xf, 'PR_SET_NAME'], [0x10, 'PR_GET_NAME'],
  [0x13, 'PR_GET_ENDIAN'], [0x14, 'PR_SET_ENDIAN'], [0x15, 'PR_GET_SECCOMP'], [0x16, 'PR_SET_SECCOMP'],
  [0x17, 'PR_CAPBSET_READ'], [0x18, 'PR_CAPBSET_DROP'], [0x19, 'PR_GET_TSC'], [0x1a, 'PR_SET_TSC'],
  [0x1b, 'PR_GET_SECUREBITS'], [0x1c, 'PR_SET_SECUREBITS'], [0x1d, 'PR_SET_TIMERSLACK'],
  [0x1e, 'PR_GET_TIMERSLACK'], [0x1f, 'PR_TASK_PERF_EVENTS_DISABLE'], [0x20, 'PR_TASK_PERF_EVENTS_ENABLE'],
  [0x21, 'PR_MCE_KILL'], [0x22, 'PR_MCE_KILL_GET'], [0x23, 'PR_SET_MM'], [0x24, 'PR_SET_CHILD_SUBREAPER'],
  [0x25, 'PR_GET_CHILD_SUBREAPER'], [0x26, 'PR_SET_NO_NEW_PRIVS'], [0x27, 'PR_GET_NO_NEW_PRIVS'],
  [0x28, 'PR_GET_TID_ADDRESS'], [0x29, 'PR_SET_THP_DISABLE'], [0x2a, 'PR_GET_THP_DISABLE'],
  [0x2b, 'PR_MPX_ENABLE_MANAGEMENT'], [0x2c, 'PR_MPX_DISABLE_MANAGEMENT'], [0x2d, 'PR_SET_FP_MODE'],
  [0x2e, 'PR_GET_FP_MODE'], [0x2f, 'PR_CAP_AMBIENT'], [0x32, 'PR_SVE_SET_VL'], [0x33, 'PR_SVE_GET_VL'],
  [0x34, 'PR_GET_SPECULATION_CTRL'], [0x35, 'PR_SET_SPECULATION_CTRL'], [0x36, 'PR_PAC_RESET_KEYS'],
  [0x37, 'PR_SET_TAGGED_ADDR_CTRL'], [0x38, 'PR_GET_TAGGED_ADDR_CTRL'], [0x39, 'PR_SET_IO_FLUSHER'],
  [0x3a, 'PR_GET_IO_FLUSHER'], [0x3b, 'PR_SET_SYSCALL_USER_DISPATCH'], [0x3c, 'PR_PAC_SET_ENABLED_KEYS'],
  [0x3d, 'PR_PAC_GET_ENABLED_KEYS'], [0x3e, 'PR_SCHED_CORE'], [0x3f, 'PR_SME_SET_VL'],
  [0x40, 'PR_SME_GET_VL'], [0x53564d41, 'PR_SET_VMA'], [0x59616d61, 'PR_SET_PTRACER'],
];

/** strace's xlat/pr_dumpable.in */
export const PR_DUMPABLE: Xlat = [
  [0, 'SUID_DUMP_DISABLE'], [1, 'SUID_DUMP_USER'], [2, 'SUID_DUMP_ROOT'],
];

/** strace's xlat/pr_tsc.in */
export const PR_TSC: Xlat = [
  [1, 'PR_TSC_ENABLE'], [2, 'PR_TSC_SIGSEGV'],
];

/** strace's xlat/pr_unalign_flags.in */
export const PR_UNALIGN_FLAGS: Xlat = [
  [1, 'PR_UNALIGN_NOPRINT'], [2, 'PR_UNALIGN_SIGBUS'],
];

/** strace's xlat/pr_fp_mode.in */
export const PR_FP_MODE: Xlat = [
  [1, 'PR_FP_MODE_FR'], [2, 'PR_FP_MODE_FRE'],
];

/** strace's xlat/pr_mce_kill.in */
export const PR_MCE_KILL: Xlat = [
  [0, 'PR_MCE_KILL_CLEAR'], [1, 'PR_MCE_KILL_SET'],
];

/** strace's xlat/pr_mce_kill_policy.in */
export const PR_MCE_KILL_POLICY: Xlat = [
  [0, 'PR_MCE_KILL_LATE'], [1, 'PR_MCE_KILL_EARLY'], [2, 'PR_MCE_KILL_DEFAULT'],
];

/** strace's xlat/pr_set_mm.in */
export const PR_SET_MM: Xlat = [
  [1, 'PR_SET_MM_START_CODE'], [2, 'PR_SET_MM_END_CODE'], [3, 'PR_SET_MM_START_DATA'],
  [4, 'PR_SET_MM_END_DATA'], [5, 'PR_SET_MM_START_STACK'], [6, 'PR_SET_MM_START_BRK'], [7, 'PR_SET_MM_BRK'],
  [8, 'PR_SET_MM_ARG_START'], [9, 'PR_SET_MM_ARG_END'], [0xa, 'PR_SET_MM_ENV_START'],
  [0xb, 'PR_SET_MM_ENV_END'], [0xc, 'PR_SET_MM_AUXV'], [0xd, 'PR_SET_MM_EXE_FILE'], [0xe, 'PR_SET_MM_MAP'],
  [0xf, 'PR_SET_MM_MAP_SIZE'],
];

/** strace's xlat/pr_spec_cmds.in */
export const PR_SPEC_CMDS: Xlat = [
  [0, 'PR_SPEC_STORE_BYPASS'], [1, 'PR_SPEC_INDIRECT_BRANCH'], [2, 'PR_SPEC_L1D_FLUSH'],
];

/** strace's xlat/pr_spec_get_store_bypass_flags.in */
export const PR_SPEC_GET_FLAGS: Xlat = [
  [0, 'PR_SPEC_NOT_AFFECTED'], [1, 'PR_SPEC_PRCTL'], [2, 'PR_SPEC_ENABLE'], [4, 'PR_SPEC_DISABLE'],
  [8, 'PR_SPEC_FORCE_DISABLE'], [0x10, 'PR_SPEC_DISABLE_NOEXEC'],
];

/** strace's xlat/pr_spec_set_store_bypass_flags.in */
export const PR_SPEC_SET_FLAGS: Xlat = [
  [2, 'PR_SPEC_ENABLE'], [4, 'PR_SPEC_DISABLE'], [8, 'PR_SPEC_FORCE_DISABLE'],
  [0x10, 'PR_SPEC_DISABLE_NOEXEC'],
];

/** strace's xlat/pr_cap_ambient.in */
export const PR_CAP_AMBIENT: Xlat = [
  [1, 'PR_CAP_AMBIENT_IS_SET'], [2, 'PR_CAP_AMBIENT_RAISE'], [3, 'PR_CAP_AMBIENT_LOWER'],
  [4, 'PR_CAP_AMBIENT_CLEAR_ALL'],
];

/** strace's xlat/pr_set_vma.in */
export const PR_SET_VMA: Xlat = [
  [0, 'PR_SET_VMA_ANON_NAME'],
];

/** strace's xlat/pr_sud_cmds.in */
export const PR_SUD_CMDS: Xlat = [
  [0, 'PR_SYS_DISPATCH_OFF'], [1, 'PR_SYS_DISPATCH_ON'],
];

/** strace's xlat/secbits.in */
export const SECBITS: Xlat = [
  [1, 'SECBIT_NOROOT'], [2, 'SECBIT_NOROOT_LOCKED'], [4, 'SECBIT_NO_SETUID_FIXUP'],
  [8, 'SECBIT_NO_SETUID_FIXUP_LOCKED'], [0x10, 'SECBIT_KEEP_CAPS'], [0x20, 'SECBIT_KEEP_CAPS_LOCKED'],
  [0x40, 'SECBIT_NO_CAP_AMBIENT_RAISE'], [0x80, 'SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED'],
];

/** strace's xlat/cap.in */
export const CAPS: Xlat = [
  [0, 'CAP_CHOWN'], [1, 'CAP_DAC_OVERRIDE'], [2, 'CAP_DAC_READ_SEARCH'], [3, 'CAP_FOWNER'],
  [4, 'CAP_FSETID'], [5, 'CAP_KILL'], [6, 'CAP_SETGID'], [7, 'CAP_SETUID'], [8, 'CAP_SETPCAP'],
  [9, 'CAP_LINUX_IMMUTABLE'], [0xa, 'CAP_NET_BIND_SERVICE'], [0xb, 'CAP_NET_BROADCAST'],
  [0xc, 'CAP_NET_ADMIN'], [0xd, 'CAP_NET_RAW'], [0xe, 'CAP_IPC_LOCK'], [0xf, 'CAP_IPC_OWNER'],
  [0x10, 'CAP_SYS_MODULE'], [0x11, 'CAP_SYS_RAWIO'], [0x12, 'CAP_SYS_CHROOT'], [0x13, 'CAP_SYS_PTRACE'],
  [0x14, 'CAP_SYS_PACCT'], [0x15, 'CAP_SYS_ADMIN'], [0x16, 'CAP_SYS_BOOT'], [0x17, 'CAP_SYS_NICE'],
  [0x18, 'CAP_SYS_RESOURCE'], [0x19, 'CAP_SYS_TIME'], [0x1a, 'CAP_SYS_TTY_CONFIG'], [0x1b, 'CAP_MKNOD'],
  [0x1c, 'CAP_LEASE'], [0x1d, 'CAP_AUDIT_WRITE'], [0x1e, 'CAP_AUDIT_CONTROL'], [0x1f, 'CAP_SETFCAP'],
  [0x20, 'CAP_MAC_OVERRIDE'], [0x21, 'CAP_MAC_ADMIN'], [0x22, 'CAP_SYSLOG'], [0x23, 'CAP_WAKE_ALARM'],
  [0x24, 'CAP_BLOCK_SUSPEND'], [0x25, 'CAP_AUDIT_READ'], [0x26, 'CAP_PERFMON'], [0x27, 'CAP_BPF'],
  [0x28, 'CAP_CHECKPOINT_RESTORE'],
];

/** strace's xlat/seccomp_mode.in */
export const SECCOMP_MODES: Xlat = [
  [0, 'SECCOMP_MODE_DISABLED'], [1, 'SECCOMP_MODE_STRICT'], [2, 'SECCOMP_MODE_FILTER'],
];

/** strace's xlat/seccomp_ops.in */
export const SECCOMP_OPS: Xlat = [
  [0, 'SECCOMP_SET_MODE_STRICT'], [1, 'SECCOMP_SET_MODE_FILTER'], [2, 'SECCOMP_GET_ACTION_AVAIL'],
  [3, 'SECCOMP_GET_NOTIF_SIZES'],
];

/** strace's xlat/seccomp_filter_flags.in */
export const SECCOMP_FILTER_FLAGS: Xlat = [
  [1, 'SECCOMP_FILTER_FLAG_TSYNC'], [2, 'SECCOMP_FILTER_FLAG_LOG'], [4, 'SECCOMP_FILTER_FLAG_SPEC_ALLOW'],
  [8, 'SECCOMP_FILTER_FLAG_NEW_LISTENER'], [0x10, 'SECCOMP_FILTER_FLAG_TSYNC_ESRCH'],
  [0x20, 'SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV'],
];

/** strace's xlat/seccomp_ret_action.in */
export const SECCOMP_RET_ACTIONS: Xlat = [
  [0x80000000, 'SECCOMP_RET_KILL_PROCESS'], [0, 'SECCOMP_RET_KILL_THREAD'], [0x30000, 'SECCOMP_RET_TRAP'],
  [0x50000, 'SECCOMP_RET_ERRNO'], [0x7fc00000, 'SECCOMP_RET_USER_NOTIF'], [0x7ff00000, 'SECCOMP_RET_TRACE'],
  [0x7ffc0000, 'SECCOMP_RET_LOG'], [0x7fff0000, 'SECCOMP_RET_ALLOW'],
];
