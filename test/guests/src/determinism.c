/* Everything that differs between two runs unless the kernel makes it deterministic: the clocks
   (raw syscalls, so a native run under strace makes the same calls as an emulated one), sleeping,
   CPU time, /dev/urandom, device nodes, the inode numbers and times of files it creates, and the
   order of a directory listing. Usage: determinism DIR (an empty writable directory). */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <sys/times.h>
#include <time.h>
#include <unistd.h>

static void check(int ok, const char *what) {
    if (!ok) {
        perror(what);
        exit(1);
    }
}

static struct timespec now(clockid_t clock) {
    struct timespec ts;
    check(syscall(SYS_clock_gettime, clock, &ts) == 0, "clock_gettime");
    return ts;
}

static long long ns(struct timespec ts) {
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void print_clock(const char *name, clockid_t clock) {
    struct timespec ts = now(clock);
    printf("%s=%lld.%09ld\n", name, (long long)ts.tv_sec, ts.tv_nsec);
}

static void clocks(void) {
    print_clock("realtime", CLOCK_REALTIME);
    print_clock("monotonic", CLOCK_MONOTONIC);
    print_clock("boottime", CLOCK_BOOTTIME);
    print_clock("monotonic_raw", CLOCK_MONOTONIC_RAW);
    print_clock("realtime_coarse", CLOCK_REALTIME_COARSE);
    print_clock("process_cputime", CLOCK_PROCESS_CPUTIME_ID);
    print_clock("thread_cputime", CLOCK_THREAD_CPUTIME_ID);

    struct timespec res;
    check(syscall(SYS_clock_getres, CLOCK_MONOTONIC, &res) == 0, "clock_getres");
    printf("res_monotonic=%lld.%09ld\n", (long long)res.tv_sec, res.tv_nsec);
    check(syscall(SYS_clock_getres, CLOCK_MONOTONIC_COARSE, &res) == 0, "clock_getres coarse");
    printf("res_monotonic_coarse=%lld.%09ld\n", (long long)res.tv_sec, res.tv_nsec);
    printf("bad_clock=%s\n", syscall(SYS_clock_gettime, 99, &res) < 0 && errno == EINVAL ? "EINVAL" : "accepted");

    struct timeval tv;
    check(syscall(SYS_gettimeofday, &tv, NULL) == 0, "gettimeofday");
    printf("gettimeofday=%lld.%06ld\n", (long long)tv.tv_sec, (long)tv.tv_usec);
    struct timezone tz = {-1, -1};
    check(syscall(SYS_gettimeofday, &tv, &tz) == 0, "gettimeofday tz");
    printf("timezone=%d,%d\n", tz.tz_minuteswest, tz.tz_dsttime);

    time_t t = 0;
    long seconds = syscall(SYS_time, NULL);
    long seconds2 = syscall(SYS_time, &t);
    printf("time=%ld time_ptr=%lld same=%d\n", seconds, (long long)t, seconds2 == (long)t);
}

static void sleeps(void) {
    struct timespec before = now(CLOCK_MONOTONIC);
    struct timespec req = {1, 500000000}, rem = {77, 77};
    check(syscall(SYS_nanosleep, &req, &rem) == 0, "nanosleep");
    struct timespec after = now(CLOCK_MONOTONIC);
    printf("nanosleep_ns=%lld rem=%lld.%ld\n", ns(after) - ns(before), (long long)rem.tv_sec, rem.tv_nsec);

    before = now(CLOCK_REALTIME);
    req = (struct timespec){0, 100000000};
    check(syscall(SYS_clock_nanosleep, CLOCK_REALTIME, 0, &req, &rem) == 0, "clock_nanosleep");
    after = now(CLOCK_REALTIME);
    printf("clock_nanosleep_ns=%lld\n", ns(after) - ns(before));

    before = now(CLOCK_MONOTONIC);
    req = (struct timespec){before.tv_sec - 1, before.tv_nsec};
    check(syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, TIMER_ABSTIME, &req, NULL) == 0, "clock_nanosleep past");
    after = now(CLOCK_MONOTONIC);
    printf("abstime_past_ns=%lld\n", ns(after) - ns(before));

    before = now(CLOCK_MONOTONIC);
    long long target = ns(before) + 200000000LL;
    req = (struct timespec){target / 1000000000LL, target % 1000000000LL};
    check(syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, TIMER_ABSTIME, &req, NULL) == 0, "clock_nanosleep future");
    after = now(CLOCK_MONOTONIC);
    printf("abstime_future_late_ns=%lld\n", ns(after) - target);

    req = (struct timespec){0, 1000000000};
    long r = syscall(SYS_nanosleep, &req, NULL);
    printf("bad_nsec=%s\n", r < 0 && errno == EINVAL ? "EINVAL" : "accepted");
    check(syscall(SYS_sched_yield) == 0, "sched_yield");
}

static void cpu_time(void) {
    volatile unsigned sum = 0;
    for (unsigned i = 0; i < 3000000; i++)
        sum += i * i;
    struct tms tms;
    long ticks = syscall(SYS_times, &tms);
    printf("times_utime=%ld times_stime=%ld times_positive=%d\n", (long)tms.tms_utime, (long)tms.tms_stime, ticks > 0);
    struct rusage ru;
    check(syscall(SYS_getrusage, RUSAGE_SELF, &ru) == 0, "getrusage");
    printf("rusage_utime=%ld.%06ld\n", (long)ru.ru_utime.tv_sec, (long)ru.ru_utime.tv_usec);
}

static void devices(void) {
    unsigned char bytes[16];
    int fd = open("/dev/urandom", O_RDONLY);
    check(fd >= 0, "open /dev/urandom");
    check(read(fd, bytes, sizeof bytes) == sizeof bytes, "read /dev/urandom");
    struct stat st;
    check(fstat(fd, &st) == 0, "fstat /dev/urandom");
    close(fd);
    printf("urandom=");
    for (int i = 0; i < 16; i++)
        printf("%02x", bytes[i]);
    printf("\nurandom_rdev=%u,%u mode=%o\n", major(st.st_rdev), minor(st.st_rdev), (unsigned)st.st_mode);

    fd = open("/dev/null", O_RDWR);
    check(fd >= 0, "open /dev/null");
    long w = write(fd, "hello", 5);
    long r = read(fd, bytes, sizeof bytes);
    check(fstat(fd, &st) == 0, "fstat /dev/null");
    close(fd);
    printf("null write=%ld read=%ld rdev=%u,%u\n", w, r, major(st.st_rdev), minor(st.st_rdev));

    memset(bytes, 0xff, sizeof bytes);
    fd = open("/dev/zero", O_RDONLY);
    check(fd >= 0 && read(fd, bytes, sizeof bytes) == sizeof bytes, "read /dev/zero");
    close(fd);
    int zeros = 1;
    for (int i = 0; i < 16; i++)
        zeros &= bytes[i] == 0;
    printf("zero=%d\n", zeros);
}

static void print_stat(const char *label, const struct stat *st) {
    printf("%s ino=%llu dev=%u,%u nlink=%lu size=%lld blocks=%lld blksize=%ld atime=%lld.%09ld mtime=%lld.%09ld ctime=%lld.%09ld\n",
           label, (unsigned long long)st->st_ino, major(st->st_dev), minor(st->st_dev), (unsigned long)st->st_nlink,
           (long long)st->st_size, (long long)st->st_blocks, (long)st->st_blksize, (long long)st->st_atim.tv_sec,
           st->st_atim.tv_nsec, (long long)st->st_mtim.tv_sec, st->st_mtim.tv_nsec, (long long)st->st_ctim.tv_sec,
           st->st_ctim.tv_nsec);
}

static void files(const char *dir) {
    /* Created out of order: the listing must still come back sorted. Names of at most four
       bytes make every entry 24 bytes long, as `.` and `..` are, so a partial listing has the
       same size natively (in the host's order) and emulated. */
    const char *names[] = {"zeta", "alfa", "mid", "beta"};
    char path[4096];
    for (int i = 0; i < 4; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        check(fd >= 0, "create");
        char line[64];
        int n = snprintf(line, sizeof line, "file %d: %s\n", i, names[i]);
        for (int k = 0; k <= i * 200; k++)
            check(write(fd, line, n) == n, "write");
        close(fd);
    }
    for (int i = 0; i < 4; i++) {
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        check(stat(path, &st) == 0, "stat");
        print_stat(names[i], &st);
    }
    struct stat st;
    check(stat(dir, &st) == 0, "stat dir");
    print_stat("dir", &st);

    DIR *d = opendir(dir);
    check(d != NULL, "opendir");
    struct dirent *e;
    printf("listing:");
    int count = 0;
    long mark = -1;
    char after_mark[256] = "";
    while ((e = readdir(d)) != NULL) {
        printf(" %s(ino=%llu,type=%d)", e->d_name, (unsigned long long)e->d_ino, e->d_type);
        if (++count == 3)
            mark = telldir(d);
        else if (count == 4)
            snprintf(after_mark, sizeof after_mark, "%s", e->d_name);
    }
    printf("\n");
    seekdir(d, mark);
    e = readdir(d);
    printf("seekdir: %s again=%d\n", e ? e->d_name : "(end)", e && strcmp(e->d_name, after_mark) == 0);
    rewinddir(d);
    int again = 0;
    while (readdir(d) != NULL)
        again++;
    printf("rewound: %d entries (first pass %d)\n", again, count);
    closedir(d);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: determinism DIR\n");
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    clocks();
    sleeps();
    cpu_time();
    devices();
    files(argv[1]);
    return 0;
}
