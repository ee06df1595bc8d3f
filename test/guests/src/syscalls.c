/* Breadth for the strace formatter: well over 100 different syscalls, each on a success or an
   error path (EBADF, EFAULT, ENOENT, EINVAL...), with arguments that give the same result on any
   Linux and in emtrace.
   - Calls emtrace's kernel does not implement (it answers ENOSYS) get arguments that fail on
     Linux too (a descriptor that is not open, a path that does not exist, a bad flag), so their
     arguments print the same way on both sides (output arguments as addresses) and only the
     result differs.
   - Calls that would create a descriptor on Linux but not in emtrace come last, so every other
     descriptor number agrees.
   - Raw syscall(2) throughout: a libc wrapper could add, reorder or rewrite calls.
   Usage: syscalls DIR (an empty writable directory). Prints "done". */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/fanotify.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/shm.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

/* Kernel ABI structures, spelled out: musl ships few of the linux/ headers. */
struct k_sigaction { void *handler; unsigned long flags; void *restorer; uint64_t mask; };
struct k_timespec { long sec, nsec; };
struct k_timeval { long sec, usec; };
struct k_itimerval { struct k_timeval interval, value; };
struct k_itimerspec { struct k_timespec interval, value; };
struct k_iovec { void *base; unsigned long len; };
struct k_rlimit { uint64_t cur, max; };
struct k_sigevent { uint64_t value; int signo, notify; int pad[12]; };
struct k_stack { void *sp; int flags; unsigned long size; };
struct k_sockaddr_un { uint16_t family; char path[108]; };
struct k_sockaddr_in { uint16_t family; uint16_t port; uint8_t addr[4]; uint8_t zero[8]; };
struct k_sockaddr_in6 { uint16_t family; uint16_t port; uint32_t flowinfo; uint8_t addr[16]; uint32_t scope; };
struct k_sockaddr_nl { uint16_t family; uint16_t pad; uint32_t pid, groups; };
struct k_msghdr {
    void *name; int namelen; struct k_iovec *iov; unsigned long iovlen;
    void *control; unsigned long controllen; int flags;
};
struct k_cmsg_rights { unsigned long len; int level, type; int fds[2]; };
struct k_clone_args {
    uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
    uint64_t set_tid, set_tid_size, cgroup;
};
struct k_open_how { uint64_t flags, mode, resolve; };
struct k_epoll_event { uint32_t events; uint64_t data; } __attribute__((packed));
struct k_siginfo { int signo, errno_, code, pad; int pid, uid; int rest[26]; };
struct k_mq_attr { long flags, maxmsg, msgsize, curmsgs, pad[4]; };

#ifndef SYS_clone3
#define SYS_clone3 435
#endif
#ifndef SYS_openat2
#define SYS_openat2 437
#endif
#ifndef SYS_faccessat2
#define SYS_faccessat2 439
#endif
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif
#ifndef SYS_epoll_pwait2
#define SYS_epoll_pwait2 441
#endif
#ifndef SYS_process_madvise
#define SYS_process_madvise 440
#endif
#ifndef SYS_open_tree
#define SYS_open_tree 428
#endif
#ifndef SYS_move_mount
#define SYS_move_mount 429
#endif
#ifndef SYS_fsopen
#define SYS_fsopen 430
#endif
#ifndef SYS_fsconfig
#define SYS_fsconfig 431
#endif
#ifndef SYS_fsmount
#define SYS_fsmount 432
#endif
#ifndef SYS_fspick
#define SYS_fspick 433
#endif
#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd 438
#endif
#ifndef SYS_mount_setattr
#define SYS_mount_setattr 442
#endif
#ifndef SYS_landlock_create_ruleset
#define SYS_landlock_create_ruleset 444
#endif
#ifndef SYS_landlock_add_rule
#define SYS_landlock_add_rule 445
#endif
#ifndef SYS_landlock_restrict_self
#define SYS_landlock_restrict_self 446
#endif
#ifndef SYS_memfd_secret
#define SYS_memfd_secret 447
#endif
#ifndef SYS_process_mrelease
#define SYS_process_mrelease 448
#endif
#ifndef SYS_set_mempolicy_home_node
#define SYS_set_mempolicy_home_node 450
#endif

#ifndef MLOCK_ONFAULT
#define MLOCK_ONFAULT 1
#endif

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x80
#endif

#define BAD 0x10      /* an unmapped address: EFAULT */
#define NOFD 99       /* a descriptor that is not open: EBADF */
#define NOPID 0x7fffffff /* a pid no process has: ESRCH */

#define S(nr, ...) syscall(nr, ##__VA_ARGS__)

static char buf[4096];
static char *argv_[] = {"nope", "-x", "a\tb", NULL};
static char *envp_[] = {"A=1", "B=2", NULL};

/* Files and descriptors: emtrace implements these. */
static void files(void) {
    S(SYS_umask, 022);
    long fd = S(SYS_openat, AT_FDCWD, "f", O_RDWR | O_CREAT | O_TRUNC, 0640);
    S(SYS_write, fd, "hello\tworld\n\0017\"q\\", 17);
    S(SYS_pwrite64, fd, "xy", 2, 100);
    S(SYS_lseek, fd, 0, SEEK_SET);
    S(SYS_read, fd, buf, 8);
    S(SYS_pread64, fd, buf, 4, 1);
    struct k_iovec iov[2] = {{buf, 3}, {buf + 8, 5}};
    S(SYS_readv, fd, iov, 2);
    S(SYS_writev, fd, iov, 2);
    S(SYS_preadv, fd, iov, 2, 0, 0);
    S(SYS_pwritev, fd, iov, 1, 50, 0);
    S(SYS_preadv2, fd, iov, 2, 0, 0, 0);
    S(SYS_pwritev2, fd, iov, 1, 60, 0, 0);
    S(SYS_read, NOFD, buf, 8);
    S(SYS_write, fd, BAD, 5);
    S(SYS_lseek, fd, 0, 7);
    S(SYS_fstat, fd, buf);
    S(SYS_stat, "f", buf);
    S(SYS_lstat, "nope", buf);
    S(SYS_newfstatat, AT_FDCWD, "f", buf, AT_SYMLINK_NOFOLLOW);
    S(SYS_statx, AT_FDCWD, "nope", 0, 0x7ff, buf);
    S(SYS_ftruncate, fd, 200);
    S(SYS_truncate, "f", 150);
    S(SYS_fallocate, fd, 0, 0, 4096);
    S(SYS_fsync, fd);
    S(SYS_fdatasync, fd);
    S(SYS_syncfs, fd);
    S(SYS_sync);
    S(SYS_fcntl, fd, F_SETFD, FD_CLOEXEC);
    S(SYS_fcntl, fd, F_GETFD);
    S(SYS_fcntl, fd, F_SETFL, O_APPEND | O_NONBLOCK);
    S(SYS_fcntl, fd, F_GETFL);
    long d = S(SYS_dup, fd);
    S(SYS_dup2, d, 10);
    S(SYS_dup3, d, 11, O_CLOEXEC);
    S(SYS_dup3, d, d, 0);
    S(SYS_close, 10);
    S(SYS_close, 11);
    S(SYS_close, d);
    S(SYS_close, NOFD);
    S(SYS_fchmod, fd, 0600);
    S(SYS_fchown, fd, -1, -1);
    S(SYS_ioctl, fd, FIONREAD, buf);
    S(SYS_ioctl, fd, 0x5401 /* TCGETS */, buf);
    S(SYS_fstatfs, NOFD, buf);
    S(SYS_close, fd);
}

/* Paths: creating, renaming, linking, changing and removing them. */
static void paths(const char *dir) {
    S(SYS_mkdir, "d", 0755);
    S(SYS_mkdir, "d", 0755);
    S(SYS_mkdirat, AT_FDCWD, "d/e", 0700);
    S(SYS_mknod, "fifo", S_IFIFO | 0600, 0);
    S(SYS_mknodat, AT_FDCWD, "d/fifo", S_IFIFO | 0644, 0);
    S(SYS_rename, "fifo", "fifo2");
    S(SYS_renameat, AT_FDCWD, "fifo2", AT_FDCWD, "fifo3");
    S(SYS_renameat2, AT_FDCWD, "fifo3", AT_FDCWD, "f", 1 /* RENAME_NOREPLACE */);
    S(SYS_link, "f", "hard");
    S(SYS_linkat, AT_FDCWD, "hard", AT_FDCWD, "hard2", 0);
    S(SYS_symlink, "f", "sym");
    S(SYS_symlinkat, "nowhere", AT_FDCWD, "dangling");
    S(SYS_readlink, "sym", buf, sizeof buf);
    S(SYS_readlinkat, AT_FDCWD, "dangling", buf, 3);
    S(SYS_readlink, "f", buf, sizeof buf);
    S(SYS_chmod, "f", 04755);
    S(SYS_fchmodat, AT_FDCWD, "f", 0644);
    /* owners left as they are: the same result for root and for anyone else */
    S(SYS_chown, "f", -1, -1);
    S(SYS_lchown, "sym", -1, -1);
    S(SYS_fchownat, AT_FDCWD, "sym", -1, -1, AT_SYMLINK_NOFOLLOW);
    struct k_timespec ts[2] = {{0, UTIME_OMIT}, {1000000000, 5}};
    S(SYS_utimensat, AT_FDCWD, "f", ts, 0);
    struct k_timeval tv[2] = {{1, 2}, {3, 4}};
    S(SYS_utimes, "f", tv);
    S(SYS_futimesat, AT_FDCWD, "f", NULL);
    long ut[2] = {1700000000, 1700000001};
    S(SYS_utime, "f", ut);
    S(SYS_access, "f", R_OK | W_OK);
    S(SYS_faccessat, AT_FDCWD, "nope", F_OK);
    S(SYS_faccessat2, AT_FDCWD, "f", X_OK, AT_EACCESS | AT_SYMLINK_NOFOLLOW);
    S(SYS_getcwd, buf, sizeof buf);
    S(SYS_getcwd, buf, 1);
    S(SYS_chdir, "d");
    long dfd = S(SYS_open, "..", O_RDONLY | O_DIRECTORY);
    S(SYS_fchdir, dfd);
    S(SYS_getdents64, dfd, buf, sizeof buf);
    S(SYS_getdents, NOFD, buf, sizeof buf);
    S(SYS_close, dfd);
    S(SYS_chdir, dir);
    long c = S(SYS_creat, "new", 0600);
    S(SYS_close, c);
    struct k_open_how how = {O_RDONLY | O_NOFOLLOW, 0, 0x04 /* RESOLVE_NO_SYMLINKS */};
    S(SYS_openat2, AT_FDCWD, "sym", &how, sizeof how);
    /* An extensible struct longer than the kernel knows: zero tail accepted, non-zero E2BIG. */
    struct { struct k_open_how how; unsigned char tail[8]; } longer = {how, {0}};
    long fd2 = S(SYS_openat2, AT_FDCWD, ".", &longer, sizeof longer);
    S(SYS_close, fd2);
    longer.tail[5] = 0x41;
    S(SYS_openat2, AT_FDCWD, ".", &longer, sizeof longer);
    S(SYS_open, "nope", O_WRONLY | O_CREAT | O_EXCL | O_DIRECTORY, 0644);
    S(SYS_statfs, "nope", buf);
    S(SYS_unlink, "hard");
    S(SYS_unlinkat, AT_FDCWD, "hard2", 0);
    S(SYS_unlinkat, AT_FDCWD, "d/e", AT_REMOVEDIR);
    S(SYS_rmdir, "d");
    S(SYS_chroot, "nope");
}

/* Pipes, polling and copying between descriptors. */
static void pipes(void) {
    int p[2];
    S(SYS_pipe2, p, O_NONBLOCK | O_CLOEXEC);
    S(SYS_write, p[1], "abcdef", 6);
    struct pollfd pfd[2] = {{p[0], POLLIN, 0}, {p[1], POLLOUT, 0}};
    S(SYS_poll, pfd, 2, 0);
    struct k_timespec zero = {0, 0};
    uint64_t mask = 1ull << (SIGUSR2 - 1);
    S(SYS_ppoll, pfd, 1, &zero, &mask, 8);
    fd_set rd;
    FD_ZERO(&rd);
    FD_SET(p[0], &rd);
    struct k_timeval tv = {0, 0};
    S(SYS_select, p[0] + 1, &rd, NULL, NULL, &tv);
    FD_SET(p[0], &rd);
    S(SYS_pselect6, p[0] + 1, &rd, NULL, NULL, &zero, NULL);
    S(SYS_ioctl, p[0], FIONREAD, buf);
    S(SYS_read, p[0], buf, 2);
    long f = S(SYS_open, "f", O_RDWR);
    long long off = 1;
    S(SYS_splice, p[0], NULL, f, &off, 2, 0);
    S(SYS_sendfile, p[1], f, &off, 3);
    S(SYS_copy_file_range, f, NULL, f, &off, 0, 0);
    S(SYS_pipe, BAD);
    S(SYS_close, f);
    S(SYS_close, p[0]);
    S(SYS_close, p[1]);
}

/* Memory mappings. */
static void memory(void) {
    char *m = (char *)S(SYS_mmap, 0, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    m[0] = 1;
    unsigned char vec[2];
    S(SYS_mincore, m, 8192, vec);
    /* whole-mapping changes only: a mapping split in two would make mremap fail */
    S(SYS_mprotect, m, 8192, PROT_READ);
    S(SYS_madvise, m, 8192, MADV_DONTNEED);
    S(SYS_msync, m, 8192, MS_SYNC | MS_INVALIDATE);
    S(SYS_mlock, m, 8192);
    S(SYS_munlock, m, 8192);
    S(SYS_mlock2, m, 8192, MLOCK_ONFAULT);
    S(SYS_munlockall);
    m = (char *)S(SYS_mremap, m, 8192, 16384, MREMAP_MAYMOVE);
    S(SYS_munmap, m, 16384);
    S(SYS_mmap, 0, 4096, PROT_READ, MAP_SHARED, NOFD, 0);
    S(SYS_brk, 0);
}

/* The process, its signals, clocks and limits. */
static void process(void) {
    long pid = S(SYS_getpid);
    long tid = S(SYS_gettid);
    S(SYS_getppid);
    S(SYS_getuid);
    S(SYS_geteuid);
    S(SYS_getgid);
    S(SYS_getegid);
    struct k_sigaction act = {SIG_IGN, 0x04000000 /* SA_RESTORER */ | SA_RESTART | SA_NODEFER, 0, 1ull << (SIGUSR2 - 1)}, old;
    S(SYS_rt_sigaction, SIGUSR1, &act, &old, 8);
    S(SYS_rt_sigaction, SIGKILL, &act, NULL, 8);
    uint64_t set = 1ull << (SIGUSR2 - 1), oset;
    S(SYS_rt_sigprocmask, SIG_BLOCK, &set, &oset, 8);
    S(SYS_rt_sigpending, &oset, 8);
    struct k_timespec zero = {0, 0};
    S(SYS_rt_sigtimedwait, &set, buf, &zero, 8);
    struct k_stack ss;
    S(SYS_sigaltstack, NULL, &ss);
    S(SYS_kill, pid, 0);
    S(SYS_kill, NOPID, SIGTERM);
    S(SYS_tkill, tid, 0);
    S(SYS_tgkill, pid, tid, 0);
    S(SYS_alarm, 0);
    struct k_itimerval itv = {{0, 0}, {0, 0}}, oitv;
    S(SYS_setitimer, ITIMER_REAL, &itv, &oitv);
    S(SYS_getitimer, ITIMER_VIRTUAL, &oitv);
    struct k_sigevent sev = {0, 0, SIGEV_NONE, {0}};
    int timer = -1;
    S(SYS_timer_create, CLOCK_MONOTONIC, &sev, &timer);
    struct k_itimerspec its = {{0, 0}, {1000, 0}}, oits;
    S(SYS_timer_settime, timer, 0, &its, NULL);
    S(SYS_timer_gettime, timer, &oits);
    S(SYS_timer_getoverrun, timer);
    S(SYS_timer_delete, timer);
    struct k_timespec ts;
    S(SYS_clock_gettime, CLOCK_REALTIME, &ts);
    S(SYS_clock_getres, CLOCK_MONOTONIC, &ts);
    S(SYS_clock_gettime, 0x3039, &ts);
    struct k_timespec nap = {0, 1000};
    S(SYS_nanosleep, &nap, NULL);
    S(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &nap, NULL);
    struct k_timeval tv;
    S(SYS_gettimeofday, &tv, NULL);
    long t;
    S(SYS_time, &t);
    struct k_rlimit rl;
    S(SYS_getrlimit, RLIMIT_STACK, &rl);
    S(SYS_prlimit64, 0, RLIMIT_STACK, NULL, &rl);
    S(SYS_getrandom, buf, 8, GRND_NONBLOCK);
    S(SYS_uname, BAD);
    S(SYS_sysinfo, BAD);
    S(SYS_getrusage, RUSAGE_SELF, buf);
    S(SYS_getrusage, 99, buf);
    S(SYS_times, buf);
    S(SYS_prctl, PR_SET_NAME, "emtrace-guest", 0, 0, 0);
    S(SYS_prctl, PR_GET_NAME, buf, 0, 0, 0);
    S(SYS_prctl, PR_GET_DUMPABLE, 0, 0, 0, 0);
    S(SYS_prctl, PR_SET_DUMPABLE, 1, 0, 0, 0);
    S(SYS_prctl, PR_GET_PDEATHSIG, buf, 0, 0, 0);
    S(SYS_prctl, PR_SET_PDEATHSIG, 0, 0, 0, 0);
    S(SYS_prctl, PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);
    S(SYS_prctl, PR_GET_SECCOMP, 0, 0, 0, 0);
    S(SYS_prctl, 0x7fff, 1, 2, 3, 4);
    unsigned int action = 0x7ffc0000; /* SECCOMP_RET_LOG */
    S(SYS_seccomp, 2 /* SECCOMP_GET_ACTION_AVAIL */, 0, &action);
    uint16_t sizes[3] = {0, 0, 0};
    S(SYS_seccomp, 3 /* SECCOMP_GET_NOTIF_SIZES */, 0, sizes);
    S(SYS_seccomp, 0x7f, 0, NULL);
    S(SYS_arch_prctl, 0x1003 /* ARCH_GET_FS */, buf);
    S(SYS_arch_prctl, 0x9999, 0);
    S(999, 1, 2, 3, 4, 5, 6);
}

/* Calls emtrace answers with ENOSYS, given arguments Linux refuses too. */
static void unimplemented(void) {
    /* processes */
    S(SYS_clone, CLONE_THREAD | CLONE_CHILD_CLEARTID | CLONE_CHILD_SETTID | SIGCHLD, 0, 0, buf, 0);
    S(SYS_clone, CLONE_THREAD | CLONE_PARENT_SETTID | CLONE_SETTLS, 0, buf, buf + 8, buf + 16);
    struct k_clone_args ca = {CLONE_THREAD | CLONE_CHILD_SETTID, 0, (uintptr_t)buf, 0, SIGCHLD, 0, 0, 0, 0, 0, 0};
    S(SYS_clone3, &ca, 64);
    S(SYS_clone3, BAD, 88);
    int status;
    S(SYS_wait4, -1, &status, WNOHANG, buf);
    S(SYS_waitid, P_ALL, 0, buf, WEXITED | WNOHANG, NULL);
    S(SYS_execve, "nope", argv_, envp_);
    S(SYS_execveat, AT_FDCWD, "nope", argv_, NULL, AT_SYMLINK_NOFOLLOW);
    struct k_siginfo si = {SIGUSR1, 0, -1 /* SI_QUEUE */, 0, 1, 2, {0}};
    S(SYS_rt_sigqueueinfo, NOPID, SIGUSR1, &si);
    S(SYS_rt_tgsigqueueinfo, NOPID, NOPID, SIGUSR1, &si);
    S(SYS_pidfd_send_signal, NOFD, SIGKILL, NULL, 0);
    S(SYS_pidfd_open, NOPID, 0);
    /* descriptors */
    S(SYS_flock, NOFD, LOCK_EX | LOCK_NB);
    S(SYS_readahead, NOFD, 0, 4096);
    S(SYS_fadvise64, NOFD, 0, 100, POSIX_FADV_SEQUENTIAL);
    S(SYS_sync_file_range, NOFD, 0, 4096, SYNC_FILE_RANGE_WRITE);
    S(SYS_tee, NOFD, NOFD, 10, SPLICE_F_NONBLOCK);
    struct k_iovec iov = {"vm", 2};
    S(SYS_vmsplice, NOFD, &iov, 1, SPLICE_F_GIFT);
    S(SYS_epoll_create, 0);
    S(SYS_epoll_create1, 0x7f);
    struct k_epoll_event ev = {EPOLLIN | EPOLLET, 0x1234};
    S(SYS_epoll_ctl, NOFD, EPOLL_CTL_ADD, 0, &ev);
    S(SYS_epoll_wait, NOFD, buf, 8, 0);
    uint64_t mask = 1ull << (SIGUSR2 - 1);
    S(SYS_epoll_pwait, NOFD, buf, 8, 10, &mask, 8);
    struct k_timespec zero = {0, 0};
    S(SYS_epoll_pwait2, NOFD, buf, 8, &zero, NULL, 8);
    S(SYS_eventfd2, 0, 0x7f);
    S(SYS_signalfd4, NOFD, &mask, 8, SFD_NONBLOCK);
    S(SYS_timerfd_create, CLOCK_MONOTONIC, 0x7f);
    struct k_itimerspec its = {{0, 0}, {1, 500}};
    S(SYS_timerfd_settime, NOFD, TFD_TIMER_ABSTIME, &its, buf);
    S(SYS_timerfd_gettime, NOFD, buf);
    S(SYS_inotify_init1, 0x7f);
    S(SYS_inotify_add_watch, NOFD, "f", IN_MODIFY | IN_CLOSE_WRITE | IN_ONLYDIR);
    S(SYS_inotify_rm_watch, NOFD, 1);
    S(SYS_memfd_create, "x", 0x7f0);
    S(SYS_setns, NOFD, CLONE_NEWNET);
    S(SYS_process_madvise, NOFD, &iov, 1, MADV_COLD, 0);
    /* extended attributes */
    S(SYS_setxattr, "nope", "user.a", "value", 5, XATTR_CREATE);
    S(SYS_lsetxattr, "nope", "user.a", "value", 5, 0);
    S(SYS_fsetxattr, NOFD, "user.a", "value", 5, XATTR_REPLACE);
    S(SYS_getxattr, "nope", "user.a", buf, 64);
    S(SYS_lgetxattr, "nope", "user.a", buf, 64);
    S(SYS_fgetxattr, NOFD, "user.a", buf, 64);
    S(SYS_listxattr, "nope", buf, 64);
    S(SYS_llistxattr, "nope", buf, 64);
    S(SYS_flistxattr, NOFD, buf, 64);
    S(SYS_removexattr, "nope", "user.a");
    S(SYS_lremovexattr, "nope", "user.a");
    S(SYS_fremovexattr, NOFD, "user.a");
    /* mounts and the like */
    S(SYS_mount, "none", "nope", "tmpfs", MS_RDONLY | MS_NOSUID, "size=1m");
    S(SYS_umount2, "nope", MNT_DETACH);
    S(SYS_swapon, "nope", 0);
    S(SYS_swapoff, "nope");
    S(SYS_acct, "nope");
    S(SYS_pivot_root, "nope", "nope2");
    /* memory */
    S(SYS_shmat, -1, NULL, SHM_RDONLY);
    S(SYS_shmdt, BAD);
    unsigned long ctx = 0;
    S(SYS_io_setup, 0, &ctx);
    S(SYS_io_destroy, 0);
    S(SYS_remap_file_pages, BAD, 4096, 0, 0, 0);
    S(SYS_pkey_mprotect, BAD, 4096, PROT_READ, 99);
    /* clocks */
    S(SYS_adjtimex, BAD);
    struct k_timeval badtv = {0, 2000000};
    S(SYS_settimeofday, &badtv, NULL);
    S(SYS_clock_settime, CLOCK_MONOTONIC, &zero);
    S(SYS_clock_adjtime, 0x3039, BAD);
    /* message queues */
    struct k_mq_attr mqa = {0, 0, 8, 0, {0}};
    S(SYS_mq_open, "/emtrace-nope", O_RDONLY, 0, NULL);
    S(SYS_mq_open, "/emtrace-nope", O_RDWR | O_CREAT | O_EXCL, 0600, &mqa);
    S(SYS_mq_unlink, "/emtrace-nope");
    S(SYS_mq_timedsend, NOFD, "msg", 3, 1, &zero);
    unsigned int prio = 0;
    S(SYS_mq_timedreceive, NOFD, buf, 64, &prio, &zero);
    struct k_sigevent sev = {0, SIGUSR1, SIGEV_SIGNAL, {0}};
    S(SYS_mq_notify, NOFD, &sev);
    S(SYS_mq_getsetattr, NOFD, &mqa, buf);
    /* fanotify, handles, modules, kexec */
    S(SYS_fanotify_init, FAN_CLASS_CONTENT | FAN_CLOEXEC | 0x80000000, O_RDONLY | O_LARGEFILE);
    S(SYS_fanotify_mark, NOFD, FAN_MARK_ADD, FAN_MODIFY | FAN_ONDIR, AT_FDCWD, "f");
    struct { unsigned int bytes; int type; unsigned char h[128]; } fh = {128, 0, {0}};
    int mount_id = 0;
    S(SYS_name_to_handle_at, AT_FDCWD, "nope", &fh, &mount_id, 0);
    struct { unsigned int bytes; int type; unsigned char h[8]; } fh8 = {8, 1, {1, 2, 3, 4, 0xfe, 0, 0, 7}};
    S(SYS_open_by_handle_at, NOFD, &fh8, O_RDONLY | O_CLOEXEC);
    S(SYS_finit_module, NOFD, "opt=1", 0);
    S(SYS_kexec_file_load, NOFD, NOFD, 5, "root=", 0);
    unsigned long seg[4] = {(unsigned long)buf, 16, 0x100000, 4096};
    S(SYS_kexec_load, 0x100000, 1, seg, 0x30000 /* KEXEC_ARCH_386 */);
    S(SYS_userfaultfd, 0x7fffffff);
    S(SYS_pidfd_getfd, NOFD, 0, 0);
    S(SYS_unshare, CLONE_NEWTIME | 1);
    /* the new mount API */
    S(SYS_open_tree, AT_FDCWD, "nope", O_CLOEXEC /* OPEN_TREE_CLOEXEC */);
    S(SYS_move_mount, NOFD, "", AT_FDCWD, "nope", 4 /* MOVE_MOUNT_F_EMPTY_PATH */);
    S(SYS_fsopen, "nope-fs", 1 /* FSOPEN_CLOEXEC */);
    S(SYS_fsconfig, NOFD, 1 /* FSCONFIG_SET_STRING */, "source", "none", 0);
    S(SYS_fsmount, NOFD, 1 /* FSMOUNT_CLOEXEC */, 1 /* MOUNT_ATTR_RDONLY */);
    S(SYS_fspick, AT_FDCWD, "nope", 1 /* FSPICK_CLOEXEC */);
    uint64_t mattr[4] = {1 /* MOUNT_ATTR_RDONLY */, 2 /* MOUNT_ATTR_NOSUID */, 0, 0};
    S(SYS_mount_setattr, AT_FDCWD, "nope", 0x8000 /* AT_RECURSIVE */, mattr, sizeof mattr);
    /* landlock, memfd_secret, process_mrelease */
    uint64_t ruleset = 4 | 8; /* LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR */
    S(SYS_landlock_create_ruleset, &ruleset, sizeof ruleset, 0x11);
    struct { uint64_t allowed; int32_t parent; } __attribute__((packed)) rule = {4, 3};
    S(SYS_landlock_add_rule, NOFD, 1 /* LANDLOCK_RULE_PATH_BENEATH */, &rule, 0);
    S(SYS_landlock_restrict_self, NOFD, 0);
    S(SYS_memfd_secret, 0x7f);
    S(SYS_process_mrelease, NOFD, 0);
    /* NUMA and protection keys */
    unsigned long nodes = 1;
    S(SYS_mbind, BAD, 4096, 2 /* MPOL_BIND */ | 0x8000 /* MPOL_F_STATIC_NODES */, &nodes, 2, 1 /* MPOL_MF_STRICT */);
    S(SYS_set_mempolicy, 0x7f, &nodes, 64);
    int pol = 0;
    S(SYS_get_mempolicy, &pol, NULL, 0, NULL, 0x7f);
    S(SYS_migrate_pages, NOPID, 64, &nodes, &nodes);
    void *pages[1] = {buf};
    int where[1] = {0}, stat_[1] = {0};
    S(SYS_move_pages, NOPID, 1, pages, where, stat_, 2 /* MPOL_MF_MOVE */);
    S(SYS_set_mempolicy_home_node, BAD, 4096, 0, 0);
    S(SYS_pkey_free, 99);
    /* files */
    S(SYS_uselib, "nope");
    /* sockets */
    struct k_sockaddr_in sin = {AF_INET, htons(80), {127, 0, 0, 1}, {0}};
    S(SYS_connect, NOFD, &sin, sizeof sin);
    struct k_sockaddr_un sun = {AF_UNIX, "sock"};
    S(SYS_bind, NOFD, &sun, 2 + 5);
    struct k_sockaddr_nl snl = {AF_NETLINK, 0, 0, 5};
    S(SYS_bind, NOFD, &snl, sizeof snl);
    struct k_sockaddr_in6 sin6 = {AF_INET6, htons(443), 0, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 0};
    S(SYS_sendto, NOFD, "data", 4, MSG_DONTWAIT | MSG_NOSIGNAL, &sin6, sizeof sin6);
    /* more address forms: IPv4-mapped and compressed IPv6, an abstract unix socket, an unknown
       family's raw bytes, a length too short for the family */
    struct k_sockaddr_in6 mapped = {AF_INET6, htons(8080), htonl(5), {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 1}, 0};
    S(SYS_connect, NOFD, &mapped, sizeof mapped);
    struct k_sockaddr_in6 doc = {AF_INET6, 0, 0, {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1}, 0};
    S(SYS_connect, NOFD, &doc, 24);
    struct k_sockaddr_un abstract = {AF_UNIX, "\0abs\0x"};
    S(SYS_bind, NOFD, &abstract, 2 + 6);
    struct k_sockaddr_un other = {AF_APPLETALK, "\1\2zz"};
    S(SYS_bind, NOFD, &other, 2 + 4);
    S(SYS_connect, NOFD, &sin, 8);
    S(SYS_connect, NOFD, &sin, 1);
    struct k_iovec msgiov = {"payload", 7};
    struct k_cmsg_rights cm = {sizeof cm, SOL_SOCKET, SCM_RIGHTS, {0, 1}};
    struct k_msghdr msg = {&sin, sizeof sin, &msgiov, 1, &cm, sizeof cm, 0};
    S(SYS_sendmsg, NOFD, &msg, MSG_EOR);
    S(SYS_recvmsg, NOFD, &msg, MSG_PEEK | MSG_TRUNC);
    struct { struct k_msghdr hdr; unsigned int len; } vec[2] = {{msg, 0}, {{NULL, 0, &msgiov, 1, NULL, 0, 0}, 0}};
    S(SYS_sendmmsg, NOFD, vec, 2, MSG_NOSIGNAL);
    int len = sizeof sin;
    S(SYS_recvfrom, NOFD, buf, 10, MSG_WAITALL, &sin, &len);
    S(SYS_accept4, NOFD, &sin, &len, SOCK_CLOEXEC | SOCK_NONBLOCK);
    S(SYS_accept, NOFD, NULL, NULL);
    S(SYS_getsockname, NOFD, &sin, &len);
    S(SYS_getpeername, NOFD, &sin, &len);
    S(SYS_listen, NOFD, 5);
    S(SYS_shutdown, NOFD, SHUT_RDWR);
    int one = 1;
    S(SYS_setsockopt, NOFD, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    S(SYS_getsockopt, NOFD, SOL_SOCKET, SO_ERROR, &one, &len);
    S(SYS_socketpair, AF_UNIX, SOCK_STREAM, 0, BAD);
}

/* Calls that give a descriptor on Linux and ENOSYS in emtrace: last, so the descriptor numbers
   of everything before agree. */
static void new_descriptors(void) {
    uint64_t mask = 1ull << (SIGUSR2 - 1);
    S(SYS_eventfd2, 0, EFD_CLOEXEC);
    S(SYS_epoll_create1, EPOLL_CLOEXEC);
    S(SYS_timerfd_create, CLOCK_MONOTONIC, TFD_CLOEXEC);
    S(SYS_signalfd4, -1, &mask, 8, SFD_CLOEXEC);
    S(SYS_signalfd, -1, &mask, 8);
    S(SYS_eventfd, 1);
    S(SYS_epoll_create, 1);
    S(SYS_socket, AF_INET, SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_IP);
    S(SYS_socket, AF_UNIX, SOCK_DGRAM, 0);
    S(SYS_memfd_create, "x", MFD_CLOEXEC);
    S(SYS_inotify_init1, IN_CLOEXEC | IN_NONBLOCK);
    S(SYS_inotify_init);
    uint64_t ruleset = 4; /* LANDLOCK_ACCESS_FS_READ_FILE */
    S(SYS_landlock_create_ruleset, &ruleset, sizeof ruleset, 0);
}

int main(int argc, char **argv) {
    if (argc != 2 || S(SYS_chdir, argv[1]) != 0) return 2;
    files();
    paths(argv[1]);
    pipes();
    memory();
    process();
    unimplemented();
    new_descriptors();
    S(SYS_write, 1, "done\n", 5);
    return 0;
}
