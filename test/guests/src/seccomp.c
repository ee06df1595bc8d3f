/* Installs a seccomp filter that allows only read, write and exit, says so, then calls getpid:
   the kernel kills it with SIGSYS. With the argument "trap", the filter returns SECCOMP_RET_TRAP
   for getpid instead (SIGSYS with si_syscall), with "errno" SECCOMP_RET_ERRNO(EPERM), with "strict"
   it uses SECCOMP_SET_MODE_STRICT. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The kernel ABI, spelled out: musl's toolchain has no <linux/*> headers. */
struct sock_filter { uint16_t code; uint8_t jt, jf; uint32_t k; };
struct sock_fprog { unsigned short len; struct sock_filter *filter; };
struct seccomp_data { int nr; uint32_t arch; uint64_t instruction_pointer; uint64_t args[6]; };
#define BPF_LD 0x00
#define BPF_JMP 0x05
#define BPF_RET 0x06
#define BPF_W 0x00
#define BPF_ABS 0x20
#define BPF_JEQ 0x10
#define BPF_K 0x00
#define BPF_STMT(code, k) { (uint16_t)(code), 0, 0, k }
#define BPF_JUMP(code, k, jt, jf) { (uint16_t)(code), jt, jf, k }
#define AUDIT_ARCH_X86_64 0xc000003e
#define SECCOMP_SET_MODE_STRICT 0
#define SECCOMP_SET_MODE_FILTER 1
#define SECCOMP_RET_KILL_PROCESS 0x80000000U
#define SECCOMP_RET_TRAP 0x00030000U
#define SECCOMP_RET_ERRNO 0x00050000U
#define SECCOMP_RET_ALLOW 0x7fff0000U
#ifndef PR_SET_NO_NEW_PRIVS
#define PR_SET_NO_NEW_PRIVS 38
#endif

static void say(const char *text) {
    syscall(SYS_write, 1, text, strlen(text));
}

int main(int argc, char **argv) {
    const char *mode = argc > 1 ? argv[1] : "kill";
    unsigned int other = SECCOMP_RET_KILL_PROCESS;
    if (!strcmp(mode, "trap")) other = SECCOMP_RET_TRAP | 42;
    if (!strcmp(mode, "errno")) other = SECCOMP_RET_ERRNO | EPERM;
    struct sock_filter filter[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_read, 3, 0),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_write, 2, 0),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_exit, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, other),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog prog = {sizeof filter / sizeof filter[0], filter};
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) { perror("no_new_privs"); return 1; }
    long r = !strcmp(mode, "strict") ? syscall(SYS_seccomp, SECCOMP_SET_MODE_STRICT, 0, NULL)
                                     : syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog);
    if (r != 0) { perror("seccomp"); return 1; }
    say("filter installed\n");
    long pid = syscall(SYS_getpid);
    say(pid == -1 && errno == EPERM ? "getpid: EPERM\n" : "getpid returned\n");
    syscall(SYS_exit, 0);
    return 0;
}
