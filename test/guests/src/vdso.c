/* Calls the clock functions libc answers from the vDSO (clock_gettime, gettimeofday, time,
   clock_getres, sched_getcpu), and the raw syscall right after, and prints what a native run
   prints too (orderings and agreements, no times); with the argument `values`, the times. */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
    int values = argc > 1 && strcmp(argv[1], "values") == 0;
    printf("vdso %s\n", getauxval(AT_SYSINFO_EHDR) ? "present" : "absent");
    struct timespec ts, raw;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &raw);
    long long later = (raw.tv_sec - ts.tv_sec) * 1000000000LL + (raw.tv_nsec - ts.tv_nsec);
    printf("monotonic: the syscall reads later: %d\n", later > 0);
    if (values) printf("monotonic %lld.%09ld then %lld.%09ld\n", (long long)ts.tv_sec, ts.tv_nsec, (long long)raw.tv_sec, raw.tv_nsec);
    struct timeval tv;
    gettimeofday(&tv, NULL);
    time_t t = time(NULL);
    printf("time agrees with gettimeofday: %d\n", t == tv.tv_sec || t == tv.tv_sec + 1);
    if (values) printf("gettimeofday %lld.%06ld time %lld\n", (long long)tv.tv_sec, (long)tv.tv_usec, (long long)t);
    struct timespec res;
    clock_getres(CLOCK_MONOTONIC, &res);
    printf("resolution %lld.%09ld\n", (long long)res.tv_sec, res.tv_nsec);
    printf("cpu is valid: %d\n", sched_getcpu() >= 0);
    printf("invalid clock: %d\n", clock_gettime(12345, &ts));
    return 0;
}
