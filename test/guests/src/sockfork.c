/* Sockets between processes: a socketpair echo with a forked child, and a listening socket a
   second child serves (accept waits for the parent's connect). */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
int main(void) {
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv)) return 1;
    pid_t pid = fork();
    if (pid == 0) {
        close(sv[0]);
        char buf[64];
        ssize_t n = recv(sv[1], buf, sizeof buf, 0);
        for (ssize_t i = 0; i < n; i++) if (buf[i] >= 'a' && buf[i] <= 'z') buf[i] -= 32;
        send(sv[1], buf, n, 0);
        _exit(0);
    }
    close(sv[1]);
    /* A listening socket served by a second child. */
    int l = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un a = {AF_UNIX};
    char name[64];
    snprintf(name, sizeof name, "emtrace-sockfork-%d", (int)getpid());
    strcpy(a.sun_path + 1, name);
    socklen_t len = sizeof(sa_family_t) + 1 + strlen(name);
    bind(l, (struct sockaddr *)&a, len);
    listen(l, 1);
    pid_t server = fork();
    if (server == 0) {
        int c = accept(l, NULL, NULL);
        send(c, "served", 6, 0);
        _exit(0);
    }
    send(sv[0], "ping pong", 9, 0);
    char buf[64] = "";
    ssize_t n = recv(sv[0], buf, sizeof buf, 0);
    printf("echo: %.*s\n", (int)n, buf);
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    if (connect(s, (struct sockaddr *)&a, len)) perror("connect");
    n = recv(s, buf, sizeof buf, 0);
    printf("from the server: %.*s\n", (int)n, buf);
    while (wait(NULL) > 0) {}
    return 0;
}
