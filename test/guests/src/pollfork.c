/* poll, select and epoll_wait on pipes another process writes: each wait ends when the child
   writes (after a sleep), and a short timeout ends first (the child writes nothing before the
   parent says go). Prints the same lines natively. */
#include <poll.h>
#include <stdio.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void nap(long ms) {
    struct timespec t = {0, ms * 1000000L};
    nanosleep(&t, NULL);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    int p[3][2], go[2];
    char c;
    for (int k = 0; k < 3; k++)
        if (pipe(p[k])) return 1;
    if (pipe(go)) return 1;
    pid_t child = fork();
    if (child == 0) {
        read(go[0], &c, 1);
        for (int k = 0; k < 3; k++) {
            nap(50);
            write(p[k][1], "x", 1);
        }
        _exit(0);
    }
    struct pollfd fd = {p[0][0], POLLIN, 0};
    printf("poll with a 10 ms timeout: %d\n", poll(&fd, 1, 10));
    write(go[1], "x", 1);
    int n = poll(&fd, 1, -1);
    printf("poll without a timeout: %d, revents POLLIN: %d\n", n, (fd.revents & POLLIN) != 0);
    fd_set set;
    FD_ZERO(&set);
    FD_SET(p[1][0], &set);
    n = select(p[1][0] + 1, &set, NULL, NULL, NULL);
    printf("select: %d, set: %d\n", n, FD_ISSET(p[1][0], &set) != 0);
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN, .data.u32 = 42}, out;
    epoll_ctl(ep, EPOLL_CTL_ADD, p[2][0], &ev);
    n = epoll_wait(ep, &out, 1, -1);
    printf("epoll_wait: %d, data %u\n", n, out.data.u32);
    int status;
    waitpid(child, &status, 0);
    printf("child exited with %d\n", WEXITSTATUS(status));
    return 0;
}
