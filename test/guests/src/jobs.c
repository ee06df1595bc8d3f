/* Job control between processes: a child stops itself (SIGSTOP: never discarded, as SIGTSTP is
   in an orphaned process group, which a test runner may well run it in), its parent sees the
   stop with wait4(WUNTRACED) and waitid(WSTOPPED), continues it with SIGCONT and sees that with
   WCONTINUED, and kills a stopped child with SIGKILL; SIGTSTP does not stop a process of an
   orphaned group. Prints the same lines natively. */
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

static void describe(const char *what, int status) {
    if (WIFSTOPPED(status)) printf("%s: stopped by signal %d\n", what, WSTOPSIG(status));
    else if (WIFCONTINUED(status)) printf("%s: continued\n", what);
    else if (WIFEXITED(status)) printf("%s: exited with %d\n", what, WEXITSTATUS(status));
    else if (WIFSIGNALED(status)) printf("%s: killed by signal %d\n", what, WTERMSIG(status));
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    int status, go[2];
    char c;
    if (pipe(go)) return 1;
    pid_t child = fork();
    if (child == 0) {
        raise(SIGSTOP);
        /* The parent sees the continue before the next stop (a stop would hide it). */
        read(go[0], &c, 1);
        raise(SIGSTOP);
        read(go[0], &c, 1);
        _exit(7);
    }
    waitpid(child, &status, WUNTRACED);
    describe("wait4(WUNTRACED)", status);
    printf("WNOHANG while stopped: %d\n", (int)waitpid(child, &status, WNOHANG | WUNTRACED));
    kill(child, SIGCONT);
    waitpid(child, &status, WCONTINUED);
    describe("wait4(WCONTINUED)", status);
    write(go[1], "x", 1);
    siginfo_t info;
    waitid(P_PID, child, &info, WSTOPPED);
    printf("waitid(WSTOPPED): code %s, status %d\n", info.si_code == CLD_STOPPED ? "CLD_STOPPED" : "other", info.si_status);
    kill(child, SIGCONT);
    waitid(P_PID, child, &info, WCONTINUED);
    printf("waitid(WCONTINUED): code %s, status %d\n", info.si_code == CLD_CONTINUED ? "CLD_CONTINUED" : "other", info.si_status);
    write(go[1], "x", 1);
    waitpid(child, &status, 0);
    describe("wait4", status);

    child = fork();
    if (child == 0) {
        raise(SIGSTOP);
        _exit(0);
    }
    waitpid(child, &status, WUNTRACED);
    describe("second child", status);
    kill(child, SIGKILL);
    waitpid(child, &status, 0);
    describe("second child after SIGKILL", status);

    /* A child in a session of its own leads an orphaned process group: SIGTSTP does not stop it. */
    child = fork();
    if (child == 0) {
        setsid();
        raise(SIGTSTP);
        _exit(3);
    }
    waitpid(child, &status, WUNTRACED);
    describe("SIGTSTP in an orphaned group", status);
    return 0;
}
