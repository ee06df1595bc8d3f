/* Identity, scheduling, futex and personality syscalls, on their success and error paths, with
   output that does not depend on the machine: run natively as root, under the real strace and
   under emtrace, all three must print the same.

   Usage: identity [SECTION]...   with no section, every section that can run natively as root,
   in order (caps last: it drops the capabilities for good). `uts` changes the host name and
   `nonroot` expects to run as uid 1000 without capabilities: emtrace only (--uid 1000). */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#define NOBODY 0x7fffffff /* a pid no process has */

/* From <linux/futex.h> and <linux/capability.h>, which musl does not ship. */
#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_REQUEUE 3
#define FUTEX_CMP_REQUEUE 4
#define FUTEX_WAKE_OP 5
#define FUTEX_WAIT_BITSET 9
#define FUTEX_WAKE_BITSET 10
#define FUTEX_PRIVATE_FLAG 128
#define FUTEX_CLOCK_REALTIME 256
#define FUTEX_WAIT_PRIVATE (FUTEX_WAIT | FUTEX_PRIVATE_FLAG)
#define FUTEX_WAKE_PRIVATE (FUTEX_WAKE | FUTEX_PRIVATE_FLAG)
#define FUTEX_REQUEUE_PRIVATE (FUTEX_REQUEUE | FUTEX_PRIVATE_FLAG)
#define FUTEX_CMP_REQUEUE_PRIVATE (FUTEX_CMP_REQUEUE | FUTEX_PRIVATE_FLAG)
#define FUTEX_WAKE_OP_PRIVATE (FUTEX_WAKE_OP | FUTEX_PRIVATE_FLAG)
#define FUTEX_WAIT_BITSET_PRIVATE (FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG)
#define FUTEX_WAKE_BITSET_PRIVATE (FUTEX_WAKE_BITSET | FUTEX_PRIVATE_FLAG)
#define FUTEX_BITSET_MATCH_ANY 0xffffffff
#define FUTEX_OP_SET 0
#define FUTEX_OP_ADD 1
#define FUTEX_OP_OR 2
#define FUTEX_OP_OPARG_SHIFT 8
#define FUTEX_OP_CMP_EQ 0
#define FUTEX_OP_CMP_GT 4
#define FUTEX_OP(op, oparg, cmp, cmparg) ((((op) & 0xf) << 28) | (((cmp) & 0xf) << 24) | (((oparg) & 0xfff) << 12) | ((cmparg) & 0xfff))

#define _LINUX_CAPABILITY_VERSION_1 0x19980330
#define _LINUX_CAPABILITY_VERSION_3 0x20080522
#define CAP_CHOWN 0
#define CAP_KILL 5
struct __user_cap_header_struct {
    uint32_t version;
    int pid;
};
struct __user_cap_data_struct {
    uint32_t effective, permitted, inheritable;
};

static const char *errname(int e) {
    switch (e) {
    case EPERM: return "EPERM";
    case ESRCH: return "ESRCH";
    case EINTR: return "EINTR";
    case EBADF: return "EBADF";
    case EAGAIN: return "EAGAIN";
    case EACCES: return "EACCES";
    case EFAULT: return "EFAULT";
    case EINVAL: return "EINVAL";
    case ENOSYS: return "ENOSYS";
    case ETIMEDOUT: return "ETIMEDOUT";
    case EDEADLK: return "EDEADLK";
    default: return "other";
    }
}

/* Prints `what = result` or `what = -1 ENAME`. */
static long show(const char *what, long r) {
    if (r == -1) printf("%s = -1 %s\n", what, errname(errno));
    else printf("%s = %ld\n", what, r);
    return r;
}

/* The lines of /proc/self/status that start with one of `keys` (space separated). */
static void status(const char *keys) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[512];
    if (!f) {
        printf("no /proc/self/status\n");
        return;
    }
    while (fgets(line, sizeof line, f)) {
        char key[64];
        if (sscanf(line, "%63[^:]:", key) != 1) continue;
        char pattern[80];
        snprintf(pattern, sizeof pattern, " %s ", key);
        char list[256];
        snprintf(list, sizeof list, " %s ", keys);
        if (strstr(list, pattern)) printf("status %s", line);
    }
    fclose(f);
}

static void resuid(void) {
    uid_t r, e, s;
    if (show("getresuid", syscall(SYS_getresuid, &r, &e, &s)) == 0) printf("  uids %u %u %u\n", r, e, s);
}

static void resgid(void) {
    gid_t r, e, s;
    if (show("getresgid", syscall(SYS_getresgid, &r, &e, &s)) == 0) printf("  gids %u %u %u\n", r, e, s);
}

static void groups(void) {
    gid_t list[8];
    long n = show("getgroups(8)", syscall(SYS_getgroups, 8, list));
    for (long k = 0; k < n; k++) printf("  group %u\n", list[k]);
}

/* ------------------------------------------------------------------ user and group ids */

static void section_ids(void) {
    resuid();
    resgid();
    show("getresuid(NULL)", syscall(SYS_getresuid, NULL, NULL, NULL));
    gid_t two[2] = {0, 1}, one[1] = {0}, list[4];
    show("setgroups(2)", syscall(SYS_setgroups, 2, two));
    show("getgroups(0, NULL)", syscall(SYS_getgroups, 0, NULL));
    show("getgroups(1)", syscall(SYS_getgroups, 1, list));
    show("getgroups(-1)", syscall(SYS_getgroups, -1, list));
    groups();
    show("setgroups(65537)", syscall(SYS_setgroups, 65537, two));
    show("setgroups(1, NULL)", syscall(SYS_setgroups, 1, NULL));
    gid_t invalid[2] = {7, (gid_t)-1};
    show("setgroups(2, [7, -1])", syscall(SYS_setgroups, 2, invalid));
    show("setgroups(1)", syscall(SYS_setgroups, 1, one));
    groups();
    status("Groups");

    /* Group ids: root may set any. */
    show("setresgid(-1, 1000, -1)", syscall(SYS_setresgid, -1, 1000, -1));
    resgid();
    show("setfsgid(2000)", syscall(SYS_setfsgid, 2000));
    show("setfsgid(-1)", syscall(SYS_setfsgid, -1));
    status("Gid");
    show("setregid(-1, 1001)", syscall(SYS_setregid, -1, 1001));
    resgid();
    show("setregid(1002, -1)", syscall(SYS_setregid, 1002, -1));
    resgid();
    show("setgid(1003)", syscall(SYS_setgid, 1003));
    resgid();
    status("Gid");
    show("setresgid(0, 0, 0)", syscall(SYS_setresgid, 0, 0, 0));
    show("setfsgid(-1)", syscall(SYS_setfsgid, -1));

    /* User ids: an effective id other than 0 takes the capabilities away until it is 0 again. */
    show("setresuid(-1, 1000, -1)", syscall(SYS_setresuid, -1, 1000, -1));
    resuid();
    status("Uid");
    show("setuid(5)", syscall(SYS_setuid, 5));
    show("setresuid(-1, 5, -1)", syscall(SYS_setresuid, -1, 5, -1));
    show("setreuid(5, -1)", syscall(SYS_setreuid, 5, -1));
    show("setresgid(-1, 5, -1)", syscall(SYS_setresgid, -1, 5, -1));
    show("setgid(5)", syscall(SYS_setgid, 5));
    show("setgroups(1)", syscall(SYS_setgroups, 1, one));
    show("setresuid(-1, -1, -1)", syscall(SYS_setresuid, -1, -1, -1));
    show("setfsuid(5)", syscall(SYS_setfsuid, 5));
    show("setfsuid(-1)", syscall(SYS_setfsuid, -1));
    show("setfsuid(0)", syscall(SYS_setfsuid, 0));
    show("setfsuid(-1)", syscall(SYS_setfsuid, -1));
    status("Uid");
    show("setuid(0)", syscall(SYS_setuid, 0));
    resuid();
    show("setreuid(-1, 1000)", syscall(SYS_setreuid, -1, 1000));
    resuid();
    show("setreuid(-1, 0)", syscall(SYS_setreuid, -1, 0));
    resuid();
    show("setreuid(1000, -1)", syscall(SYS_setreuid, 1000, -1));
    resuid();
    show("setresuid(0, 0, 0)", syscall(SYS_setresuid, 0, 0, 0));
    show("setresuid(1000, 1000, 0)", syscall(SYS_setresuid, 1000, 1000, 0));
    resuid();
    show("setresuid(0, 0, 0)", syscall(SYS_setresuid, 0, 0, 0));
    resuid();
    status("Uid Gid");
    show("getuid", syscall(SYS_getuid));
    show("geteuid", syscall(SYS_geteuid));
}

/* ------------------------------------------------------------------ process groups, sessions */

static void section_pgrp(void) {
    pid_t pid = getpid();
    show("setpgid(0, 0)", syscall(SYS_setpgid, 0, 0));
    printf("getpgid(0) is the pid: %d\n", syscall(SYS_getpgid, 0) == pid);
    printf("getpgid(pid) is the pid: %d\n", syscall(SYS_getpgid, pid) == pid);
    printf("getpgrp() is the pid: %d\n", syscall(SYS_getpgrp) == pid);
    show("getpgid(NOBODY)", syscall(SYS_getpgid, NOBODY));
    show("setpgid(0, -1)", syscall(SYS_setpgid, 0, -1));
    show("setpgid(NOBODY, 0)", syscall(SYS_setpgid, NOBODY, 0));
    show("setpgid(pid, pid)", syscall(SYS_setpgid, pid, pid));
    show("setsid", syscall(SYS_setsid));
    long sid = syscall(SYS_getsid, 0);
    printf("getsid(0) is the pid: %d, is getsid(pid): %d\n", sid == pid, sid == syscall(SYS_getsid, pid));
    show("getsid(NOBODY)", syscall(SYS_getsid, NOBODY));
}

/* ------------------------------------------------------------------ scheduling */

static void section_sched(void) {
    unsigned long mask[16];
    memset(mask, 0, sizeof mask);
    mask[0] = 1;
    show("sched_setaffinity(0, 8, [0])", syscall(SYS_sched_setaffinity, 0, 8, mask));
    memset(mask, 0xff, sizeof mask);
    /* The kernel's mask size depends on its configuration: a whole number of longs. */
    long size = syscall(SYS_sched_getaffinity, 0, 128, mask);
    printf("sched_getaffinity(0, 128): whole longs %d, mask %#lx\n", size > 0 && size % 8 == 0, mask[0]);
    show("sched_getaffinity(0, 8)", syscall(SYS_sched_getaffinity, 0, 8, mask));
    show("sched_getaffinity(0, 4)", syscall(SYS_sched_getaffinity, 0, 4, mask));
    show("sched_getaffinity(0, 12)", syscall(SYS_sched_getaffinity, 0, 12, mask));
    show("sched_getaffinity(0, 0)", syscall(SYS_sched_getaffinity, 0, 0, mask));
    show("sched_getaffinity(NULL)", syscall(SYS_sched_getaffinity, 0, 8, NULL));
    show("sched_getaffinity(NOBODY)", syscall(SYS_sched_getaffinity, NOBODY, 8, mask));
    memset(mask, 0, sizeof mask);
    mask[15] = 1; /* CPU 960 */
    show("sched_setaffinity(0, 128, [960])", syscall(SYS_sched_setaffinity, 0, 128, mask));
    show("sched_setaffinity(0, 0)", syscall(SYS_sched_setaffinity, 0, 0, mask));
    mask[0] = 3;
    show("sched_setaffinity(0, 8, [0 1])", syscall(SYS_sched_setaffinity, 0, 8, mask));
    show("sched_setaffinity(NOBODY)", syscall(SYS_sched_setaffinity, NOBODY, 8, mask));

    struct sched_param p = {.sched_priority = 7};
    show("sched_getscheduler(0)", syscall(SYS_sched_getscheduler, 0));
    show("sched_getscheduler(-1)", syscall(SYS_sched_getscheduler, -1));
    show("sched_getscheduler(NOBODY)", syscall(SYS_sched_getscheduler, NOBODY));
    show("sched_getparam(0)", syscall(SYS_sched_getparam, 0, &p));
    printf("  priority %d\n", p.sched_priority);
    show("sched_getparam(0, NULL)", syscall(SYS_sched_getparam, 0, NULL));
    p.sched_priority = 0;
    show("sched_setparam(0, [0])", syscall(SYS_sched_setparam, 0, &p));
    p.sched_priority = 1;
    show("sched_setparam(0, [1])", syscall(SYS_sched_setparam, 0, &p));
    p.sched_priority = 0;
    show("sched_setscheduler(0, SCHED_BATCH)", syscall(SYS_sched_setscheduler, 0, SCHED_BATCH, &p));
    show("sched_getscheduler(0)", syscall(SYS_sched_getscheduler, 0));
    show("sched_setscheduler(0, SCHED_OTHER|RESET_ON_FORK)", syscall(SYS_sched_setscheduler, 0, SCHED_OTHER | SCHED_RESET_ON_FORK, &p));
    show("sched_getscheduler(0)", syscall(SYS_sched_getscheduler, 0));
    show("sched_setscheduler(0, SCHED_OTHER)", syscall(SYS_sched_setscheduler, 0, SCHED_OTHER, &p));
    show("sched_getscheduler(0)", syscall(SYS_sched_getscheduler, 0));
    show("sched_setscheduler(0, SCHED_FIFO, [0])", syscall(SYS_sched_setscheduler, 0, SCHED_FIFO, &p));
    show("sched_setscheduler(0, SCHED_DEADLINE, [0])", syscall(SYS_sched_setscheduler, 0, 6, &p));
    show("sched_setscheduler(0, 42, [0])", syscall(SYS_sched_setscheduler, 0, 42, &p));
    show("sched_setscheduler(0, SCHED_OTHER, NULL)", syscall(SYS_sched_setscheduler, 0, SCHED_OTHER, NULL));
    p.sched_priority = 5;
    show("sched_setscheduler(0, SCHED_OTHER, [5])", syscall(SYS_sched_setscheduler, 0, SCHED_OTHER, &p));
    p.sched_priority = 100;
    show("sched_setscheduler(0, SCHED_RR, [100])", syscall(SYS_sched_setscheduler, 0, SCHED_RR, &p));
    for (int policy = 0; policy <= 6; policy++) {
        char what[64];
        snprintf(what, sizeof what, "sched_get_priority_max(%d)", policy);
        show(what, syscall(SYS_sched_get_priority_max, policy));
        snprintf(what, sizeof what, "sched_get_priority_min(%d)", policy);
        show(what, syscall(SYS_sched_get_priority_min, policy));
    }
    struct timespec ts;
    /* The CFS slice depends on the machine: only that it is under a second. */
    if (show("sched_rr_get_interval(0)", syscall(SYS_sched_rr_get_interval, 0, &ts)) == 0) printf("  under a second %d\n", ts.tv_sec == 0);
    show("sched_rr_get_interval(-1)", syscall(SYS_sched_rr_get_interval, -1, &ts));
    show("sched_rr_get_interval(NOBODY)", syscall(SYS_sched_rr_get_interval, NOBODY, &ts));
    show("sched_rr_get_interval(0, NULL)", syscall(SYS_sched_rr_get_interval, 0, NULL));

    /* Nice values: getpriority answers 20 - nice. */
    show("getpriority(PRIO_PROCESS, 0)", syscall(SYS_getpriority, PRIO_PROCESS, 0));
    show("setpriority(PRIO_PROCESS, 0, 5)", syscall(SYS_setpriority, PRIO_PROCESS, 0, 5));
    show("getpriority(PRIO_PROCESS, 0)", syscall(SYS_getpriority, PRIO_PROCESS, 0));
    show("setpriority(PRIO_PROCESS, 0, 100)", syscall(SYS_setpriority, PRIO_PROCESS, 0, 100));
    show("getpriority(PRIO_PROCESS, pid)", syscall(SYS_getpriority, PRIO_PROCESS, getpid()));
    show("setpriority(PRIO_PROCESS, 0, -100)", syscall(SYS_setpriority, PRIO_PROCESS, 0, -100));
    show("getpriority(PRIO_PROCESS, 0)", syscall(SYS_getpriority, PRIO_PROCESS, 0));
    show("setpriority(PRIO_PROCESS, 0, 0)", syscall(SYS_setpriority, PRIO_PROCESS, 0, 0));
    show("getpriority(3, 0)", syscall(SYS_getpriority, 3, 0));
    show("getpriority(PRIO_PROCESS, NOBODY)", syscall(SYS_getpriority, PRIO_PROCESS, NOBODY));
    show("setpriority(PRIO_PROCESS, NOBODY, 0)", syscall(SYS_setpriority, PRIO_PROCESS, NOBODY, 0));
    show("setpriority(-1, 0, 0)", syscall(SYS_setpriority, -1, 0, 0));

    /* I/O priorities: none set reads as class NONE. */
    show("ioprio_get(PROCESS, 0)", syscall(SYS_ioprio_get, 1, 0));
    show("ioprio_set(PROCESS, 0, BE/4)", syscall(SYS_ioprio_set, 1, 0, (2 << 13) | 4));
    show("ioprio_get(PROCESS, 0)", syscall(SYS_ioprio_get, 1, 0));
    show("ioprio_set(PROCESS, 0, IDLE)", syscall(SYS_ioprio_set, 1, 0, 3 << 13));
    show("ioprio_get(PROCESS, pid)", syscall(SYS_ioprio_get, 1, getpid()));
    show("ioprio_set(PROCESS, 0, class 5)", syscall(SYS_ioprio_set, 1, 0, 5 << 13));
    show("ioprio_set(4, 0, BE/0)", syscall(SYS_ioprio_set, 4, 0, 2 << 13));
    show("ioprio_get(PROCESS, NOBODY)", syscall(SYS_ioprio_get, 1, NOBODY));
    show("ioprio_set(PROCESS, 0, NONE)", syscall(SYS_ioprio_set, 1, 0, 0));
    show("ioprio_get(PROCESS, 0)", syscall(SYS_ioprio_get, 1, 0));
}

/* ------------------------------------------------------------------ resource limits */

static void limit(const char *what, int resource) {
    struct rlimit r;
    if (show(what, syscall(SYS_getrlimit, resource, &r)) == 0) printf("  cur %llu max %llu\n", (unsigned long long)r.rlim_cur, (unsigned long long)r.rlim_max);
}

static void section_rlimit(void) {
    struct rlimit r = {256, 512};
    show("setrlimit(NOFILE, 256, 512)", syscall(SYS_setrlimit, RLIMIT_NOFILE, &r));
    limit("getrlimit(NOFILE)", RLIMIT_NOFILE);
    r.rlim_cur = 600;
    show("setrlimit(NOFILE, 600, 512)", syscall(SYS_setrlimit, RLIMIT_NOFILE, &r));
    show("setrlimit(99)", syscall(SYS_setrlimit, 99, &r));
    show("setrlimit(NOFILE, NULL)", syscall(SYS_setrlimit, RLIMIT_NOFILE, NULL));
    struct rlimit old, next = {128, 512};
    show("prlimit64(0, NOFILE, 128, 512)", syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, &next, &old));
    printf("  old cur %llu max %llu\n", (unsigned long long)old.rlim_cur, (unsigned long long)old.rlim_max);
    limit("getrlimit(NOFILE)", RLIMIT_NOFILE);
    show("dup2(0, 127)", dup2(0, 127));
    show("dup2(0, 128)", dup2(0, 128));
    close(127);
    r.rlim_cur = 64;
    r.rlim_max = 64;
    show("setrlimit(NOFILE, 64, 64)", syscall(SYS_setrlimit, RLIMIT_NOFILE, &r));
    show("prlimit64(0, NOFILE, NULL, old)", syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, NULL, &old));
    printf("  old cur %llu max %llu\n", (unsigned long long)old.rlim_cur, (unsigned long long)old.rlim_max);
    limit("getrlimit(NICE)", RLIMIT_NICE);
}

/* ------------------------------------------------------------------ futex */

static volatile int alarms;

static void on_alarm(int sig) {
    (void)sig;
    alarms++;
}

static long futex(void *uaddr, int op, uint32_t val, const struct timespec *timeout, void *uaddr2, uint32_t val3) {
    return syscall(SYS_futex, uaddr, op, val, timeout, uaddr2, val3);
}

static void section_futex(void) {
    static uint32_t word, word2;
    struct timespec ms = {0, 1000000}, zero = {0, 0}, bad = {0, 1000000000}, long_wait = {10, 0};
    show("FUTEX_WAIT_PRIVATE 1 (word is 0)", futex(&word, FUTEX_WAIT_PRIVATE, 1, NULL, NULL, 0));
    show("FUTEX_WAIT_PRIVATE 0, 1 ms", futex(&word, FUTEX_WAIT_PRIVATE, 0, &ms, NULL, 0));
    show("FUTEX_WAIT 0, 1 ms", futex(&word, FUTEX_WAIT, 0, &ms, NULL, 0));
    show("FUTEX_WAIT_PRIVATE 0, 0 s", futex(&word, FUTEX_WAIT_PRIVATE, 0, &zero, NULL, 0));
    show("FUTEX_WAIT_PRIVATE unaligned", futex((char *)&word + 1, FUTEX_WAIT_PRIVATE, 0, &ms, NULL, 0));
    show("FUTEX_WAIT_PRIVATE NULL", futex(NULL, FUTEX_WAIT_PRIVATE, 0, &ms, NULL, 0));
    show("FUTEX_WAIT_PRIVATE bad timeout", futex(&word, FUTEX_WAIT_PRIVATE, 0, &bad, NULL, 0));
    show("FUTEX_WAIT_PRIVATE unreadable timeout", futex(&word, FUTEX_WAIT_PRIVATE, 0, (void *)16, NULL, 0));
    show("FUTEX_WAIT_PRIVATE|FUTEX_CLOCK_REALTIME", futex(&word, FUTEX_WAIT_PRIVATE | FUTEX_CLOCK_REALTIME, 0, &ms, NULL, 0));
    show("FUTEX_WAIT_BITSET_PRIVATE abs 0", futex(&word, FUTEX_WAIT_BITSET_PRIVATE, 0, &zero, NULL, FUTEX_BITSET_MATCH_ANY));
    show("FUTEX_WAIT_BITSET_PRIVATE|REALTIME abs 0", futex(&word, FUTEX_WAIT_BITSET_PRIVATE | FUTEX_CLOCK_REALTIME, 0, &zero, NULL, FUTEX_BITSET_MATCH_ANY));
    show("FUTEX_WAIT_BITSET abs 0", futex(&word, FUTEX_WAIT_BITSET, 0, &zero, NULL, 1));
    show("FUTEX_WAIT_BITSET_PRIVATE bitset 0", futex(&word, FUTEX_WAIT_BITSET_PRIVATE, 0, &zero, NULL, 0));
    show("FUTEX_WAIT_BITSET_PRIVATE 1 (word is 0)", futex(&word, FUTEX_WAIT_BITSET_PRIVATE, 1, NULL, NULL, FUTEX_BITSET_MATCH_ANY));
    show("FUTEX_WAKE_PRIVATE 1", futex(&word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0));
    show("FUTEX_WAKE INT_MAX", futex(&word, FUTEX_WAKE, INT_MAX, NULL, NULL, 0));
    show("FUTEX_WAKE_PRIVATE unaligned", futex((char *)&word + 2, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0));
    show("FUTEX_WAKE_PRIVATE NULL", futex(NULL, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0));
    show("FUTEX_WAKE NULL", futex(NULL, FUTEX_WAKE, 1, NULL, NULL, 0));
    show("FUTEX_WAKE_BITSET_PRIVATE bitset 0", futex(&word, FUTEX_WAKE_BITSET_PRIVATE, 1, NULL, NULL, 0));
    show("FUTEX_WAKE_BITSET_PRIVATE bitset 0xff", futex(&word, FUTEX_WAKE_BITSET_PRIVATE, 1, NULL, NULL, 0xff));
    show("FUTEX_WAKE_BITSET bitset ANY", futex(&word, FUTEX_WAKE_BITSET, 1, NULL, NULL, FUTEX_BITSET_MATCH_ANY));
    show("FUTEX_REQUEUE_PRIVATE", futex(&word, FUTEX_REQUEUE_PRIVATE, 1, (void *)1, &word2, 0));
    show("FUTEX_CMP_REQUEUE_PRIVATE 0", futex(&word, FUTEX_CMP_REQUEUE_PRIVATE, 1, (void *)1, &word2, 0));
    show("FUTEX_CMP_REQUEUE_PRIVATE 5", futex(&word, FUTEX_CMP_REQUEUE_PRIVATE, 1, (void *)1, &word2, 5));
    show("FUTEX_CMP_REQUEUE_PRIVATE -1", futex(&word, FUTEX_CMP_REQUEUE_PRIVATE, -1, (void *)1, &word2, 0));
    show("FUTEX_WAKE_OP_PRIVATE ADD 5", futex(&word, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1, &word2, FUTEX_OP(FUTEX_OP_ADD, 5, FUTEX_OP_CMP_EQ, 0)));
    show("FUTEX_WAKE_OP_PRIVATE OR 1<<4", futex(&word, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1, &word2, FUTEX_OP(FUTEX_OP_OR | FUTEX_OP_OPARG_SHIFT, 4, FUTEX_OP_CMP_GT, 1)));
    printf("  word2 %u\n", word2);
    show("FUTEX_WAKE_OP_PRIVATE op 7", futex(&word, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1, &word2, FUTEX_OP(7, 0, FUTEX_OP_CMP_EQ, 0)));
    show("FUTEX_WAKE_OP_PRIVATE cmp 9", futex(&word, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1, &word2, FUTEX_OP(FUTEX_OP_SET, 0, 9, 0)));
    printf("  word2 %u\n", word2);
    show("futex op 99", futex(&word, 99, 0, NULL, NULL, 0));

    /* A signal ends a wait: EINTR after the handler (the call is not restarted without
       SA_RESTART). */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);
    struct itimerval it = {{0, 0}, {0, 20000}};
    setitimer(ITIMER_REAL, &it, NULL);
    show("FUTEX_WAIT_PRIVATE 0, no timeout, SIGALRM", futex(&word, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0));
    setitimer(ITIMER_REAL, &it, NULL);
    show("FUTEX_WAIT_PRIVATE 0, 10 s, SIGALRM", futex(&word, FUTEX_WAIT_PRIVATE, 0, &long_wait, NULL, 0));
    printf("  alarms %d\n", alarms);
}

/* ------------------------------------------------------------------ personality */

static void section_personality(void) {
    show("personality(0xffffffff)", syscall(SYS_personality, 0xffffffff));
    show("personality(ADDR_NO_RANDOMIZE)", syscall(SYS_personality, PER_LINUX | ADDR_NO_RANDOMIZE));
    show("personality(0xffffffff)", syscall(SYS_personality, 0xffffffff));
    show("personality(0x12345)", syscall(SYS_personality, 0x12345));
    show("personality(PER_LINUX32|UNAME26)", syscall(SYS_personality, PER_LINUX32 | UNAME26));
    show("personality(PER_LINUX)", syscall(SYS_personality, PER_LINUX));
    show("personality(0xffffffff)", syscall(SYS_personality, 0xffffffff));
}

/* ------------------------------------------------------------------ host name */

static void section_uname(void) {
    struct utsname u;
    if (show("uname", syscall(SYS_uname, &u)) == 0) printf("  %s %s\n", u.sysname, u.machine);
    show("uname(NULL)", syscall(SYS_uname, NULL));
    show("sethostname(65)", syscall(SYS_sethostname, "x", 65));
    show("sethostname(-1)", syscall(SYS_sethostname, "x", -1));
    show("sethostname(NULL)", syscall(SYS_sethostname, NULL, 4));
    show("setdomainname(65)", syscall(SYS_setdomainname, "x", 65));
    show("setdomainname(NULL)", syscall(SYS_setdomainname, NULL, 4));
}

/* Changes the host name (emtrace only: natively it would rename the host). */
static void section_uts(void) {
    struct utsname u;
    show("sethostname(\"guest-host\")", syscall(SYS_sethostname, "guest-host-and-more", 10));
    show("setdomainname(\"example.org\")", syscall(SYS_setdomainname, "example.org", 11));
    show("sethostname(\"\")", syscall(SYS_sethostname, "", 0));
    show("uname", syscall(SYS_uname, &u));
    printf("  nodename '%s' domainname '%s' release %s\n", u.nodename, u.domainname, u.release);
    show("sethostname(\"guest\")", syscall(SYS_sethostname, "guest", 5));
    show("uname", syscall(SYS_uname, &u));
    printf("  nodename '%s'\n", u.nodename);
    FILE *f = fopen("/proc/sys/kernel/hostname", "r");
    char line[80] = "";
    if (f) {
        if (!fgets(line, sizeof line, f)) line[0] = 0;
        fclose(f);
    }
    printf("/proc/sys/kernel/hostname: %s", line);
}

/* ------------------------------------------------------------------ capabilities */

static void caps_of(const char *what, int pid) {
    struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, pid};
    struct __user_cap_data_struct d[2];
    if (show(what, syscall(SYS_capget, &h, d)) == 0)
        printf("  effective %#x %#x permitted %#x %#x inheritable %#x %#x\n", d[0].effective, d[1].effective, d[0].permitted, d[1].permitted, d[0].inheritable, d[1].inheritable);
}

static long capset(int version, int pid, uint32_t effective, uint32_t permitted, uint32_t inheritable) {
    struct __user_cap_header_struct h = {version, pid};
    struct __user_cap_data_struct d[2] = {{effective, permitted, inheritable}, {0, 0, 0}};
    return syscall(SYS_capset, &h, d);
}

static void section_caps(void) {
    struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct d[2];
    show("capget(v3, NULL)", syscall(SYS_capget, &h, NULL));
    h.version = 0x12345678;
    show("capget(bad version, NULL)", syscall(SYS_capget, &h, NULL));
    printf("  version now %#x\n", h.version);
    h.version = 0x12345678;
    show("capget(bad version)", syscall(SYS_capget, &h, d));
    printf("  version now %#x\n", h.version);
    h.version = _LINUX_CAPABILITY_VERSION_3;
    h.pid = -1;
    show("capget(pid -1)", syscall(SYS_capget, &h, d));
    h.pid = NOBODY;
    show("capget(NOBODY)", syscall(SYS_capget, &h, d));
    show("capget(NULL, data)", syscall(SYS_capget, NULL, d));
    h.pid = 0;
    /* What root has depends on the container: only whether CAP_KILL is there. */
    if (show("capget(v3)", syscall(SYS_capget, &h, d)) == 0) printf("  CAP_KILL effective %d\n", (d[0].effective >> CAP_KILL) & 1);
    const uint32_t kill = 1u << CAP_KILL, chown = 1u << CAP_CHOWN;
    show("capset(kill, kill, 0)", capset(_LINUX_CAPABILITY_VERSION_3, 0, kill, kill, 0));
    caps_of("capget(v3)", 0);
    show("capset(kill, kill|chown, 0)", capset(_LINUX_CAPABILITY_VERSION_3, 0, kill, kill | chown, 0));
    show("capset(kill|chown, kill, 0)", capset(_LINUX_CAPABILITY_VERSION_3, 0, kill | chown, kill, 0));
    show("capset(kill, kill, chown)", capset(_LINUX_CAPABILITY_VERSION_3, 0, kill, kill, chown));
    show("capset(pid 1)", capset(_LINUX_CAPABILITY_VERSION_3, 1, kill, kill, 0));
    show("capset(bad version)", capset(0x12345678, 0, kill, kill, 0));
    show("capset(v1, 0, kill, 0)", capset(_LINUX_CAPABILITY_VERSION_1, 0, 0, kill, 0));
    caps_of("capget(pid)", getpid());
    status("CapInh CapPrm CapEff");
    /* Without CAP_SETUID and CAP_SETGID root is no longer privileged. */
    show("setuid(5)", syscall(SYS_setuid, 5));
    show("setgroups(0)", syscall(SYS_setgroups, 0, NULL));
    show("setpriority(PRIO_PROCESS, 0, -1)", syscall(SYS_setpriority, PRIO_PROCESS, 0, -1));
    show("sethostname(\"x\")", syscall(SYS_sethostname, "x", 1));
}

/* ------------------------------------------------------------------ emtrace only, as uid 1000 */

static void section_nonroot(void) {
    resuid();
    resgid();
    groups();
    caps_of("capget(v3)", 0);
    status("Uid Gid Groups CapInh CapPrm CapEff");
    show("setuid(0)", syscall(SYS_setuid, 0));
    show("setresuid(-1, 0, -1)", syscall(SYS_setresuid, -1, 0, -1));
    show("setuid(1000)", syscall(SYS_setuid, 1000));
    show("setgroups(0)", syscall(SYS_setgroups, 0, NULL));
    show("setfsuid(0)", syscall(SYS_setfsuid, 0));
    show("setfsuid(-1)", syscall(SYS_setfsuid, -1));
    show("capset(kill, kill, 0)", capset(_LINUX_CAPABILITY_VERSION_3, 0, 1u << CAP_KILL, 1u << CAP_KILL, 0));
    show("capset(0, 0, 0)", capset(_LINUX_CAPABILITY_VERSION_3, 0, 0, 0, 0));
    struct rlimit r = {512, 1024};
    show("setrlimit(NOFILE, 512, 1024)", syscall(SYS_setrlimit, RLIMIT_NOFILE, &r));
    r.rlim_max = 2048;
    show("setrlimit(NOFILE, 512, 2048)", syscall(SYS_setrlimit, RLIMIT_NOFILE, &r));
    r.rlim_max = 1024;
    r.rlim_cur = 1024;
    show("setrlimit(NOFILE, 1024, 1024)", syscall(SYS_setrlimit, RLIMIT_NOFILE, &r));
    show("setpriority(PRIO_PROCESS, 0, 5)", syscall(SYS_setpriority, PRIO_PROCESS, 0, 5));
    show("setpriority(PRIO_PROCESS, 0, 4)", syscall(SYS_setpriority, PRIO_PROCESS, 0, 4));
    show("setpriority(PRIO_PROCESS, 0, 6)", syscall(SYS_setpriority, PRIO_PROCESS, 0, 6));
    show("getpriority(PRIO_PROCESS, 0)", syscall(SYS_getpriority, PRIO_PROCESS, 0));
    struct sched_param p = {.sched_priority = 1};
    show("sched_setscheduler(0, SCHED_FIFO, [1])", syscall(SYS_sched_setscheduler, 0, SCHED_FIFO, &p));
    p.sched_priority = 0;
    show("sched_setscheduler(0, SCHED_OTHER|RESET_ON_FORK)", syscall(SYS_sched_setscheduler, 0, SCHED_OTHER | SCHED_RESET_ON_FORK, &p));
    show("sched_setscheduler(0, SCHED_OTHER)", syscall(SYS_sched_setscheduler, 0, SCHED_OTHER, &p));
    show("ioprio_set(PROCESS, 0, RT/0)", syscall(SYS_ioprio_set, 1, 0, 1 << 13));
    show("sethostname(\"x\")", syscall(SYS_sethostname, "x", 1));
    show("setdomainname(\"x\")", syscall(SYS_setdomainname, "x", 1));
}

/* Root gives up its ids: the process stops being dumpable and cannot get them back. A replay
   must re-run the id change for the prctl after it to answer as recorded. */
static void section_drop(void) {
    show("prctl(PR_GET_DUMPABLE)", syscall(SYS_prctl, 3 /* PR_GET_DUMPABLE */, 0, 0, 0, 0));
    show("setresuid(1000, 1000, 1000)", syscall(SYS_setresuid, 1000, 1000, 1000));
    show("prctl(PR_GET_DUMPABLE)", syscall(SYS_prctl, 3, 0, 0, 0, 0));
    show("setuid(0)", syscall(SYS_setuid, 0));
}

static const struct {
    const char *name;
    void (*run)(void);
    int native;
} sections[] = {
    {"ids", section_ids, 1},
    {"pgrp", section_pgrp, 1},
    {"sched", section_sched, 1},
    {"rlimit", section_rlimit, 1},
    {"futex", section_futex, 1},
    {"personality", section_personality, 1},
    {"uname", section_uname, 1},
    {"caps", section_caps, 1},
    {"uts", section_uts, 0},
    {"nonroot", section_nonroot, 0},
    {"drop", section_drop, 0},
};

int main(int argc, char **argv) {
    int n = sizeof sections / sizeof sections[0];
    for (int k = 0; k < n; k++) {
        int wanted = argc == 1 ? sections[k].native : 0;
        for (int a = 1; a < argc; a++) wanted |= strcmp(argv[a], sections[k].name) == 0;
        if (!wanted) continue;
        printf("== %s\n", sections[k].name);
        sections[k].run();
    }
    return 0;
}
