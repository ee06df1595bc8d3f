/* Terminal requests on stdin when it is a terminal: isatty, the termios (read, set to raw mode,
   read back, restored), the window size, the foreground process group, /dev/tty. Prints what
   each returned; run natively and under emtrace on the same terminal, the output is the same.
   Usage: tty */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

static void show_termios(const char *label, const struct termios *t) {
    printf("%s: iflag=%#o oflag=%#o cflag=%#o lflag=%#o intr=%d eof=%d min=%d time=%d\n", label, (unsigned)t->c_iflag,
           (unsigned)t->c_oflag, (unsigned)t->c_cflag, (unsigned)t->c_lflag, t->c_cc[VINTR], t->c_cc[VEOF], t->c_cc[VMIN],
           t->c_cc[VTIME]);
}

int main(void) {
    printf("isatty: %d %d\n", isatty(0), isatty(1));
    struct termios saved, raw, now;
    if (tcgetattr(0, &saved) < 0) {
        printf("tcgetattr: %s\n", strerror(errno));
        return 0;
    }
    show_termios("initial", &saved);
    raw = saved;
    cfmakeraw(&raw);
    printf("tcsetattr raw: %d\n", tcsetattr(0, TCSANOW, &raw));
    tcgetattr(0, &now);
    show_termios("raw", &now);
    printf("tcsetattr restore: %d\n", tcsetattr(0, TCSAFLUSH, &saved));
    tcgetattr(0, &now);
    show_termios("restored", &now);
    struct winsize ws;
    printf("TIOCGWINSZ: %d\n", ioctl(0, TIOCGWINSZ, &ws));
    printf("rows=%d cols=%d\n", ws.ws_row, ws.ws_col);
    pid_t pgrp;
    printf("TIOCGPGRP: %d\n", ioctl(0, TIOCGPGRP, &pgrp) < 0 ? -errno : 0);
    int fd = open("/dev/tty", O_RDWR);
    printf("/dev/tty: %s\n", fd >= 0 ? "opened" : strerror(errno));
    if (fd >= 0) printf("/dev/tty isatty: %d\n", isatty(fd));
    int n = -1;
    printf("FIONREAD: %d %d\n", ioctl(0, FIONREAD, &n), n);
    return 0;
}
