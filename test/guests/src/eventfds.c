/* eventfd, timerfd, signalfd and epoll: counters, semaphores, expirations, dequeued signals,
   level- and edge-triggered readiness. Prints only what is the same on every run (counts,
   errnos, flags), so its output natively equals its output under emtrace. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

static int failures;

static void check(const char *what, long got, long want) {
    if (got == want) printf("ok   %s = %ld\n", what, got);
    else {
        printf("FAIL %s = %ld (errno %d), want %ld\n", what, got, errno, want);
        failures++;
    }
}

/* The result, or -errno. */
static long r(long ret) { return ret < 0 ? -errno : ret; }

static uint64_t get64(int fd) {
    uint64_t v = 0;
    if (read(fd, &v, 8) != 8) return (uint64_t)-errno;
    return v;
}

static long put64(int fd, uint64_t v) { return r(write(fd, &v, 8)); }

static void show_link(int fd) {
    char p[64], l[128] = {0};
    snprintf(p, sizeof p, "/proc/self/fd/%d", fd);
    if (readlink(p, l, sizeof l - 1) < 0) strcpy(l, "?");
    printf("fd link: %s\n", l);
}

/* Prints the fdinfo lines that start with one of the prefixes. An epoll's `tfd:` lines come in
   the order of kernel addresses and name inodes: only their events and data, sorted. */
static int by_string(const void *a, const void *b) { return strcmp(a, b); }

static void show_fdinfo(int fd, const char *const *prefixes) {
    char p[64], buf[4096], tfds[8][128];
    int ntfds = 0;
    snprintf(p, sizeof p, "/proc/self/fdinfo/%d", fd);
    FILE *f = fopen(p, "r");
    if (!f) { printf("no fdinfo\n"); return; }
    while (fgets(buf, sizeof buf, f)) {
        char *events = strstr(buf, "events:"), *pos = strstr(buf, "  pos:");
        if (strncmp(buf, "tfd:", 4) == 0 && events && pos && ntfds < 8) {
            *pos = 0;
            snprintf(tfds[ntfds++], sizeof tfds[0], "%s", events);
            continue;
        }
        for (const char *const *q = prefixes; *q; q++)
            if (strncmp(buf, *q, strlen(*q)) == 0) printf("fdinfo: %s", buf);
    }
    fclose(f);
    qsort(tfds, ntfds, sizeof tfds[0], by_string);
    for (int k = 0; k < ntfds; k++) printf("fdinfo: %s\n", tfds[k]);
}

static void eventfds(void) {
    int e = eventfd(3, EFD_NONBLOCK | EFD_CLOEXEC);
    check("eventfd(3, NONBLOCK|CLOEXEC) >= 0", e >= 0, 1);
    check("F_GETFD", fcntl(e, F_GETFD), FD_CLOEXEC);
    check("F_GETFL & (O_ACCMODE|O_NONBLOCK)", fcntl(e, F_GETFL) & (O_ACCMODE | O_NONBLOCK), O_RDWR | O_NONBLOCK);
    show_link(e);
    struct stat st;
    check("fstat", r(fstat(e, &st)), 0);
    check("st_mode", st.st_mode, 0600);
    check("st_size", st.st_size, 0);
    check("write 5", put64(e, 5), 8);
    const char *const count[] = {"eventfd-count", "eventfd-semaphore", 0};
    show_fdinfo(e, count);
    check("read", (long)get64(e), 8);
    check("read empty", (long)get64(e), -EAGAIN);
    char small[4] = {0};
    check("read 4 bytes", r(read(e, small, 4)), -EINVAL);
    check("write 4 bytes", r(write(e, small, 4)), -EINVAL);
    check("write 2^64-1", put64(e, UINT64_MAX), -EINVAL);
    check("write 2^64-2", put64(e, UINT64_MAX - 1), 8);
    check("write 1 more", put64(e, 1), -EAGAIN);
    struct pollfd pfd = {e, POLLIN | POLLOUT, 0};
    check("poll full", poll(&pfd, 1, 0), 1);
    check("revents full", pfd.revents, POLLIN);
    check("read full", get64(e) == UINT64_MAX - 1, 1);
    pfd.revents = 0;
    check("poll empty", poll(&pfd, 1, 0), 1);
    check("revents empty", pfd.revents, POLLOUT);
    check("lseek", r(lseek(e, 10, SEEK_SET)), 0);
    uint64_t v;
    check("pread", r(pread(e, &v, 8, 0)), -ESPIPE);
    close(e);

    int s = eventfd(2, EFD_SEMAPHORE | EFD_NONBLOCK);
    check("semaphore read", (long)get64(s), 1);
    check("semaphore read", (long)get64(s), 1);
    check("semaphore read empty", (long)get64(s), -EAGAIN);
    check("semaphore write 3", put64(s, 3), 8);
    check("semaphore read", (long)get64(s), 1);
    close(s);
    check("eventfd bad flags", r(eventfd(0, 0x7f)), -EINVAL);
}

static long elapsed_ms(const struct timespec *a, const struct timespec *b) {
    return (b->tv_sec - a->tv_sec) * 1000 + (b->tv_nsec - a->tv_nsec) / 1000000;
}

static void timerfds(void) {
    int t = timerfd_create(CLOCK_MONOTONIC, 0);
    check("timerfd_create >= 0", t >= 0, 1);
    show_link(t);
    struct itimerspec its = {{0, 0}, {0, 50000000}}, old;
    check("settime 50 ms one-shot", r(timerfd_settime(t, 0, &its, &old)), 0);
    check("old value", old.it_value.tv_sec + old.it_value.tv_nsec, 0);
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    check("blocking read", (long)get64(t), 1);
    clock_gettime(CLOCK_MONOTONIC, &b);
    check("waited >= 50 ms", elapsed_ms(&a, &b) >= 49, 1);
    check("gettime after one-shot", r(timerfd_gettime(t, &old)), 0);
    check("disarmed", old.it_value.tv_sec + old.it_value.tv_nsec, 0);

    /* Periodic, started in the past: expirations at E, E+300ms, E+600ms, E+900ms. */
    clock_gettime(CLOCK_MONOTONIC, &a);
    its.it_value.tv_sec = a.tv_sec - 1;
    its.it_value.tv_nsec = a.tv_nsec;
    its.it_interval.tv_sec = 0;
    its.it_interval.tv_nsec = 300000000;
    check("settime absolute in the past", r(timerfd_settime(t, TFD_TIMER_ABSTIME, &its, 0)), 0);
    check("expirations so far", (long)get64(t), 4);
    check("gettime", r(timerfd_gettime(t, &old)), 0);
    check("interval", old.it_interval.tv_nsec, 300000000);
    check("value within the interval", old.it_value.tv_sec == 0 && old.it_value.tv_nsec > 0 && old.it_value.tv_nsec <= 300000000, 1);
    const char *const info[] = {"clockid", "settime flags", "it_interval", 0};
    show_fdinfo(t, info);

    /* Periodic from now: 200 ms, then every 200 ms; after 500 ms, 2 expirations. */
    its.it_value.tv_sec = 0;
    its.it_value.tv_nsec = 200000000;
    its.it_interval.tv_nsec = 200000000;
    check("settime 200 ms periodic", r(timerfd_settime(t, 0, &its, 0)), 0);
    struct timespec nap = {0, 500000000};
    nanosleep(&nap, 0);
    check("expirations after 500 ms", (long)get64(t), 2);
    struct pollfd pfd = {t, POLLIN, 0};
    check("poll until the next", poll(&pfd, 1, 1000), 1);
    check("revents", pfd.revents, POLLIN);
    check("one more", (long)get64(t), 1);

    int n = timerfd_create(CLOCK_REALTIME, TFD_NONBLOCK);
    check("nonblocking read, disarmed", (long)get64(n), -EAGAIN);
    its.it_value.tv_sec = 100;
    its.it_interval.tv_nsec = 0;
    check("settime", r(timerfd_settime(n, 0, &its, 0)), 0);
    check("nonblocking read, armed", (long)get64(n), -EAGAIN);
    char small[4];
    check("read 4 bytes", r(read(n, small, 4)), -EINVAL);
    check("write", put64(n, 1), -EINVAL);
    check("settime bad flags", r(timerfd_settime(n, 4, &its, 0)), -EINVAL);
    its.it_value.tv_nsec = 1000000000;
    check("settime bad nsec", r(timerfd_settime(n, 0, &its, 0)), -EINVAL);
    close(n);
    int e = eventfd(0, 0);
    check("gettime of an eventfd", r(timerfd_gettime(e, &old)), -EINVAL);
    close(e);
    check("timerfd_create CLOCK_PROCESS_CPUTIME_ID", r(timerfd_create(CLOCK_PROCESS_CPUTIME_ID, 0)), -EINVAL);
    check("timerfd_create bad flags", r(timerfd_create(CLOCK_MONOTONIC, TFD_TIMER_ABSTIME)), -EINVAL);
    int alarm = timerfd_create(CLOCK_BOOTTIME_ALARM, 0);
    check("timerfd_create CLOCK_BOOTTIME_ALARM as root", alarm >= 0, 1);
    close(alarm);
    close(t);
}

static volatile sig_atomic_t alarms;
static void on_alarm(int sig) { (void)sig; alarms++; }

/* A blocking eventfd read that a signal handler's write ends (SA_RESTART restarts the read). */
static int poked = -1;
static void poke(int sig) { (void)sig; uint64_t one = 1; write(poked, &one, 8); }

static void restarted(void) {
    poked = eventfd(0, 0);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = poke;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGALRM, &sa, 0);
    struct itimerval it = {{0, 0}, {0, 50000}};
    setitimer(ITIMER_REAL, &it, 0);
    check("read ended by a handler's write", (long)get64(poked), 1);
    signal(SIGALRM, SIG_DFL);
    close(poked);
}

static void signalfds(void) {
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGUSR1);
    sigaddset(&mask, SIGUSR2);
    sigaddset(&mask, SIGALRM);
    sigprocmask(SIG_BLOCK, &mask, 0);
    sigset_t usr1;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    int s = signalfd(-1, &usr1, SFD_NONBLOCK);
    check("signalfd >= 0", s >= 0, 1);
    show_link(s);
    const char *const info[] = {"sigmask", 0};
    show_fdinfo(s, info);
    struct signalfd_siginfo si[2];
    check("read, none pending", r(read(s, si, sizeof si)), -EAGAIN);
    check("read, small buffer", r(read(s, si, 100)), -EINVAL);
    kill(getpid(), SIGUSR1);
    struct pollfd pfd = {s, POLLIN, 0};
    check("poll", poll(&pfd, 1, 0), 1);
    check("read", r(read(s, si, sizeof si)), 128);
    check("ssi_signo", si[0].ssi_signo, SIGUSR1);
    check("ssi_code", si[0].ssi_code, SI_USER);
    check("ssi_pid is ours", si[0].ssi_pid == (uint32_t)getpid(), 1);
    check("ssi_uid", si[0].ssi_uid, getuid());
    check("read again", r(read(s, si, sizeof si)), -EAGAIN);

    /* A new mask for the same fd: USR2 only. */
    sigset_t usr2;
    sigemptyset(&usr2);
    sigaddset(&usr2, SIGUSR2);
    check("signalfd update", signalfd(s, &usr2, 0), s);
    raise(SIGUSR1);
    check("USR1 not taken", r(read(s, si, sizeof si)), -EAGAIN);
    raise(SIGUSR2);
    check("USR2 taken", r(read(s, si, sizeof si)), 128);
    check("ssi_signo", si[0].ssi_signo, SIGUSR2);
    check("ssi_code", si[0].ssi_code, SI_TKILL);
    sigset_t pending;
    sigpending(&pending);
    check("USR1 still pending", sigismember(&pending, SIGUSR1), 1);
    check("signalfd update, both", signalfd(s, &mask, 0), s);
    raise(SIGUSR2);
    check("read both", r(read(s, si, sizeof si)), 256);
    check("first USR1", si[0].ssi_signo, SIGUSR1);
    check("then USR2", si[1].ssi_signo, SIGUSR2);
    close(s);

    /* A blocking read that a timer's signal ends: SIGALRM from ITIMER_REAL. */
    sigset_t alrm;
    sigemptyset(&alrm);
    sigaddset(&alrm, SIGALRM);
    int b = signalfd(-1, &alrm, SFD_CLOEXEC);
    struct itimerval it = {{0, 0}, {0, 100000}};
    setitimer(ITIMER_REAL, &it, 0);
    check("blocking read", r(read(b, si, sizeof si)), 128);
    check("ssi_signo", si[0].ssi_signo, SIGALRM);
    check("ssi_code", si[0].ssi_code, SI_KERNEL);
    close(b);

    check("signalfd4 mask size 4", r(syscall(SYS_signalfd4, -1, &mask, 4, 0)), -EINVAL);
    int e = eventfd(0, 0);
    check("signalfd on an eventfd", r(signalfd(e, &mask, 0)), -EINVAL);
    close(e);
    check("signalfd bad flags", r(signalfd(-1, &mask, 1)), -EINVAL);
    sigprocmask(SIG_UNBLOCK, &mask, 0);
}

static int wait_events(int ep, int timeout, struct epoll_event *ev, int max) {
    int n = epoll_wait(ep, ev, max, timeout);
    printf("epoll_wait:");
    for (int k = 0; k < n; k++) printf(" {%#x, %lu}", ev[k].events, (unsigned long)ev[k].data.u64);
    printf(" (%d)\n", n < 0 ? -errno : n);
    return n;
}

static void epolls(const char *dir) {
    struct epoll_event ev[8];
    int ep = epoll_create1(EPOLL_CLOEXEC);
    check("epoll_create1 >= 0", ep >= 0, 1);
    show_link(ep);
    int p[2];
    pipe(p);
    int e = eventfd(0, EFD_NONBLOCK);
    int t = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
    struct epoll_event add = {EPOLLIN, {.u64 = 1}};
    check("add pipe (level)", r(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &add)), 0);
    add.events = EPOLLIN | EPOLLET;
    add.data.u64 = 2;
    check("add eventfd (edge)", r(epoll_ctl(ep, EPOLL_CTL_ADD, e, &add)), 0);
    add.events = EPOLLIN | EPOLLONESHOT;
    add.data.u64 = 3;
    check("add timerfd (one-shot)", r(epoll_ctl(ep, EPOLL_CTL_ADD, t, &add)), 0);
    check("add again", r(epoll_ctl(ep, EPOLL_CTL_ADD, t, &add)), -EEXIST);
    const char *const info[] = {"tfd", 0};
    char buf[16];
    check("nothing ready", wait_events(ep, 0, ev, 8), 0);
    write(p[1], "x", 1);
    check("pipe ready", wait_events(ep, 0, ev, 8), 1);
    check("pipe still ready (level)", wait_events(ep, 0, ev, 8), 1);
    put64(e, 1);
    check("pipe and eventfd", wait_events(ep, 0, ev, 8), 2);
    check("pipe only (eventfd edge passed)", wait_events(ep, 0, ev, 8), 1);
    put64(e, 1);
    check("one of the two (the pipe was first)", wait_events(ep, 0, ev, 1), 1);
    check("then the eventfd and the pipe", wait_events(ep, 0, ev, 8), 2);
    read(p[0], buf, sizeof buf);
    check("pipe drained", wait_events(ep, 0, ev, 8), 0);

    struct epoll_event mod = {EPOLLIN | EPOLLET, {.u64 = 4}};
    check("mod pipe to edge", r(epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &mod)), 0);
    write(p[1], "y", 1);
    check("pipe edge", wait_events(ep, 0, ev, 8), 1);
    check("pipe edge passed", wait_events(ep, 0, ev, 8), 0);
    write(p[1], "z", 1);
    check("pipe edge after a write", wait_events(ep, 0, ev, 8), 1);
    check("a partial read", read(p[0], buf, 1), 1);
    check("no edge from a read", wait_events(ep, 0, ev, 8), 0);
    read(p[0], buf, sizeof buf);
    write(p[1], "w", 1);
    check("edge after drain and write", wait_events(ep, 0, ev, 8), 1);

    struct itimerspec its = {{0, 0}, {0, 100000000}};
    timerfd_settime(t, 0, &its, 0);
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    check("timer fires within the wait", wait_events(ep, 1000, ev, 8), 1);
    clock_gettime(CLOCK_MONOTONIC, &b);
    check("waited >= 100 ms", elapsed_ms(&a, &b) >= 99, 1);
    check("waited < 1 s", elapsed_ms(&a, &b) < 900, 1);
    check("one-shot disabled", wait_events(ep, 50, ev, 8), 0);
    check("mod re-enables", r(epoll_ctl(ep, EPOLL_CTL_MOD, t, &add)), 0);
    check("timer still readable", wait_events(ep, 0, ev, 8), 1);
    show_fdinfo(ep, info);

    /* Interest follows the description: a dup keeps it, the last close drops it. */
    int e2 = dup(e);
    close(e);
    put64(e2, 1);
    check("dup'd eventfd still watched", wait_events(ep, 0, ev, 8), 1);
    close(e2);
    check("del after the last close", r(epoll_ctl(ep, EPOLL_CTL_DEL, e, 0)), -EBADF);
    int e3 = eventfd(1, 0);
    check("new eventfd on the old number", e3, e);
    check("del of a new description", r(epoll_ctl(ep, EPOLL_CTL_DEL, e3, 0)), -ENOENT);
    check("del timer", r(epoll_ctl(ep, EPOLL_CTL_DEL, t, 0)), 0);
    check("mod deleted", r(epoll_ctl(ep, EPOLL_CTL_MOD, t, &add)), -ENOENT);

    char path[4096];
    snprintf(path, sizeof path, "%s/file", dir);
    int f = open(path, O_RDWR | O_CREAT, 0600);
    check("add regular file", r(epoll_ctl(ep, EPOLL_CTL_ADD, f, &add)), -EPERM);
    int d = open(dir, O_RDONLY | O_DIRECTORY);
    check("add directory", r(epoll_ctl(ep, EPOLL_CTL_ADD, d, &add)), -EPERM);
    check("add itself", r(epoll_ctl(ep, EPOLL_CTL_ADD, ep, &add)), -EINVAL);
    check("ctl on a non-epoll fd", r(epoll_ctl(e3, EPOLL_CTL_ADD, t, &add)), -EINVAL);
    check("bad op", r(epoll_ctl(ep, 9, t, &add)), -EINVAL);
    check("wait maxevents 0", r(epoll_wait(ep, ev, 0, 0)), -EINVAL);
    check("wait on a non-epoll fd", r(epoll_wait(e3, ev, 8, 0)), -EINVAL);
    struct epoll_event excl = {EPOLLIN | EPOLLEXCLUSIVE, {.u64 = 5}};
    check("add exclusive", r(epoll_ctl(ep, EPOLL_CTL_ADD, e3, &excl)), 0);
    check("mod exclusive", r(epoll_ctl(ep, EPOLL_CTL_MOD, e3, &excl)), -EINVAL);
    check("mod of an exclusive one", r(epoll_ctl(ep, EPOLL_CTL_MOD, e3, &add)), -EINVAL);
    excl.events |= EPOLLONESHOT;
    check("exclusive with one-shot", r(epoll_ctl(ep, EPOLL_CTL_ADD, t, &excl)), -EINVAL);

    int outer = epoll_create(1);
    add.events = EPOLLIN;
    add.data.u64 = 6;
    check("nest", r(epoll_ctl(outer, EPOLL_CTL_ADD, ep, &add)), 0);
    check("nested readiness", wait_events(outer, 0, ev, 8), 1);
    check("loop", r(epoll_ctl(ep, EPOLL_CTL_ADD, outer, &add)), -ELOOP);
    check("epoll_create(0)", r(syscall(SYS_epoll_create, 0)), -EINVAL);

    /* A signal ends a wait: EINTR, never restarted; epoll_pwait's mask lets it through. */
    int quiet = epoll_create1(0);
    int q[2];
    pipe(q);
    add.data.u64 = 7;
    epoll_ctl(quiet, EPOLL_CTL_ADD, q[0], &add);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGALRM, &sa, 0);
    sigset_t block, none;
    sigemptyset(&block);
    sigaddset(&block, SIGALRM);
    sigemptyset(&none);
    sigprocmask(SIG_BLOCK, &block, 0);
    struct itimerval it = {{0, 0}, {0, 50000}};
    setitimer(ITIMER_REAL, &it, 0);
    check("epoll_pwait interrupted", r(epoll_pwait(quiet, ev, 8, -1, &none)), -EINTR);
    check("handler ran", alarms, 1);
    sigset_t now;
    sigprocmask(SIG_BLOCK, 0, &now);
    check("mask back", sigismember(&now, SIGALRM), 1);
    sigprocmask(SIG_UNBLOCK, &block, 0);
    setitimer(ITIMER_REAL, &it, 0);
    check("epoll_wait interrupted", r(epoll_wait(quiet, ev, 8, 5000)), -EINTR);
    check("handler ran", alarms, 2);
    check("wait with a timeout", wait_events(quiet, 30, ev, 8), 0);
}

int main(int argc, char **argv) {
    if (argc != 2) return 2;
    setvbuf(stdout, 0, _IONBF, 0);
    eventfds();
    timerfds();
    signalfds();
    epolls(argv[1]);
    restarted();
    printf("%d failures\n", failures);
    return failures != 0;
}
