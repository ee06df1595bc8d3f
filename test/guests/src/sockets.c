/* Sockets: unix stream, datagram and seqpacket pairs, named unix sockets (a path in the directory
   given as argv[1], abstract names), SCM_RIGHTS, shutdown and SIGPIPE, socket options, TCP and UDP
   over the loopback, non-blocking calls. Prints only what is the same on every machine (no
   ports, inode numbers or pids: comparisons of them instead), so its output natively equals its
   output under emtrace. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

static const char *ename(int e) {
    switch (e) {
    case EAGAIN: return "EAGAIN";
    case EPIPE: return "EPIPE";
    case EINVAL: return "EINVAL";
    case ENOENT: return "ENOENT";
    case ENOTCONN: return "ENOTCONN";
    case EISCONN: return "EISCONN";
    case ECONNREFUSED: return "ECONNREFUSED";
    case EADDRINUSE: return "EADDRINUSE";
    case EOPNOTSUPP: return "EOPNOTSUPP";
    case ENOPROTOOPT: return "ENOPROTOOPT";
    case ENOTSOCK: return "ENOTSOCK";
    case EPROTOTYPE: return "EPROTOTYPE";
    case EAFNOSUPPORT: return "EAFNOSUPPORT";
    case ESOCKTNOSUPPORT: return "ESOCKTNOSUPPORT";
    case EPROTONOSUPPORT: return "EPROTONOSUPPORT";
    case EBADF: return "EBADF";
    case EFAULT: return "EFAULT";
    case EDESTADDRREQ: return "EDESTADDRREQ";
    case EMSGSIZE: return "EMSGSIZE";
    case EPERM: return "EPERM";
    default: return "E?";
    }
}

/* Prints a call's result: the value, or -1 and the errno's name. */
#define SHOW(label, expr) do { errno = 0; long r_ = (long)(expr); \
    if (r_ < 0) printf("%s: -1 %s\n", label, ename(errno)); else printf("%s: %ld\n", label, r_); } while (0)

static int sigpipes;
static void on_sigpipe(int sig) { (void)sig; sigpipes++; }

static void pairs(void) {
    int sv[2];
    char buf[64];
    SHOW("socketpair stream", socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
    SHOW("write", write(sv[0], "hello", 5));
    SHOW("send", send(sv[0], " world", 6, 0));
    int avail = -1;
    SHOW("FIONREAD", ioctl(sv[1], FIONREAD, &avail));
    printf("  queued %d\n", avail);
    memset(buf, 0, sizeof buf);
    SHOW("recv peek", recv(sv[1], buf, 3, MSG_PEEK));
    printf("  peeked %s\n", buf);
    memset(buf, 0, sizeof buf);
    SHOW("read", read(sv[1], buf, sizeof buf));
    printf("  got '%s'\n", buf);
    SHOW("recv empty nonblocking", recv(sv[1], buf, sizeof buf, MSG_DONTWAIT));
    struct stat st;
    SHOW("fstat", fstat(sv[0], &st));
    printf("  socket %d mode %o\n", S_ISSOCK(st.st_mode), st.st_mode & 07777);
    char link[64] = {0}, path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", sv[0]);
    SHOW("readlink", readlink(path, link, sizeof link - 1) > 8);
    printf("  starts socket:[ %d\n", strncmp(link, "socket:[", 8) == 0);
    struct pollfd p[2] = {{sv[0], POLLIN | POLLOUT, 0}, {sv[1], POLLIN | POLLOUT, 0}};
    write(sv[1], "x", 1);
    SHOW("poll", poll(p, 2, 0));
    printf("  revents %#x %#x\n", p[0].revents, p[1].revents);
    read(sv[0], buf, 1);
    int v; socklen_t len = sizeof v;
    SHOW("SO_TYPE", getsockopt(sv[0], SOL_SOCKET, SO_TYPE, &v, &len));
    printf("  type %d len %d\n", v, (int)len);
    struct ucred cred; len = sizeof cred;
    SHOW("SO_PEERCRED", getsockopt(sv[0], SOL_SOCKET, SO_PEERCRED, &cred, &len));
    printf("  pid is mine %d uid %d gid %d len %d\n", cred.pid == getpid(), cred.uid == geteuid(), cred.gid == getegid(), (int)len);
    struct sockaddr_un sun; len = sizeof sun;
    SHOW("getsockname", getsockname(sv[0], (struct sockaddr *)&sun, &len));
    printf("  family %d len %d\n", sun.sun_family, (int)len);
    len = sizeof sun;
    SHOW("getpeername", getpeername(sv[0], (struct sockaddr *)&sun, &len));
    printf("  len %d\n", (int)len);

    /* shutdown: the peer reads the end; writing after SHUT_WR is EPIPE (SIGPIPE unless
       MSG_NOSIGNAL). */
    SHOW("shutdown SHUT_WR", shutdown(sv[0], SHUT_WR));
    SHOW("read at end", read(sv[1], buf, sizeof buf));
    SHOW("send MSG_NOSIGNAL", send(sv[0], "x", 1, MSG_NOSIGNAL));
    printf("  sigpipes %d\n", sigpipes);
    SHOW("write", write(sv[0], "x", 1));
    printf("  sigpipes %d\n", sigpipes);
    SHOW("peer writes on", write(sv[1], "back", 4));
    memset(buf, 0, sizeof buf);
    SHOW("read", read(sv[0], buf, sizeof buf));
    close(sv[1]);
    SHOW("write to closed peer", write(sv[0], "x", 1));
    printf("  sigpipes %d\n", sigpipes);
    SHOW("read closed peer", read(sv[0], buf, sizeof buf));
    close(sv[0]);

    SHOW("socketpair dgram", socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv));
    SHOW("FD_CLOEXEC", fcntl(sv[0], F_GETFD));
    send(sv[0], "one", 3, 0);
    send(sv[0], "three", 5, 0);
    send(sv[0], "", 0, 0);
    SHOW("FIONREAD dgram", ioctl(sv[1], FIONREAD, &avail));
    printf("  next %d\n", avail);
    memset(buf, 0, sizeof buf);
    SHOW("recv", recv(sv[1], buf, sizeof buf, 0));
    printf("  got '%s'\n", buf);
    memset(buf, 0, sizeof buf);
    SHOW("recv MSG_TRUNC", recv(sv[1], buf, 2, MSG_TRUNC));
    printf("  got '%s'\n", buf);
    SHOW("recv empty datagram", recv(sv[1], buf, sizeof buf, 0));
    SHOW("recv none left", recv(sv[1], buf, sizeof buf, MSG_DONTWAIT));
    send(sv[0], "first", 5, 0);
    send(sv[0], "second", 6, 0);
    char b1[8] = {0}, b2[8] = {0}, b3[8] = {0};
    struct iovec mv[3] = {{b1, sizeof b1}, {b2, 3}, {b3, sizeof b3}};
    struct mmsghdr mm[3];
    memset(mm, 0, sizeof mm);
    for (int k = 0; k < 3; k++) { mm[k].msg_hdr.msg_iov = &mv[k]; mm[k].msg_hdr.msg_iovlen = 1; }
    SHOW("recvmmsg", recvmmsg(sv[1], mm, 3, MSG_DONTWAIT, NULL));
    printf("  '%s' %u '%.3s' %u flags %#x\n", b1, mm[0].msg_len, b2, mm[1].msg_len, mm[1].msg_hdr.msg_flags);
    send(sv[0], "third", 5, 0);
    SHOW("recvmmsg MSG_WAITFORONE", recvmmsg(sv[1], mm, 3, MSG_WAITFORONE, NULL));
    SHOW("recvmmsg nothing", recvmmsg(sv[1], mm, 3, MSG_DONTWAIT, NULL));
    close(sv[0]);
    close(sv[1]);

    SHOW("socketpair seqpacket", socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv));
    send(sv[0], "abcdef", 6, 0);
    send(sv[0], "gh", 2, 0);
    struct iovec iov = {buf, 4};
    struct msghdr msg = {0};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    memset(buf, 0, sizeof buf);
    SHOW("recvmsg", recvmsg(sv[1], &msg, 0));
    printf("  got '%s' flags %#x\n", buf, msg.msg_flags);
    memset(buf, 0, sizeof buf);
    SHOW("recvmsg", recvmsg(sv[1], &msg, 0));
    printf("  got '%s' flags %#x\n", buf, msg.msg_flags);
    close(sv[0]);
    SHOW("recv after peer closed", recv(sv[1], buf, sizeof buf, 0));
    SHOW("send after peer closed", send(sv[1], "x", 1, 0));
    printf("  sigpipes %d\n", sigpipes);
    close(sv[1]);
}

static socklen_t abstract_name(struct sockaddr_un *a, const char *tag) {
    memset(a, 0, sizeof *a);
    a->sun_family = AF_UNIX;
    int n = snprintf(a->sun_path + 1, sizeof a->sun_path - 1, "emtrace-sockets-%05d-%s", (int)getpid() % 100000, tag);
    return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + n);
}

static void datagrams(void) {
    struct sockaddr_un a, b, from;
    socklen_t alen = abstract_name(&a, "a"), blen = abstract_name(&b, "b");
    int s1 = socket(AF_UNIX, SOCK_DGRAM, 0), s2 = socket(AF_UNIX, SOCK_DGRAM, 0);
    SHOW("bind abstract", bind(s1, (struct sockaddr *)&a, alen));
    SHOW("bind same name", bind(s2, (struct sockaddr *)&a, alen));
    SHOW("bind other", bind(s2, (struct sockaddr *)&b, blen));
    SHOW("bind again", bind(s2, (struct sockaddr *)&a, alen));
    SHOW("send unconnected", send(s2, "x", 1, 0));
    SHOW("sendto", sendto(s2, "ping", 4, 0, (struct sockaddr *)&a, alen));
    char buf[32] = {0};
    socklen_t flen = sizeof from;
    SHOW("recvfrom", recvfrom(s1, buf, sizeof buf, 0, (struct sockaddr *)&from, &flen));
    printf("  got '%s' from b %d\n", buf, flen == blen && memcmp(&from, &b, blen) == 0);
    struct sockaddr_un c;
    socklen_t clen = abstract_name(&c, "nobody");
    SHOW("sendto nobody", sendto(s2, "x", 1, 0, (struct sockaddr *)&c, clen));
    int st = socket(AF_UNIX, SOCK_STREAM, 0);
    SHOW("connect stream to dgram", connect(st, (struct sockaddr *)&a, alen));
    close(st);
    SHOW("connect", connect(s2, (struct sockaddr *)&a, alen));
    SHOW("send", send(s2, "pong", 4, 0));
    flen = sizeof from;
    memset(buf, 0, sizeof buf);
    SHOW("recvfrom", recvfrom(s1, buf, sizeof buf, 0, (struct sockaddr *)&from, &flen));
    printf("  got '%s'\n", buf);
    int s3 = socket(AF_UNIX, SOCK_DGRAM, 0);
    SHOW("bind autobind", bind(s3, (struct sockaddr *)&c, sizeof(sa_family_t)));
    flen = sizeof from;
    SHOW("getsockname", getsockname(s3, (struct sockaddr *)&from, &flen));
    printf("  len %d abstract %d\n", (int)flen, from.sun_path[0] == 0);
    SHOW("sendto unnamed sender", sendto(socket(AF_UNIX, SOCK_DGRAM, 0), "anon", 4, 0, (struct sockaddr *)&a, alen));
    flen = sizeof from;
    SHOW("recvfrom", recvfrom(s1, buf, sizeof buf, 0, (struct sockaddr *)&from, &flen));
    printf("  fromlen %d\n", (int)flen);
    /* s1 is connected to nobody; s4 connects to s1, and s2 (connected to s1) is not s4's. */
    int s4 = socket(AF_UNIX, SOCK_DGRAM, 0);
    SHOW("connect s1 to b", connect(s1, (struct sockaddr *)&b, blen));
    SHOW("sendto s1 from a third", sendto(s4, "x", 1, 0, (struct sockaddr *)&a, alen));
    close(s1);
    close(s2);
    close(s3);
    close(s4);
}

static void streams(const char *what, struct sockaddr_un *addr, socklen_t len) {
    printf("%s\n", what);
    int l = socket(AF_UNIX, SOCK_STREAM, 0);
    int c = socket(AF_UNIX, SOCK_STREAM, 0);
    SHOW("connect before bind", connect(c, (struct sockaddr *)addr, len));
    SHOW("listen unbound", listen(l, 5));
    SHOW("bind", bind(l, (struct sockaddr *)addr, len));
    SHOW("connect not listening", connect(c, (struct sockaddr *)addr, len));
    SHOW("listen", listen(l, 1));
    int v; socklen_t vlen = sizeof v;
    getsockopt(l, SOL_SOCKET, SO_ACCEPTCONN, &v, &vlen);
    printf("  SO_ACCEPTCONN %d\n", v);
    fcntl(l, F_SETFL, O_NONBLOCK);
    SHOW("accept nothing", accept(l, NULL, NULL));
    SHOW("connect", connect(c, (struct sockaddr *)addr, len));
    SHOW("connect again", connect(c, (struct sockaddr *)addr, len));
    SHOW("send before accept", send(c, "early", 5, 0));
    struct sockaddr_un peer;
    socklen_t plen = sizeof peer;
    int a = accept4(l, (struct sockaddr *)&peer, &plen, SOCK_CLOEXEC);
    printf("accept4: %s peer len %d flags %d\n", a >= 0 ? "fd" : ename(errno), (int)plen, fcntl(a, F_GETFD));
    char buf[32] = {0};
    SHOW("recv", recv(a, buf, sizeof buf, 0));
    printf("  got '%s'\n", buf);
    struct sockaddr_un name;
    socklen_t nlen = sizeof name;
    SHOW("getsockname accepted", getsockname(a, (struct sockaddr *)&name, &nlen));
    printf("  is the listener's %d\n", nlen == len + (addr->sun_path[0] != 0) && memcmp(name.sun_path, addr->sun_path, len - 2) == 0);
    nlen = sizeof name;
    SHOW("getpeername client", getpeername(c, (struct sockaddr *)&name, &nlen));
    printf("  is the listener's %d\n", memcmp(name.sun_path, addr->sun_path, len - 2) == 0);
    struct ucred cred; socklen_t clen = sizeof cred;
    getsockopt(a, SOL_SOCKET, SO_PEERCRED, &cred, &clen);
    printf("  peer pid is mine %d\n", cred.pid == getpid());
    SHOW("recv waitall short", recv(a, buf, sizeof buf, MSG_DONTWAIT | MSG_WAITALL));
    close(l);
    SHOW("connect after close", connect(socket(AF_UNIX, SOCK_STREAM, 0), (struct sockaddr *)addr, len));
    close(a);
    close(c);
}

static void rights(void) {
    int sv[2], p[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    pipe(p);
    union { char buf[CMSG_SPACE(2 * sizeof(int))]; struct cmsghdr align; } u;
    memset(&u, 0, sizeof u);
    struct iovec iov = {"f", 1};
    struct msghdr msg = {0};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = u.buf;
    msg.msg_controllen = CMSG_SPACE(2 * sizeof(int));
    struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);
    cm->cmsg_level = SOL_SOCKET;
    cm->cmsg_type = SCM_RIGHTS;
    cm->cmsg_len = CMSG_LEN(2 * sizeof(int));
    memcpy(CMSG_DATA(cm), (int[]){p[0], p[1]}, 2 * sizeof(int));
    SHOW("sendmsg SCM_RIGHTS", sendmsg(sv[0], &msg, 0));
    SHOW("sendmsg again", sendmsg(sv[0], &msg, 0));
    close(p[0]);
    close(p[1]);
    char data[8];
    struct iovec riov = {data, sizeof data};
    union { char buf[CMSG_SPACE(2 * sizeof(int))]; struct cmsghdr align; } r;
    memset(&r, 0, sizeof r);
    struct msghdr rmsg = {0};
    rmsg.msg_iov = &riov;
    rmsg.msg_iovlen = 1;
    rmsg.msg_control = r.buf;
    rmsg.msg_controllen = sizeof r.buf;
    SHOW("recvmsg", recvmsg(sv[1], &rmsg, MSG_CMSG_CLOEXEC));
    struct cmsghdr *got = CMSG_FIRSTHDR(&rmsg);
    printf("  controllen %d flags %#x level %d type %d len %d\n", (int)rmsg.msg_controllen, rmsg.msg_flags, got->cmsg_level, got->cmsg_type, (int)got->cmsg_len);
    int fds[2];
    memcpy(fds, CMSG_DATA(got), sizeof fds);
    printf("  cloexec %d\n", fcntl(fds[0], F_GETFD));
    SHOW("write through passed fd", write(fds[1], "via", 3));
    char buf[8] = {0};
    SHOW("read through passed fd", read(fds[0], buf, sizeof buf));
    printf("  got '%s'\n", buf);
    /* Room for one descriptor only: the other is dropped, MSG_CTRUNC. */
    rmsg.msg_controllen = CMSG_LEN(sizeof(int));
    SHOW("recvmsg small control", recvmsg(sv[1], &rmsg, 0));
    got = CMSG_FIRSTHDR(&rmsg);
    printf("  controllen %d ctrunc %d len %d\n", (int)rmsg.msg_controllen, (rmsg.msg_flags & MSG_CTRUNC) != 0, (int)got->cmsg_len);
    int one;
    memcpy(&one, CMSG_DATA(got), sizeof one);
    SHOW("fstat passed fd", fcntl(one, F_GETFL) & O_ACCMODE);
    cm->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(cm), (int[]){99}, sizeof(int));
    msg.msg_controllen = CMSG_SPACE(sizeof(int));
    SHOW("sendmsg bad fd", sendmsg(sv[0], &msg, 0));
    cm->cmsg_len = 100;
    SHOW("sendmsg bad cmsg_len", sendmsg(sv[0], &msg, 0));
    int on = 1;
    SHOW("SO_PASSCRED", setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &on, sizeof on));
    send(sv[0], "c", 1, 0);
    union { char buf[CMSG_SPACE(sizeof(struct ucred))]; struct cmsghdr align; } cr;
    rmsg.msg_control = cr.buf;
    rmsg.msg_controllen = sizeof cr.buf;
    SHOW("recvmsg credentials", recvmsg(sv[1], &rmsg, 0));
    got = CMSG_FIRSTHDR(&rmsg);
    struct ucred uc;
    memcpy(&uc, (char *)got + CMSG_LEN(0), sizeof uc);
    printf("  type %d len %d pid is mine %d uid %d\n", got->cmsg_type, (int)got->cmsg_len, uc.pid == getpid(), uc.uid == getuid());
    close(sv[0]);
    close(sv[1]);
}

static void options(void) {
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    int v;
    socklen_t len = sizeof v;
    SHOW("SO_DOMAIN", getsockopt(s, SOL_SOCKET, SO_DOMAIN, &v, &len));
    printf("  %d\n", v);
    SHOW("SO_PROTOCOL", getsockopt(s, SOL_SOCKET, SO_PROTOCOL, &v, &len));
    printf("  %d\n", v);
    SHOW("SO_ERROR", getsockopt(s, SOL_SOCKET, SO_ERROR, &v, &len));
    printf("  %d\n", v);
    v = 4096;
    SHOW("set SO_SNDBUF", setsockopt(s, SOL_SOCKET, SO_SNDBUF, &v, sizeof v));
    SHOW("SO_SNDBUF", getsockopt(s, SOL_SOCKET, SO_SNDBUF, &v, &len));
    printf("  %d\n", v);
    v = 1;
    SHOW("set SO_RCVBUF tiny", setsockopt(s, SOL_SOCKET, SO_RCVBUF, &v, sizeof v));
    SHOW("SO_RCVBUF", getsockopt(s, SOL_SOCKET, SO_RCVBUF, &v, &len));
    printf("  %d\n", v);
    v = 5;
    SHOW("set SO_REUSEADDR", setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &v, sizeof v));
    SHOW("SO_REUSEADDR", getsockopt(s, SOL_SOCKET, SO_REUSEADDR, &v, &len));
    printf("  %d\n", v);
    SHOW("SO_KEEPALIVE", getsockopt(s, SOL_SOCKET, SO_KEEPALIVE, &v, &len));
    printf("  %d\n", v);
    struct linger lg = {1, 5};
    SHOW("set SO_LINGER", setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, sizeof lg));
    memset(&lg, 0, sizeof lg);
    len = sizeof lg;
    SHOW("SO_LINGER", getsockopt(s, SOL_SOCKET, SO_LINGER, &lg, &len));
    printf("  %d %d len %d\n", lg.l_onoff, lg.l_linger, (int)len);
    SHOW("set SO_LINGER short", setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, 4));
    struct timeval tv = {1, 20000};
    SHOW("set SO_RCVTIMEO", setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv));
    memset(&tv, 0, sizeof tv);
    len = sizeof tv;
    SHOW("SO_RCVTIMEO", getsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, &len));
    printf("  %ld %ld len %d\n", (long)tv.tv_sec, (long)tv.tv_usec, (int)len);
    tv.tv_usec = 2000000;
    SHOW("set SO_RCVTIMEO bad usec", setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv));
    len = 1;
    v = 0;
    SHOW("SO_TYPE one byte", getsockopt(s, SOL_SOCKET, SO_TYPE, &v, &len));
    printf("  %d len %d\n", v, (int)len);
    len = sizeof v;
    SHOW("unknown option", getsockopt(s, SOL_SOCKET, 9999, &v, &len));
    SHOW("set unknown option", setsockopt(s, SOL_SOCKET, 9999, &v, sizeof v));
    SHOW("set SO_TYPE", setsockopt(s, SOL_SOCKET, SO_TYPE, &v, sizeof v));
    SHOW("TCP_NODELAY on unix", getsockopt(s, IPPROTO_TCP, TCP_NODELAY, &v, &len));
    SHOW("set short", setsockopt(s, SOL_SOCKET, SO_KEEPALIVE, &v, 2));
    int fds[2];
    pipe(fds);
    SHOW("getsockopt on a pipe", getsockopt(fds[0], SOL_SOCKET, SO_TYPE, &v, &len));
    close(fds[0]);
    close(fds[1]);
    close(s);

    SHOW("socket bad type", socket(AF_UNIX, 7, 0));
    SHOW("socket bad protocol", socket(AF_UNIX, SOCK_STREAM, 5));
    SHOW("socket bad flags", socket(AF_UNIX, SOCK_STREAM | 0x1000, 0));
    SHOW("socket bad family", socket(200, SOCK_STREAM, 0));
    SHOW("socket tcp as dgram", socket(AF_INET, SOCK_DGRAM, IPPROTO_TCP));
    SHOW("socket inet seqpacket", socket(AF_INET, SOCK_SEQPACKET, 0));
    int sv[2];
    SHOW("socketpair inet", socketpair(AF_INET, SOCK_STREAM, 0, sv));
    SHOW("socketpair bad flags", socketpair(AF_UNIX, SOCK_STREAM | 0x1000, 0, sv));
}

/* Timeouts: SO_RCVTIMEO ends a blocking receive with EAGAIN. */
static void timeouts(void) {
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    struct timeval tv = {0, 20000};
    setsockopt(sv[1], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    char c;
    SHOW("recv with timeout", recv(sv[1], &c, 1, 0));
    close(sv[0]);
    close(sv[1]);
}

static void inet(int family) {
    printf(family == AF_INET ? "inet\n" : "inet6\n");
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss);
    socklen_t slen;
    struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
    struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
    if (family == AF_INET) {
        sin->sin_family = AF_INET;
        sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        slen = sizeof *sin;
    } else {
        sin6->sin6_family = AF_INET6;
        sin6->sin6_addr = in6addr_loopback;
        slen = sizeof *sin6;
    }
    int l = socket(family, SOCK_STREAM | SOCK_NONBLOCK, 0);
    int v;
    socklen_t len = sizeof v;
    SHOW("SO_PROTOCOL", getsockopt(l, SOL_SOCKET, SO_PROTOCOL, &v, &len));
    printf("  %d\n", v);
    SHOW("bind port 0", bind(l, (struct sockaddr *)&ss, slen));
    SHOW("bind again", bind(l, (struct sockaddr *)&ss, slen));
    struct sockaddr_storage name;
    len = sizeof name;
    SHOW("getsockname", getsockname(l, (struct sockaddr *)&name, &len));
    int port = family == AF_INET ? ntohs(((struct sockaddr_in *)&name)->sin_port) : ntohs(((struct sockaddr_in6 *)&name)->sin6_port);
    printf("  len %d ephemeral %d\n", (int)len, port >= 1024);
    int other = socket(family, SOCK_STREAM, 0);
    SHOW("bind same port", bind(other, (struct sockaddr *)&name, len));
    SHOW("connect not listening", connect(other, (struct sockaddr *)&name, len));
    close(other);
    SHOW("listen", listen(l, 4));
    SHOW("accept nothing", accept(l, NULL, NULL));
    int c = socket(family, SOCK_STREAM, 0);
    v = 1;
    SHOW("TCP_NODELAY", setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &v, sizeof v));
    len = sizeof v;
    SHOW("TCP_NODELAY", getsockopt(c, IPPROTO_TCP, TCP_NODELAY, &v, &len));
    printf("  %d\n", v);
    SHOW("getpeername unconnected", getpeername(c, (struct sockaddr *)&ss, &len));
    SHOW("send unconnected", send(c, "x", 1, MSG_NOSIGNAL));
    SHOW("connect", connect(c, (struct sockaddr *)&name, sizeof name));
    struct pollfd pfd = {l, POLLIN, 0};
    SHOW("poll listener", poll(&pfd, 1, 0));
    struct sockaddr_storage peer, mine;
    socklen_t plen = sizeof peer, mlen = sizeof mine;
    int a = accept(l, (struct sockaddr *)&peer, &plen);
    printf("accept: %s\n", a >= 0 ? "fd" : ename(errno));
    getsockname(c, (struct sockaddr *)&mine, &mlen);
    printf("  peer is the client %d len %d\n", plen == mlen && memcmp(&peer, &mine, plen) == 0, (int)plen);
    struct ucred tc;
    socklen_t tclen = sizeof tc;
    SHOW("SO_PEERCRED on tcp", getsockopt(a, SOL_SOCKET, SO_PEERCRED, &tc, &tclen));
    printf("  %d %d %d\n", tc.pid, (int)tc.uid, (int)tc.gid);
    SHOW("send", send(c, "over tcp", 8, 0));
    char buf[32] = {0};
    SHOW("recv", recv(a, buf, sizeof buf, 0));
    printf("  got '%s'\n", buf);
    socklen_t flen = sizeof peer;
    SHOW("recvfrom on tcp", recvfrom(a, buf, sizeof buf, MSG_DONTWAIT, (struct sockaddr *)&peer, &flen));
    printf("  fromlen %d\n", (int)flen);
    SHOW("shutdown", shutdown(c, SHUT_WR));
    SHOW("recv at end", recv(a, buf, sizeof buf, 0));
    SHOW("reply", send(a, "bye", 3, 0));
    memset(buf, 0, sizeof buf);
    SHOW("recv reply", recv(c, buf, sizeof buf, 0));
    printf("  got '%s'\n", buf);
    close(a);
    close(c);
    close(l);

    int u1 = socket(family, SOCK_DGRAM, 0), u2 = socket(family, SOCK_DGRAM, 0);
    SHOW("udp bind", bind(u1, (struct sockaddr *)&ss, slen));
    len = sizeof name;
    getsockname(u1, (struct sockaddr *)&name, &len);
    SHOW("udp send unconnected", send(u2, "x", 1, 0));
    SHOW("udp sendto", sendto(u2, "datagram", 8, 0, (struct sockaddr *)&name, len));
    plen = sizeof peer;
    memset(buf, 0, sizeof buf);
    SHOW("udp recvfrom", recvfrom(u1, buf, sizeof buf, 0, (struct sockaddr *)&peer, &plen));
    mlen = sizeof mine;
    getsockname(u2, (struct sockaddr *)&mine, &mlen);
    printf("  got '%s' from the sender %d\n", buf, plen == mlen && memcmp(&peer, &mine, plen) == 0);
    SHOW("udp reply", sendto(u1, "reply", 5, 0, (struct sockaddr *)&peer, plen));
    SHOW("udp recv", recv(u2, buf, 3, MSG_TRUNC));
    SHOW("udp connect", connect(u2, (struct sockaddr *)&name, len));
    plen = sizeof peer;
    SHOW("udp getpeername", getpeername(u2, (struct sockaddr *)&peer, &plen));
    SHOW("udp write", write(u2, "w", 1));
    SHOW("udp read", read(u1, buf, sizeof buf));
    SHOW("udp listen", listen(u1, 1));
    SHOW("udp recv nonblocking", recv(u1, buf, sizeof buf, MSG_DONTWAIT));
    close(u1);
    close(u2);
}

/* An IPv6 socket reaches an IPv4 listener through a v4-mapped address. */
static void mapped(void) {
    int l = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sin = {0};
    sin.sin_family = AF_INET;
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(l, (struct sockaddr *)&sin, sizeof sin);
    listen(l, 1);
    socklen_t len = sizeof sin;
    getsockname(l, (struct sockaddr *)&sin, &len);
    struct sockaddr_in6 s6 = {0};
    s6.sin6_family = AF_INET6;
    s6.sin6_port = sin.sin_port;
    inet_pton(AF_INET6, "::ffff:127.0.0.1", &s6.sin6_addr);
    int c = socket(AF_INET6, SOCK_STREAM, 0);
    SHOW("connect v4-mapped", connect(c, (struct sockaddr *)&s6, sizeof s6));
    struct sockaddr_in peer;
    len = sizeof peer;
    int a = accept(l, (struct sockaddr *)&peer, &len);
    printf("  accepted %d family %d len %d\n", a >= 0, peer.sin_family, (int)len);
    struct sockaddr_in6 mine;
    len = sizeof mine;
    getsockname(c, (struct sockaddr *)&mine, &len);
    printf("  client family %d mapped %d\n", mine.sin6_family, IN6_IS_ADDR_V4MAPPED(&mine.sin6_addr));
    int on = 1;
    int c2 = socket(AF_INET6, SOCK_STREAM, 0);
    SHOW("IPV6_V6ONLY", setsockopt(c2, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof on));
    SHOW("bind v4-mapped v6only", bind(c2, (struct sockaddr *)&s6, sizeof s6));
    close(a);
    close(c);
    close(c2);
    close(l);
}


/* Corners: unconnected sockets, wrong kinds, defaults. */
static void corners(void) {
    printf("corners\n");
    int u = socket(AF_UNIX, SOCK_STREAM, 0), d = socket(AF_UNIX, SOCK_DGRAM, 0);
    struct ucred cred = {1, 2, 3};
    socklen_t len = sizeof cred;
    SHOW("SO_PEERCRED unconnected", getsockopt(u, SOL_SOCKET, SO_PEERCRED, &cred, &len));
    printf("  %d %d %d len %d\n", cred.pid, (int)cred.uid, (int)cred.gid, (int)len);
    int v = 0;
    SHOW("set SO_RCVLOWAT 0", setsockopt(u, SOL_SOCKET, SO_RCVLOWAT, &v, sizeof v));
    len = sizeof v;
    SHOW("SO_RCVLOWAT", getsockopt(u, SOL_SOCKET, SO_RCVLOWAT, &v, &len));
    printf("  %d\n", v);
    v = 100000;
    SHOW("set SO_SNDBUF 100000", setsockopt(u, SOL_SOCKET, SO_SNDBUF, &v, sizeof v));
    len = sizeof v;
    getsockopt(u, SOL_SOCKET, SO_SNDBUF, &v, &len);
    printf("  %d\n", v);
    struct linger lg = {7, 7};
    len = sizeof lg;
    SHOW("SO_LINGER default", getsockopt(d, SOL_SOCKET, SO_LINGER, &lg, &len));
    printf("  %d %d\n", lg.l_onoff, lg.l_linger);
    struct sockaddr_un sun;
    len = sizeof sun;
    SHOW("getpeername unconnected", getpeername(d, (struct sockaddr *)&sun, &len));
    SHOW("accept unconnected", accept(u, NULL, NULL));
    SHOW("accept dgram", accept(d, NULL, NULL));
    SHOW("listen dgram", listen(d, 1));
    char buf[8];
    SHOW("recv unconnected stream", recv(u, buf, sizeof buf, MSG_DONTWAIT));
    SHOW("send unconnected stream", send(u, "x", 1, MSG_NOSIGNAL));
    struct sockaddr_un a;
    socklen_t alen = abstract_name(&a, "corner");
    SHOW("sendto on stream", sendto(u, "x", 1, MSG_NOSIGNAL, (struct sockaddr *)&a, alen));
    SHOW("shutdown unconnected unix", shutdown(u, SHUT_RDWR));
    SHOW("shutdown bad how", shutdown(u, 3));
    SHOW("bind bad family", bind(d, (struct sockaddr *)&(struct sockaddr_in){AF_INET}, sizeof(struct sockaddr_in)));
    SHOW("bind too long", bind(d, (struct sockaddr *)&a, sizeof a + 1));
    SHOW("bind short", bind(d, (struct sockaddr *)&a, 1));
    SHOW("connect AF_UNSPEC", connect(d, (struct sockaddr *)&(struct sockaddr){AF_UNSPEC}, sizeof(struct sockaddr)));
    SHOW("bind ok", bind(d, (struct sockaddr *)&a, alen));
    SHOW("listen bound stream then connect it", listen(u, 0));
    SHOW("FIONREAD dgram empty", ioctl(d, FIONREAD, &v));
    printf("  %d\n", v);
    close(u);
    close(d);
    int t = socket(AF_INET, SOCK_STREAM, 0), t6 = socket(AF_INET6, SOCK_DGRAM, 0);
    SHOW("shutdown unconnected tcp", shutdown(t, SHUT_WR));
    len = sizeof v;
    SHOW("IP_TTL", getsockopt(t, IPPROTO_IP, IP_TTL, &v, &len));
    printf("  %d\n", v);
    SHOW("IPV6_V6ONLY on inet", getsockopt(t, IPPROTO_IPV6, IPV6_V6ONLY, &v, &len));
    SHOW("set IPV6_V6ONLY on inet", setsockopt(t, IPPROTO_IPV6, IPV6_V6ONLY, &v, sizeof v));
    SHOW("TCP_NODELAY on udp", getsockopt(t6, IPPROTO_TCP, TCP_NODELAY, &v, &len));
    SHOW("TCP_KEEPIDLE", getsockopt(t, IPPROTO_TCP, TCP_KEEPIDLE, &v, &len));
    printf("  %d\n", v);
    v = 0;
    SHOW("set TCP_KEEPIDLE 0", setsockopt(t, IPPROTO_TCP, TCP_KEEPIDLE, &v, sizeof v));
    struct sockaddr_in6 s6;
    len = sizeof s6;
    memset(&s6, 0xff, sizeof s6);
    SHOW("getsockname unbound inet6", getsockname(t6, (struct sockaddr *)&s6, &len));
    printf("  len %d family %d port %d any %d\n", (int)len, s6.sin6_family, s6.sin6_port, IN6_IS_ADDR_UNSPECIFIED(&s6.sin6_addr));
    SHOW("connect short inet", connect(t, (struct sockaddr *)&(struct sockaddr_in){AF_INET}, 8));
    SHOW("connect inet6 address on inet", connect(t, (struct sockaddr *)&s6, sizeof s6));
    SHOW("bind AF_UNSPEC any", bind(t, (struct sockaddr *)&(struct sockaddr_in){AF_UNSPEC}, sizeof(struct sockaddr_in)));
    struct pollfd pf[3] = {{t, POLLIN | POLLOUT, 0}, {t6, POLLIN | POLLOUT, 0}, {socket(AF_UNIX, SOCK_STREAM, 0), POLLIN | POLLOUT, 0}};
    SHOW("poll unconnected", poll(pf, 3, 0));
    printf("  %#x %#x %#x\n", pf[0].revents, pf[1].revents, pf[2].revents);
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    close(sv[1]);
    struct pollfd pc = {sv[0], POLLIN | POLLOUT | POLLRDHUP, 0};
    SHOW("poll closed peer", poll(&pc, 1, 0));
    printf("  %#x\n", pc.revents);
    close(sv[0]);
    close(pf[2].fd);
    close(t);
    close(t6);
}

int main(int argc, char **argv) {
    if (argc != 2 || chdir(argv[1]) != 0) return 2;
    setvbuf(stdout, NULL, _IONBF, 0);
    signal(SIGPIPE, on_sigpipe);
    pairs();
    datagrams();
    struct sockaddr_un path = {AF_UNIX, "listener"};
    streams("path name", &path, (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(path.sun_path) + 1));
    struct stat st;
    SHOW("stat socket file", stat("listener", &st));
    printf("  socket %d mode %o\n", S_ISSOCK(st.st_mode), st.st_mode & 0777);
    SHOW("unlink", unlink("listener"));
    SHOW("connect unlinked", connect(socket(AF_UNIX, SOCK_STREAM, 0), (struct sockaddr *)&path, sizeof path));
    SHOW("connect to a file", connect(socket(AF_UNIX, SOCK_STREAM, 0), (struct sockaddr *)&(struct sockaddr_un){AF_UNIX, "/proc/self/status"}, sizeof path));
    struct sockaddr_un abs;
    streams("abstract name", &abs, abstract_name(&abs, "listener"));
    rights();
    options();
    timeouts();
    inet(AF_INET);
    inet(AF_INET6);
    mapped();
    corners();
    printf("sigpipes %d\n", sigpipes);
    return 0;
}
