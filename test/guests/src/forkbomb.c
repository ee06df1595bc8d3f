/* Forks children that wait on a pipe until fork fails, then lets them all go and reaps them:
   the emulator's task limit must stop it with EAGAIN (run it only under emtrace: natively, as
   root, nothing would stop it short of the host's own limits). With an argument N it first
   becomes nobody with RLIMIT_NPROC N, which must stop it after N - 1 children. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc > 1) {
        struct rlimit limit = {atoi(argv[1]), atoi(argv[1])};
        if (setgid(65534) != 0 || setuid(65534) != 0 || setrlimit(RLIMIT_NPROC, &limit) != 0) return 1;
    }
    int p[2];
    if (pipe(p) != 0) return 1;
    int children = 0;
    for (;;) {
        pid_t pid = fork();
        if (pid < 0) {
            printf("fork failed after %d children: %s\n", children, strerror(errno));
            break;
        }
        if (pid == 0) {
            char c;
            close(p[1]);
            _exit(read(p[0], &c, 1) == 0 ? 0 : 1);
        }
        children++;
    }
    close(p[1]);
    int reaped = 0, clean = 0, status;
    while (wait(&status) > 0) {
        reaped++;
        if (WIFEXITED(status) && WEXITSTATUS(status) == 0) clean++;
    }
    printf("reaped %d children, %d saw the end of the pipe\n", reaped, clean);
    return 0;
}
