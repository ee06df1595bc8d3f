/* Requests to create or wait for children that Linux refuses, each printed with its errno:
   clone's flag rules, clone3's struct checks, wait4's and waitid's options. Every request here
   fails on Linux, so nothing is ever created; a request that did succeed ends the child at once. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef CLONE_PIDFD
#define CLONE_PIDFD 0x1000
#endif
#define CLONE_CLEAR_SIGHAND_ 0x100000000ULL
#define CLONE_INTO_CGROUP_ 0x200000000ULL
#ifndef P_PIDFD
#define P_PIDFD 3
#endif

struct args {
    uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls, set_tid, set_tid_size, cgroup;
    uint64_t tail;
};

static int tid;

static const char *errname(int e) {
    switch (e) {
    case EINVAL: return "EINVAL";
    case E2BIG: return "E2BIG";
    case EFAULT: return "EFAULT";
    case ECHILD: return "ECHILD";
    case ESRCH: return "ESRCH";
    case EBADF: return "EBADF";
    default: return "other";
    }
}

static void show(const char *what, long r) {
    if (r == 0) syscall(SYS_exit, 99); /* a child that should never have been: gone at once */
    printf("%-34s %ld %s\n", what, r, r < 0 ? errname(errno) : "");
}


static long clone_raw(unsigned long flags, void *parent_tid) {
    return syscall(SYS_clone, flags, 0, parent_tid, &tid, 0);
}

static long clone3_raw(struct args *a, size_t size) {
    return syscall(SYS_clone3, a, size);
}

int main(void) {
    show("clone THREAD without SIGHAND", clone_raw(CLONE_THREAD | CLONE_VM | SIGCHLD, NULL));
    show("clone SIGHAND without VM", clone_raw(CLONE_SIGHAND | SIGCHLD, NULL));
    show("clone NEWNS|FS", clone_raw(CLONE_NEWNS | CLONE_FS | SIGCHLD, NULL));
    show("clone NEWUSER|FS", clone_raw(CLONE_NEWUSER | CLONE_FS | SIGCHLD, NULL));
    show("clone THREAD|NEWPID", clone_raw(CLONE_THREAD | CLONE_SIGHAND | CLONE_VM | CLONE_NEWPID, NULL));
    show("clone PIDFD|PARENT_SETTID same", clone_raw(CLONE_PIDFD | CLONE_PARENT_SETTID | SIGCHLD, &tid));

    struct args a;
    memset(&a, 0, sizeof a);
    a.exit_signal = SIGCHLD;
    show("clone3 size 0", clone3_raw(&a, 0));
    show("clone3 size 63", clone3_raw(&a, 63));
    static union { struct args a; unsigned char bytes[8192]; } page; /* zero past the fields */
    page.a = a;
    show("clone3 size 4097", clone3_raw(&page.a, 4097));
    page.bytes[100] = 7;
    show("clone3 size 4096, byte 100 set", clone3_raw(&page.a, 4096));
    show("clone3 bad address", clone3_raw((struct args *)16, 88));
    a.tail = 1;
    show("clone3 nonzero tail", clone3_raw(&a, sizeof a));
    a.tail = 0;
    a.set_tid_size = 33;
    a.set_tid = (uintptr_t)&tid;
    show("clone3 set_tid_size 33", clone3_raw(&a, 88));
    a.set_tid_size = 0;
    show("clone3 set_tid without size", clone3_raw(&a, 88));
    a.set_tid = 0;
    a.set_tid_size = 1;
    show("clone3 size without set_tid", clone3_raw(&a, 88));
    a.set_tid_size = 0;
    a.exit_signal = 65;
    show("clone3 exit_signal 65", clone3_raw(&a, 88));
    a.exit_signal = SIGCHLD | (1ULL << 40);
    show("clone3 exit_signal high bits", clone3_raw(&a, 88));
    a.exit_signal = SIGCHLD;
    a.flags = 1ULL << 40;
    show("clone3 unknown flag", clone3_raw(&a, 88));
    a.flags = 0x400000; /* CLONE_DETACHED */
    show("clone3 DETACHED", clone3_raw(&a, 88));
    a.flags = 0x11;
    show("clone3 CSIGNAL bits", clone3_raw(&a, 88));
    a.flags = CLONE_SIGHAND | CLONE_VM | CLONE_CLEAR_SIGHAND_;
    show("clone3 SIGHAND|CLEAR_SIGHAND", clone3_raw(&a, 88));
    a.flags = CLONE_PARENT;
    show("clone3 PARENT with exit_signal", clone3_raw(&a, 88));
    a.flags = 0;
    a.stack = (uintptr_t)&a;
    show("clone3 stack without size", clone3_raw(&a, 88));
    a.stack = 0;
    a.stack_size = 4096;
    show("clone3 size without stack", clone3_raw(&a, 88));
    a.stack_size = 0;
    a.flags = CLONE_INTO_CGROUP_;
    show("clone3 INTO_CGROUP in VER0", clone3_raw(&a, 64));
    a.cgroup = 1ULL << 32;
    show("clone3 INTO_CGROUP big cgroup", clone3_raw(&a, 88));

    int status;
    siginfo_t info;
    show("wait4 no children", wait4(-1, &status, WNOHANG, NULL));
    show("wait4 bad options", wait4(-1, &status, 0x10, NULL));
    show("wait4 INT_MIN", wait4(INT_MIN, &status, 0, NULL));
    show("wait4 some pid", wait4(12345, &status, 0, NULL));
    show("waitid no children", waitid(P_ALL, 0, &info, WEXITED));
    show("waitid no event kind", waitid(P_ALL, 0, &info, WNOHANG));
    show("waitid bad options", waitid(P_ALL, 0, &info, WEXITED | 0x10));
    show("waitid P_PID 0", waitid(P_PID, 0, &info, WEXITED));
    show("waitid P_PGID -1", waitid(P_PGID, -1, &info, WEXITED));
    show("waitid P_PGID 0", waitid(P_PGID, 0, &info, WEXITED | WNOHANG));
    show("waitid P_PIDFD closed fd", waitid(P_PIDFD, 77, &info, WEXITED));
    show("waitid P_PIDFD not a pidfd", waitid(P_PIDFD, 0, &info, WEXITED));
    show("waitid bad idtype", waitid((idtype_t)9, 0, &info, WEXITED));
    return 0;
}
