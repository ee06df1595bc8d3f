/* File-system operations by name, on their success and error paths: creating, linking, renaming
   and removing names, symlinks (loops, dangling, O_NOFOLLOW, trailing slashes), permissions,
   owners, times, sizes, the cwd, directory listings, statx and statfs. Prints what each call
   returned; a native run in an empty directory prints the same.
   Usage: fsops DIR (an empty writable directory; run as root for the chown part). */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>

#define STATX_BASIC_MASK 0x7ffU
#ifndef SYS_faccessat2
#define SYS_faccessat2 439
#endif
#ifndef SYS_statx
#define SYS_statx 332
#endif

/* The kernel's struct statx (musl 1.2.3 has no statx()). */
struct kstatx {
    unsigned mask, blksize;
    unsigned long long attributes;
    unsigned nlink, uid, gid;
    unsigned short mode, pad0;
    unsigned long long ino, size, blocks, attributes_mask;
    struct { long long sec; unsigned nsec; int pad; } atime, btime, ctime, mtime;
    unsigned rdev_major, rdev_minor, dev_major, dev_minor;
    unsigned long long spare[14];
};
#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE 1
#define RENAME_EXCHANGE 2
#endif

static const char *errname(int e) {
    switch (e) {
    case EPERM: return "EPERM";
    case ENOENT: return "ENOENT";
    case EBADF: return "EBADF";
    case EACCES: return "EACCES";
    case EFAULT: return "EFAULT";
    case EBUSY: return "EBUSY";
    case EEXIST: return "EEXIST";
    case EXDEV: return "EXDEV";
    case ENOTDIR: return "ENOTDIR";
    case EISDIR: return "EISDIR";
    case EINVAL: return "EINVAL";
    case ERANGE: return "ERANGE";
    case ENAMETOOLONG: return "ENAMETOOLONG";
    case ENOTEMPTY: return "ENOTEMPTY";
    case ELOOP: return "ELOOP";
    case EOPNOTSUPP: return "EOPNOTSUPP";
    case EROFS: return "EROFS";
    default: return "E?";
    }
}

/* Prints `label: result` (or `label: -1 ENAME`) and returns the result. */
static long show(const char *label, long r) {
    if (r < 0) printf("%s: -1 %s\n", label, errname(errno));
    else printf("%s: %ld\n", label, r);
    return r;
}

#define T(expr) show(#expr, (long)(expr))

static void describe(const char *label, const char *path, int follow) {
    struct stat st;
    int r = follow ? stat(path, &st) : lstat(path, &st);
    if (r < 0) {
        printf("%s %s: -1 %s\n", label, path, errname(errno));
        return;
    }
    const char *type = S_ISREG(st.st_mode) ? "file" : S_ISDIR(st.st_mode) ? "dir" : S_ISLNK(st.st_mode) ? "link" : "other";
    printf("%s %s: %s mode=%04o size=%lld nlink=%ld\n", label, path, type, (unsigned)(st.st_mode & 07777),
           S_ISDIR(st.st_mode) ? 0LL : (long long)st.st_size, (long)st.st_nlink);
}

static void put(const char *path, const char *text) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || write(fd, text, strlen(text)) < 0) {
        perror(path);
        exit(1);
    }
    close(fd);
}

static void cat(const char *path) {
    char buf[64] = {0};
    int fd = open(path, O_RDONLY);
    ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof buf - 1);
    if (fd >= 0) close(fd);
    printf("%s holds \"%s\"\n", path, n < 0 ? "?" : buf);
}

static int by_name(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Lists a directory with raw getdents64, names sorted (the host's order is its own). */
static void list(const char *path) {
    int fd = open(path, O_RDONLY | O_DIRECTORY);
    char buf[1024];
    char *names[64];
    int count = 0;
    long n;
    while ((n = syscall(SYS_getdents64, fd, buf, sizeof buf)) > 0) {
        for (long off = 0; off < n;) {
            struct { unsigned long long ino; long long off; unsigned short reclen; unsigned char type; char name[]; } *d = (void *)(buf + off);
            if (count < 64) names[count++] = strdup(d->name);
            off += d->reclen;
        }
    }
    close(fd);
    qsort(names, count, sizeof names[0], by_name);
    printf("%s lists", path);
    for (int i = 0; i < count; i++) printf(" %s", names[i]);
    printf("\n");
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: fsops DIR\n");
        return 2;
    }
    const char *dir = argv[1];
    if (chdir(dir) < 0) {
        perror(dir);
        return 1;
    }
    umask(022);

    /* creating files and directories */
    put("f", "hello\n");
    describe("created", "f", 1);
    T(mkdir("d", 0777));
    describe("mkdir", "d", 1);
    T(mkdir("d", 0755));
    T(mkdir("nope/x", 0755));
    T(mkdir("f/x", 0755));
    T(mkdir("e/", 0700));
    describe("mkdir with slash", "e", 1);
    T(mkdirat(AT_FDCWD, "d/sub", 0750));
    T(umask(0));
    T(open("wide", O_CREAT | O_WRONLY, 0666) >= 0);
    describe("umask 0", "wide", 1);
    T(umask(022));
    T(open("f", O_CREAT | O_EXCL | O_WRONLY, 0644));
    T(open("d", O_WRONLY));
    T(open("d", O_RDONLY | O_TRUNC));
    T(open("f", O_RDONLY | O_DIRECTORY));
    T(open("f/", O_RDONLY));
    T(open("newdir/", O_CREAT | O_WRONLY, 0644));
    T(open("nope", O_RDONLY));
    T(creat("c", 0600) >= 0);
    describe("creat", "c", 1);

    /* symlinks */
    T(symlink("f", "s"));
    T(symlink("f", "s"));
    char target[64] = {0};
    T(readlink("s", target, sizeof target));
    printf("s -> %s\n", target);
    T(readlink("s", target, 1));
    T(readlink("f", target, sizeof target));
    T(readlink("nope", target, sizeof target));
    describe("stat", "s", 1);
    describe("lstat", "s", 0);
    T(symlink("loop2", "loop1"));
    T(symlink("loop1", "loop2"));
    T(open("loop1", O_RDONLY));
    describe("stat", "loop1", 1);
    describe("lstat", "loop1", 0);
    T(symlink("missing", "dangling"));
    describe("stat", "dangling", 1);
    T(open("dangling", O_CREAT | O_EXCL | O_WRONLY, 0600));
    T(open("dangling", O_CREAT | O_WRONLY, 0600) >= 0);
    describe("created through a link", "missing", 1);
    T(open("s", O_RDONLY | O_NOFOLLOW));
    int pfd = T(open("s", O_PATH | O_NOFOLLOW));
    struct stat st;
    fstat(pfd, &st);
    printf("O_PATH of a link is a link: %d\n", S_ISLNK(st.st_mode));
    memset(target, 0, sizeof target);
    T(readlinkat(pfd, "", target, sizeof target));
    printf("through the fd: %s\n", target);
    T(read(pfd, target, 1));
    close(pfd);
    T(unlink("s/"));
    T(symlink("d", "sd"));
    T(rmdir("sd/"));
    T(access("sd/sub", F_OK));
    T(symlink("/", "toroot"));
    struct stat root, up;
    stat("toroot", &root);
    stat("/..", &up);
    printf("/.. is /: %d\n", root.st_ino == up.st_ino && root.st_dev == up.st_dev);

    /* hard links */
    T(link("f", "h"));
    describe("linked", "f", 1);
    T(link("d", "dl"));
    T(link("f", "h"));
    T(link("nope", "h2"));
    T(linkat(AT_FDCWD, "s", AT_FDCWD, "hs", 0));
    describe("link of a link", "hs", 0);
    T(linkat(AT_FDCWD, "s", AT_FDCWD, "hf", AT_SYMLINK_FOLLOW));
    describe("link through a link", "hf", 0);

    /* renames */
    T(rename("h", "h2"));
    put("g", "gee\n");
    T(rename("g", "h2"));
    cat("h2");
    T(rename("d", "f"));
    T(rename("f", "d"));
    T(rename("d", "d/sub/deeper"));
    T(rename("nope", "x"));
    T(rename("f", "x/"));
    T(rename(".", "x"));
    put("a", "first\n");
    put("b", "second\n");
    T(syscall(SYS_renameat2, AT_FDCWD, "a", AT_FDCWD, "b", RENAME_NOREPLACE));
    T(syscall(SYS_renameat2, AT_FDCWD, "a", AT_FDCWD, "b", RENAME_EXCHANGE));
    cat("a");
    cat("b");
    T(syscall(SYS_renameat2, AT_FDCWD, "a", AT_FDCWD, "nope", RENAME_EXCHANGE));
    T(syscall(SYS_renameat2, AT_FDCWD, "a", AT_FDCWD, "b", RENAME_NOREPLACE | RENAME_EXCHANGE));
    T(renameat(AT_FDCWD, "b", AT_FDCWD, "b2"));

    /* removing */
    T(rmdir("d"));
    T(rmdir("f"));
    T(rmdir("."));
    T(rmdir("e/"));
    T(unlink("d"));
    T(unlink("nope"));
    T(unlinkat(AT_FDCWD, "d/sub", AT_REMOVEDIR));
    T(unlinkat(AT_FDCWD, "b2", 0));
    T(unlinkat(AT_FDCWD, "a", 0x4000));

    /* permissions, owners, times */
    T(chmod("f", 0600));
    describe("chmod", "f", 1);
    T(chmod("nope", 0600));
    int ffd = open("f", O_RDWR);
    T(fchmod(ffd, 0640));
    T(fchmodat(AT_FDCWD, "f", 04755, 0));
    describe("fchmodat", "f", 1);
    T(chmod("f", 0644));
    T(access("f", R_OK | W_OK));
    T(access("f", X_OK));
    T(access("nope", F_OK));
    T(access("f", 8));
    T(faccessat(AT_FDCWD, "f", R_OK, AT_EACCESS));
    T(syscall(SYS_faccessat2, AT_FDCWD, "f", R_OK, 0x8000));
    if (geteuid() == 0) {
        T(chown("f", 1234, 5678));
        stat("f", &st);
        printf("owner %u:%u\n", (unsigned)st.st_uid, (unsigned)st.st_gid);
        T(lchown("s", 4321, -1));
        lstat("s", &st);
        printf("link owner %u\n", (unsigned)st.st_uid);
        T(fchown(ffd, 0, 0));
        T(fchownat(AT_FDCWD, "s", 0, 0, AT_SYMLINK_NOFOLLOW));
    }
    struct timespec times[2] = {{1000000000, 123456789}, {1200000000, 500}};
    T(utimensat(AT_FDCWD, "f", times, 0));
    stat("f", &st);
    printf("times %lld.%09ld %lld.%09ld\n", (long long)st.st_atim.tv_sec, st.st_atim.tv_nsec, (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
    times[0].tv_nsec = UTIME_OMIT;
    times[1] = (struct timespec){1300000000, 0};
    T(utimensat(AT_FDCWD, "f", times, 0));
    stat("f", &st);
    printf("times %lld.%09ld %lld.%09ld\n", (long long)st.st_atim.tv_sec, st.st_atim.tv_nsec, (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
    times[1].tv_nsec = UTIME_NOW;
    T(futimens(ffd, times));
    fstat(ffd, &st);
    printf("now is later: %d\n", st.st_mtim.tv_sec > 1300000000);
    times[0].tv_nsec = 1000000000;
    T(utimensat(AT_FDCWD, "f", times, 0));
    T(utimensat(AT_FDCWD, "nope", times, 0));
    struct timeval tv[2] = {{1100000000, 250000}, {1100000001, 0}};
    T(utimes("f", tv));
    stat("f", &st);
    printf("utimes %lld.%09ld %lld.%09ld\n", (long long)st.st_atim.tv_sec, st.st_atim.tv_nsec, (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);

    /* sizes */
    T(truncate("f", 3));
    describe("truncate", "f", 1);
    T(ftruncate(ffd, 100));
    describe("ftruncate", "f", 1);
    T(truncate("d", 0));
    T(truncate("f", -1));
    int ro = open("f", O_RDONLY);
    T(ftruncate(ro, 0));
    T(fallocate(ffd, 0, 0, 8192));
    describe("fallocate", "f", 1);
    T(fallocate(ffd, FALLOC_FL_KEEP_SIZE, 0, 65536));
    describe("keep size", "f", 1);
    T(fallocate(ro, 0, 0, 10));
    T(fallocate(ffd, 0, -1, 10));
    T(fsync(ffd));
    T(fdatasync(ffd));
    T(syncfs(ffd));
    sync();
    close(ro);
    close(ffd);

    /* the cwd */
    char cwd[PATH_MAX];
    T(getcwd(cwd, sizeof cwd) != NULL);
    printf("cwd is DIR: %d\n", strcmp(cwd, dir) == 0);
    T(syscall(SYS_getcwd, cwd, 1));
    T(chdir("d"));
    getcwd(cwd, sizeof cwd);
    printf("cwd ends in /d: %d\n", strlen(cwd) > 2 && strcmp(cwd + strlen(cwd) - 2, "/d") == 0);
    T(chdir(".."));
    T(chdir("f"));
    T(chdir("nope"));
    int dfd = open("d", O_RDONLY | O_DIRECTORY);
    T(fchdir(dfd));
    T(access("sub", F_OK));
    T(mkdir("made-in-d", 0755));
    T(chdir(dir));
    T(fchdir(ro));
    int inner = T(openat(dfd, "inner", O_CREAT | O_WRONLY, 0644) >= 0);
    (void)inner;
    T(openat(ffd, "x", O_RDONLY));
    int filefd = open("f", O_RDONLY);
    T(openat(filefd, "x", O_RDONLY));
    T(openat(-5, "x", O_RDONLY));
    T(openat(-5, dir, O_RDONLY | O_DIRECTORY) >= 0);
    list("d");
    list(".");
    T(syscall(SYS_getdents64, filefd, cwd, sizeof cwd));
    T(syscall(SYS_getdents, dfd, cwd, 10));
    close(filefd);
    close(dfd);

    /* statx and statfs */
    struct kstatx sx;
    T(syscall(SYS_statx, AT_FDCWD, "f", 0, STATX_BASIC_MASK, &sx));
    printf("statx mode=%04o size=%llu nlink=%u basic=%d\n", sx.mode & 07777, sx.size, sx.nlink, (sx.mask & STATX_BASIC_MASK) == STATX_BASIC_MASK);
    T(syscall(SYS_statx, AT_FDCWD, "s", AT_SYMLINK_NOFOLLOW, STATX_BASIC_MASK, &sx));
    printf("statx of a link: %d\n", S_ISLNK(sx.mode));
    T(syscall(SYS_statx, AT_FDCWD, "f", 0x6000, STATX_BASIC_MASK, &sx));
    struct statfs sf;
    T(statfs(".", &sf));
    printf("statfs bsize=%ld namelen=%ld\n", (long)sf.f_bsize, (long)sf.f_namelen);
    T(statfs("nope", &sf));

    /* names and pointers */
    char longname[300];
    memset(longname, 'x', sizeof longname - 1);
    longname[sizeof longname - 1] = 0;
    T(open(longname, O_RDONLY));
    T(mkdir(longname, 0755));
    T(syscall(SYS_open, (char *)1, O_RDONLY));
    T(syscall(SYS_stat, "f", (void *)1));
    T(syscall(SYS_mkdir, (char *)8, 0755));
    int tmp = T(open(".", O_TMPFILE | O_RDWR, 0600) >= 0);
    (void)tmp;
    return 0;
}
