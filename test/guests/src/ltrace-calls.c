/* Syscalls whose ltrace -S lines exercise its prototypes (ltrace.conf) and its default one: the
   ltrace test builds this twice at test time, dynamically for the real ltrace (which cannot
   trace a static binary) and statically for emtrace, and compares the lines from "start" on.
   Usage: ltrace-calls [segv|kill] */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv) {
    char buf[64];
    int fds[2];
    write(1, "start\n", 6);
    /* Strings: C escapes, a bare quote, octal; 31 and exactly 32 bytes (ltrace's "..." at 32). */
    write(1, "a\tb\001\"\\ \377 long string long string long string\n", 46);
    write(1, "0123456789abcdefghijklmnopqrst\n", 31);
    write(1, "0123456789abcdefghijklmnopqrstu\n", 32);
    syscall(SYS_write, 1, "", 0);
    /* int, octal and unsigned long results; a NULL string; errors as raw -errno. */
    umask(022);
    syscall(SYS_access, "/", 4);
    syscall(SYS_open, "/nonexistent", O_RDONLY, 0);
    syscall(SYS_mkdir, (char *)0, 0755);
    syscall(SYS_readv, -1, 0, 0);
    syscall(SYS_getcwd, buf, sizeof buf);
    /* The default prototype: four arguments, decimal within +-10000, hex beyond. */
    syscall(SYS_pipe2, fds, 0, 0, 0);
    syscall(SYS_dup3, 1, 100, 0, 0);
    syscall(SYS_dup3, 1, 100000, 0, 0);
    /* read's buffer is printed at return, up to the result and the first NUL. */
    write(fds[1], "pipe data\0more", 14);
    read(fds[0], buf, sizeof buf);
    lseek(fds[0], 0, SEEK_SET);
    close(fds[0]);
    kill(getpid(), 0);
    if (argc > 1 && strcmp(argv[1], "segv") == 0) *(volatile int *)16 = 1;
    if (argc > 1 && strcmp(argv[1], "kill") == 0) kill(getpid(), SIGTERM);
    return 3;
}
