// The syscall table: one row per x86-64 syscall (Linux's syscall_64.tbl, common and 64-bit
// entries), with strace's name, argument count and trace classes, and, for the syscalls decoded
// exactly, the argument specs. A row without `args` prints the generic way (each argument in hex).
// Classes and counts follow strace 6.1's src/linux/x86_64/syscallent.h (later syscalls: strace's
// current table).
//
// To decode a syscall, give its row an argument list built from the kinds in arg-kinds.ts (or a
// decoder in decoders/), and a result formatter when the result is not a plain number.

import type { ArgSpec, MemRule, RetFormatter, SyscallRow, TraceClass } from './types.js';
import {
  clockid, dirfd, fd, flags, flags64, hexArg, inBuf, inStruct, int, long, mode, openFlags, outBuf, outStruct,
  path, ptr, RET_HEX, RET_OCT, signal, uint, ulong, xval, xval64,
  atExit, cstr, hexUint,
} from './arg-kinds.js';
import { argUint } from '../trace/event.js';
import { FD_PAIR, INT_REF, RLIMIT, STAT, STATX, SYSINFO, TIMESPEC, TIMEVAL, TIMEZONE, UINT_REF, UTSNAME } from './structs.js';
import { ACCESS_MODES, AT_FLAGS, FACCESSAT_FLAGS, O_CREAT, O_TMPFILE_BIT, OPEN_MODE_FLAGS, WHENCE } from './constants/open.js';
import {
  GET_MEMPOLICY_FLAGS, MADV, MBIND_FLAGS, MLOCK_FLAGS, MLOCKALL_FLAGS, MOVE_PAGES_FLAGS, MREMAP_FLAGS, MSYNC_FLAGS, PKEY_ACCESS, PROT,
  SHM_FLAGS,
} from './constants/mman.js';
import { GRND_FLAGS, RLIMITS, RUSAGE_WHO, SETNS_TYPES, UNSHARE_FLAGS } from './constants/process.js';
import { ITIMER_WHICH, SIGPROCMASK_HOW } from './constants/signals.js';
import { CLOCK_FLAGS } from './constants/time.js';
import { STATX_MASKS } from './constants/stat.js';
import { iovecAddrs, iovecIn, iovecOut } from './decoders/iovec.js';
import { mincoreVec, mmapFlags } from './decoders/mman.js';
import { RET_SIGNAL, sigaction, SIGINFO, siginfoOut, sigreturnFrame, sigset, STACK_T } from './decoders/signal.js';
import { ITIMERSPEC, ITIMERVAL, SIGEVENT, TIMER_ID } from './decoders/timer.js';
import { ioctlArg, ioctlRequest } from './decoders/ioctl.js';
import { fcntlArg, fcntlCmd, fcntlRet } from './decoders/fcntl.js';
import { archArg, archCode, archRet } from './decoders/arch-prctl.js';
import { futexAddr, futexArgs, futexOp } from './decoders/futex.js';
import { cwdBuf, dirents, dirents64, mknodArgs, offsetPtr, openHow, STATFS, statxFlags, uid, UTIMBUF, UTIMENS_PAIR, UTIMES_PAIR } from './decoders/fs.js';
import { fdset, pollfds, pollRet, pselectMask, selectRet } from './decoders/poll.js';
import {
  FADVISE_ADVICE, FALLOC_FLAGS, FLOCK_OPS, NAME_TO_HANDLE_AT_FLAGS, RENAME_FLAGS, RWF_FLAGS, SPLICE_FLAGS, SYNC_FILE_RANGE_FLAGS,
  XATTR_FLAGS,
} from './constants/fs.js';
import { cpusetIn, cpusetOut, remainingTime, RET_TIME, TIME_T_DATED } from './decoders/time.js';
import { ADDRESS_FAMILIES, SHUTDOWN_MODES, SOCK_TYPE_FLAGS } from './constants/net.js';
import {
  EFD_FLAGS, EPOLL_CTLS, EPOLL_FLAGS, FAN_EVENT_FLAGS, FAN_MARK_FLAGS, INOTIFY_FLAGS, INOTIFY_INIT_FLAGS, SFD_FLAGS, TFD_FLAGS,
} from './constants/notify.js';
import {
  FSMOUNT_ATTR_FLAGS, FSMOUNT_FLAGS, FSOPEN_FLAGS, FSPICK_FLAGS, MOUNT_SETATTR_FLAGS, MOVE_MOUNT_FLAGS, OPEN_TREE_FLAGS, UMOUNT_FLAGS,
} from './constants/mount.js';
import {
  KEXEC_FILE_LOAD_FLAGS, LANDLOCK_CREATE_RULESET_FLAGS, LANDLOCK_RULE_TYPES, MEMFD_SECRET_FLAGS, MODULE_INIT_FLAGS, PIDFD_OPEN_FLAGS,
  UFFD_FLAGS,
} from './constants/system.js';
import {
  argvArg, cloneArgs, cloneArgsStruct, envpArg, RUSAGE, TMS, waitidId, waitidType, waitOptions, waitRusage, waitStatus,
} from './decoders/process.js';
import { prctlArgs, prctlOption, prctlRet } from './decoders/prctl.js';
import { seccompArgs, seccompFlags, seccompOp } from './decoders/seccomp.js';
import {
  mmsgvecIn, mmsgvecOut, msgFlags, recvmmsgRet, msghdrIn, msghdrOut, recvBuf, sockaddrIn, sockaddrOut, sockLen, sockLevel, sockOptIn, sockOptName, sockOptOut,
  sockProtocol, sockType,
} from './decoders/net.js';
import { epollEvent, epollEvents } from './decoders/epoll.js';
import { fanotifyDirfd, fanotifyInitFlags, memfdFlags, memfdName } from './decoders/notify.js';
import { xattrList, xattrValueIn, xattrValueOut } from './decoders/xattr.js';
import { fsconfigAux, fsconfigCmd, fsconfigKey, fsconfigValue, mountAttr, mountData, mountFlagsArg, mountType, swapFlags } from './decoders/mount.js';
import { intList, mpolMode, mpolModeOut, nodemask, pageList, pageStatus } from './decoders/numa.js';
import { RET_CLOCK_STATE, timexArg } from './decoders/timex.js';
import { mqAttrArg, mqMessageOut, mqOpenAttr, mqTimeout } from './decoders/mq.js';
import {
  AIO_CONTEXT, fileHandleIn, fileHandleOut, kexecFlags, kexecSegments, landlockRule, landlockRulesetAttr,
} from './decoders/system.js';
import { capDataIn, capDataOut, capHeader, groupsIn, groupsOut, uidRef } from './decoders/creds.js';
import { ioprio, persona, RET_IOPRIO, RET_PERSONA, RET_SCHEDULER, utsName } from './decoders/sched.js';
import { IOPRIO_WHO, PRIORITIES, SCHEDULERS } from './constants/sched.js';

const D: TraceClass = 'desc';
const F: TraceClass = 'file';
const I: TraceClass = 'ipc';
const N: TraceClass = 'network';
const P: TraceClass = 'process';
const S: TraceClass = 'signal';
const M: TraceClass = 'memory';
const ST: TraceClass = 'stat';
const LST: TraceClass = 'lstat';
const FST: TraceClass = 'fstat';
const STA: TraceClass = 'stat_like';
const SF: TraceClass = 'statfs';
const FSF: TraceClass = 'fstatfs';
const SFA: TraceClass = 'statfs_like';
const PU: TraceClass = 'pure';
const CR: TraceClass = 'creds';
const CL: TraceClass = 'clock';

function sc(
  nr: number,
  name: string,
  nargs: number,
  classes: TraceClass[],
  args?: ArgSpec[],
  ret?: RetFormatter,
  noReturn?: boolean,
): SyscallRow {
  const row: { -readonly [K in keyof SyscallRow]: SyscallRow[K] } = { nr, name, nargs, classes };
  if (args !== undefined) row.args = args;
  if (ret !== undefined) row.ret = ret;
  if (noReturn) row.noReturn = true;
  return row;
}

/** open's mode is shown only when the flags (argument `i`) create a file. */
const creates =
  (i: number) =>
  (args: Int32Array): boolean =>
    (argUint(args, i) & (O_CREAT | O_TMPFILE_BIT)) !== 0;

/** An argument strace does not print (preadv2's high offset word). */
const hidden = (name: string): ArgSpec => ({ ...ulong(name), show: () => false });

/** mremap's new_address is shown only with MREMAP_MAYMOVE|MREMAP_FIXED. */
const mremapFixed = (args: Int32Array): boolean => (argUint(args, 3) & 3) === 3;

/** A pointer argument printed at exit (after arguments the call writes, as strace does). */
const ptrAtExit = (name: string): ArgSpec => ({ ...ptr(name), at: 'exit' });

/** A pointer argument shown only when `show` says so. */
const ptrIf = (name: string, show: (args: Int32Array) => boolean): ArgSpec => ({ ...ptr(name), show });

/** An argument printed as a plain value at entry, but designating memory the kernel uses. */
const withMem = (spec: ArgSpec, mem: MemRule): ArgSpec => ({
  ...spec,
  mem,
  dir: mem.kind === 'buffer' ? mem.dir : 'in',
  at: 'entry',
});

/** Every x86-64 syscall, by number. */
export const SYSCALLS: readonly SyscallRow[] = [
  sc(0, 'read', 3, [D], [fd('fd'), outBuf('buf', 2), ulong('count')]),
  sc(1, 'write', 3, [D], [fd('fd'), inBuf('buf', 2), ulong('count')]),
  sc(2, 'open', 3, [D, F], [path('pathname'), openFlags('flags'), mode('mode', creates(1))]),
  sc(3, 'close', 1, [D], [fd('fd')]),
  sc(4, 'stat', 2, [F, ST, STA], [path('pathname'), outStruct('statbuf', STAT)]),
  sc(5, 'fstat', 2, [D, FST, STA], [fd('fd'), outStruct('statbuf', STAT)]),
  sc(6, 'lstat', 2, [F, LST, STA], [path('pathname'), outStruct('statbuf', STAT)]),
  sc(7, 'poll', 3, [D], [pollfds('fds'), uint('nfds'), int('timeout')], pollRet(-1)),
  sc(8, 'lseek', 3, [D], [fd('fd'), long('offset'), xval64('whence', WHENCE, 'SEEK_???')]),
  sc(9, 'mmap', 6, [D, M], [ptr('addr'), ulong('length'), flags64('prot', PROT, 'PROT_???'), mmapFlags('flags'), fd('fd'), hexArg('offset')], RET_HEX),
  sc(10, 'mprotect', 3, [M], [ptr('addr'), ulong('len'), flags64('prot', PROT, 'PROT_???')]),
  sc(11, 'munmap', 2, [M], [ptr('addr'), ulong('length')]),
  sc(12, 'brk', 1, [M], [ptr('addr')], RET_HEX),
  sc(13, 'rt_sigaction', 4, [S], [signal('signum'), sigaction('act', 'in'), sigaction('oldact', 'out'), ulong('sigsetsize')]),
  sc(14, 'rt_sigprocmask', 4, [S], [xval('how', SIGPROCMASK_HOW, 'SIG_???'), sigset('set', 'in', 3), sigset('oldset', 'out', 3), ulong('sigsetsize')]),
  sc(15, 'rt_sigreturn', 0, [S], [sigreturnFrame('frame')]),
  sc(16, 'ioctl', 3, [D], [fd('fd'), ioctlRequest('request'), ioctlArg('arg')]),
  sc(17, 'pread64', 4, [D], [fd('fd'), outBuf('buf', 2), ulong('count'), long('offset')]),
  sc(18, 'pwrite64', 4, [D], [fd('fd'), inBuf('buf', 2), ulong('count'), long('offset')]),
  sc(19, 'readv', 3, [D], [fd('fd'), iovecOut('iov', 2), ulong('iovcnt')]),
  sc(20, 'writev', 3, [D], [fd('fd'), iovecIn('iov', 2), ulong('iovcnt')]),
  sc(21, 'access', 2, [F], [path('pathname'), flags('mode', ACCESS_MODES, '?_OK')]),
  sc(22, 'pipe', 1, [D], [outStruct('pipefd', FD_PAIR)]),
  sc(23, 'select', 5, [D], [int('nfds'), fdset('readfds'), fdset('writefds'), fdset('exceptfds'), inStruct('timeout', TIMEVAL)], selectRet(true)),
  sc(24, 'sched_yield', 0, [], []),
  sc(25, 'mremap', 5, [M], [ptr('old_address'), ulong('old_size'), ulong('new_size'), flags64('flags', MREMAP_FLAGS, 'MREMAP_???'), ptrIf('new_address', mremapFixed)], RET_HEX),
  sc(26, 'msync', 3, [M], [ptr('addr'), ulong('length'), flags('flags', MSYNC_FLAGS, 'MS_???')]),
  sc(27, 'mincore', 3, [M], [ptr('addr'), ulong('length'), mincoreVec('vec')]),
  sc(28, 'madvise', 3, [M], [ptr('addr'), ulong('length'), xval('advice', MADV, 'MADV_???')]),
  sc(29, 'shmget', 3, [I]),
  sc(30, 'shmat', 3, [I, M], [int('shmid'), ptr('shmaddr'), flags('shmflg', SHM_FLAGS, 'SHM_???')], RET_HEX),
  sc(31, 'shmctl', 3, [I]),
  sc(32, 'dup', 1, [D], [fd('oldfd')]),
  sc(33, 'dup2', 2, [D], [fd('oldfd'), fd('newfd')]),
  sc(34, 'pause', 0, [S], []),
  sc(35, 'nanosleep', 2, [], [inStruct('req', TIMESPEC), remainingTime('rem')]),
  sc(36, 'getitimer', 2, [], [xval('which', ITIMER_WHICH, 'ITIMER_???'), outStruct('curr_value', ITIMERVAL)]),
  sc(37, 'alarm', 1, [], [uint('seconds')]),
  sc(38, 'setitimer', 3, [], [xval('which', ITIMER_WHICH, 'ITIMER_???'), inStruct('new_value', ITIMERVAL), outStruct('old_value', ITIMERVAL)]),
  sc(39, 'getpid', 0, [PU], []),
  sc(40, 'sendfile', 4, [D, N], [fd('out_fd'), fd('in_fd'), offsetPtr('offset', true), ulong('count')]),
  sc(41, 'socket', 3, [N], [xval('domain', ADDRESS_FAMILIES, 'AF_???'), sockType('type'), sockProtocol('protocol')]),
  sc(42, 'connect', 3, [N], [fd('sockfd'), sockaddrIn('addr', 2), int('addrlen')]),
  sc(43, 'accept', 3, [N], [fd('sockfd'), sockaddrOut('addr', 2), sockLen('addrlen', 1)]),
  sc(44, 'sendto', 6, [N], [fd('sockfd'), inBuf('buf', 2), ulong('len'), msgFlags('flags'), sockaddrIn('dest_addr', 5), int('addrlen')]),
  sc(45, 'recvfrom', 6, [N], [fd('sockfd'), recvBuf('buf', 2), atExit(ulong('len')), msgFlags('flags', 'exit'), sockaddrOut('src_addr', 5), sockLen('addrlen', 4)]),
  sc(46, 'sendmsg', 3, [N], [fd('sockfd'), msghdrIn('msg'), msgFlags('flags')]),
  sc(47, 'recvmsg', 3, [N], [fd('sockfd'), msghdrOut('msg'), msgFlags('flags', 'exit')]),
  sc(48, 'shutdown', 2, [N], [fd('sockfd'), xval('how', SHUTDOWN_MODES, 'SHUT_???')]),
  sc(49, 'bind', 3, [N], [fd('sockfd'), sockaddrIn('addr', 2), int('addrlen')]),
  sc(50, 'listen', 2, [N], [fd('sockfd'), int('backlog')]),
  sc(51, 'getsockname', 3, [N], [fd('sockfd'), sockaddrOut('addr', 2), sockLen('addrlen', 1)]),
  sc(52, 'getpeername', 3, [N], [fd('sockfd'), sockaddrOut('addr', 2), sockLen('addrlen', 1)]),
  sc(53, 'socketpair', 4, [N], [xval('domain', ADDRESS_FAMILIES, 'AF_???'), sockType('type'), ulong('protocol'), outStruct('sv', FD_PAIR)]),
  sc(54, 'setsockopt', 5, [N], [fd('sockfd'), sockLevel('level'), sockOptName('optname', false), sockOptIn('optval'), int('optlen')]),
  sc(55, 'getsockopt', 5, [N], [fd('sockfd'), sockLevel('level'), sockOptName('optname', true), sockOptOut('optval'), sockLen('optlen', 3)]),
  sc(56, 'clone', 5, [P], cloneArgs()),
  sc(57, 'fork', 0, [P], []),
  sc(58, 'vfork', 0, [P], []),
  sc(59, 'execve', 3, [F, P], [path('pathname'), argvArg('argv'), envpArg('envp')]),
  sc(60, 'exit', 1, [P], [int('status')], undefined, true),
  sc(61, 'wait4', 4, [P], [int('pid'), waitStatus('wstatus'), waitOptions('options'), waitRusage('rusage')]),
  sc(62, 'kill', 2, [S, P], [int('pid'), signal('sig')]),
  sc(63, 'uname', 1, [], [outStruct('buf', UTSNAME)]),
  sc(64, 'semget', 3, [I]),
  sc(65, 'semop', 3, [I]),
  sc(66, 'semctl', 4, [I]),
  sc(67, 'shmdt', 1, [I, M], [ptr('shmaddr')]),
  sc(68, 'msgget', 2, [I]),
  sc(69, 'msgsnd', 4, [I]),
  sc(70, 'msgrcv', 5, [I]),
  sc(71, 'msgctl', 3, [I]),
  sc(72, 'fcntl', 3, [D], [fd('fd'), fcntlCmd('cmd'), fcntlArg('arg')], fcntlRet),
  sc(73, 'flock', 2, [D], [fd('fd'), flags('operation', FLOCK_OPS, 'LOCK_???')]),
  sc(74, 'fsync', 1, [D], [fd('fd')]),
  sc(75, 'fdatasync', 1, [D], [fd('fd')]),
  sc(76, 'truncate', 2, [F], [path('path'), ulong('length')]),
  sc(77, 'ftruncate', 2, [D], [fd('fd'), ulong('length')]),
  sc(78, 'getdents', 3, [D], [fd('fd'), dirents('dirp'), uint('count')]),
  sc(79, 'getcwd', 2, [F], [cwdBuf('buf'), ulong('size')]),
  sc(80, 'chdir', 1, [F], [path('path')]),
  sc(81, 'fchdir', 1, [D], [fd('fd')]),
  sc(82, 'rename', 2, [F], [path('oldpath'), path('newpath')]),
  sc(83, 'mkdir', 2, [F], [path('pathname'), mode('mode')]),
  sc(84, 'rmdir', 1, [F], [path('pathname')]),
  sc(85, 'creat', 2, [D, F], [path('pathname'), mode('mode')]),
  sc(86, 'link', 2, [F], [path('oldpath'), path('newpath')]),
  sc(87, 'unlink', 1, [F], [path('pathname')]),
  sc(88, 'symlink', 2, [F], [path('target'), path('linkpath')]),
  sc(89, 'readlink', 3, [F], [path('pathname'), outBuf('buf', 2), ulong('bufsiz')]),
  sc(90, 'chmod', 2, [F], [path('pathname'), mode('mode')]),
  sc(91, 'fchmod', 2, [D], [fd('fd'), mode('mode')]),
  sc(92, 'chown', 3, [F], [path('pathname'), uid('owner'), uid('group')]),
  sc(93, 'fchown', 3, [D], [fd('fd'), uid('owner'), uid('group')]),
  sc(94, 'lchown', 3, [F], [path('pathname'), uid('owner'), uid('group')]),
  sc(95, 'umask', 1, [], [mode('mask')], RET_OCT),
  sc(96, 'gettimeofday', 2, [CL], [outStruct('tv', TIMEVAL), outStruct('tz', TIMEZONE)]),
  sc(97, 'getrlimit', 2, [], [xval('resource', RLIMITS, 'RLIMIT_???'), outStruct('rlim', RLIMIT)]),
  sc(98, 'getrusage', 2, [], [xval64('who', RUSAGE_WHO, 'RUSAGE_???'), outStruct('usage', RUSAGE)]),
  sc(99, 'sysinfo', 1, [], [outStruct('info', SYSINFO)]),
  sc(100, 'times', 1, [], [outStruct('buf', TMS)]),
  sc(101, 'ptrace', 4, []),
  sc(102, 'getuid', 0, [CR, PU], []),
  sc(103, 'syslog', 3, []),
  sc(104, 'getgid', 0, [CR, PU], []),
  sc(105, 'setuid', 1, [CR], [uid('uid')]),
  sc(106, 'setgid', 1, [CR], [uid('gid')]),
  sc(107, 'geteuid', 0, [CR, PU], []),
  sc(108, 'getegid', 0, [CR, PU], []),
  sc(109, 'setpgid', 2, [], [int('pid'), int('pgid')]),
  sc(110, 'getppid', 0, [PU], []),
  sc(111, 'getpgrp', 0, [PU], []),
  sc(112, 'setsid', 0, [], []),
  sc(113, 'setreuid', 2, [CR], [uid('ruid'), uid('euid')]),
  sc(114, 'setregid', 2, [CR], [uid('rgid'), uid('egid')]),
  sc(115, 'getgroups', 2, [CR], [int('size'), groupsOut('list', 0)]),
  sc(116, 'setgroups', 2, [CR], [int('size'), groupsIn('list', 0)]),
  sc(117, 'setresuid', 3, [CR], [uid('ruid'), uid('euid'), uid('suid')]),
  sc(118, 'getresuid', 3, [CR], [uidRef('ruid'), uidRef('euid'), uidRef('suid')]),
  sc(119, 'setresgid', 3, [CR], [uid('rgid'), uid('egid'), uid('sgid')]),
  sc(120, 'getresgid', 3, [CR], [uidRef('rgid'), uidRef('egid'), uidRef('sgid')]),
  sc(121, 'getpgid', 1, [], [int('pid')]),
  sc(122, 'setfsuid', 1, [CR], [uid('fsuid')]),
  sc(123, 'setfsgid', 1, [CR], [uid('fsgid')]),
  sc(124, 'getsid', 1, [], [int('pid')]),
  sc(125, 'capget', 2, [CR], [capHeader('hdrp'), capDataOut('datap')]),
  sc(126, 'capset', 2, [CR], [capHeader('hdrp'), capDataIn('datap')]),
  sc(127, 'rt_sigpending', 2, [S], [sigset('set', 'out', 1), ulong('sigsetsize')]),
  sc(128, 'rt_sigtimedwait', 4, [S], [sigset('set', 'in', 3), siginfoOut('info'), inStruct('timeout', TIMESPEC), ulong('sigsetsize')], RET_SIGNAL),
  sc(129, 'rt_sigqueueinfo', 3, [S, P], [int('tgid'), signal('sig'), inStruct('info', SIGINFO)]),
  sc(130, 'rt_sigsuspend', 2, [S], [sigset('mask', 'in', 1), ulong('sigsetsize')]),
  sc(131, 'sigaltstack', 2, [S], [inStruct('ss', STACK_T), outStruct('old_ss', STACK_T)]),
  sc(132, 'utime', 2, [F], [path('filename'), inStruct('times', UTIMBUF)]),
  sc(133, 'mknod', 3, [F], [path('pathname'), ...mknodArgs(1)]),
  sc(134, 'uselib', 1, [F], [path('library')]),
  sc(135, 'personality', 1, [], [persona('persona')], RET_PERSONA),
  sc(136, 'ustat', 2, [SFA]),
  sc(137, 'statfs', 2, [F, SF, SFA], [path('path'), outStruct('buf', STATFS)]),
  sc(138, 'fstatfs', 2, [D, FSF, SFA], [fd('fd'), outStruct('buf', STATFS)]),
  sc(139, 'sysfs', 3, []),
  sc(140, 'getpriority', 2, [], [xval('which', PRIORITIES, 'PRIO_???'), int('who')]),
  sc(141, 'setpriority', 3, [], [xval('which', PRIORITIES, 'PRIO_???'), int('who'), int('prio')]),
  sc(142, 'sched_setparam', 2, [], [int('pid'), inStruct('param', INT_REF)]),
  sc(143, 'sched_getparam', 2, [], [int('pid'), outStruct('param', INT_REF)]),
  sc(144, 'sched_setscheduler', 3, [], [int('pid'), xval('policy', SCHEDULERS, 'SCHED_???'), inStruct('param', INT_REF)]),
  sc(145, 'sched_getscheduler', 1, [], [int('pid')], RET_SCHEDULER),
  sc(146, 'sched_get_priority_max', 1, [], [xval('policy', SCHEDULERS, 'SCHED_???')]),
  sc(147, 'sched_get_priority_min', 1, [], [xval('policy', SCHEDULERS, 'SCHED_???')]),
  sc(148, 'sched_rr_get_interval', 2, [], [int('pid'), outStruct('tp', TIMESPEC)]),
  sc(149, 'mlock', 2, [M], [ptr('addr'), ulong('len')]),
  sc(150, 'munlock', 2, [M], [ptr('addr'), ulong('len')]),
  sc(151, 'mlockall', 1, [M], [flags('flags', MLOCKALL_FLAGS, 'MCL_???')]),
  sc(152, 'munlockall', 0, [M], []),
  sc(153, 'vhangup', 0, [], []),
  sc(154, 'modify_ldt', 3, []),
  sc(155, 'pivot_root', 2, [F], [path('new_root'), path('put_old')]),
  sc(156, '_sysctl', 1, []),
  sc(157, 'prctl', 5, [CR], [prctlOption('option'), ...prctlArgs()], prctlRet),
  sc(158, 'arch_prctl', 2, [], [archCode('code'), archArg('addr')], archRet),
  sc(159, 'adjtimex', 1, [CL], [timexArg('buf')], RET_CLOCK_STATE),
  sc(160, 'setrlimit', 2, [], [xval('resource', RLIMITS, 'RLIMIT_???'), inStruct('rlim', RLIMIT)]),
  sc(161, 'chroot', 1, [F], [path('path')]),
  sc(162, 'sync', 0, [], []),
  sc(163, 'acct', 1, [F], [path('filename')]),
  sc(164, 'settimeofday', 2, [CL], [inStruct('tv', TIMEVAL), inStruct('tz', TIMEZONE)]),
  sc(165, 'mount', 5, [F], [path('source'), path('target'), mountType('filesystemtype'), mountFlagsArg('mountflags'), mountData('data')]),
  sc(166, 'umount2', 2, [F], [path('target'), flags('flags', UMOUNT_FLAGS, 'MNT_???')]),
  sc(167, 'swapon', 2, [F], [path('path'), swapFlags('swapflags')]),
  sc(168, 'swapoff', 1, [F], [path('path')]),
  sc(169, 'reboot', 4, []),
  sc(170, 'sethostname', 2, [], [utsName('name', 1), uint('len')]),
  sc(171, 'setdomainname', 2, [], [utsName('name', 1), uint('len')]),
  sc(172, 'iopl', 1, []),
  sc(173, 'ioperm', 3, []),
  sc(174, 'create_module', 2, []),
  sc(175, 'init_module', 3, []),
  sc(176, 'delete_module', 2, []),
  sc(177, 'get_kernel_syms', 1, []),
  sc(178, 'query_module', 5, []),
  sc(179, 'quotactl', 4, [F]),
  sc(180, 'nfsservctl', 3, []),
  sc(181, 'getpmsg', 5, [N]),
  sc(182, 'putpmsg', 5, [N]),
  sc(183, 'afs_syscall', 5, []),
  sc(184, 'tuxcall', 3, []),
  sc(185, 'security', 3, []),
  sc(186, 'gettid', 0, [PU], []),
  sc(187, 'readahead', 3, [D], [fd('fd'), long('offset'), ulong('count')]),
  sc(188, 'setxattr', 5, [F], [path('pathname'), cstr('name'), xattrValueIn('value'), ulong('size'), flags('flags', XATTR_FLAGS, 'XATTR_???')]),
  sc(189, 'lsetxattr', 5, [F], [path('pathname'), cstr('name'), xattrValueIn('value'), ulong('size'), flags('flags', XATTR_FLAGS, 'XATTR_???')]),
  sc(190, 'fsetxattr', 5, [D], [fd('fd'), cstr('name'), xattrValueIn('value'), ulong('size'), flags('flags', XATTR_FLAGS, 'XATTR_???')]),
  sc(191, 'getxattr', 4, [F], [path('pathname'), cstr('name'), xattrValueOut('value'), atExit(ulong('size'))]),
  sc(192, 'lgetxattr', 4, [F], [path('pathname'), cstr('name'), xattrValueOut('value'), atExit(ulong('size'))]),
  sc(193, 'fgetxattr', 4, [D], [fd('fd'), cstr('name'), xattrValueOut('value'), atExit(ulong('size'))]),
  sc(194, 'listxattr', 3, [F], [path('pathname'), xattrList('list', 2), atExit(ulong('size'))]),
  sc(195, 'llistxattr', 3, [F], [path('pathname'), xattrList('list', 2), atExit(ulong('size'))]),
  sc(196, 'flistxattr', 3, [D], [fd('fd'), xattrList('list', 2), atExit(ulong('size'))]),
  sc(197, 'removexattr', 2, [F], [path('pathname'), cstr('name')]),
  sc(198, 'lremovexattr', 2, [F], [path('pathname'), cstr('name')]),
  sc(199, 'fremovexattr', 2, [D], [fd('fd'), cstr('name')]),
  sc(200, 'tkill', 2, [S, P], [int('tid'), signal('sig')]),
  sc(201, 'time', 1, [CL], [outStruct('tloc', TIME_T_DATED)], RET_TIME),
  sc(202, 'futex', 6, [], [futexAddr('uaddr'), futexOp('futex_op'), ...futexArgs()]),
  sc(203, 'sched_setaffinity', 3, [], [int('pid'), uint('cpusetsize'), cpusetIn('mask', 1)]),
  sc(204, 'sched_getaffinity', 3, [], [int('pid'), uint('cpusetsize'), cpusetOut('mask', 1)]),
  sc(205, 'set_thread_area', 1, []),
  sc(206, 'io_setup', 2, [M], [uint('nr_events'), outStruct('ctx_idp', AIO_CONTEXT)]),
  sc(207, 'io_destroy', 1, [M], [ptr('ctx_id')]),
  sc(208, 'io_getevents', 5, []),
  sc(209, 'io_submit', 3, []),
  sc(210, 'io_cancel', 3, []),
  sc(211, 'get_thread_area', 1, []),
  sc(212, 'lookup_dcookie', 3, []),
  sc(213, 'epoll_create', 1, [D], [int('size')]),
  sc(214, 'epoll_ctl_old', 4, []),
  sc(215, 'epoll_wait_old', 4, []),
  sc(216, 'remap_file_pages', 5, [M], [ptr('addr'), ulong('size'), flags64('prot', PROT, 'PROT_???'), ulong('pgoff'), mmapFlags('flags')]),
  sc(217, 'getdents64', 3, [D], [fd('fd'), dirents64('dirp'), uint('count')]),
  sc(218, 'set_tid_address', 1, [], [hexArg('tidptr')]),
  sc(219, 'restart_syscall', 0, []),
  sc(220, 'semtimedop', 4, [I]),
  sc(221, 'fadvise64', 4, [D], [fd('fd'), long('offset'), ulong('len'), xval('advice', FADVISE_ADVICE, 'POSIX_FADV_???')]),
  sc(222, 'timer_create', 3, [], [clockid('clockid'), inStruct('sevp', SIGEVENT), outStruct('timerid', TIMER_ID)]),
  sc(223, 'timer_settime', 4, [], [int('timerid'), flags('flags', CLOCK_FLAGS, 'TIMER_???'), inStruct('new_value', ITIMERSPEC), outStruct('old_value', ITIMERSPEC)]),
  sc(224, 'timer_gettime', 2, [], [int('timerid'), outStruct('curr_value', ITIMERSPEC)]),
  sc(225, 'timer_getoverrun', 1, [], [int('timerid')]),
  sc(226, 'timer_delete', 1, [], [int('timerid')]),
  sc(227, 'clock_settime', 2, [CL], [clockid('clockid'), inStruct('tp', TIMESPEC)]),
  sc(228, 'clock_gettime', 2, [CL], [clockid('clockid'), outStruct('tp', TIMESPEC)]),
  sc(229, 'clock_getres', 2, [CL], [clockid('clockid'), outStruct('res', TIMESPEC)]),
  sc(230, 'clock_nanosleep', 4, [], [clockid('clockid'), flags('flags', CLOCK_FLAGS, 'TIMER_???'), inStruct('request', TIMESPEC), remainingTime('remain', 1)]),
  sc(231, 'exit_group', 1, [P], [int('status')], undefined, true),
  sc(232, 'epoll_wait', 4, [D], [fd('epfd'), epollEvents('events'), atExit(int('maxevents')), atExit(int('timeout'))]),
  sc(233, 'epoll_ctl', 4, [D], [fd('epfd'), xval('op', EPOLL_CTLS, 'EPOLL_CTL_???'), fd('fd'), epollEvent('event')]),
  sc(234, 'tgkill', 3, [S, P], [int('tgid'), int('tid'), signal('sig')]),
  sc(235, 'utimes', 2, [F], [path('filename'), inStruct('times', UTIMES_PAIR)]),
  sc(236, 'vserver', 5, []),
  sc(237, 'mbind', 6, [M], [ptr('addr'), ulong('len'), mpolMode('mode'), nodemask('nodemask', 4), ulong('maxnode'), flags('flags', MBIND_FLAGS, 'MPOL_???')]),
  sc(238, 'set_mempolicy', 3, [M], [mpolMode('mode', false), nodemask('nodemask', 2), ulong('maxnode')]),
  sc(239, 'get_mempolicy', 5, [M], [mpolModeOut('mode'), atExit(nodemask('nodemask', 2)), atExit(ulong('maxnode')), atExit(ptr('addr')), atExit(flags64('flags', GET_MEMPOLICY_FLAGS, 'MPOL_???'))]),
  sc(240, 'mq_open', 4, [D], [path('name'), openFlags('oflag'), mode('mode', creates(1)), mqOpenAttr('attr')]),
  sc(241, 'mq_unlink', 1, [], [path('name')]),
  sc(242, 'mq_timedsend', 5, [D], [fd('mqdes'), inBuf('msg_ptr', 2), ulong('msg_len'), uint('msg_prio'), inStruct('abs_timeout', TIMESPEC)]),
  sc(243, 'mq_timedreceive', 5, [D], [fd('mqdes'), mqMessageOut('msg_ptr'), atExit(ulong('msg_len')), outStruct('msg_prio', UINT_REF), mqTimeout('abs_timeout')]),
  sc(244, 'mq_notify', 2, [D], [fd('mqdes'), inStruct('sevp', SIGEVENT)]),
  sc(245, 'mq_getsetattr', 3, [D], [fd('mqdes'), mqAttrArg('newattr', 'in'), mqAttrArg('oldattr', 'out')]),
  sc(246, 'kexec_load', 4, [], [ptr('entry'), ulong('nr_segments'), kexecSegments('segments'), kexecFlags('flags')]),
  sc(247, 'waitid', 5, [P], [waitidType('idtype'), waitidId('id'), siginfoOut('infop'), waitOptions('options'), outStruct('rusage', RUSAGE)]),
  sc(248, 'add_key', 5, []),
  sc(249, 'request_key', 4, []),
  sc(250, 'keyctl', 5, []),
  sc(251, 'ioprio_set', 3, [], [xval('which', IOPRIO_WHO, 'IOPRIO_WHO_???'), int('who'), ioprio('ioprio')]),
  sc(252, 'ioprio_get', 2, [], [xval('which', IOPRIO_WHO, 'IOPRIO_WHO_???'), int('who')], RET_IOPRIO),
  sc(253, 'inotify_init', 0, [D], []),
  sc(254, 'inotify_add_watch', 3, [D, F], [fd('fd'), path('pathname'), flags('mask', INOTIFY_FLAGS, 'IN_???')]),
  sc(255, 'inotify_rm_watch', 2, [D], [fd('fd'), int('wd')]),
  sc(256, 'migrate_pages', 4, [M], [int('pid'), ulong('maxnode'), nodemask('old_nodes', 1), nodemask('new_nodes', 1)]),
  sc(257, 'openat', 4, [D, F], [dirfd('dirfd'), path('pathname'), openFlags('flags'), mode('mode', creates(2))]),
  sc(258, 'mkdirat', 3, [D, F], [dirfd('dirfd'), path('pathname'), mode('mode')]),
  sc(259, 'mknodat', 4, [D, F], [dirfd('dirfd'), path('pathname'), ...mknodArgs(2)]),
  sc(260, 'fchownat', 5, [D, F], [dirfd('dirfd'), path('pathname'), uid('owner'), uid('group'), flags('flags', AT_FLAGS, 'AT_???')]),
  sc(261, 'futimesat', 3, [D, F], [dirfd('dirfd'), path('pathname'), inStruct('times', UTIMES_PAIR)]),
  sc(262, 'newfstatat', 4, [D, F, FST, STA], [dirfd('dirfd'), path('pathname'), outStruct('statbuf', STAT), flags('flags', AT_FLAGS, 'AT_???')]),
  sc(263, 'unlinkat', 3, [D, F], [dirfd('dirfd'), path('pathname'), flags('flags', AT_FLAGS, 'AT_???')]),
  sc(264, 'renameat', 4, [D, F], [dirfd('olddirfd'), path('oldpath'), dirfd('newdirfd'), path('newpath')]),
  sc(265, 'linkat', 5, [D, F], [dirfd('olddirfd'), path('oldpath'), dirfd('newdirfd'), path('newpath'), flags('flags', AT_FLAGS, 'AT_???')]),
  sc(266, 'symlinkat', 3, [D, F], [path('target'), dirfd('newdirfd'), path('linkpath')]),
  sc(267, 'readlinkat', 4, [D, F], [dirfd('dirfd'), path('pathname'), outBuf('buf', 3), ulong('bufsiz')]),
  sc(268, 'fchmodat', 3, [D, F], [dirfd('dirfd'), path('pathname'), mode('mode')]),
  sc(269, 'faccessat', 3, [D, F], [dirfd('dirfd'), path('pathname'), flags('mode', ACCESS_MODES, '?_OK')]),
  sc(270, 'pselect6', 6, [D], [int('nfds'), fdset('readfds'), fdset('writefds'), fdset('exceptfds'), inStruct('timeout', TIMESPEC), pselectMask('sigmask')], selectRet(false)),
  sc(271, 'ppoll', 5, [D], [pollfds('fds'), uint('nfds'), inStruct('tmo_p', TIMESPEC), sigset('sigmask', 'in', 4), ulong('sigsetsize')], pollRet(2)),
  sc(272, 'unshare', 1, [], [flags64('flags', UNSHARE_FLAGS, 'CLONE_???')]),
  sc(273, 'set_robust_list', 2, [], [ptr('head'), ulong('len')]),
  sc(274, 'get_robust_list', 3, []),
  sc(275, 'splice', 6, [D], [fd('fd_in'), offsetPtr('off_in'), fd('fd_out'), offsetPtr('off_out'), ulong('len'), flags('flags', SPLICE_FLAGS, 'SPLICE_F_???')]),
  sc(276, 'tee', 4, [D], [fd('fd_in'), fd('fd_out'), ulong('len'), flags('flags', SPLICE_FLAGS, 'SPLICE_F_???')]),
  sc(277, 'sync_file_range', 4, [D], [fd('fd'), long('offset'), long('nbytes'), flags('flags', SYNC_FILE_RANGE_FLAGS, 'SYNC_FILE_RANGE_???')]),
  sc(278, 'vmsplice', 4, [D], [fd('fd'), iovecIn('iov', 2), ulong('nr_segs'), flags('flags', SPLICE_FLAGS, 'SPLICE_F_???')]),
  sc(279, 'move_pages', 6, [M], [int('pid'), ulong('count'), pageList('pages', 1), intList('nodes', 1), pageStatus('status', 1), atExit(flags('flags', MOVE_PAGES_FLAGS, 'MPOL_???'))]),
  sc(280, 'utimensat', 4, [D, F], [dirfd('dirfd'), path('pathname'), inStruct('times', UTIMENS_PAIR), flags('flags', AT_FLAGS, 'AT_???')]),
  sc(281, 'epoll_pwait', 6, [D], [fd('epfd'), epollEvents('events'), atExit(int('maxevents')), atExit(int('timeout')), atExit(sigset('sigmask', 'in', 5)), atExit(ulong('sigsetsize'))]),
  sc(282, 'signalfd', 3, [D, S], [fd('fd'), sigset('mask', 'in', 2), ulong('sizemask')]),
  sc(283, 'timerfd_create', 2, [D], [clockid('clockid'), flags('flags', TFD_FLAGS, 'TFD_???')]),
  sc(284, 'eventfd', 1, [D], [uint('initval')]),
  sc(285, 'fallocate', 4, [D], [fd('fd'), flags('mode', FALLOC_FLAGS, 'FALLOC_FL_???'), long('offset'), long('len')]),
  sc(286, 'timerfd_settime', 4, [D], [fd('fd'), flags('flags', TFD_FLAGS, 'TFD_???'), inStruct('new_value', ITIMERSPEC), outStruct('old_value', ITIMERSPEC)]),
  sc(287, 'timerfd_gettime', 2, [D], [fd('fd'), outStruct('curr_value', ITIMERSPEC)]),
  sc(288, 'accept4', 4, [N], [fd('sockfd'), sockaddrOut('addr', 2), sockLen('addrlen', 1), atExit(flags('flags', SOCK_TYPE_FLAGS, 'SOCK_???'))]),
  sc(289, 'signalfd4', 4, [D, S], [fd('fd'), sigset('mask', 'in', 2), ulong('sizemask'), flags('flags', SFD_FLAGS, 'SFD_???')]),
  sc(290, 'eventfd2', 2, [D], [uint('initval'), flags('flags', EFD_FLAGS, 'EFD_???')]),
  sc(291, 'epoll_create1', 1, [D], [flags('flags', EPOLL_FLAGS, 'EPOLL_???')]),
  sc(292, 'dup3', 3, [D], [fd('oldfd'), fd('newfd'), flags('flags', OPEN_MODE_FLAGS, 'O_???')]),
  sc(293, 'pipe2', 2, [D], [outStruct('pipefd', FD_PAIR), flags('flags', OPEN_MODE_FLAGS, 'O_???')]),
  sc(294, 'inotify_init1', 1, [D], [flags('flags', INOTIFY_INIT_FLAGS, 'IN_???')]),
  sc(295, 'preadv', 4, [D], [fd('fd'), iovecOut('iov', 2), ulong('iovcnt'), long('offset')]),
  sc(296, 'pwritev', 4, [D], [fd('fd'), iovecIn('iov', 2), ulong('iovcnt'), long('offset')]),
  sc(297, 'rt_tgsigqueueinfo', 4, [P, S], [int('tgid'), int('tid'), signal('sig'), inStruct('info', SIGINFO)]),
  sc(298, 'perf_event_open', 5, [D]),
  sc(299, 'recvmmsg', 5, [N], [fd('sockfd'), mmsgvecOut('msgvec'), atExit(uint('vlen')), msgFlags('flags', 'exit'), inStruct('timeout', TIMESPEC)], recvmmsgRet),
  sc(300, 'fanotify_init', 2, [D], [fanotifyInitFlags('flags'), openFlags('event_f_flags')]),
  sc(301, 'fanotify_mark', 5, [D, F], [fd('fanotify_fd'), flags('flags', FAN_MARK_FLAGS, 'FAN_MARK_???'), flags64('mask', FAN_EVENT_FLAGS, 'FAN_???'), fanotifyDirfd('dirfd'), path('pathname')]),
  sc(302, 'prlimit64', 4, [], [int('pid'), xval('resource', RLIMITS, 'RLIMIT_???'), inStruct('new_limit', RLIMIT), outStruct('old_limit', RLIMIT)]),
  sc(303, 'name_to_handle_at', 5, [D, F], [dirfd('dirfd'), path('pathname'), fileHandleOut('handle'), outStruct('mount_id', INT_REF), atExit(flags('flags', NAME_TO_HANDLE_AT_FLAGS, 'AT_???'))]),
  sc(304, 'open_by_handle_at', 3, [D], [fd('mount_fd'), fileHandleIn('handle'), openFlags('flags')]),
  sc(305, 'clock_adjtime', 2, [CL], [clockid('clockid'), timexArg('buf')], RET_CLOCK_STATE),
  sc(306, 'syncfs', 1, [D], [fd('fd')]),
  sc(307, 'sendmmsg', 4, [N], [fd('sockfd'), mmsgvecIn('msgvec'), atExit(uint('vlen')), msgFlags('flags', 'exit')]),
  sc(308, 'setns', 2, [D], [fd('fd'), flags('nstype', SETNS_TYPES, 'CLONE_NEW???')]),
  sc(309, 'getcpu', 3, [], [outStruct('cpu', UINT_REF), outStruct('node', UINT_REF), ptrAtExit('tcache')]),
  sc(310, 'process_vm_readv', 6, []),
  sc(311, 'process_vm_writev', 6, []),
  sc(312, 'kcmp', 5, []),
  sc(313, 'finit_module', 3, [D], [fd('fd'), cstr('param_values'), flags('flags', MODULE_INIT_FLAGS, 'MODULE_INIT_???')]),
  sc(314, 'sched_setattr', 3, []),
  sc(315, 'sched_getattr', 4, []),
  sc(316, 'renameat2', 5, [D, F], [dirfd('olddirfd'), path('oldpath'), dirfd('newdirfd'), path('newpath'), flags('flags', RENAME_FLAGS, 'RENAME_???')]),
  sc(317, 'seccomp', 3, [], [seccompOp('operation'), seccompFlags('flags'), seccompArgs('args')]),
  sc(318, 'getrandom', 3, [], [outBuf('buf', 1, true), ulong('buflen'), flags('flags', GRND_FLAGS, 'GRND_???')]),
  sc(319, 'memfd_create', 2, [D], [memfdName('name'), memfdFlags('flags')]),
  sc(320, 'kexec_file_load', 5, [D], [fd('kernel_fd'), fd('initrd_fd'), ulong('cmdline_len'), inBuf('cmdline', 2), flags64('flags', KEXEC_FILE_LOAD_FLAGS, 'KEXEC_FILE_???')]),
  sc(321, 'bpf', 3, [D]),
  sc(322, 'execveat', 5, [D, F, P], [dirfd('dirfd'), path('pathname'), argvArg('argv'), envpArg('envp'), flags('flags', AT_FLAGS, 'AT_???')]),
  sc(323, 'userfaultfd', 1, [D], [flags('flags', UFFD_FLAGS, 'UFFD_???')]),
  sc(324, 'membarrier', 3, []),
  sc(325, 'mlock2', 3, [M], [ptr('addr'), ulong('len'), flags('flags', MLOCK_FLAGS, 'MLOCK_???')]),
  sc(326, 'copy_file_range', 6, [D], [fd('fd_in'), offsetPtr('off_in'), fd('fd_out'), offsetPtr('off_out'), ulong('len'), uint('flags')]),
  sc(327, 'preadv2', 6, [D], [fd('fd'), iovecOut('iov', 2), ulong('iovcnt'), long('offset'), hidden('pos_h'), flags('flags', RWF_FLAGS, 'RWF_???')]),
  sc(328, 'pwritev2', 6, [D], [fd('fd'), iovecIn('iov', 2), ulong('iovcnt'), long('offset'), hidden('pos_h'), flags('flags', RWF_FLAGS, 'RWF_???')]),
  sc(329, 'pkey_mprotect', 4, [M], [ptr('addr'), ulong('len'), flags64('prot', PROT, 'PROT_???'), int('pkey')]),
  sc(330, 'pkey_alloc', 2, [], [hexArg('flags'), flags64('access_rights', PKEY_ACCESS, 'PKEY_???')]),
  sc(331, 'pkey_free', 1, [], [int('pkey')]),
  sc(332, 'statx', 5, [D, F, FST, STA], [dirfd('dirfd'), path('pathname'), statxFlags('flags'), flags('mask', STATX_MASKS, 'STATX_???'), outStruct('statxbuf', STATX)]),
  sc(333, 'io_pgetevents', 6, []),
  sc(334, 'rseq', 4, [], [withMem(hexArg('rseq'), { kind: 'buffer', dir: 'inout', size: { arg: 1 } }), hexArg('rseq_len'), hexArg('flags'), hexArg('sig')]),
  sc(335, 'uretprobe', 0, []),
  sc(424, 'pidfd_send_signal', 4, [D, S, P], [fd('pidfd'), signal('sig'), inStruct('info', SIGINFO), hexUint('flags')]),
  sc(425, 'io_uring_setup', 2, [D]),
  sc(426, 'io_uring_enter', 6, [D, S]),
  sc(427, 'io_uring_register', 4, [D, M]),
  sc(428, 'open_tree', 3, [D, F], [dirfd('dirfd'), path('pathname'), flags('flags', OPEN_TREE_FLAGS, 'OPEN_TREE_???')]),
  sc(429, 'move_mount', 5, [D, F], [dirfd('from_dirfd'), path('from_pathname'), dirfd('to_dirfd'), path('to_pathname'), flags('flags', MOVE_MOUNT_FLAGS, 'MOVE_MOUNT_???')]),
  sc(430, 'fsopen', 2, [D], [cstr('fsname'), flags('flags', FSOPEN_FLAGS, 'FSOPEN_???')]),
  sc(431, 'fsconfig', 5, [D, F], [fd('fd'), fsconfigCmd('cmd'), fsconfigKey('key'), fsconfigValue('value'), fsconfigAux('aux')]),
  sc(432, 'fsmount', 3, [D], [fd('fd'), flags('flags', FSMOUNT_FLAGS, 'FSMOUNT_???'), flags('attr_flags', FSMOUNT_ATTR_FLAGS, 'MOUNT_ATTR_???')]),
  sc(433, 'fspick', 3, [D, F], [dirfd('dirfd'), path('pathname'), flags('flags', FSPICK_FLAGS, 'FSPICK_???')]),
  sc(434, 'pidfd_open', 2, [D], [int('pid'), flags('flags', PIDFD_OPEN_FLAGS, 'PIDFD_???')]),
  sc(435, 'clone3', 2, [P], [cloneArgsStruct('cl_args'), ulong('size')]),
  sc(436, 'close_range', 3, []),
  sc(437, 'openat2', 4, [D, F], [dirfd('dirfd'), path('pathname'), openHow('how'), ulong('size')]),
  sc(438, 'pidfd_getfd', 3, [D], [fd('pidfd'), int('targetfd'), hexUint('flags')]),
  sc(439, 'faccessat2', 4, [D, F], [dirfd('dirfd'), path('pathname'), flags('mode', ACCESS_MODES, '?_OK'), flags('flags', FACCESSAT_FLAGS, 'AT_???')]),
  sc(440, 'process_madvise', 5, [D], [fd('pidfd'), iovecAddrs('iovec', 2), ulong('vlen'), xval('advice', MADV, 'MADV_???'), hexUint('flags')]),
  sc(441, 'epoll_pwait2', 6, [D], [fd('epfd'), epollEvents('events'), atExit(int('maxevents')), atExit(inStruct('timeout', TIMESPEC)), atExit(sigset('sigmask', 'in', 5)), atExit(ulong('sigsetsize'))]),
  sc(442, 'mount_setattr', 5, [D, F], [dirfd('dirfd'), path('pathname'), flags('flags', MOUNT_SETATTR_FLAGS, 'AT_???'), mountAttr('uattr'), ulong('usize')]),
  sc(443, 'quotactl_fd', 4, [D]),
  sc(444, 'landlock_create_ruleset', 3, [D], [landlockRulesetAttr('attr'), ulong('size'), flags('flags', LANDLOCK_CREATE_RULESET_FLAGS, 'LANDLOCK_CREATE_RULESET_???')]),
  sc(445, 'landlock_add_rule', 4, [D], [fd('ruleset_fd'), xval('rule_type', LANDLOCK_RULE_TYPES, 'LANDLOCK_RULE_???'), landlockRule('rule_attr'), hexUint('flags')]),
  sc(446, 'landlock_restrict_self', 2, [D], [fd('ruleset_fd'), hexUint('flags')]),
  sc(447, 'memfd_secret', 1, [D], [flags('flags', MEMFD_SECRET_FLAGS, '')]),
  sc(448, 'process_mrelease', 2, [D], [fd('pidfd'), hexUint('flags')]),
  sc(449, 'futex_waitv', 5, []),
  sc(450, 'set_mempolicy_home_node', 4, [M], [ptr('start'), ulong('len'), ulong('home_node'), hexArg('flags')]),
  sc(451, 'cachestat', 4, [D]),
  sc(452, 'fchmodat2', 4, [D, F]),
  sc(453, 'map_shadow_stack', 3, [M]),
  sc(454, 'futex_wake', 4, []),
  sc(455, 'futex_wait', 6, []),
  sc(456, 'futex_requeue', 4, []),
  sc(457, 'statmount', 4, []),
  sc(458, 'listmount', 4, []),
  sc(459, 'lsm_get_self_attr', 4, []),
  sc(460, 'lsm_set_self_attr', 4, []),
  sc(461, 'lsm_list_modules', 3, []),
  sc(462, 'mseal', 3, [M]),
  sc(463, 'setxattrat', 6, [D, F]),
  sc(464, 'getxattrat', 6, [D, F]),
  sc(465, 'listxattrat', 5, [D, F]),
  sc(466, 'removexattrat', 4, [D, F]),
  sc(467, 'open_tree_attr', 5, [D, F]),
  sc(468, 'file_getattr', 5, [D, F]),
  sc(469, 'file_setattr', 5, [D, F]),
  sc(470, 'listns', 4, []),
  sc(471, 'rseq_slice_yield', 0, []),
];

/** Syscalls whose successful result is a new file descriptor (the recorder notes the path behind
 *  it; strace -y prints it). fcntl's F_DUPFD/F_DUPFD_CLOEXEC are checked separately. */
export const FD_RESULTS: ReadonlySet<string> = new Set([
  'open', 'openat', 'openat2', 'creat', 'dup', 'dup2', 'dup3', 'socket', 'accept', 'accept4',
  'epoll_create', 'epoll_create1', 'eventfd', 'eventfd2', 'signalfd', 'signalfd4', 'timerfd_create',
  'memfd_create', 'memfd_secret', 'inotify_init', 'inotify_init1', 'fanotify_init', 'perf_event_open',
  'userfaultfd', 'pidfd_open', 'pidfd_getfd', 'open_by_handle_at', 'io_uring_setup', 'fsopen',
  'fspick', 'open_tree', 'fsmount', 'mq_open', 'landlock_create_ruleset',
]);
