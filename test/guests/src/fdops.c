/* Descriptor operations on their success and error paths: pipes (buffer size, non-blocking
   ends, end of file, FIONREAD), dup and fcntl flags, seeking, positioned and vectored I/O,
   O_APPEND, sendfile, copy_file_range, splice, record locks, poll/ppoll/select/pselect6 on files
   and pipes, ioctl on files, device nodes, and bad pointers. Prints what each call returned; a
   native run in an empty directory prints the same.
   Usage: fdops DIR (an empty writable directory). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <termios.h>
#include <unistd.h>

#ifndef F_OFD_GETLK
#define F_OFD_GETLK 36
#define F_OFD_SETLK 37
#define F_OFD_SETLKW 38
#endif
#ifndef RWF_NOWAIT
#define RWF_NOWAIT 8
#endif
#ifndef SYS_preadv2
#define SYS_preadv2 327
#define SYS_pwritev2 328
#endif

/* musl 1.2.3 has no preadv2/pwritev2 wrappers: the raw calls (offset in two words). */
static long preadv2_raw(int fd, const struct iovec *iov, int count, long long offset, int flags) {
    return syscall(SYS_preadv2, fd, iov, count, (long)offset, (long)((unsigned long long)offset >> 32 >> 32), flags);
}

static long pwritev2_raw(int fd, const struct iovec *iov, int count, long long offset, int flags) {
    return syscall(SYS_pwritev2, fd, iov, count, (long)offset, (long)((unsigned long long)offset >> 32 >> 32), flags);
}
#ifndef RWF_APPEND
#define RWF_APPEND 0x10
#endif

static const char *errname(int e) {
    switch (e) {
    case EPERM: return "EPERM";
    case ENOENT: return "ENOENT";
    case EBADF: return "EBADF";
    case EAGAIN: return "EAGAIN";
    case EACCES: return "EACCES";
    case EFAULT: return "EFAULT";
    case EBUSY: return "EBUSY";
    case EISDIR: return "EISDIR";
    case ENOTDIR: return "ENOTDIR";
    case EINVAL: return "EINVAL";
    case ENOTTY: return "ENOTTY";
    case ESPIPE: return "ESPIPE";
    case EPIPE: return "EPIPE";
    case ENXIO: return "ENXIO";
    case EOPNOTSUPP: return "EOPNOTSUPP";
    default: return "E?";
    }
}

static long show(const char *label, long r) {
    if (r < 0) printf("%s: -1 %s\n", label, errname(errno));
    else printf("%s: %ld\n", label, r);
    fflush(stdout);
    return r;
}

#define T(expr) show(#expr, (long)(expr))

static void put(const char *path, const char *text) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || write(fd, text, strlen(text)) < 0) {
        perror(path);
        exit(1);
    }
    close(fd);
}

static void lock(struct flock *l, short type, off_t start, off_t len) {
    memset(l, 0, sizeof *l);
    l->l_type = type;
    l->l_whence = SEEK_SET;
    l->l_start = start;
    l->l_len = len;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: fdops DIR\n");
        return 2;
    }
    if (chdir(argv[1]) < 0) {
        perror(argv[1]);
        return 1;
    }
    /* stdout is a pipe or a file: written at once, so the two runs' output interleaves the same */
    setvbuf(stdout, NULL, _IONBF, 0);
    char buf[256];

    /* pipes */
    int p[2];
    T(pipe2(p, O_CLOEXEC));
    T(fcntl(p[0], F_GETFD));
    T(fcntl(p[0], F_GETFL));
    T(fcntl(p[1], F_GETFL));
    T(fcntl(p[0], F_GETPIPE_SZ));
    int n = 0;
    T(ioctl(p[0], FIONREAD, &n));
    T(write(p[1], "through the pipe", 16));
    T(ioctl(p[0], FIONREAD, &n));
    printf("FIONREAD says %d\n", n);
    T(read(p[0], buf, 7));
    T(read(p[0], buf, sizeof buf));
    T(fcntl(p[0], F_SETFL, O_NONBLOCK));
    T(read(p[0], buf, sizeof buf));
    T(write(p[0], "x", 1));
    T(read(p[1], buf, 1));
    T(lseek(p[0], 0, SEEK_SET));
    T(pread(p[0], buf, 1, 0));
    T(fcntl(p[1], F_SETPIPE_SZ, 4096));
    T(fcntl(p[1], F_SETFL, O_NONBLOCK));
    char big[5000];
    memset(big, 'p', sizeof big);
    T(write(p[1], big, sizeof big));
    T(write(p[1], big, 1));
    T(fcntl(p[1], F_SETPIPE_SZ, 0));
    T(read(p[0], big, sizeof big));
    T(close(p[1]));
    T(read(p[0], buf, sizeof buf));
    T(close(p[0]));
    T(pipe2(p, O_DIRECT + 1));
    T(syscall(SYS_pipe, (int *)8));

    /* dup and descriptor flags */
    put("data", "0123456789abcdefghij");
    int fd = T(open("data", O_RDWR));
    T(dup(fd));
    T(dup2(fd, fd));
    T(dup2(fd, 9));
    T(dup3(fd, fd, 0));
    T(dup3(fd, 10, O_CLOEXEC));
    T(fcntl(10, F_GETFD));
    T(dup3(fd, 11, O_NONBLOCK));
    T(fcntl(fd, F_DUPFD, 20));
    T(fcntl(fd, F_DUPFD_CLOEXEC, 20));
    T(fcntl(fd, F_DUPFD, -1));
    T(fcntl(fd, F_SETFD, FD_CLOEXEC));
    T(fcntl(fd, F_GETFD));
    T(fcntl(fd, F_SETFL, O_APPEND | O_NONBLOCK | O_RDONLY));
    T(fcntl(fd, F_GETFL));
    T(fcntl(fd, F_SETFL, 0));
    T(fcntl(99, F_GETFD));
    T(fcntl(fd, 9999));
    T(fcntl(fd, F_GETPIPE_SZ));
    T(fcntl(fd, F_GET_SEALS));
    T(fcntl(fd, F_SETOWN, getpid()));
    T(fcntl(fd, F_GETOWN) == getpid());
    T(fcntl(fd, F_SETSIG, SIGUSR1));
    T(fcntl(fd, F_GETSIG));
    T(fcntl(fd, F_SETSIG, 999));
    T(close(9));
    T(close(9));
    T(close(-1));

    /* seeking and positioned I/O */
    T(lseek(fd, 5, SEEK_SET));
    T(lseek(fd, 3, SEEK_CUR));
    T(lseek(fd, -2, SEEK_END));
    T(lseek(fd, -100, SEEK_CUR));
    T(lseek(fd, 0, 7));
    T(lseek(fd, 0, SEEK_DATA));
    T(lseek(fd, 0, SEEK_HOLE));
    T(lseek(fd, 100, SEEK_DATA));
    T(pread(fd, buf, 4, 10));
    printf("pread read %.4s\n", buf);
    T(pwrite(fd, "ABCD", 4, 2));
    T(pread(fd, buf, 10, 0));
    printf("now %.10s\n", buf);
    T(pread(fd, buf, 4, -1));
    T(lseek(fd, 0, SEEK_CUR));
    char a[3], b[5];
    struct iovec iov[2] = {{a, sizeof a}, {b, sizeof b}};
    T(lseek(fd, 0, SEEK_SET));
    T(readv(fd, iov, 2));
    printf("readv %.3s|%.5s\n", a, b);
    T(preadv(fd, iov, 2, 12));
    printf("preadv %.3s|%.5s\n", a, b);
    T(preadv2_raw(fd, iov, 1, -1, 0));
    T(preadv2_raw(fd, iov, 1, 0, 0x40000000));
    T(readv(fd, iov, -1));
    T(readv(fd, (struct iovec *)8, 1));
    struct iovec out[2] = {{"<<", 2}, {">>", 2}};
    T(pwritev(fd, out, 2, 0));
    T(writev(fd, out, 0));
    T(pwritev2_raw(fd, out, 1, 0, RWF_APPEND));
    T(lseek(fd, 0, SEEK_END));
    T(read(fd, NULL, 4));
    T(read(fd, NULL, 0));
    T(write(fd, (void *)8, 4));

    /* O_APPEND */
    int app = T(open("data", O_WRONLY | O_APPEND));
    T(write(app, "++", 2));
    T(lseek(app, 0, SEEK_CUR));
    T(lseek(app, 0, SEEK_SET));
    T(write(app, "--", 2));
    T(lseek(app, 0, SEEK_CUR));
    T(read(app, buf, 1));
    close(app);
    int ro = T(open("data", O_RDONLY));
    T(write(ro, "x", 1));
    T(read(open(".", O_RDONLY), buf, 1));

    /* copies inside the kernel */
    int dst = T(open("copy", O_RDWR | O_CREAT | O_TRUNC, 0644));
    T(sendfile(dst, ro, NULL, 5));
    off_t off = 10;
    T(sendfile(dst, ro, &off, 4));
    printf("offset now %lld\n", (long long)off);
    T(lseek(ro, 0, SEEK_CUR));
    T(sendfile(ro, dst, NULL, 5));
    off_t in_off = 0, out_off = 20;
    T(copy_file_range(ro, &in_off, dst, &out_off, 6, 0));
    printf("offsets now %lld %lld\n", (long long)in_off, (long long)out_off);
    T(copy_file_range(ro, NULL, dst, NULL, 3, 1));
    T(pread(dst, buf, 26, 0));
    printf("copy holds %.26s\n", buf);
    T(pipe(p));
    T(splice(ro, NULL, p[1], NULL, 6, 0));
    T(splice(p[0], NULL, dst, NULL, 4, 0));
    off_t sp = 0;
    T(splice(p[0], NULL, dst, &sp, 2, 0));
    T(splice(ro, NULL, dst, NULL, 4, 0));
    T(splice(p[0], &sp, dst, NULL, 1, 0));
    T(pread(dst, buf, 8, 0));
    printf("copy starts %.8s\n", buf);

    /* record locks */
    struct flock l;
    lock(&l, F_WRLCK, 0, 10);
    T(fcntl(fd, F_SETLK, &l));
    lock(&l, F_WRLCK, 5, 10);
    T(fcntl(fd, F_GETLK, &l));
    printf("own lock seen as type %d\n", l.l_type);
    int other = T(open("data", O_RDWR));
    lock(&l, F_RDLCK, 8, 4);
    T(fcntl(other, F_OFD_SETLK, &l));
    lock(&l, F_RDLCK, 8, 4);
    T(fcntl(other, F_OFD_GETLK, &l));
    printf("conflict: type %d start %lld len %lld ours %d\n", l.l_type, (long long)l.l_start, (long long)l.l_len, l.l_pid == getpid());
    lock(&l, F_RDLCK, 20, 0);
    T(fcntl(other, F_OFD_SETLK, &l));
    lock(&l, F_WRLCK, 25, 1);
    T(fcntl(fd, F_SETLK, &l));
    lock(&l, F_WRLCK, 25, 1);
    T(fcntl(fd, F_GETLK, &l));
    printf("conflict: type %d start %lld len %lld pid %d\n", l.l_type, (long long)l.l_start, (long long)l.l_len, l.l_pid);
    lock(&l, F_RDLCK, 0, 0);
    l.l_pid = 1;
    T(fcntl(other, F_OFD_SETLK, &l));
    lock(&l, F_WRLCK, 0, 0);
    T(fcntl(ro, F_SETLK, &l));
    lock(&l, F_UNLCK, 0, 0);
    T(fcntl(fd, F_GETLK, &l));
    lock(&l, 7, 0, 0);
    T(fcntl(fd, F_SETLK, &l));
    lock(&l, F_WRLCK, -5, 1);
    T(fcntl(fd, F_SETLK, &l));
    /* closing any fd of the file drops the process's POSIX locks */
    int again = T(open("data", O_RDONLY));
    T(close(again));
    lock(&l, F_WRLCK, 0, 5);
    T(fcntl(other, F_OFD_GETLK, &l));
    printf("after close: type %d\n", l.l_type);
    lock(&l, F_UNLCK, 0, 0);
    T(fcntl(other, F_OFD_SETLK, &l));
    T(fcntl(fd, F_SETLK, (struct flock *)8));

    /* waiting for descriptors */
    T(pipe(p));
    struct pollfd pf[4] = {{p[0], POLLIN, 0}, {p[1], POLLOUT, 0}, {fd, POLLIN | POLLOUT, 0}, {-1, POLLIN, 0}};
    T(poll(pf, 4, 0));
    printf("revents %#x %#x %#x %#x\n", pf[0].revents, pf[1].revents, pf[2].revents, pf[3].revents);
    T(poll(pf, 1, 0));
    T(poll(pf, 1, 10));
    T(write(p[1], "!", 1));
    T(poll(pf, 1, -1));
    struct timespec ts = {0, 5000000};
    sigset_t mask;
    sigemptyset(&mask);
    T(ppoll(pf, 2, &ts, &mask));
    T(ppoll(pf, 1, NULL, NULL));
    struct pollfd bad = {99, POLLIN, 0};
    T(poll(&bad, 1, 0));
    printf("revents %#x\n", bad.revents);
    T(poll((struct pollfd *)8, 1, 0));
    fd_set rs, ws;
    FD_ZERO(&rs);
    FD_ZERO(&ws);
    FD_SET(p[0], &rs);
    FD_SET(p[1], &ws);
    FD_SET(fd, &rs);
    struct timeval tv = {0, 0};
    T(select(p[1] + 1 > fd + 1 ? p[1] + 1 : fd + 1, &rs, &ws, NULL, &tv));
    printf("ready: %d %d %d\n", FD_ISSET(p[0], &rs), FD_ISSET(fd, &rs), FD_ISSET(p[1], &ws));
    T(read(p[0], buf, 1));
    FD_ZERO(&rs);
    FD_SET(p[0], &rs);
    tv = (struct timeval){0, 20000};
    T(select(p[0] + 1, &rs, NULL, NULL, &tv));
    printf("left %ld.%06ld\n", (long)tv.tv_sec, (long)tv.tv_usec);
    FD_ZERO(&rs);
    FD_SET(p[0], &rs);
    ts = (struct timespec){0, 0};
    T(pselect(p[0] + 1, &rs, NULL, NULL, &ts, &mask));
    FD_ZERO(&rs);
    FD_SET(55, &rs);
    T(select(56, &rs, NULL, NULL, &tv));
    T(select(-1, NULL, NULL, NULL, &tv));
    tv.tv_usec = 2000000;
    T(select(0, NULL, NULL, NULL, &tv));
    T(close(p[1]));
    pf[0].revents = 0;
    T(poll(pf, 1, 0));
    printf("revents %#x\n", pf[0].revents);
    T(close(p[0]));

    /* ioctl on files and pipes */
    T(ioctl(fd, FIONREAD, &n));
    T(lseek(fd, 4, SEEK_SET));
    T(ioctl(fd, FIONREAD, &n));
    printf("FIONREAD says %d\n", n);
    struct termios tio;
    T(ioctl(fd, TCGETS, &tio));
    struct winsize ws2;
    T(ioctl(fd, TIOCGWINSZ, &ws2));
    int on = 1;
    T(ioctl(fd, FIONBIO, &on));
    T(fcntl(fd, F_GETFL));
    T(ioctl(fd, FIOCLEX));
    T(fcntl(fd, F_GETFD));
    T(ioctl(fd, FIONCLEX));
    T(fcntl(fd, F_GETFD));
    T(ioctl(fd, FIONREAD, (int *)8));
    T(ioctl(99, FIONREAD, &n));

    /* device nodes */
    int null = T(open("/dev/null", O_RDWR));
    T(write(null, "gone", 4));
    T(read(null, buf, sizeof buf));
    T(lseek(null, 100, SEEK_SET));
    struct pollfd np = {null, POLLIN | POLLOUT, 0};
    T(poll(&np, 1, 0));
    T(ioctl(null, FIONREAD, &n));
    T(ioctl(null, TCGETS, &tio));
    T(fsync(null));
    int zero = T(open("/dev/zero", O_RDONLY));
    memset(buf, 1, 8);
    T(read(zero, buf, 8));
    printf("zeros: %d\n", buf[0] == 0 && buf[7] == 0);
    T(write(zero, "x", 1));
    return 0;
}
