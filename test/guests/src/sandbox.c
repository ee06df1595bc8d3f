/* What a program can reach of the file tree. Each argument is a command:
     open:PATH   open PATH for reading: `PATH: opened "first line"` or `PATH: ENAME`
     stat:PATH   stat PATH: `PATH: exists` or `PATH: ENAME`
     chdir:PATH  change directory
     cwd         print getcwd() and the /proc/self/cwd link
     write:DIR   try every way of changing the tree on DIR/file, DIR/dir and DIR/link (they must
                 exist), printing each result
   Usage: sandbox COMMAND... */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>

static const char *errname(int e) {
    switch (e) {
    case EPERM: return "EPERM";
    case ENOENT: return "ENOENT";
    case EBADF: return "EBADF";
    case EACCES: return "EACCES";
    case EEXIST: return "EEXIST";
    case ENOTDIR: return "ENOTDIR";
    case EISDIR: return "EISDIR";
    case EINVAL: return "EINVAL";
    case EROFS: return "EROFS";
    case ELOOP: return "ELOOP";
    case EXDEV: return "EXDEV";
    case ENOSYS: return "ENOSYS";
    default: return "E?";
    }
}

static void result(const char *what, long r) {
    if (r < 0) printf("%s: %s\n", what, errname(errno));
    else printf("%s: ok\n", what);
}

static void try_open(const char *path) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        printf("%s: %s\n", path, errname(errno));
        return;
    }
    char line[128] = {0};
    ssize_t n = read(fd, line, sizeof line - 1);
    close(fd);
    if (n < 0) n = 0;
    line[n] = 0;
    char *nl = strchr(line, '\n');
    if (nl) *nl = 0;
    printf("%s: opened \"%s\"\n", path, line);
}

static char *in(const char *dir, const char *name) {
    static char paths[64][4096];
    static int next;
    char *p = paths[next++ % 64];
    snprintf(p, 4096, "%s/%s", dir, name);
    return p;
}

static void try_writes(const char *dir) {
    const char *file = in(dir, "file"), *sub = in(dir, "dir"), *lnk = in(dir, "link");
    result("open O_WRONLY", open(file, O_WRONLY));
    result("open O_RDWR", open(file, O_RDWR));
    result("open O_RDONLY|O_TRUNC", open(file, O_RDONLY | O_TRUNC));
    result("open O_WRONLY|O_APPEND", open(file, O_WRONLY | O_APPEND));
    result("open O_CREAT new", open(in(dir, "new"), O_WRONLY | O_CREAT, 0644));
    result("open O_CREAT|O_RDONLY new", open(in(dir, "new2"), O_RDONLY | O_CREAT, 0644));
    result("open O_TMPFILE", open(dir, O_TMPFILE | O_RDWR, 0600));
    result("creat", creat(in(dir, "created"), 0644));
    result("mkdir", mkdir(in(dir, "newdir"), 0755));
    result("rmdir", rmdir(sub));
    result("unlink", unlink(file));
    result("unlink link", unlink(lnk));
    result("rename", rename(file, in(dir, "renamed")));
    result("link", link(file, in(dir, "hard")));
    result("symlink", symlink("file", in(dir, "soft")));
    result("chmod", chmod(file, 0600));
    result("chmod dir", chmod(sub, 0700));
    result("chown", chown(file, 0, 0));
    result("lchown", lchown(lnk, 0, 0));
    result("utimensat", utimensat(AT_FDCWD, file, NULL, 0));
    struct timeval tv[2] = {{1, 0}, {2, 0}};
    result("utimes", utimes(file, tv));
    result("truncate", truncate(file, 0));
    result("access W_OK", access(file, W_OK));
    int fd = open(file, O_RDONLY);
    result("ftruncate", ftruncate(fd, 0));
    result("fchmod", fchmod(fd, 0600));
    result("fchown", fchown(fd, 0, 0));
    result("futimens", futimens(fd, NULL));
    result("fallocate", fallocate(fd, 0, 0, 4096));
    result("write", write(fd, "x", 1));
    close(fd);
    result("mknod fifo", mknod(in(dir, "fifo"), S_IFIFO | 0600, 0));
    result("write /dev/null", write(open("/dev/null", O_WRONLY), "x", 1));
}

int main(int argc, char **argv) {
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (strncmp(arg, "open:", 5) == 0) try_open(arg + 5);
        else if (strncmp(arg, "stat:", 5) == 0) {
            struct stat st;
            if (stat(arg + 5, &st) < 0) printf("%s: %s\n", arg + 5, errname(errno));
            else printf("%s: exists\n", arg + 5);
        } else if (strncmp(arg, "chdir:", 6) == 0) result(arg, chdir(arg + 6));
        else if (strcmp(arg, "cwd") == 0) {
            char cwd[4096], target[4096] = {0};
            printf("getcwd: %s\n", getcwd(cwd, sizeof cwd) ? cwd : errname(errno));
            ssize_t n = readlink("/proc/self/cwd", target, sizeof target - 1);
            printf("/proc/self/cwd: %s\n", n < 0 ? errname(errno) : target);
        } else if (strncmp(arg, "write:", 6) == 0) try_writes(arg + 6);
        else {
            fprintf(stderr, "sandbox: unknown command %s\n", arg);
            return 2;
        }
    }
    return 0;
}
