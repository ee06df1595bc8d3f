/* Process groups and sessions between processes (setpgid, getpgid, setsid, getsid): a parent
   moves its child to a group of its own and back, the child starts a session, and the calls
   Linux refuses are refused. The ids are printed by what they equal, so the lines are the same
   natively and under emtrace. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static pid_t parent, child;

/* A call's result: its errno, 0, or which id it is (the parent's group first: it may be the
   parent's pid, and is under emtrace, whose first process leads its own group). */
static void show(const char *what, long result) {
    if (result < 0) printf("%s: %s\n", what, strerror(errno));
    else if (result == 0) printf("%s: 0\n", what);
    else if (result == getpgid(parent)) printf("%s: the parent's group\n", what);
    else if (result == parent) printf("%s: the parent's pid\n", what);
    else if (result == child) printf("%s: the child's pid\n", what);
    else if (result == getsid(parent)) printf("%s: the parent's session\n", what);
    else printf("%s: another id\n", what);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    parent = getpid();
    int go[2], done[2];
    if (pipe(go) || pipe(done)) return 1;
    child = fork();
    if (child == 0) {
        char c;
        child = getpid();
        read(go[0], &c, 1);
        show("child getpgid(0)", getpgid(0));
        show("child setsid", setsid());
        show("child getsid(0)", getsid(0));
        show("child getpgrp", getpgrp());
        show("child setpgid(0, 0) as a session leader", setpgid(0, 0));
        show("child setpgid(parent, parent)", setpgid(parent, parent));
        write(done[1], "x", 1);
        read(go[0], &c, 1);
        _exit(0);
    }
    show("getpgid(child) after fork", getpgid(child));
    show("setpgid(child, child)", setpgid(child, child));
    show("getpgid(child)", getpgid(child));
    show("setpgid(child, no such group)", setpgid(child, child + 1000));
    show("setpgid(child, the parent's group)", setpgid(child, getpgrp()));
    show("getpgid(child) again", getpgid(child));
    show("setpgid(no such process, 0)", setpgid(child + 1000, 0));
    show("setpgid(0, -1)", setpgid(0, -1));
    write(go[1], "x", 1);
    char c;
    read(done[0], &c, 1);
    show("getsid(child)", getsid(child));
    show("setpgid(child in another session, child)", setpgid(child, child));
    write(go[1], "x", 1);
    waitpid(child, NULL, 0);
    show("getpgid(reaped child)", getpgid(child));
    setpgid(0, 0);
    show("setsid as a group leader", setsid());
    return 0;
}
