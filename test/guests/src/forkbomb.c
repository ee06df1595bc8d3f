/* Forks children that wait on a pipe until fork fails, then lets them all go and reaps them:
   the emulator's task limit must stop it with EAGAIN (run it only under emtrace: natively, as
   root, nothing would stop it short of the host's own limits). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void) {
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
