/* Processes: fork, a pipe between parent and child, execve in the child, vfork, and the wait
   statuses of children that exit, are killed, or are waited for with waitid. Started with an
   argument "echo-stage", it prints its arguments (the exec'd child). */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void show_status(const char *who, int status) {
    if (WIFEXITED(status)) printf("%s: exited %d\n", who, WEXITSTATUS(status));
    else if (WIFSIGNALED(status)) printf("%s: killed by signal %d\n", who, WTERMSIG(status));
    else printf("%s: status %#x\n", who, status);
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "echo-stage") == 0) {
        /* One write: the reader gets it whole, natively as in the emulator. */
        char out[256] = "";
        for (int i = 2; i < argc; i++) strcat(strcat(out, argv[i]), "\n");
        return write(1, out, strlen(out)) == (ssize_t)strlen(out) ? 0 : 1;
    }
    fflush(stdout);

    /* A child whose stdout is a pipe the parent reads, running another program. */
    int p[2];
    if (pipe(p) != 0) return 1;
    pid_t writer = fork();
    if (writer == 0) {
        dup2(p[1], 1);
        close(p[0]);
        close(p[1]);
        char *args[] = {argv[0], "echo-stage", "one", "two", "three", NULL};
        execv(argv[0], args);
        _exit(127);
    }
    close(p[1]);
    char buf[256];
    size_t total = 0;
    ssize_t n;
    while ((n = read(p[0], buf + total, sizeof buf - 1 - total)) > 0) total += n;
    buf[total] = 0;
    for (char *c = buf; *c; c++) if (*c == '\n') *c = ' ';
    printf("read from the child: %s(%zu bytes)\n", buf, total);
    close(p[0]);
    int status;
    printf("waitpid: %s\n", waitpid(writer, &status, 0) == writer ? "the writer" : "?");
    show_status("writer", status);

    /* Exit codes and signals. */
    pid_t seven = fork();
    if (seven == 0) _exit(7);
    pid_t killed = fork();
    if (killed == 0) {
        /* A fault: killed at the same instruction every time (a signal sent to itself could
           end it inside or after kill, as the host schedules it). */
        *(volatile int *)16 = 0;
        _exit(0);
    }
    waitpid(seven, &status, 0);
    show_status("seven", status);
    waitpid(killed, &status, 0);
    show_status("killed", status);

    /* vfork: the parent goes on once the child has exited. */
    pid_t v = vfork();
    if (v == 0) _exit(5);
    siginfo_t info;
    memset(&info, 0, sizeof info);
    printf("waitid: %d\n", waitid(P_PID, v, &info, WEXITED));
    printf("waitid info: signo=%d code=%d status=%d same pid=%d\n", info.si_signo, info.si_code, info.si_status, info.si_pid == v);

    /* Nothing left to wait for. */
    int again = wait(&status);
    printf("wait again: %d %s\n", again, strerror(errno));
    return 0;
}
