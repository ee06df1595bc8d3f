/* File calls beyond open/read/write: memfd files (contents, shared mappings, seals), flock
 * between two open descriptions, splice/tee/vmsplice through pipes, and extended attributes.
 * Prints what it sees; the output must be the same natively and under emtrace.
 * Usage: filex DIR (a scratch directory on a file system with user xattrs). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <poll.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/xattr.h>
#include <unistd.h>

static void show(const char *what, long r) {
    if (r < 0) printf("%s = -1 errno %d\n", what, errno);
    else printf("%s = %ld\n", what, r);
}
#define T(x) do { errno = 0; show(#x, (long)(x)); } while (0)

static void memfd(void) {
    int fd = memfd_create("filex", MFD_ALLOW_SEALING);
    char buf[64] = {0}, link[128] = {0}, path[64];
    T(write(fd, "hello memfd", 11));
    struct stat st;
    fstat(fd, &st);
    printf("mode %o nlink %ld size %ld blocks %ld\n", st.st_mode, (long)st.st_nlink, (long)st.st_size, (long)st.st_blocks);
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    T(readlink(path, link, sizeof link - 1));
    printf("link %s\n", link);
    T(ftruncate(fd, 4096));
    char *m = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    printf("mapped %s\n", m);
    memcpy(m, "HELLO", 5);
    T(pread(fd, buf, 11, 0));
    printf("read back %s\n", buf);
    T(pwrite(fd, "W", 1, 0));
    printf("mapping sees %.5s\n", m);
    T(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE));
    munmap(m, 4096);
    T(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE | F_SEAL_SHRINK));
    T(fcntl(fd, F_GET_SEALS));
    T(write(fd, "x", 1));
    T(ftruncate(fd, 100));
    T(ftruncate(fd, 8192));
    T(mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) == MAP_FAILED);
    T(mmap(0, 4096, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED);
    T(lseek(fd, 0, SEEK_END));
    int again = open(path, O_RDONLY);
    T(read(again, buf, 5));
    printf("reopened reads %.5s\n", buf);
    T(fcntl(again, F_ADD_SEALS, F_SEAL_GROW));
    T(fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL));
    T(fcntl(fd, F_ADD_SEALS, F_SEAL_GROW));
    T(fcntl(1, F_GET_SEALS));
    int plain = memfd_create("plain", MFD_CLOEXEC);
    T(fcntl(plain, F_GET_SEALS));
    T(fcntl(plain, F_ADD_SEALS, F_SEAL_GROW));
    T(fcntl(plain, F_GETFD));
    T(memfd_create("bad", 0x100));
    close(fd); close(again); close(plain);
}

static void locks(const char *dir) {
    char path[256];
    snprintf(path, sizeof path, "%s/lockfile", dir);
    int a = open(path, O_CREAT | O_RDWR, 0644), b = open(path, O_RDWR), c = dup(a);
    T(flock(a, LOCK_EX));
    T(flock(b, LOCK_SH | LOCK_NB));
    T(flock(c, LOCK_SH | LOCK_NB)); /* the same description: a conversion */
    T(flock(b, LOCK_SH | LOCK_NB));
    T(flock(b, LOCK_EX | LOCK_NB));
    T(flock(a, LOCK_UN));
    T(flock(b, LOCK_EX | LOCK_NB));
    T(flock(a, LOCK_SH | LOCK_NB));
    close(b);
    T(flock(a, LOCK_EX | LOCK_NB));
    T(flock(a, LOCK_NB));
    T(fcntl(a, F_SETLK, &(struct flock){.l_type = F_WRLCK})); /* independent of flock */
    close(a); close(c);
}

static void pipes(const char *dir) {
    char src[256], dst[256], buf[64] = {0};
    snprintf(src, sizeof src, "%s/src", dir);
    snprintf(dst, sizeof dst, "%s/dst", dir);
    int in = open(src, O_CREAT | O_RDWR | O_TRUNC, 0644);
    write(in, "0123456789abcdef", 16);
    int out = open(dst, O_CREAT | O_RDWR | O_TRUNC, 0644);
    int p[2], q[2];
    pipe(p);
    pipe(q);
    loff_t off = 4;
    T(splice(in, &off, p[1], NULL, 8, 0));
    printf("offset now %ld\n", (long)off);
    T(tee(p[0], q[1], 100, 0));
    T(splice(p[0], NULL, out, NULL, 100, 0));
    T(pread(out, buf, sizeof buf - 1, 0));
    printf("file got %s\n", buf);
    memset(buf, 0, sizeof buf);
    T(read(q[0], buf, sizeof buf - 1));
    printf("tee copy %s\n", buf);
    T(splice(p[0], NULL, out, NULL, 100, SPLICE_F_NONBLOCK));
    T(tee(p[0], q[1], 1, SPLICE_F_NONBLOCK));
    T(tee(p[0], p[1], 1, 0));
    T(tee(in, q[1], 1, 0));
    struct iovec iov[2] = {{"vm", 2}, {"splice", 6}};
    T(vmsplice(p[1], iov, 2, SPLICE_F_GIFT));
    char r1[3] = {0}, r2[8] = {0};
    struct iovec back[2] = {{r1, 2}, {r2, 7}};
    T(vmsplice(p[0], back, 2, 0));
    printf("vmspliced %s %s\n", r1, r2);
    T(vmsplice(in, iov, 1, 0));
    T(vmsplice(p[0], back, 1, SPLICE_F_NONBLOCK));
    T(splice(in, NULL, out, NULL, 1, 0));
    T(splice(p[0], &off, out, NULL, 1, 0));
    T(posix_fadvise(in, 0, 0, POSIX_FADV_SEQUENTIAL));
    T(syscall(SYS_fadvise64, p[0], 0, 0, 0));
    T(syscall(SYS_fadvise64, in, 0, 0, 42));
    T(readahead(in, 0, 4096));
    T(readahead(p[0], 0, 4096));
    T(sync_file_range(in, 0, 0, SYNC_FILE_RANGE_WRITE));
    T(sync_file_range(p[0], 0, 0, 0));
    T(sync_file_range(in, 0, 0, 0x10));
    T(syncfs(in));
    close(in); close(out); close(p[0]); close(p[1]); close(q[0]); close(q[1]);
}

static void xattrs(const char *dir) {
    char path[256], link[256], buf[64] = {0};
    snprintf(path, sizeof path, "%s/attrs", dir);
    snprintf(link, sizeof link, "%s/attrs-link", dir);
    close(open(path, O_CREAT | O_RDWR, 0644));
    symlink("attrs", link);
    T(getxattr(path, "user.color", buf, sizeof buf));
    T(listxattr(path, buf, sizeof buf));
    T(setxattr(path, "user.color", "blue", 4, XATTR_CREATE));
    T(setxattr(path, "user.color", "red", 3, XATTR_CREATE));
    T(setxattr(path, "user.shape", "round", 5, XATTR_REPLACE));
    T(setxattr(path, "user.shape", "round", 5, 0));
    T(getxattr(path, "user.color", NULL, 0));
    T(getxattr(path, "user.color", buf, 2));
    T(getxattr(link, "user.color", buf, sizeof buf));
    printf("value %.4s\n", buf);
    T(lgetxattr(link, "user.color", buf, sizeof buf));
    T(lsetxattr(link, "user.color", "x", 1, 0));
    T(listxattr(path, NULL, 0));
    T(listxattr(path, buf, 5));
    memset(buf, 0, sizeof buf);
    long n = listxattr(path, buf, sizeof buf);
    for (long k = 0; k < n; k += strlen(buf + k) + 1) printf("name %s\n", buf + k);
    int fd = open(path, O_RDONLY);
    T(fgetxattr(fd, "user.shape", buf, sizeof buf));
    T(fremovexattr(fd, "user.shape"));
    T(fremovexattr(fd, "user.shape"));
    T(removexattr(path, "user.color"));
    T(flistxattr(fd, buf, sizeof buf));
    T(setxattr(path, "bogus.name", "v", 1, 0));
    T(setxattr(path, "user.x", "v", 1, 4));
    T(getxattr(path, "", buf, sizeof buf));
    char longname[300];
    memset(longname, 'n', sizeof longname);
    memcpy(longname, "user.", 5);
    longname[299] = 0;
    T(getxattr(path, longname, buf, sizeof buf));
    T(getxattr("/nonexistent/x", "user.x", buf, sizeof buf));
    T(fsetxattr(99, "user.x", "v", 1, 0));
    int p[2];
    pipe(p);
    T(fsetxattr(p[0], "user.x", "v", 1, 0));
    close(fd); close(p[0]); close(p[1]);
}

/* Prints the queued events; a rename's two events must share a nonzero cookie. */
static void events(int fd) {
    char buf[4096] __attribute__((aligned(8)));
    int queued = -1;
    ioctl(fd, FIONREAD, &queued);
    errno = 0;
    long n = read(fd, buf, sizeof buf);
    printf("FIONREAD %d, read %ld\n", queued, n);
    unsigned last_cookie = 0;
    for (char *p = buf; n > 0 && p < buf + n;) {
        struct inotify_event *e = (struct inotify_event *)p;
        printf("  wd %d mask %#x len %u name '%s'%s\n", e->wd, e->mask, e->len, e->len ? e->name : "",
               e->mask & IN_MOVED_TO ? (e->cookie && e->cookie == last_cookie ? " (cookie matches)" : " (cookie differs)") : "");
        if (e->mask & IN_MOVED_FROM) last_cookie = e->cookie;
        p += sizeof *e + e->len;
    }
}

static void watch(const char *dir) {
    char sub[256], file[256], moved[256], self[64], link[64] = {0};
    snprintf(sub, sizeof sub, "%s/watched", dir);
    snprintf(file, sizeof file, "%s/watched/a-file-name", dir);
    snprintf(moved, sizeof moved, "%s/watched/b", dir);
    mkdir(sub, 0755);
    T(inotify_init1(0x7f));
    int fd = inotify_init1(IN_NONBLOCK);
    struct stat st;
    fstat(fd, &st);
    printf("mode %o nlink %ld size %ld\n", st.st_mode, (long)st.st_nlink, (long)st.st_size);
    snprintf(self, sizeof self, "/proc/self/fd/%d", fd);
    T(readlink(self, link, sizeof link - 1));
    printf("link %s\n", link);
    T(inotify_add_watch(fd, sub, IN_ALL_EVENTS));
    char dot[300];
    snprintf(dot, sizeof dot, "%s/.", sub);
    T(inotify_add_watch(fd, dot, IN_CREATE | IN_DELETE | IN_MOVE | IN_MODIFY | IN_ATTRIB | IN_OPEN | IN_CLOSE | IN_ACCESS));
    T(inotify_add_watch(fd, sub, 0));
    T(inotify_add_watch(fd, sub, IN_MASK_ADD | IN_MASK_CREATE | IN_CREATE));
    T(inotify_add_watch(fd, sub, IN_MASK_CREATE | IN_CREATE));
    T(inotify_add_watch(fd, "/nonexistent", IN_CREATE));
    T(inotify_add_watch(1, sub, IN_CREATE));
    T(inotify_add_watch(99, sub, IN_CREATE));
    T(read(fd, link, sizeof link));
    T(read(fd, link, 0));
    struct pollfd p = {fd, POLLIN, 0};
    T(poll(&p, 1, 0));
    int f = open(file, O_CREAT | O_WRONLY, 0644);
    write(f, "data", 4);
    close(f);
    T(inotify_add_watch(fd, file, IN_ONLYDIR | IN_MODIFY));
    int fw = inotify_add_watch(fd, file, IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF);
    printf("file watch %d\n", fw);
    f = open(file, O_RDONLY);
    char c;
    read(f, &c, 1);
    close(f);
    chmod(file, 0600);
    T(poll(&p, 1, 0));
    printf("revents %#x\n", p.revents);
    char small[20];
    T(read(fd, small, sizeof small));
    events(fd);
    rename(file, moved);
    mkdir(dot, 0755); /* EEXIST: no event */
    char subsub[300];
    snprintf(subsub, sizeof subsub, "%s/d", sub);
    mkdir(subsub, 0755);
    rmdir(subsub);
    unlink(moved);
    events(fd);
    T(inotify_rm_watch(fd, 1));
    T(inotify_rm_watch(fd, 1));
    T(inotify_rm_watch(1, 1));
    T(inotify_rm_watch(99, 1));
    events(fd);
    T(inotify_add_watch(fd, sub, IN_OPEN | IN_ONESHOT));
    close(open(sub, O_RDONLY));
    close(open(sub, O_RDONLY));
    events(fd);
    T(write(fd, "x", 1));
    T(lseek(fd, 0, SEEK_SET));
    /* A directory listed (IN_ACCESS), then removed (IN_DELETE_SELF, without IN_ISDIR). */
    T(inotify_add_watch(fd, sub, IN_ALL_EVENTS));
    int d = open(sub, O_RDONLY | O_DIRECTORY);
    char entries[1024];
    T(syscall(SYS_getdents64, d, entries, sizeof entries) > 0);
    close(d);
    rmdir(sub);
    events(fd);
    close(fd);
    T(inotify_init());
}

int main(int argc, char **argv) {
    if (argc < 2) return 2;
    memfd();
    locks(argv[1]);
    pipes(argv[1]);
    xattrs(argv[1]);
    watch(argv[1]);
    return 0;
}
