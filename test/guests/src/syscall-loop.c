/* Syscall-bound work for the benchmark: many small reads, writes and seeks.
   Usage: syscall-loop FILE [COUNT] (default 20000): writes COUNT small records to FILE,
   seeks back and reads them one by one. Prints a checksum that must match the native run. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: syscall-loop FILE [COUNT]\n");
        return 2;
    }
    int count = argc > 2 ? atoi(argv[2]) : 20000;
    int fd = open(argv[1], O_RDWR | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) { perror("open"); return 1; }
    char record[8];
    for (int i = 0; i < count; i++) {
        for (int k = 0; k < 8; k++) record[k] = (char)('a' + (i + k) % 26);
        if (write(fd, record, sizeof record) != sizeof record) { perror("write"); return 1; }
    }
    unsigned long sum = 0;
    for (int i = 0; i < count; i++) {
        if (lseek(fd, (off_t)i * 8, SEEK_SET) < 0) { perror("lseek"); return 1; }
        if (read(fd, record, sizeof record) != sizeof record) { perror("read"); return 1; }
        sum = sum * 131 + (unsigned char)record[i % 8];
    }
    close(fd);
    unlink(argv[1]);
    printf("records=%d checksum=%lu\n", count, sum);
    return 0;
}
