// Flags of the calls that create special descriptors (epoll, eventfd, signalfd, timerfd,
// inotify, fanotify, memfd), x86-64 values in strace 6.1's xlat/*.in order.

import type { Xlat } from '../xlat.js';

/** strace's xlat/epollflags.in */
export const EPOLL_FLAGS: Xlat = [
  [0x80000, 'EPOLL_CLOEXEC'],
];

/** strace's xlat/epollevents.in */
export const EPOLL_EVENTS: Xlat = [
  [1, 'EPOLLIN'], [2, 'EPOLLPRI'], [4, 'EPOLLOUT'], [8, 'EPOLLERR'], [0x10, 'EPOLLHUP'], [0x20, 'EPOLLNVAL'],
  [0x40, 'EPOLLRDNORM'], [0x80, 'EPOLLRDBAND'], [0x100, 'EPOLLWRNORM'], [0x200, 'EPOLLWRBAND'],
  [0x400, 'EPOLLMSG'], [0x2000, 'EPOLLRDHUP'], [0x10000000, 'EPOLLEXCLUSIVE'], [0x20000000, 'EPOLLWAKEUP'],
  [0x40000000, 'EPOLLONESHOT'], [0x80000000, 'EPOLLET'],
];

/** strace's xlat/epollctls.in */
export const EPOLL_CTLS: Xlat = [
  [1, 'EPOLL_CTL_ADD'], [2, 'EPOLL_CTL_DEL'], [3, 'EPOLL_CTL_MOD'],
];

/** strace's xlat/efd_flags.in */
export const EFD_FLAGS: Xlat = [
  [1, 'EFD_SEMAPHORE'], [0x80000, 'EFD_CLOEXEC'], [0x800, 'EFD_NONBLOCK'],
];

/** strace's xlat/sfd_flags.in */
export const SFD_FLAGS: Xlat = [
  [0x80000, 'SFD_CLOEXEC'], [0x800, 'SFD_NONBLOCK'],
];

/** strace's xlat/timerfdflags.in */
export const TFD_FLAGS: Xlat = [
  [1, 'TFD_TIMER_ABSTIME'], [2, 'TFD_TIMER_CANCEL_ON_SET'], [0x80000, 'TFD_CLOEXEC'],
  [0x800, 'TFD_NONBLOCK'],
];

/** strace's xlat/inotify_flags.in */
export const INOTIFY_FLAGS: Xlat = [
  [1, 'IN_ACCESS'], [2, 'IN_MODIFY'], [4, 'IN_ATTRIB'], [8, 'IN_CLOSE_WRITE'], [0x10, 'IN_CLOSE_NOWRITE'],
  [0x20, 'IN_OPEN'], [0x40, 'IN_MOVED_FROM'], [0x80, 'IN_MOVED_TO'], [0x100, 'IN_CREATE'],
  [0x200, 'IN_DELETE'], [0x400, 'IN_DELETE_SELF'], [0x800, 'IN_MOVE_SELF'], [0x2000, 'IN_UNMOUNT'],
  [0x4000, 'IN_Q_OVERFLOW'], [0x8000, 'IN_IGNORED'], [0x1000000, 'IN_ONLYDIR'],
  [0x2000000, 'IN_DONT_FOLLOW'], [0x4000000, 'IN_EXCL_UNLINK'], [0x10000000, 'IN_MASK_CREATE'],
  [0x20000000, 'IN_MASK_ADD'], [0x40000000, 'IN_ISDIR'], [0x80000000, 'IN_ONESHOT'],
];

/** strace's xlat/inotify_init_flags.in */
export const INOTIFY_INIT_FLAGS: Xlat = [
  [0x800, 'IN_NONBLOCK'], [0x80000, 'IN_CLOEXEC'],
];

/** strace's xlat/memfd_create_flags.in */
export const MEMFD_FLAGS: Xlat = [
  [1, 'MFD_CLOEXEC'], [2, 'MFD_ALLOW_SEALING'], [4, 'MFD_HUGETLB'],
];

/** strace's xlat/fan_classes.in */
export const FAN_CLASSES: Xlat = [
  [0, 'FAN_CLASS_NOTIF'], [4, 'FAN_CLASS_CONTENT'], [8, 'FAN_CLASS_PRE_CONTENT'],
];

/** strace's xlat/fan_init_flags.in */
export const FAN_INIT_FLAGS: Xlat = [
  [1, 'FAN_CLOEXEC'], [2, 'FAN_NONBLOCK'], [0x10, 'FAN_UNLIMITED_QUEUE'], [0x20, 'FAN_UNLIMITED_MARKS'],
  [0x40, 'FAN_ENABLE_AUDIT'], [0x80, 'FAN_REPORT_PIDFD'], [0x100, 'FAN_REPORT_TID'],
  [0x200, 'FAN_REPORT_FID'], [0x400, 'FAN_REPORT_DIR_FID'], [0x800, 'FAN_REPORT_NAME'],
  [0x1000, 'FAN_REPORT_TARGET_FID'],
];

/** strace's xlat/fan_mark_flags.in */
export const FAN_MARK_FLAGS: Xlat = [
  [1, 'FAN_MARK_ADD'], [2, 'FAN_MARK_REMOVE'], [4, 'FAN_MARK_DONT_FOLLOW'], [8, 'FAN_MARK_ONLYDIR'],
  [0x10, 'FAN_MARK_MOUNT'], [0x20, 'FAN_MARK_IGNORED_MASK'], [0x40, 'FAN_MARK_IGNORED_SURV_MODIFY'],
  [0x80, 'FAN_MARK_FLUSH'], [0x100, 'FAN_MARK_FILESYSTEM'], [0x200, 'FAN_MARK_EVICTABLE'],
  [0x400, 'FAN_MARK_IGNORE'],
];

/** strace's xlat/fan_event_flags.in */
export const FAN_EVENT_FLAGS: Xlat = [
  [1, 'FAN_ACCESS'], [2, 'FAN_MODIFY'], [4, 'FAN_ATTRIB'], [8, 'FAN_CLOSE_WRITE'],
  [0x10, 'FAN_CLOSE_NOWRITE'], [0x20, 'FAN_OPEN'], [0x40, 'FAN_MOVED_FROM'], [0x80, 'FAN_MOVED_TO'],
  [0x100, 'FAN_CREATE'], [0x200, 'FAN_DELETE'], [0x400, 'FAN_DELETE_SELF'], [0x800, 'FAN_MOVE_SELF'],
  [0x1000, 'FAN_OPEN_EXEC'], [0x4000, 'FAN_Q_OVERFLOW'], [0x8000, 'FAN_FS_ERROR'],
  [0x10000, 'FAN_OPEN_PERM'], [0x20000, 'FAN_ACCESS_PERM'], [0x40000, 'FAN_OPEN_EXEC_PERM'],
  [0x80000, 'FAN_DIR_MODIFY'], [0x40000000, 'FAN_ONDIR'], [0x8000000, 'FAN_EVENT_ON_CHILD'],
  [0x10000000, 'FAN_RENAME'],
];
