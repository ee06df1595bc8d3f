/* vfork then execve of this same program with an argument (it prints and exits 7); the parent
   reaps the child. The oracle of emtrace's -f output for vfork and exec. */
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc > 1) {
        write(1, "child\n", 6);
        return 7;
    }
    pid_t child = vfork();
    if (child == 0) {
        char *args[] = {argv[0], "child", NULL};
        char *env[] = {NULL};
        execve(argv[0], args, env);
        _exit(127);
    }
    int status;
    wait4(child, &status, 0, NULL);
    return WEXITSTATUS(status) - 7;
}
