/* CPU-bound work for the benchmark: a sieve, an integer hash mix and a small sort, repeated.
   Usage: cpu-loop [ROUNDS] (default 20). Prints a checksum that must match the native run. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t mix(uint64_t x) {
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    return x ^ (x >> 33);
}

static int compare_u32(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    int rounds = argc > 1 ? atoi(argv[1]) : 20;
    enum { LIMIT = 200000, SORTED = 20000 };
    static unsigned char composite[LIMIT];
    static uint32_t values[SORTED];
    uint64_t checksum = 0;
    for (int r = 0; r < rounds; r++) {
        memset(composite, 0, sizeof composite);
        int primes = 0;
        for (int i = 2; i < LIMIT; i++) {
            if (composite[i]) continue;
            primes++;
            for (int j = 2 * i; j < LIMIT; j += i) composite[j] = 1;
        }
        uint64_t h = (uint64_t)r;
        for (int i = 0; i < SORTED; i++) {
            h = mix(h + (uint64_t)i);
            values[i] = (uint32_t)h;
        }
        qsort(values, SORTED, sizeof values[0], compare_u32);
        checksum = mix(checksum ^ (uint64_t)primes ^ values[SORTED / 2] ^ ((uint64_t)values[7] << 32));
    }
    printf("rounds=%d checksum=%016llx\n", rounds, (unsigned long long)checksum);
    return 0;
}
