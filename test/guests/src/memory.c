/* Grows memory through brk (the raw syscall, since musl's sbrk refuses to move the break, and
   small mallocs) and mmap (large mallocs and direct anonymous mappings), fills it and checks
   every byte, then releases it. */
#include <stdint.h>
#include <sys/syscall.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static unsigned long fill_and_sum(unsigned char *p, size_t n, unsigned seed) {
    for (size_t i = 0; i < n; i++)
        p[i] = (unsigned char)(i * seed + (i >> 8));
    unsigned long sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += p[i];
    return sum;
}

int main(void) {
    char *before = (char *)syscall(SYS_brk, 0);
    char *after = (char *)syscall(SYS_brk, before + 64 * 1024);
    if (after != before + 64 * 1024) { fprintf(stderr, "brk did not grow\n"); return 1; }
    printf("brk grew by %ld\n", (long)(after - before));
    printf("brk sum=%lu\n", fill_and_sum((unsigned char *)before, 64 * 1024, 7));
    if ((char *)syscall(SYS_brk, before) != before) { fprintf(stderr, "brk did not shrink\n"); return 1; }

    unsigned long total = 0;
    void *small[100];
    for (int i = 0; i < 100; i++) {
        small[i] = malloc(100 + i * 37);
        total += fill_and_sum(small[i], 100 + i * 37, i + 1);
    }
    for (int i = 0; i < 100; i += 2)
        free(small[i]);
    printf("small sum=%lu\n", total);

    size_t big_size = 8 * 1024 * 1024;
    unsigned char *big = malloc(big_size);
    if (!big) { perror("malloc"); return 1; }
    printf("big sum=%lu\n", fill_and_sum(big, big_size, 13));
    free(big);

    size_t map_size = 3 * 4096 + 100;
    unsigned char *map = mmap(NULL, map_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (map == MAP_FAILED) { perror("mmap"); return 1; }
    int zero = 1;
    for (size_t i = 0; i < map_size; i++)
        if (map[i]) zero = 0;
    printf("mmap zeroed=%d\n", zero);
    printf("mmap sum=%lu\n", fill_and_sum(map, map_size, 3));
    if (mprotect(map, 4096, PROT_READ) != 0) { perror("mprotect"); return 1; }
    printf("mprotect ok, first byte %u\n", map[0]);
    if (munmap(map, map_size) != 0) { perror("munmap"); return 1; }

    for (int i = 1; i < 100; i += 2)
        free(small[i]);
    char *text = strdup("memory test done");
    puts(text);
    free(text);
    return 0;
}
