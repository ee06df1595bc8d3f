/* Reads a file, then prints what it read, the time and some random bytes: everything a replay
   must reproduce without the file, the clock or the entropy. Usage: input FILE. */
#include <fcntl.h>
#include <stdio.h>
#include <sys/random.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: input FILE\n");
        return 2;
    }
    int fd = open(argv[1], O_RDONLY);
    if (fd < 0) {
        perror(argv[1]);
        return 1;
    }
    char buf[4096];
    unsigned long total = 0, checksum = 0;
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0) {
        for (ssize_t i = 0; i < n; i++) checksum = checksum * 33 + (unsigned char)buf[i];
        total += n;
    }
    close(fd);
    printf("read %lu bytes, checksum %016lx\n", total, checksum);

    struct timeval tv;
    gettimeofday(&tv, NULL);
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    printf("time %ld.%06ld, monotonic %ld.%09ld\n", (long)tv.tv_sec, (long)tv.tv_usec, (long)ts.tv_sec, ts.tv_nsec);

    unsigned char random[8];
    if (getrandom(random, sizeof random, 0) != sizeof random) {
        perror("getrandom");
        return 1;
    }
    printf("random");
    for (unsigned i = 0; i < sizeof random; i++) printf(" %02x", random[i]);
    printf("\n");
    return 0;
}
