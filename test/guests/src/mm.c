/* Memory mappings beyond plain anonymous memory, each step printing what it saw (no addresses,
   so a native run prints the same): MAP_FIXED and MAP_FIXED_NOREPLACE, mremap growing in place,
   moving (contents kept), MREMAP_FIXED and MREMAP_DONTUNMAP, MAP_SHARED file mappings written
   back (read() of the file sees the mapping's bytes, the mapping sees write()), madvise
   MADV_DONTNEED on private file and anonymous memory, mincore, msync, mlock and friends, a
   MAP_GROWSDOWN mapping growing when touched below, mprotect. Argument: a scratch directory.
   With `max-memory` as the second argument it maps 1 MiB blocks until mmap fails, then tries
   brk and mremap, and prints how they failed (for --max-memory). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define PAGE 4096
static int failures;

static void check(const char *what, int ok) {
    printf("%s: %s\n", what, ok ? "ok" : "FAILED");
    if (!ok) failures++;
}

/* The errno names the steps can meet (musl has no strerrorname_np). */
static const char *err(void) {
    switch (errno) {
    case EPERM: return "EPERM";
    case EBADF: return "EBADF";
    case EAGAIN: return "EAGAIN";
    case ENOMEM: return "ENOMEM";
    case EACCES: return "EACCES";
    case EFAULT: return "EFAULT";
    case EBUSY: return "EBUSY";
    case EEXIST: return "EEXIST";
    case ENODEV: return "ENODEV";
    case EINVAL: return "EINVAL";
    case EOPNOTSUPP: return "EOPNOTSUPP";
    default: return "another errno";
    }
}

static void fill(unsigned char *p, size_t n, unsigned seed) {
    for (size_t i = 0; i < n; i++) p[i] = (unsigned char)(i * seed + (i >> 12));
}

static int same(const unsigned char *p, size_t n, unsigned seed) {
    for (size_t i = 0; i < n; i++)
        if (p[i] != (unsigned char)(i * seed + (i >> 12))) return 0;
    return 1;
}

static int zero(const unsigned char *p, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (p[i]) return 0;
    return 1;
}

static void fixed_mappings(void) {
    unsigned char *a = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    fill(a, 4 * PAGE, 3);
    unsigned char *b = mmap(a + PAGE, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    check("MAP_FIXED lands where asked", b == a + PAGE);
    check("MAP_FIXED replaces the page with zeros", zero(b, PAGE) && same(a, PAGE, 3));
    void *c = mmap(a + 2 * PAGE, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    printf("MAP_FIXED_NOREPLACE over a mapping: %s\n", c == MAP_FAILED ? err() : "mapped");
    munmap(a, 4 * PAGE);
    void *d = mmap(a, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    check("MAP_FIXED_NOREPLACE over a hole", d == a);
    munmap(d, PAGE);
    void *f = mmap(NULL, PAGE, PROT_READ, MAP_SHARED_VALIDATE | MAP_ANONYMOUS, -1, 0);
    printf("anonymous MAP_SHARED_VALIDATE: %s\n", f == MAP_FAILED ? err() : "mapped");
    void *g = mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("length 0: %s\n", g == MAP_FAILED ? err() : "mapped");
    void *h = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE | MAP_NORESERVE | MAP_LOCKED, -1, 0);
    check("MAP_POPULATE|MAP_NORESERVE|MAP_LOCKED accepted", h != MAP_FAILED);
    munmap(h, PAGE);
}

static void remapping(void) {
    size_t n = 3 * PAGE;
    /* Three pages with five free ones after them (mapped, then given back). */
    unsigned char *a = mmap(NULL, n + 5 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(a + n, 5 * PAGE);
    fill(a, n, 5);
    unsigned char *b = mremap(a, n, n + 2 * PAGE, 0);
    check("mremap grows in place", b == a && same(b, n, 5) && zero(b + n, 2 * PAGE));
    /* A blocker right after it: growing needs a move. */
    unsigned char *block = mmap(b + n + 2 * PAGE, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    void *stuck = mremap(b, n + 2 * PAGE, n + 8 * PAGE, 0);
    printf("mremap without MAYMOVE when blocked: %s\n", stuck == MAP_FAILED ? err() : "moved");
    unsigned char *c = mremap(b, n + 2 * PAGE, 64 * PAGE, MREMAP_MAYMOVE);
    check("mremap moves, contents kept", c != MAP_FAILED && c != b && same(c, n, 5) && zero(c + n, 64 * PAGE - n));
    check("the old range is gone", mincore(b, PAGE, (unsigned char[1]){0}) == -1 && errno == ENOMEM);
    /* Shrinking keeps the address. */
    unsigned char *d = mremap(c, 64 * PAGE, 2 * PAGE, 0);
    check("mremap shrinks in place", d == c && same(d, 2 * PAGE, 5));
    /* MREMAP_FIXED to a chosen address (replacing what is there). */
    unsigned char *target = mmap(NULL, 4 * PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    unsigned char *e = mremap(d, 2 * PAGE, 2 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, target + PAGE);
    check("MREMAP_FIXED", e == target + PAGE && same(e, 2 * PAGE, 5));
    void *overlap = mremap(e, 2 * PAGE, 2 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, e + PAGE);
    printf("MREMAP_FIXED onto itself: %s\n", overlap == MAP_FAILED ? err() : "moved");
    /* MREMAP_DONTUNMAP: the contents move, the old range stays mapped and reads zeros. */
    unsigned char *f = mremap(e, 2 * PAGE, 2 * PAGE, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, NULL);
    check("MREMAP_DONTUNMAP moves", f != MAP_FAILED && same(f, 2 * PAGE, 5));
    check("MREMAP_DONTUNMAP leaves the old range empty", f != MAP_FAILED && zero(e, 2 * PAGE));
    void *g = mremap(e, PAGE, 2 * PAGE, MREMAP_DONTUNMAP | MREMAP_MAYMOVE, NULL);
    printf("MREMAP_DONTUNMAP with a new size: %s\n", g == MAP_FAILED ? err() : "moved");
    void *h = mremap(e + 40 * PAGE, PAGE, 2 * PAGE, MREMAP_MAYMOVE);
    printf("mremap of an unmapped range: %s\n", h == MAP_FAILED ? err() : "moved");
    munmap(block, PAGE);
    munmap(target, 4 * PAGE);
    munmap(f, 2 * PAGE);
}

static void shared_file(const char *dir) {
    char path[4096];
    snprintf(path, sizeof path, "%s/shared.bin", dir);
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    unsigned char buf[2 * PAGE];
    fill(buf, sizeof buf, 7);
    write(fd, buf, sizeof buf);
    unsigned char *m = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    check("shared mapping holds the file", m != MAP_FAILED && same(m, 2 * PAGE, 7));
    memcpy(m + 100, "written through the mapping", 27);
    unsigned char back[64];
    pread(fd, back, 27, 100);
    check("read() sees the mapping's bytes", memcmp(back, "written through the mapping", 27) == 0);
    pwrite(fd, "written by pwrite", 17, PAGE + 10);
    check("the mapping sees pwrite()", memcmp(m + PAGE + 10, "written by pwrite", 17) == 0);
    m[2 * PAGE - 1] = 0xab;
    check("msync", msync(m, 2 * PAGE, MS_SYNC) == 0);
    printf("msync with MS_SYNC|MS_ASYNC: %s\n", msync(m, PAGE, MS_SYNC | MS_ASYNC) == -1 ? err() : "ok");
    printf("msync of an unaligned address: %s\n", msync(m + 1, PAGE, MS_SYNC) == -1 ? err() : "ok");
    m[0] = 'Z';
    munmap(m, 2 * PAGE);
    close(fd);
    fd = open(path, O_RDONLY);
    unsigned char after[2 * PAGE];
    read(fd, after, sizeof after);
    check("munmap wrote the last changes back", after[0] == 'Z' && after[2 * PAGE - 1] == 0xab && memcmp(after + 100, "written through the mapping", 27) == 0);
    /* A read-only descriptor: a private mapping may be written, a shared one not. */
    void *ro = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    printf("writable shared mapping of a read-only fd: %s\n", ro == MAP_FAILED ? err() : "mapped");
    unsigned char *ro2 = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, 0);
    printf("mprotect it writable: %s\n", mprotect(ro2, PAGE, PROT_READ | PROT_WRITE) == -1 ? err() : "ok");
    munmap(ro2, PAGE);
    /* A private file mapping: MADV_DONTNEED brings back the file's bytes. */
    unsigned char *p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    memset(p, 0x55, 2 * PAGE);
    check("madvise(MADV_DONTNEED)", madvise(p, 2 * PAGE, MADV_DONTNEED) == 0);
    check("a private file mapping reads the file again", p[0] == 'Z' && memcmp(p + 100, "written through the mapping", 27) == 0);
    unsigned char vec[3] = {9, 9, 9};
    check("mincore of file pages", mincore(p, 2 * PAGE, vec) == 0 && vec[0] == 1 && vec[1] == 1);
    munmap(p, 2 * PAGE);
    close(fd);
    unlink(path);
}

static void anonymous_advice(void) {
    unsigned char *a = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    unsigned char vec[4];
    mincore(a, 4 * PAGE, vec);
    printf("mincore before use: %d %d %d %d\n", vec[0] & 1, vec[1] & 1, vec[2] & 1, vec[3] & 1);
    a[0] = 1;
    a[2 * PAGE] = 1;
    mincore(a, 4 * PAGE, vec);
    printf("mincore after writing pages 0 and 2: %d %d %d %d\n", vec[0] & 1, vec[1] & 1, vec[2] & 1, vec[3] & 1);
    madvise(a, 4 * PAGE, MADV_DONTNEED);
    check("MADV_DONTNEED zeroes anonymous memory", zero(a, 4 * PAGE));
    printf("madvise with unknown advice: %s\n", madvise(a, PAGE, 999) == -1 ? err() : "ok");
    printf("mincore of an unaligned address: %s\n", mincore(a + 1, PAGE, vec) == -1 ? err() : "ok");
    munmap(a + PAGE, PAGE);
    printf("madvise over a hole: %s\n", madvise(a, 4 * PAGE, MADV_WILLNEED) == -1 ? err() : "ok");
    printf("mprotect over a hole: %s\n", mprotect(a, 4 * PAGE, PROT_READ) == -1 ? err() : "ok");
    printf("mprotect with PROT_GROWSDOWN|PROT_GROWSUP: %s\n", mprotect(a, PAGE, PROT_READ | PROT_GROWSDOWN | PROT_GROWSUP) == -1 ? err() : "ok");
    printf("munmap of length 0: %s\n", munmap(a, 0) == -1 ? err() : "ok");
    munmap(a, 4 * PAGE);
}

static void locking(void) {
    unsigned char *a = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    check("mlock", mlock(a, 2 * PAGE) == 0);
    check("munlock", munlock(a, 2 * PAGE) == 0);
    check("mlock2(MLOCK_ONFAULT)", syscall(SYS_mlock2, a, PAGE, 1) == 0);
    printf("mlock2 with a bad flag: %s\n", syscall(SYS_mlock2, a, PAGE, 2) == -1 ? err() : "ok");
    printf("mlock of a hole: %s\n", mlock(a + 4096 * 1000, PAGE) == -1 ? err() : "ok");
    printf("mlock past RLIMIT_MEMLOCK: %s\n", mlock(a, 64 << 20) == -1 ? err() : "ok");
    check("mlockall(MCL_CURRENT|MCL_FUTURE)", mlockall(MCL_CURRENT | MCL_FUTURE) == 0);
    printf("mlockall(MCL_ONFAULT) alone: %s\n", mlockall(MCL_ONFAULT) == -1 ? err() : "ok");
    check("munlockall", munlockall() == 0);
    munmap(a, 2 * PAGE);
}

static void grows_down(void) {
    unsigned char *g = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN, -1, 0);
    check("MAP_GROWSDOWN mapping", g != MAP_FAILED);
    g[0] = 1;
    g[-1] = 2;
    g[-3 * PAGE] = 3;
    unsigned char vec[4];
    check("it grew down to the pages touched", mincore(g - 3 * PAGE, 3 * PAGE, vec) == 0);
    check("and kept its contents", g[0] == 1 && g[-1] == 2 && g[-3 * PAGE] == 3);
    int zero_fd = open("/dev/zero", O_RDONLY);
    void *file = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_GROWSDOWN, zero_fd, 0);
    printf("MAP_GROWSDOWN of a file: %s\n", file == MAP_FAILED ? err() : "mapped");
    close(zero_fd);
    munmap(g - 3 * PAGE, 7 * PAGE);
}

static void max_memory(void) {
    int blocks = 0;
    void *last = NULL;
    for (;;) {
        void *p = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) {
            printf("mmap failed after %d MiB: %s\n", blocks, err());
            break;
        }
        last = p;
        blocks++;
    }
    void *top = sbrk(0);
    printf("brk past the limit: %s\n", sbrk(2 << 20) == (void *)-1 ? "refused" : "grew");
    printf("mremap past the limit: %s\n", mremap(last, 1 << 20, 4 << 20, MREMAP_MAYMOVE) == MAP_FAILED ? err() : "grew");
    (void)top;
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc > 2 && strcmp(argv[2], "max-memory") == 0) {
        max_memory();
        return 0;
    }
    const char *dir = argc > 1 ? argv[1] : "/tmp";
    fixed_mappings();
    remapping();
    shared_file(dir);
    anonymous_advice();
    locking();
    grows_down();
    printf("%d failures\n", failures);
    return failures != 0;
}
