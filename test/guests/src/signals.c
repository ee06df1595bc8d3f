/* Signals, run natively and in emtrace with the same output: handlers for faults (SIGSEGV with
   siglongjmp, SIGILL, SIGFPE, SIGTRAP) that read and change the ucontext, blocked and pending
   signals, alarm/setitimer/POSIX timers interrupting pause, sigsuspend, ppoll, nanosleep and
   sigtimedwait, SA_RESETHAND, SA_NODEFER, SA_ONSTACK on an alternate stack, kill/tgkill/raise,
   and the FPU state around a handler.

   With no argument it runs every scenario that returns; with one, only that scenario (the
   ones named in `fatal` end the process with a signal). Output is line-buffered, so what was
   printed before a fatal signal is not lost. */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>
#include <poll.h>

static void install(int sig, void (*fn)(int, siginfo_t *, void *), int flags) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = fn;
    sa.sa_flags = SA_SIGINFO | flags;
    sigemptyset(&sa.sa_mask);
    if (sigaction(sig, &sa, NULL) != 0) perror("sigaction");
}

static const char *err(int r) {
    static char buf[64];
    if (r >= 0) snprintf(buf, sizeof buf, "%d", r);
    else snprintf(buf, sizeof buf, "-1 %s", errno == EINTR ? "EINTR" : errno == EAGAIN ? "EAGAIN" : errno == EINVAL ? "EINVAL" : errno == ESRCH ? "ESRCH" : "other");
    return buf;
}

static int blocked(int sig) {
    sigset_t cur;
    sigprocmask(SIG_BLOCK, NULL, &cur);
    return sigismember(&cur, sig);
}

/* ------------------------------------------------------------ SIGSEGV and siglongjmp */

static sigjmp_buf jump;
static volatile int segv_code;
static void *volatile segv_addr;

static void segv_jump(int sig, siginfo_t *si, void *ctx) {
    (void)sig, (void)ctx;
    segv_code = si->si_code;
    segv_addr = si->si_addr;
    siglongjmp(jump, 1);
}

static void scenario_segv(void) {
    install(SIGSEGV, segv_jump, 0);
    for (int k = 1; k <= 3; k++) {
        if (sigsetjmp(jump, 1) == 0) {
            *(volatile int *)0x10 = k;
            puts("not reached");
        } else {
            printf("segv %d: code %d, addr %p, SEGV blocked after longjmp %d\n", k, segv_code, segv_addr, blocked(SIGSEGV));
        }
    }
    char *page = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (sigsetjmp(jump, 1) == 0) {
        page[100] = 1;
        puts("not reached");
    } else {
        printf("read-only page: code %d, addr is page+100 %d\n", segv_code, segv_addr == page + 100);
    }
    munmap(page, 4096);
    signal(SIGSEGV, SIG_DFL);
}

/* ------------------------------------------------------------ the ucontext of a fault */

extern char fault_insn[], fault_after[], ud2_insn[], div_insn[], div_after[], int3_after[];

static struct {
    int code, segv_in_mask, segv_blocked, aligned;
    void *addr;
    greg_t rip, rbx, r12, r15, trapno, err, cr2;
} ctx_seen;

static void __attribute__((noinline)) segv_regs(int sig, siginfo_t *si, void *ctx) {
    (void)sig;
    ucontext_t *uc = ctx;
    greg_t *g = uc->uc_mcontext.gregs;
    ctx_seen.code = si->si_code;
    ctx_seen.addr = si->si_addr;
    ctx_seen.rip = g[REG_RIP];
    ctx_seen.rbx = g[REG_RBX];
    ctx_seen.r12 = g[REG_R12];
    ctx_seen.r15 = g[REG_R15];
    ctx_seen.trapno = g[REG_TRAPNO];
    ctx_seen.err = g[REG_ERR];
    ctx_seen.cr2 = g[REG_CR2];
    ctx_seen.segv_in_mask = sigismember(&uc->uc_sigmask, SIGSEGV);
    ctx_seen.aligned = ((uintptr_t)__builtin_frame_address(0) & 15) == 0;
    /* Skip the faulting load, and change RAX and RBX on the way back. */
    g[REG_RIP] = (greg_t)fault_after;
    g[REG_RAX] = 0x4242;
    g[REG_RBX] = 0x5353;
}

static void __attribute__((noinline)) scenario_context(void) {
    install(SIGSEGV, segv_regs, 0);
    long rax, rbx, r15;
    __asm__ volatile(
        "mov $0x1111, %%rbx\n\t"
        "mov $0x1212, %%r12\n\t"
        "mov $0x1515, %%r15\n\t"
        "mov $0x20, %%rax\n\t"
        ".globl fault_insn\n"
        "fault_insn: mov (%%rax), %%rax\n"
        ".globl fault_after\n"
        "fault_after:\n\t"
        "mov %%rbx, %1\n\t"
        "mov %%r15, %2\n\t"
        : "=a"(rax), "=m"(rbx), "=m"(r15)
        :
        : "rbx", "r12", "r15", "memory");
    printf("fault: code %d, addr %p, rip at the load %d, trapno %ld, err %ld, cr2 %#lx\n", ctx_seen.code, ctx_seen.addr,
           ctx_seen.rip == (greg_t)fault_insn, (long)ctx_seen.trapno, (long)ctx_seen.err, (unsigned long)ctx_seen.cr2);
    printf("fault: rbx %#lx r12 %#lx r15 %#lx, SEGV in uc_sigmask %d, frame aligned %d\n", (long)ctx_seen.rbx, (long)ctx_seen.r12,
           (long)ctx_seen.r15, ctx_seen.segv_in_mask, ctx_seen.aligned);
    printf("after the handler: rax %#lx rbx %#lx r15 %#lx\n", rax, rbx, r15);
    signal(SIGSEGV, SIG_DFL);
}

/* ------------------------------------------------------------ SIGILL, SIGFPE, SIGTRAP */

static volatile int trap_code;
static volatile int trap_addr_ok, trap_rip_ok;

static void ill_skip(int sig, siginfo_t *si, void *ctx) {
    (void)sig;
    ucontext_t *uc = ctx;
    trap_code = si->si_code;
    trap_addr_ok = si->si_addr == (void *)ud2_insn;
    uc->uc_mcontext.gregs[REG_RIP] += 2;
}

static void fpe_skip(int sig, siginfo_t *si, void *ctx) {
    (void)sig;
    ucontext_t *uc = ctx;
    trap_code = si->si_code;
    trap_addr_ok = si->si_addr == (void *)div_insn;
    trap_rip_ok = uc->uc_mcontext.gregs[REG_RIP] == (greg_t)div_insn;
    uc->uc_mcontext.gregs[REG_RIP] = (greg_t)div_after;
}

static void trap_note(int sig, siginfo_t *si, void *ctx) {
    (void)sig;
    ucontext_t *uc = ctx;
    trap_code = si->si_code;
    trap_rip_ok = uc->uc_mcontext.gregs[REG_RIP] == (greg_t)int3_after;
}

static void scenario_traps(void) {
    install(SIGILL, ill_skip, 0);
    __asm__ volatile(".globl ud2_insn\nud2_insn: ud2\n" ::: "memory");
    printf("SIGILL: code %d, addr at ud2 %d, skipped\n", trap_code, trap_addr_ok);
    install(SIGFPE, fpe_skip, 0);
    for (int k = 0; k < 2; k++) {
        trap_code = 0;
        __asm__ volatile(
            "xor %%edx, %%edx\n\tmov $7, %%eax\n\txor %%ecx, %%ecx\n"
            ".globl div_insn\ndiv_insn: divl %%ecx\n"
            ".globl div_after\ndiv_after:\n" ::: "eax", "ecx", "edx", "memory");
        printf("SIGFPE %d: code %d, addr at div %d, rip at div %d\n", k, trap_code, trap_addr_ok, trap_rip_ok);
    }
    install(SIGTRAP, trap_note, 0);
    __asm__ volatile("int3\n.globl int3_after\nint3_after:\n" ::: "memory");
    printf("SIGTRAP: code %d, rip after int3 %d\n", trap_code, trap_rip_ok);
}

/* ------------------------------------------------------------ blocked and pending */

static volatile int handled[65];
static volatile int order[8], order_n;
static volatile int depth, max_depth;

static void count(int sig, siginfo_t *si, void *ctx) {
    (void)si, (void)ctx;
    handled[sig]++;
    if (order_n < 8) order[order_n++] = sig;
}

static void scenario_blocked(void) {
    install(SIGUSR1, count, 0);
    install(SIGUSR2, count, 0);
    int rt = SIGRTMIN + 2;
    install(rt, count, 0);
    sigset_t set, pending;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigaddset(&set, SIGUSR2);
    sigaddset(&set, rt);
    sigprocmask(SIG_BLOCK, &set, NULL);
    kill(getpid(), SIGUSR2);
    kill(getpid(), SIGUSR1);
    kill(getpid(), SIGUSR1);
    raise(rt);
    raise(rt);
    sigpending(&pending);
    printf("blocked: handled %d, pending USR1 %d USR2 %d RT %d\n", handled[SIGUSR1], sigismember(&pending, SIGUSR1), sigismember(&pending, SIGUSR2),
           sigismember(&pending, rt));
    order_n = 0;
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    printf("unblocked: USR1 %d (coalesced), USR2 %d, RT %d (queued); handlers ran", handled[SIGUSR1], handled[SIGUSR2], handled[rt]);
    for (int k = 0; k < order_n; k++) printf(" %s", order[k] == SIGUSR1 ? "USR1" : order[k] == SIGUSR2 ? "USR2" : "RT");
    printf("\n");
}

/* ------------------------------------------------------------ kill, tgkill, raise */

static volatile int last_code, last_pid_ok;

static void sender(int sig, siginfo_t *si, void *ctx) {
    (void)sig, (void)ctx;
    last_code = si->si_code;
    last_pid_ok = si->si_pid == getpid() && si->si_uid == getuid();
}

static void scenario_kill(void) {
    install(SIGUSR1, sender, 0);
    kill(getpid(), SIGUSR1);
    printf("kill: code %d, sender is me %d\n", last_code, last_pid_ok);
    last_code = 99;
    syscall(SYS_tgkill, getpid(), gettid(), SIGUSR1);
    printf("tgkill: code %d, sender is me %d\n", last_code, last_pid_ok);
    last_code = 99;
    raise(SIGUSR1);
    printf("raise: code %d\n", last_code);
    printf("kill(me, 0) %s", err(kill(getpid(), 0)));
    printf(", kill(me, 65) %s", err(kill(getpid(), 65)));
    printf(", kill(0x7ffffff0, 0) %s", err(kill(0x7ffffff0, 0)));
    printf(", tgkill(me, 0x7ffffff0) %s\n", err(syscall(SYS_tgkill, getpid(), 0x7ffffff0, SIGUSR1)));
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    printf("sigaction(SIGKILL) %s", err(sigaction(SIGKILL, &sa, NULL)));
    printf(", sigprocmask(how 7) %s\n", err(syscall(SYS_rt_sigprocmask, 7, &sa.sa_mask, NULL, 8)));
}

/* ------------------------------------------------------------ SA_RESETHAND, SA_NODEFER */

static void nested(int sig, siginfo_t *si, void *ctx) {
    (void)si, (void)ctx;
    handled[sig]++;
    depth++;
    if (depth > max_depth) max_depth = depth;
    if (handled[sig] == 1) raise(sig);
    depth--;
}

static void scenario_flags(void) {
    install(SIGUSR2, count, SA_RESETHAND);
    handled[SIGUSR2] = 0;
    raise(SIGUSR2);
    struct sigaction old;
    sigaction(SIGUSR2, NULL, &old);
    printf("SA_RESETHAND: handled %d, now SIG_DFL %d\n", handled[SIGUSR2], old.sa_handler == SIG_DFL);

    install(SIGUSR1, nested, SA_NODEFER);
    handled[SIGUSR1] = 0;
    max_depth = 0;
    raise(SIGUSR1);
    printf("SA_NODEFER: handled %d, deepest %d\n", handled[SIGUSR1], max_depth);
    install(SIGUSR1, nested, 0);
    handled[SIGUSR1] = 0;
    max_depth = 0;
    raise(SIGUSR1);
    printf("without it: handled %d, deepest %d\n", handled[SIGUSR1], max_depth);
}

/* ------------------------------------------------------------ sigaltstack */

static char altstack[65536] __attribute__((aligned(16)));
static volatile int on_alt, alt_flags;

static void where(int sig, siginfo_t *si, void *ctx) {
    (void)sig, (void)si, (void)ctx;
    char here;
    on_alt = &here >= altstack && &here < altstack + sizeof altstack;
    stack_t cur;
    sigaltstack(NULL, &cur);
    alt_flags = cur.ss_flags;
}

static void scenario_altstack(void) {
    stack_t ss = {.ss_sp = altstack, .ss_size = sizeof altstack, .ss_flags = 0}, old;
    sigaltstack(&ss, &old);
    printf("altstack: old flags %d\n", old.ss_flags);
    install(SIGUSR1, where, SA_ONSTACK);
    raise(SIGUSR1);
    printf("SA_ONSTACK: on the alternate stack %d, flags there %d\n", on_alt, alt_flags);
    install(SIGUSR1, where, 0);
    raise(SIGUSR1);
    printf("without SA_ONSTACK: on the alternate stack %d, flags there %d\n", on_alt, alt_flags);
    stack_t small = {.ss_sp = altstack, .ss_size = 100, .ss_flags = 0};
    printf("tiny stack %s", sigaltstack(&small, NULL) == 0 ? "0" : errno == ENOMEM ? "ENOMEM" : "other");
    ss.ss_flags = SS_DISABLE;
    sigaltstack(&ss, NULL);
    sigaltstack(NULL, &old);
    printf(", disabled: flags %d\n", old.ss_flags);
}

/* ------------------------------------------------------------ the FPU state */

static struct {
    unsigned entry_mxcsr, saved_mxcsr;
    unsigned short entry_fcw, saved_fcw;
    unsigned char saved_xmm5[16];
} fp;

static void fp_handler(int sig, siginfo_t *si, void *ctx) {
    (void)sig, (void)si;
    ucontext_t *uc = ctx;
    __asm__ volatile("stmxcsr %0\n\tfnstcw %1" : "=m"(fp.entry_mxcsr), "=m"(fp.entry_fcw));
    fp.saved_mxcsr = uc->uc_mcontext.fpregs->mxcsr;
    fp.saved_fcw = uc->uc_mcontext.fpregs->cwd;
    memcpy(fp.saved_xmm5, &uc->uc_mcontext.fpregs->_xmm[5], 16);
    /* Use SSE and the x87 with other modes: none of it may leak out. */
    unsigned mx = 0x3f80;
    unsigned short cw = 0x0f7f;
    volatile double a = 1.0, b = 3.0;
    __asm__ volatile("ldmxcsr %0\n\tpcmpeqd %%xmm5, %%xmm5\n\tfninit\n\tfldcw %1\n\tfldpi\n\tfldpi\n\tfaddp\n\tfstp %%st(0)" ::"m"(mx), "m"(cw) : "xmm5", "memory");
    volatile double q = a / b;
    (void)q;
    uc->uc_mcontext.gregs[REG_RIP] += 2;
}

static void scenario_fpu(void) {
    install(SIGILL, fp_handler, 0);
    static const unsigned char pattern[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    unsigned mx = 0x1f80 | 0x6000, mx_after = 0;
    unsigned short cw = 0x037f | 0x0c00, cw_after = 0;
    long double in = 1.25L, out = 0;
    unsigned char x5[16];
    __asm__ volatile(
        "ldmxcsr %[mx]\n\tfldcw %[cw]\n\tmovdqu %[pat], %%xmm5\n\tfldt %[in]\n\t"
        "ud2\n\t"
        "movdqu %%xmm5, %[x5]\n\tfstpt %[out]\n\tstmxcsr %[mxa]\n\tfnstcw %[cwa]\n\t"
        : [x5] "=m"(x5), [out] "=m"(out), [mxa] "=m"(mx_after), [cwa] "=m"(cw_after)
        : [mx] "m"(mx), [cw] "m"(cw), [pat] "m"(pattern), [in] "m"(in)
        : "xmm5", "memory");
    unsigned dmx = 0x1f80;
    unsigned short dcw = 0x037f;
    __asm__ volatile("ldmxcsr %0\n\tfldcw %1" ::"m"(dmx), "m"(dcw));
    printf("handler entry: mxcsr %#x fcw %#x; frame: mxcsr ok %d, fcw ok %d, xmm5 ok %d\n", fp.entry_mxcsr, fp.entry_fcw, fp.saved_mxcsr == mx,
           fp.saved_fcw == cw, memcmp(fp.saved_xmm5, pattern, 16) == 0);
    printf("after: xmm5 ok %d, st0 %.2Lf, mxcsr ok %d, fcw ok %d\n", memcmp(x5, pattern, 16) == 0, out, mx_after == mx, cw_after == cw);
    signal(SIGILL, SIG_DFL);
}

/* ------------------------------------------------------------ alarm, setitimer, waits */

static void scenario_alarm(void) {
    install(SIGALRM, count, 0);
    handled[SIGALRM] = 0;
    alarm(1);
    int r = pause();
    printf("alarm: pause %s, SIGALRM %d\n", err(r), handled[SIGALRM]);
    alarm(5);
    printf("alarm(0) after alarm(5): %u\n", alarm(0));

    struct itimerval once = {{0, 0}, {0, 20000}};
    sigset_t alrm, empty;
    sigemptyset(&alrm);
    sigemptyset(&empty);
    sigaddset(&alrm, SIGALRM);
    sigprocmask(SIG_BLOCK, &alrm, NULL);
    setitimer(ITIMER_REAL, &once, NULL);
    r = sigsuspend(&empty);
    printf("sigsuspend %s, SIGALRM %d, blocked again %d\n", err(r), handled[SIGALRM], blocked(SIGALRM));
    setitimer(ITIMER_REAL, &once, NULL);
    struct timespec second = {1, 0};
    r = ppoll(NULL, 0, &second, &empty);
    printf("ppoll %s, SIGALRM %d, blocked again %d\n", err(r), handled[SIGALRM], blocked(SIGALRM));
    sigprocmask(SIG_UNBLOCK, &alrm, NULL);

    setitimer(ITIMER_REAL, &once, NULL);
    struct timespec left = {0, 0};
    r = nanosleep(&second, &left);
    printf("nanosleep %s, time left under a second %d\n", err(r), left.tv_sec == 0 && left.tv_nsec > 500000000);
    setitimer(ITIMER_REAL, &once, NULL);
    r = poll(NULL, 0, 1000);
    printf("poll %s, SIGALRM %d\n", err(r), handled[SIGALRM]);

    /* Repeating: five SIGALRMs, then off. (Blocked outside sigsuspend, so that however late
       this runs, the calls are the same: a second expiry meanwhile is one pending signal.) */
    struct itimerval every = {{0, 10000}, {0, 10000}}, now;
    handled[SIGALRM] = 0;
    sigprocmask(SIG_BLOCK, &alrm, NULL);
    setitimer(ITIMER_REAL, &every, NULL);
    while (handled[SIGALRM] < 5) sigsuspend(&empty);
    getitimer(ITIMER_REAL, &now);
    printf("repeating: SIGALRM %d, interval %ld us\n", handled[SIGALRM], (long)now.it_interval.tv_usec);
    struct itimerval off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &off, &now);
    signal(SIGALRM, SIG_IGN); /* drops a last pending one */
    sigprocmask(SIG_UNBLOCK, &alrm, NULL);
    printf("stopped: old interval %ld us\n", (long)now.it_interval.tv_usec);

    /* CPU time: SIGVTALRM after 5 ms of computing. */
    install(SIGVTALRM, count, 0);
    struct itimerval cpu = {{0, 0}, {0, 5000}};
    setitimer(ITIMER_VIRTUAL, &cpu, NULL);
    volatile unsigned long spin = 0;
    while (!handled[SIGVTALRM]) spin++;
    printf("ITIMER_VIRTUAL: SIGVTALRM %d\n", handled[SIGVTALRM]);
}

/* ------------------------------------------------------------ sigtimedwait */

static void scenario_wait(void) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR2);
    sigprocmask(SIG_BLOCK, &set, NULL);
    raise(SIGUSR2);
    siginfo_t info;
    struct timespec zero = {0, 0}, ms10 = {0, 10000000}, ms500 = {0, 500000000};
    int r = sigtimedwait(&set, &info, &zero);
    printf("sigtimedwait %s, code %d, sender is me %d\n", err(r), info.si_code, info.si_pid == getpid());
    printf("again %s", err(sigtimedwait(&set, &info, &zero)));
    printf(", 10 ms %s", err(sigtimedwait(&set, &info, &ms10)));
    install(SIGALRM, count, 0);
    struct itimerval once = {{0, 0}, {0, 20000}};
    setitimer(ITIMER_REAL, &once, NULL);
    /* (musl's sigtimedwait goes on waiting after EINTR: it times out instead.) */
    printf(", interrupted by SIGALRM %s\n", err(sigtimedwait(&set, &info, &ms500)));
    sigprocmask(SIG_UNBLOCK, &set, NULL);
}

/* ------------------------------------------------------------ POSIX timers */

static volatile int timer_value, timer_code, timer_overrun;

static void on_timer(int sig, siginfo_t *si, void *ctx) {
    (void)ctx;
    handled[sig]++;
    timer_code = si->si_code;
    timer_value = si->si_value.sival_int;
    timer_overrun = si->si_overrun;
}

static void scenario_timers(void) {
    install(SIGUSR2, on_timer, 0);
    struct sigevent sev;
    memset(&sev, 0, sizeof sev);
    sev.sigev_notify = SIGEV_SIGNAL;
    sev.sigev_signo = SIGUSR2;
    sev.sigev_value.sival_int = 42;
    timer_t t;
    if (timer_create(CLOCK_MONOTONIC, &sev, &t) != 0) perror("timer_create");
    struct itimerspec two = {{0, 0}, {0, 2000000}}, cur;
    timer_settime(t, 0, &two, NULL);
    sigset_t empty;
    sigemptyset(&empty);
    int r = sigsuspend(&empty);
    timer_gettime(t, &cur);
    printf("timer: sigsuspend %s, code %d, value %d, overrun %d, left %ld\n", err(r), timer_code, timer_value, timer_getoverrun(t), cur.it_value.tv_nsec);

    /* Periodic while its signal is blocked: one signal, the rest counted as overruns; taken by
       sigtimedwait, then the timer stopped and a signal it may have queued since dropped (by
       SIG_IGN: Linux 6.1 keeps a stopped timer's pending signal, later ones drop it). */
    sigset_t usr2;
    sigemptyset(&usr2);
    sigaddset(&usr2, SIGUSR2);
    sigprocmask(SIG_BLOCK, &usr2, NULL);
    struct itimerspec every = {{0, 1000000}, {0, 1000000}};
    timer_settime(t, 0, &every, NULL);
    struct timespec ms20 = {0, 20000000}, zero = {0, 0};
    nanosleep(&ms20, NULL);
    siginfo_t info;
    r = sigtimedwait(&usr2, &info, &zero);
    int overrun = timer_getoverrun(t);
    struct itimerspec off = {{0, 0}, {0, 0}};
    timer_settime(t, 0, &off, NULL);
    signal(SIGUSR2, SIG_IGN);
    sigprocmask(SIG_UNBLOCK, &usr2, NULL);
    printf("periodic while blocked: sigtimedwait %s, code %d, overrun counted %d, getoverrun agrees %d\n", err(r), info.si_code,
           info.si_overrun > 5, overrun == info.si_overrun);
    timer_delete(t);

    sev.sigev_notify = SIGEV_NONE;
    timer_create(CLOCK_MONOTONIC, &sev, &t);
    struct itimerspec ten = {{0, 0}, {10, 0}};
    timer_settime(t, 0, &ten, NULL);
    timer_gettime(t, &cur);
    printf("SIGEV_NONE: armed with more than 9 s left %d\n", cur.it_value.tv_sec == 9);
    timer_delete(t);
    printf("deleted twice: %d\n", timer_delete(t));
}

/* ------------------------------------------------------------ endings */

static void fatal_blocked_term(void) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigprocmask(SIG_BLOCK, &set, NULL);
    kill(getpid(), SIGTERM);
    puts("SIGTERM is pending");
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    puts("not reached");
}

static void fatal_bad_stack(void) {
    char *gone = mmap(NULL, 65536, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(gone, 65536);
    stack_t ss = {.ss_sp = gone, .ss_size = 65536, .ss_flags = 0};
    sigaltstack(&ss, NULL);
    install(SIGUSR1, count, SA_ONSTACK);
    puts("raising SIGUSR1 onto an unmapped stack");
    raise(SIGUSR1);
    puts("not reached");
}

static void fatal_blocked_segv(void) {
    install(SIGSEGV, segv_jump, 0);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGSEGV);
    sigprocmask(SIG_BLOCK, &set, NULL);
    puts("faulting with SIGSEGV blocked");
    *(volatile int *)0x10 = 1;
    puts("not reached");
}

static void fatal_sigkill(void) {
    puts("SIGKILL to myself");
    kill(getpid(), SIGKILL);
    puts("not reached");
}

static const struct {
    const char *name;
    void (*run)(void);
    int fatal;
} scenarios[] = {
    {"segv", scenario_segv, 0},        {"context", scenario_context, 0}, {"traps", scenario_traps, 0},
    {"blocked", scenario_blocked, 0},  {"kill", scenario_kill, 0},       {"flags", scenario_flags, 0},
    {"altstack", scenario_altstack, 0}, {"fpu", scenario_fpu, 0},        {"alarm", scenario_alarm, 0},
    {"wait", scenario_wait, 0},        {"timers", scenario_timers, 0},   {"blocked-term", fatal_blocked_term, 1},
    {"bad-stack", fatal_bad_stack, 1}, {"blocked-segv", fatal_blocked_segv, 1}, {"sigkill", fatal_sigkill, 1},
};

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    for (size_t k = 0; k < sizeof scenarios / sizeof scenarios[0]; k++) {
        if (argc > 1 ? strcmp(argv[1], scenarios[k].name) != 0 : scenarios[k].fatal) continue;
        printf("== %s\n", scenarios[k].name);
        scenarios[k].run();
    }
    return 0;
}
