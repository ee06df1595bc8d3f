/* Memory protection faults, one per run, chosen by the argument: `write-ro` writes to a page
   mprotect made read-only, `exec-nx` jumps into a page mapped without PROT_EXEC, `guard` touches
   the page below a MAP_GROWSDOWN mapping whose growth would come within the stack guard gap of
   the mapping below it. Each dies of SIGSEGV (128+11); it prints a line before the fault. */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE 4096

int main(int argc, char **argv) {
    const char *mode = argc > 1 ? argv[1] : "";
    setvbuf(stdout, NULL, _IONBF, 0);
    if (strcmp(mode, "write-ro") == 0) {
        volatile char *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        p[0] = 1;
        mprotect((void *)p, PAGE, PROT_READ);
        printf("reading it: %d; writing it now\n", p[0]);
        p[1] = 2;
    } else if (strcmp(mode, "exec-nx") == 0) {
        unsigned char *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        p[0] = 0xc3; /* ret */
        printf("calling into a page without PROT_EXEC\n");
        ((void (*)(void))p)();
    } else if (strcmp(mode, "guard") == 0) {
        /* A mapping, then 16 pages above it one that grows down: growing by a page would leave
           less than the guard gap (256 pages) between them. */
        unsigned char *low = mmap(NULL, 64 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        munmap(low + PAGE, 63 * PAGE);
        volatile unsigned char *g = mmap(low + 16 * PAGE, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN | MAP_FIXED, -1, 0);
        g[0] = 1;
        printf("touching the page below the growsdown mapping\n");
        g[-1] = 1;
    }
    printf("no fault\n");
    return 0;
}
