// How fully the kernel implements each syscall, for `emtrace --list-syscalls` (gVisor's
// Supported / PartiallySupported idea): generated from what dispatch itself runs (the families in
// kernel.ts for x86-64, i386.ts's table for INT 0x80), plus a note for each call that is only
// partly there. A syscall with no implementation is ENOSYS.
import { allI386Syscalls, allSyscalls } from '../../decode/index.js';
import type { SyscallHandler } from './context.js';
import { implementedI386 } from './i386.js';
import { SYSCALL_FAMILIES } from './kernel.js';
import { CONFIGURED_OUT } from './syscalls/config-off.js';

/** What the partly implemented x86-64 syscalls leave out, by name. */
export const PARTIAL_NOTES: Readonly<Record<string, string>> = {
  ...Object.fromEntries(Object.entries(CONFIGURED_OUT).map(([name, why]) => [name, `ENOSYS: ${why}`])),
  ioctl: 'FIOCLEX, FIONCLEX, FIONBIO, FIOASYNC, FIONREAD; terminal requests (TCGETS, TCSETS*, TIOC[GS]WINSZ, TIOC[GS]PGRP, TIOCGSID, TIOCSCTTY) on terminals; others ENOTTY',
  prctl: 'PR_[GS]ET_NAME, PR_[GS]ET_PDEATHSIG, PR_[GS]ET_DUMPABLE, PR_[GS]ET_SECCOMP, PR_[GS]ET_NO_NEW_PRIVS; others EINVAL',
  arch_prctl: 'ARCH_SET_FS, ARCH_GET_FS, ARCH_SET_GS, ARCH_GET_GS; others EINVAL',
  fallocate: 'mode 0 and FALLOC_FL_KEEP_SIZE; hole punching, collapsing and inserting give EOPNOTSUPP',
  madvise: 'MADV_DONTNEED drops pages (file mappings reread their file, shared anonymous memory keeps its bytes), MADV_REMOVE zeroes a shared file range; other advice is checked and has no effect',
  mremap: 'a zero old_size (duplicating a shared mapping) is EINVAL',
  mlock: 'pages are counted against RLIMIT_MEMLOCK; nothing is ever swapped',
  mlock2: 'pages are counted against RLIMIT_MEMLOCK; nothing is ever swapped',
  mlockall: 'pages are counted against RLIMIT_MEMLOCK; nothing is ever swapped',
  mmap: 'no huge pages (MAP_HUGETLB gives ENOMEM), no MAP_SYNC; MAP_SHARED of a device or /proc file is a copy',
  getcpu: 'one CPU, one NUMA node',
  futex: 'waits and wakes between the threads of a process; a futex in memory shared between processes wakes only waiters of the waking process; the PI operations (FUTEX_LOCK_PI, FUTEX_UNLOCK_PI, FUTEX_TRYLOCK_PI, FUTEX_*_REQUEUE_PI, FUTEX_LOCK_PI2) give ENOSYS',
  sched_setaffinity: 'one CPU: a mask must contain CPU 0',
  sched_getaffinity: 'one CPU',
  setrlimit: 'limits are kept and reported; RLIMIT_NOFILE, RLIMIT_STACK, RLIMIT_MEMLOCK and RLIMIT_CORE take effect, the others (RLIMIT_AS, RLIMIT_DATA, RLIMIT_CPU...) are not enforced (--max-memory limits memory)',
  personality: 'every persona is kept; only UNAME26 changes behaviour (READ_IMPLIES_EXEC and the ADDR_* flags do not)',
  setfsuid: 'kept and reported (/proc/self/status); file permission checks use the effective ids',
  setfsgid: 'kept and reported (/proc/self/status); file permission checks use the effective ids',
  setgroups: 'kept and reported; file permission checks use the effective group only',
  execve: 'static x86-64 ELF executables and #! scripts; a dynamically linked or 32-bit ELF file gives ENOEXEC (with a diagnostic)',
  execveat: 'static x86-64 ELF executables and #! scripts; a dynamically linked or 32-bit ELF file gives ENOEXEC (with a diagnostic)',
  clone: 'threads (CLONE_THREAD) and processes; CLONE_VM without CLONE_THREAD or CLONE_VFORK gives ENOSYS; CLONE_PIDFD makes no pidfd; cwd and umask are always shared by a process\'s threads',
  clone3: 'threads (CLONE_THREAD) and processes; CLONE_VM without CLONE_THREAD or CLONE_VFORK gives ENOSYS; CLONE_PIDFD makes no pidfd',
  vfork: 'the child gets a copy of the memory (a correct vfork child only execs or exits); the parent waits until the child\'s execve has completed or it ended',
  wait4: 'rusage is all zeros',
  epoll_ctl: "edge-triggered interests on host descriptors (inherited pipes, terminals) fire on a change of their readiness or byte count; EPOLLEXCLUSIVE is checked, and with one waiter changes nothing",
  mount: 'arguments checked; changing the mount table is refused with EPERM',
  umount2: 'arguments checked; changing the mount table is refused with EPERM',
  pivot_root: 'arguments checked; refused with EPERM',
  chroot: 'arguments checked; changing the root is refused with EPERM',
  open_tree: 'OPEN_TREE_CLONE (a new mount) is refused with EPERM',
  move_mount: 'arguments checked; refused with EPERM',
  fsopen: 'known file system types are refused with EPERM (no file system contexts)',
  fspick: 'arguments checked; refused with EPERM (no file system contexts)',
  mount_setattr: 'a change is refused with EPERM',
  swapon: 'a file with a swap signature is refused with EPERM',
  acct: 'turning accounting on is refused with EPERM',
  quotactl: 'no block device holds a mounted file system (ENODEV)',
  reboot: 'valid commands are refused with EPERM',
  vhangup: 'refused with EPERM (the terminal is the host\'s)',
  settimeofday: 'setting the time or time zone is refused with EPERM',
  clock_settime: 'setting CLOCK_REALTIME is refused with EPERM',
  adjtimex: 'reads the state (unsynchronised: TIME_ERROR); any change is refused with EPERM',
  clock_adjtime: 'CLOCK_REALTIME as adjtimex; any change is refused with EPERM',
  unshare: 'new mount, network, pid, user, cgroup and time namespaces are refused with EPERM',
  setns: 'only the own pidfd names namespaces (no /proc/PID/ns files)',
  io_setup: 'fs.aio-max-nr is 0: no AIO context can be made (EAGAIN)',
  landlock_restrict_self: 'the domain is recorded, not enforced by the VFS',
  landlock_add_rule: 'rules are kept, not enforced',
  fanotify_init: 'arguments checked; refused with EPERM',
  userfaultfd: 'arguments checked; refused with EPERM',
  remap_file_pages: 'arguments checked; remapping a shared file mapping is not done (EINVAL)',
  name_to_handle_at: 'file systems cannot export handles (EOPNOTSUPP)',
  open_by_handle_at: 'every handle is stale (ESTALE)',
  shmat: 'shmget is not implemented: no segment exists (EINVAL)',
  shmdt: 'nothing can be attached (EINVAL)',
  mq_open: 'RLIMIT_MSGQUEUE is not enforced',
  process_madvise: 'the advice is checked and has no effect',
  memfd_create: 'MFD_HUGETLB files take sizes in whole 2 MiB pages but cannot be mapped (no huge pages are reserved: ENOMEM)',
  memfd_secret: 'flags are checked (EINVAL); then ENOSYS, as a kernel without secretmem',
  inotify_add_watch: "events come from the guest's own file-system calls (other host processes' changes are not seen); opens of /proc files and device nodes report none; IN_DELETE_SELF comes when the last name goes, even if the file is still open",
  ...Object.fromEntries(
    ['getxattr', 'lgetxattr', 'fgetxattr', 'setxattr', 'lsetxattr', 'fsetxattr', 'listxattr', 'llistxattr', 'flistxattr', 'removexattr', 'lremovexattr', 'fremovexattr'].map((name) => [
      name,
      "the emulator's own attributes (user.*, trusted.*, security.*), kept per file for the run: files start with none, the host's are neither read nor changed; values up to 64 KiB whatever the file system; system.* (POSIX ACLs) and emulated device nodes: EOPNOTSUPP",
    ]),
  ),
  socket: 'AF_UNIX (stream, datagram, seqpacket), AF_INET and AF_INET6 (TCP, UDP); other families EAFNOSUPPORT, raw sockets ESOCKTNOSUPPORT, ping sockets EACCES',
  connect: 'the guest has no network but its loopback (127.0.0.0/8, ::1): other destinations are ENETUNREACH; a non-blocking TCP connect to a full backlog is EAGAIN',
  sendto: 'MSG_OOB: EOPNOTSUPP on unix sockets, ordinary data on TCP; UDP to the loopback only',
  sendmsg: 'MSG_OOB: EOPNOTSUPP on unix sockets, ordinary data on TCP; UDP to the loopback only',
  sendmmsg: 'MSG_OOB: EOPNOTSUPP on unix sockets, ordinary data on TCP; UDP to the loopback only',
  recvfrom: 'no MSG_OOB, MSG_ERRQUEUE; MSG_WAITALL returns what is queued when nothing more can come',
  recvmsg: 'no MSG_OOB, MSG_ERRQUEUE; MSG_WAITALL returns what is queued when nothing more can come',
  recvmmsg: 'no MSG_OOB, MSG_ERRQUEUE; the timeout is checked but not waited',
  setsockopt: 'SOL_SOCKET options (SO_REUSEADDR, SO_KEEPALIVE, SO_SNDBUF, SO_RCVBUF, SO_LINGER, SO_RCVTIMEO, SO_SNDTIMEO, SO_PASSCRED...), IP_TOS, IP_TTL, IPV6_V6ONLY, IPV6_UNICAST_HOPS, TCP_NODELAY, TCP_CORK, TCP_MAXSEG, TCP_KEEP*, TCP_USER_TIMEOUT; others ENOPROTOOPT',
  getsockopt: 'those of setsockopt and SO_TYPE, SO_ERROR, SO_PEERCRED, SO_ACCEPTCONN, SO_DOMAIN, SO_PROTOCOL, SO_SNDLOWAT; others ENOPROTOOPT',
};

/** The same for the i386 calls (INT 0x80). */
export const PARTIAL_NOTES_I386: Readonly<Record<string, string>> = {
  mmap: 'old_mmap; placed below 4 GiB',
  mmap2: 'placed below 4 GiB',
  ioctl: PARTIAL_NOTES.ioctl,
  madvise: PARTIAL_NOTES.madvise,
  mremap: PARTIAL_NOTES.mremap,
  ...Object.fromEntries(
    ['memfd_create', 'memfd_secret', 'inotify_add_watch', ...Object.keys(PARTIAL_NOTES).filter((name) => name.endsWith('xattr'))].map((name) => [name, PARTIAL_NOTES[name]]),
  ),
};

export type SupportLevel = 'full' | 'partial' | 'ENOSYS';

export interface SupportEntry {
  abi: 'x86_64' | 'i386';
  nr: number;
  name: string;
  level: SupportLevel;
  note?: string;
}

function implementation(name: string): SyscallHandler | undefined {
  for (const family of SYSCALL_FAMILIES) if (Object.prototype.hasOwnProperty.call(family, name)) return family[name];
  return undefined;
}

function entry(abi: SupportEntry['abi'], nr: number, name: string, implemented: boolean, notes: Readonly<Record<string, string>>): SupportEntry {
  if (!implemented) return { abi, nr, name, level: 'ENOSYS' };
  const note = notes[name];
  return note === undefined ? { abi, nr, name, level: 'full' } : { abi, nr, name, level: 'partial', note };
}

/** Every x86-64 syscall, then every i386 one, with its support level. */
export function supportTable(): SupportEntry[] {
  const i386 = new Set(implementedI386(implementation));
  return [
    ...allSyscalls().map((row) => entry('x86_64', row.nr, row.name, implementation(row.name) !== undefined, PARTIAL_NOTES)),
    ...allI386Syscalls().map((row) => entry('i386', row.nr, row.name, i386.has(row.name), PARTIAL_NOTES_I386)),
  ];
}

/** The table as `emtrace --list-syscalls` prints it: one syscall a line, aligned columns. */
export function formatSupportTable(entries = supportTable()): string {
  const width = Math.max(...entries.map((e) => e.name.length));
  const lines = ['abi     nr   ' + 'name'.padEnd(width) + '  support  note'];
  for (const e of entries) {
    const row = `${e.abi.padEnd(6)}  ${String(e.nr).padStart(3)}  ${e.name.padEnd(width)}  ${e.level.padEnd(7)}`;
    lines.push(e.note ? `${row}  ${e.note}` : row.trimEnd());
  }
  const count = (abi: string, level: SupportLevel) => entries.filter((e) => e.abi === abi && e.level === level).length;
  for (const abi of ['x86_64', 'i386']) {
    lines.push(`${abi}: ${count(abi, 'full')} full, ${count(abi, 'partial')} partial, ${count(abi, 'ENOSYS')} ENOSYS`);
  }
  return lines.join('\n') + '\n';
}
