/* Writes a file, reads it back, seeks, stats it and copies it, through both stdio and raw
   file descriptors. Usage: files DIR (a writable scratch directory). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void check(int ok, const char *what) {
    if (!ok) {
        perror(what);
        exit(1);
    }
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: files DIR\n");
        return 2;
    }
    char path[4096], copy[4096];
    snprintf(path, sizeof path, "%s/data.txt", argv[1]);
    snprintf(copy, sizeof copy, "%s/copy.txt", argv[1]);

    FILE *out = fopen(path, "w");
    check(out != NULL, "fopen w");
    for (int i = 0; i < 200; i++)
        fprintf(out, "line %03d: the quick brown fox jumps over the lazy dog\n", i);
    check(fclose(out) == 0, "fclose");

    int fd = open(path, O_RDONLY);
    check(fd >= 0, "open");
    struct stat st;
    check(fstat(fd, &st) == 0, "fstat");
    printf("size=%lld regular=%d\n", (long long)st.st_size, S_ISREG(st.st_mode));

    char buf[64];
    check(lseek(fd, 10 * 55, SEEK_SET) == 550, "lseek");
    ssize_t n = read(fd, buf, 54);
    check(n == 54, "read");
    printf("line 10 is: %.*s\n", (int)n, buf);
    off_t end = lseek(fd, 0, SEEK_END);
    printf("end=%lld\n", (long long)end);
    close(fd);

    int in = open(path, O_RDONLY | O_CLOEXEC);
    int outfd = open(copy, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    check(in >= 0 && outfd >= 0, "open copy");
    char chunk[1000];
    long total = 0;
    unsigned checksum = 0;
    while ((n = read(in, chunk, sizeof chunk)) > 0) {
        for (ssize_t i = 0; i < n; i++)
            checksum = checksum * 31 + (unsigned char)chunk[i];
        check(write(outfd, chunk, n) == n, "write");
        total += n;
    }
    close(in);
    close(outfd);
    printf("copied=%ld checksum=%08x\n", total, checksum);

    FILE *again = fopen(copy, "r");
    check(again != NULL, "fopen r");
    char line[128];
    int lines = 0;
    while (fgets(line, sizeof line, again))
        lines++;
    fclose(again);
    printf("lines=%d\n", lines);

    check(open("/no/such/file", O_RDONLY) < 0, "open missing");
    printf("missing: %s\n", strerror(2));
    return 0;
}
