/* Reads the emulated /proc: prints where its code, stack and heap are, then each argument:
   `PATH/` lists a directory (names sorted), `@PATH` reads a link, any other PATH prints the
   file's contents between `== PATH (N bytes)` and `== end`. Opens a pipe and a file first, so
   /proc/self/fd has something to show.
   Usage: procfs [PATH/ | @PATH | PATH]... */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int by_name(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list(const char *path) {
    DIR *d = opendir(path);
    if (!d) {
        printf("== %s: error %d\n", path, errno);
        return;
    }
    char *names[512];
    int count = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && count < 512) names[count++] = strdup(e->d_name);
    closedir(d);
    qsort(names, count, sizeof names[0], by_name);
    printf("== %s lists", path);
    for (int i = 0; i < count; i++) printf(" %s", names[i]);
    printf("\n");
}

static void link_of(const char *path) {
    char target[4096];
    ssize_t n = readlink(path, target, sizeof target - 1);
    if (n < 0) {
        printf("== @%s: error %d\n", path, errno);
        return;
    }
    target[n] = 0;
    printf("== @%s -> %s\n", path, target);
}

static void dump(const char *path) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        printf("== %s: error %d\n", path, errno);
        return;
    }
    static char data[1 << 20];
    size_t total = 0;
    ssize_t n;
    /* small reads, as cat's would be, to see the file's offset work */
    while (total < sizeof data && (n = read(fd, data + total, 1000)) > 0) total += n;
    close(fd);
    printf("== %s (%zu bytes)\n", path, total);
    fwrite(data, 1, total, stdout);
    if (total > 0 && data[total - 1] != '\n') printf("\n");
    printf("== end\n");
}

int main(int argc, char **argv) {
    int local = 0;
    char *heap = malloc(100);
    int p[2];
    if (pipe(p) < 0) return 1;
    int fd = open("/proc/self/status", O_RDONLY);
    printf("main=%p local=%p heap=%p pipe=%d,%d file=%d\n", (void *)main, (void *)&local, (void *)heap, p[0], p[1], fd);
    for (int i = 1; i < argc; i++) {
        size_t len = strlen(argv[i]);
        if (argv[i][0] == '@') link_of(argv[i] + 1);
        else if (len > 1 && argv[i][len - 1] == '/') list(argv[i]);
        else dump(argv[i]);
    }
    return 0;
}
