/* execve and execveat in one process: the errors Linux gives before the point of no return, and
   what a new program keeps (pid, fds without close-on-exec, the signal mask, ignored signals,
   the working directory) and loses (handlers, close-on-exec fds). Stages run as the same binary
   started again: argv[1] names the stage. argv[2] is a scratch directory. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

extern char **environ;

static void on_usr1(int sig) { (void)sig; }

static void report(const char *what, int r) {
    printf("%s: %d %s\n", what, r, r < 0 ? strerror(errno) : "ok");
}

static void write_file(const char *path, const char *text, mode_t mode) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
    if (write(fd, text, strlen(text)) < 0) perror("write");
    close(fd);
    chmod(path, mode);
}

static int first_stage(const char *self, const char *dir) {
    char path[4096];
    char *args[] = {"x", NULL};
    char *env1[] = {"A=1", NULL};

    report("missing", execve("nope-such-file", args, env1));
    report("directory", execve(dir, args, env1));
    snprintf(path, sizeof path, "%s/plain", dir);
    write_file(path, "just text\n", 0644);
    report("not executable", execve(path, args, env1));
    chmod(path, 0755);
    report("no format", execve(path, args, env1));
    snprintf(path, sizeof path, "%s/empty-shebang", dir);
    write_file(path, "#!   \n", 0755);
    report("empty #!", execve(path, args, env1));
    snprintf(path, sizeof path, "%s/missing-interp", dir);
    write_file(path, "#!/nonexistent/interp -x\n", 0755);
    report("missing interpreter", execve(path, args, env1));
    snprintf(path, sizeof path, "%s/loop", dir);
    {
        char text[4200];
        snprintf(text, sizeof text, "#!%s\n", path);
        write_file(path, text, 0755);
    }
    report("interpreter loop", execve(path, args, env1));
    report("bad flags", syscall(SYS_execveat, AT_FDCWD, self, args, env1, 0x4000));
    report("bad argv", syscall(SYS_execve, self, (char **)16, env1));
    report("nofollow symlink", (symlink(self, "self-link"), syscall(SYS_execveat, AT_FDCWD, "self-link", args, env1, AT_SYMLINK_NOFOLLOW)));
    unlink("self-link");

    /* What the next program keeps and loses. */
    int keep = open("/dev/null", O_RDONLY);
    int lose = open("/dev/null", O_RDONLY | O_CLOEXEC);
    dup2(keep, 20);
    dup2(lose, 21);
    fcntl(21, F_SETFD, FD_CLOEXEC);
    signal(SIGUSR1, on_usr1);
    signal(SIGUSR2, SIG_IGN);
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGTERM);
    sigprocmask(SIG_BLOCK, &mask, NULL);
    if (chdir(dir) != 0) perror("chdir");
    fflush(stdout);

    /* A script whose interpreter is this program, with an argument on the #! line. */
    snprintf(path, sizeof path, "%s/script", dir);
    {
        char text[4200];
        snprintf(text, sizeof text, "#!%s  script-stage   with spaces  \nignored\n", self);
        write_file(path, text, 0755);
    }
    char pid[32];
    snprintf(pid, sizeof pid, "%d", getpid());
    char *next[] = {"argv0-is-dropped", pid, "last", NULL};
    char *env[] = {"STAGE=script", "EMPTY=", NULL};
    execve("script", next, env);
    perror("execve script");
    return 1;
}

static int script_stage(int argc, char **argv) {
    /* argv: self, "script-stage   with spaces", "script", pid, "last" */
    printf("script argc=%d\n", argc);
    for (int i = 1; i < argc; i++) printf("  argv[%d]=%s\n", i, i == 3 ? (atoi(argv[i]) == getpid() ? "<same pid>" : "<other pid>") : argv[i]);
    for (char **e = environ; *e; e++) printf("  env %s\n", *e);
    struct sigaction sa;
    sigaction(SIGUSR1, NULL, &sa);
    printf("SIGUSR1 handler reset: %s\n", sa.sa_handler == SIG_DFL ? "yes" : "no");
    sigaction(SIGUSR2, NULL, &sa);
    printf("SIGUSR2 still ignored: %s\n", sa.sa_handler == SIG_IGN ? "yes" : "no");
    sigset_t mask;
    sigprocmask(SIG_BLOCK, NULL, &mask);
    printf("SIGTERM still blocked: %s\n", sigismember(&mask, SIGTERM) ? "yes" : "no");
    printf("fd 20 open: %s\n", fcntl(20, F_GETFD) >= 0 ? "yes" : "no");
    printf("fd 21 open: %s\n", fcntl(21, F_GETFD) >= 0 ? "yes" : "no");
    printf("cwd kept: %s\n", access("script", F_OK) == 0 ? "yes" : "no");
    fflush(stdout);

    /* execveat of an fd with AT_EMPTY_PATH, and no arguments at all: argv[0] is "". */
    int fd = open("/proc/self/exe", O_RDONLY);
    char *none[] = {NULL};
    char *env[] = {"STAGE=fd", NULL};
    syscall(SYS_execveat, fd, "", none, env, AT_EMPTY_PATH);
    perror("execveat");
    return 1;
}

static int fd_stage(int argc, char **argv) {
    printf("fd stage argc=%d argv[0]=\"%s\"\n", argc, argv[0]);
    return 7;
}

int main(int argc, char **argv) {
    const char *stage = getenv("STAGE");
    if (stage && strcmp(stage, "fd") == 0) return fd_stage(argc, argv);
    if (stage && strcmp(stage, "script") == 0) return script_stage(argc, argv);
    if (argc < 2) {
        fprintf(stderr, "usage: exec DIR\n");
        return 2;
    }
    return first_stage(argv[0], argv[1]);
}
