/* Generates machine code at run time, runs it, rewrites it and runs it again, the way JITs do:
   through an RWX mapping, and W^X style (write, mprotect to read+exec, call, mprotect back).
   The generated loop runs long enough for emtrace to compile it, so a stale compiled copy would
   print the old result. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

/* long f(long n): rax = 0; do { rax += IMM; } while (--rdi); ret */
static void emit(unsigned char *p, int32_t imm) {
    unsigned char code[] = {
        0x31, 0xc0,                   /* xor eax, eax */
        0x48, 0x05, 0, 0, 0, 0,       /* add rax, imm32 */
        0x48, 0xff, 0xcf,             /* dec rdi */
        0x75, 0xf5,                   /* jnz add */
        0xc3,                         /* ret */
    };
    memcpy(code + 4, &imm, 4);
    memcpy(p, code, sizeof code);
}

int main(void) {
    unsigned char *rwx = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    unsigned char *wx = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (rwx == MAP_FAILED || wx == MAP_FAILED) { perror("mmap"); return 1; }
    int32_t imm = 7;
    for (int round = 0; round < 4; round++) {
        emit(rwx, imm);
        long (*f)(long) = (long (*)(long))rwx;
        long a = f(5000), b = f(3);
        emit(wx, imm * 2);
        if (mprotect(wx, 4096, PROT_READ | PROT_EXEC) != 0) { perror("mprotect"); return 1; }
        long (*g)(long) = (long (*)(long))wx;
        long c = g(5000);
        if (mprotect(wx, 4096, PROT_READ | PROT_WRITE) != 0) { perror("mprotect"); return 1; }
        printf("round %d: imm %d -> %ld %ld %ld\n", round, imm, a, b, c);
        imm = imm * 3 + 1;
    }
    return 0;
}
