/* A parent and a child joined by a pipe: the parent blocks in read until the child writes, then
   reaps it with wait4; a second child kills itself. The oracle of emtrace's -f/-ff output. */
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(void) {
    int p[2];
    pipe(p);
    pid_t child = fork();
    if (child == 0) {
        struct timespec pause = {0, 50000000};
        close(p[0]);
        nanosleep(&pause, NULL);
        write(p[1], "hello", 5);
        _exit(3);
    }
    close(p[1]);
    char buf[16];
    ssize_t n = read(p[0], buf, sizeof buf);
    int status;
    wait4(child, &status, 0, NULL);
    write(1, buf, n);
    pid_t victim = fork();
    if (victim == 0) {
        kill(getpid(), SIGTERM);
        _exit(0);
    }
    wait4(victim, &status, 0, NULL);
    return WEXITSTATUS(status) + WTERMSIG(status);
}
