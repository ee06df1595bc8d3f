// Differential-test oracle: runs x86-64 instruction snippets on the host CPU from a given state and
// dumps the state they leave (or the signal they raise). Built by test/cpu/native.ts with the
// system cc into a temporary directory; never committed as a binary.
//
// Protocol (all little-endian), stdin:
//   header: u32 magic 'EMT1', u32 case count, u32 memLen (bytes of scratch memory per case)
//   case:   u32 codeLen, code bytes, struct state, memLen bytes of scratch memory
// stdout, per case:
//   i32 signal (0 = ran to the end), i32 si_code, u64 si_addr, u64 rip, struct state, memLen bytes
//
// A snippet runs at CODE_BASE with every GPR, RFLAGS, XMM0-15, MXCSR and the x87/MMX state (the
// first 160 bytes of an FXSAVE64 image, loaded with FXRSTOR64) loaded from the case; it is
// followed by an absolute jump to `snippet_exit`, which stores the state back (the x87 part with
// FXSAVE64; after a fault, from the signal frame's FXSAVE image). A fault inside the
// snippet is caught by a signal handler (on an alternate stack: RSP belongs to the snippet) that
// reads the state from the signal frame and longjmps out. The scratch area (SCRATCH_SIZE bytes at
// SCRATCH_BASE, a PROT_NONE guard page on each side) is reset for every case: memLen bytes from
// the case, zeros after them.
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#define SCRATCH_BASE 0x10000000UL
#define SCRATCH_SIZE 0x2000UL
#define CODE_BASE 0x10100000UL
#define CODE_SIZE 0x1000UL
#define MAX_CODE 256

struct state {
  uint64_t gpr[16]; // rax rcx rdx rbx rsp rbp rsi rdi r8..r15
  uint64_t rflags;
  uint8_t xmm[16][16];
  uint32_t mxcsr;
  uint32_t pad;
  uint8_t x87[160]; // FXSAVE64 bytes 0-159 (bytes 24-31, MXCSR and its mask, are not used)
};
_Static_assert(sizeof(struct state) == 560, "state layout");

struct result_header {
  int32_t sig;
  int32_t code;
  uint64_t addr;
  uint64_t rip;
};

struct state in_state, out_state;
uint64_t host_rsp;
uint64_t snippet_entry = CODE_BASE;
uint8_t exit_stack[256] __attribute__((aligned(16)));
uint8_t in_fx[512] __attribute__((aligned(64)));
uint8_t out_fx[512] __attribute__((aligned(64)));

extern void run_snippet(struct state *s);
extern char snippet_exit[];

// The trampolines. Offsets: gpr 0, rflags 128, xmm 136, mxcsr 392.
__asm__(
    ".text\n"
    ".globl run_snippet\n"
    "run_snippet:\n"
    "  push %rbx\n  push %rbp\n  push %r12\n  push %r13\n  push %r14\n  push %r15\n"
    "  mov %rsp, host_rsp(%rip)\n"
    // The x87/MMX state first: FXRSTOR64 also loads XMM registers and MXCSR, which follow.
    "  fxrstor64 in_fx(%rip)\n"
    "  movdqu 136(%rdi), %xmm0\n  movdqu 152(%rdi), %xmm1\n  movdqu 168(%rdi), %xmm2\n"
    "  movdqu 184(%rdi), %xmm3\n  movdqu 200(%rdi), %xmm4\n  movdqu 216(%rdi), %xmm5\n"
    "  movdqu 232(%rdi), %xmm6\n  movdqu 248(%rdi), %xmm7\n  movdqu 264(%rdi), %xmm8\n"
    "  movdqu 280(%rdi), %xmm9\n  movdqu 296(%rdi), %xmm10\n  movdqu 312(%rdi), %xmm11\n"
    "  movdqu 328(%rdi), %xmm12\n  movdqu 344(%rdi), %xmm13\n  movdqu 360(%rdi), %xmm14\n"
    "  movdqu 376(%rdi), %xmm15\n"
    "  ldmxcsr 392(%rdi)\n"
    "  pushq 128(%rdi)\n  popfq\n"
    "  mov 0(%rdi), %rax\n  mov 8(%rdi), %rcx\n  mov 16(%rdi), %rdx\n  mov 24(%rdi), %rbx\n"
    "  mov 32(%rdi), %rsp\n  mov 40(%rdi), %rbp\n  mov 48(%rdi), %rsi\n"
    "  mov 64(%rdi), %r8\n  mov 72(%rdi), %r9\n  mov 80(%rdi), %r10\n  mov 88(%rdi), %r11\n"
    "  mov 96(%rdi), %r12\n  mov 104(%rdi), %r13\n  mov 112(%rdi), %r14\n  mov 120(%rdi), %r15\n"
    "  mov 56(%rdi), %rdi\n"
    "  jmp *snippet_entry(%rip)\n"
    "\n"
    ".globl snippet_exit\n"
    "snippet_exit:\n"
    "  mov %rax, out_state+0(%rip)\n  mov %rcx, out_state+8(%rip)\n  mov %rdx, out_state+16(%rip)\n"
    "  mov %rbx, out_state+24(%rip)\n  mov %rsp, out_state+32(%rip)\n  mov %rbp, out_state+40(%rip)\n"
    "  mov %rsi, out_state+48(%rip)\n  mov %rdi, out_state+56(%rip)\n  mov %r8, out_state+64(%rip)\n"
    "  mov %r9, out_state+72(%rip)\n  mov %r10, out_state+80(%rip)\n  mov %r11, out_state+88(%rip)\n"
    "  mov %r12, out_state+96(%rip)\n  mov %r13, out_state+104(%rip)\n  mov %r14, out_state+112(%rip)\n"
    "  mov %r15, out_state+120(%rip)\n"
    "  lea exit_stack+256(%rip), %rsp\n"
    "  pushfq\n  popq out_state+128(%rip)\n  cld\n"
    "  movdqu %xmm0, out_state+136(%rip)\n  movdqu %xmm1, out_state+152(%rip)\n"
    "  movdqu %xmm2, out_state+168(%rip)\n  movdqu %xmm3, out_state+184(%rip)\n"
    "  movdqu %xmm4, out_state+200(%rip)\n  movdqu %xmm5, out_state+216(%rip)\n"
    "  movdqu %xmm6, out_state+232(%rip)\n  movdqu %xmm7, out_state+248(%rip)\n"
    "  movdqu %xmm8, out_state+264(%rip)\n  movdqu %xmm9, out_state+280(%rip)\n"
    "  movdqu %xmm10, out_state+296(%rip)\n  movdqu %xmm11, out_state+312(%rip)\n"
    "  movdqu %xmm12, out_state+328(%rip)\n  movdqu %xmm13, out_state+344(%rip)\n"
    "  movdqu %xmm14, out_state+360(%rip)\n  movdqu %xmm15, out_state+376(%rip)\n"
    "  stmxcsr out_state+392(%rip)\n"
    "  fxsave64 out_fx(%rip)\n"
    "  mov host_rsp(%rip), %rsp\n"
    "  fninit\n"
    "  pushq $0x1f80\n  ldmxcsr (%rsp)\n  add $8, %rsp\n"
    "  pop %r15\n  pop %r14\n  pop %r13\n  pop %r12\n  pop %rbp\n  pop %rbx\n"
    "  ret\n");

static sigjmp_buf fault_jump;
static volatile sig_atomic_t in_snippet;
static struct result_header fault;

// gregs indices in the order of struct state's gpr[].
static const int GREG_ORDER[16] = {REG_RAX, REG_RCX, REG_RDX, REG_RBX, REG_RSP, REG_RBP, REG_RSI, REG_RDI,
                                   REG_R8,  REG_R9,  REG_R10, REG_R11, REG_R12, REG_R13, REG_R14, REG_R15};

static void on_signal(int sig, siginfo_t *si, void *context) {
  if (!in_snippet) {
    signal(sig, SIG_DFL);
    raise(sig);
    return;
  }
  ucontext_t *uc = context;
  for (int r = 0; r < 16; r++) out_state.gpr[r] = (uint64_t)uc->uc_mcontext.gregs[GREG_ORDER[r]];
  out_state.rflags = (uint64_t)uc->uc_mcontext.gregs[REG_EFL];
  memcpy(out_state.xmm, uc->uc_mcontext.fpregs->_xmm, sizeof out_state.xmm);
  out_state.mxcsr = uc->uc_mcontext.fpregs->mxcsr;
  memcpy(out_state.x87, uc->uc_mcontext.fpregs, sizeof out_state.x87);
  fault.sig = sig;
  fault.code = si->si_code;
  fault.addr = (uint64_t)si->si_addr;
  fault.rip = (uint64_t)uc->uc_mcontext.gregs[REG_RIP];
  in_snippet = 0;
  siglongjmp(fault_jump, 1);
}

static uint8_t *read_all(size_t *length) {
  size_t cap = 1 << 20, len = 0;
  uint8_t *buf = malloc(cap);
  for (;;) {
    if (len == cap) buf = realloc(buf, cap *= 2);
    ssize_t n = read(0, buf + len, cap - len);
    if (n < 0) {
      perror("read");
      exit(2);
    }
    if (n == 0) break;
    len += (size_t)n;
  }
  *length = len;
  return buf;
}

static void *map_fixed(uintptr_t addr, size_t len, int prot) {
  void *p = mmap((void *)addr, len, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
  if (p != (void *)addr) {
    fprintf(stderr, "runner: cannot map %#lx\n", (unsigned long)addr);
    exit(2);
  }
  return p;
}

int main(void) {
  size_t in_len;
  uint8_t *in = read_all(&in_len);
  if (in_len < 12 || memcmp(in, "EMT1", 4) != 0) {
    fprintf(stderr, "runner: bad input\n");
    return 2;
  }
  uint32_t count, mem_len;
  memcpy(&count, in + 4, 4);
  memcpy(&mem_len, in + 8, 4);
  if (mem_len > SCRATCH_SIZE) {
    fprintf(stderr, "runner: memLen too large\n");
    return 2;
  }

  map_fixed(SCRATCH_BASE - 0x1000, 0x1000, PROT_NONE);
  uint8_t *scratch = map_fixed(SCRATCH_BASE, SCRATCH_SIZE, PROT_READ | PROT_WRITE);
  map_fixed(SCRATCH_BASE + SCRATCH_SIZE, 0x1000, PROT_NONE);
  uint8_t *code = map_fixed(CODE_BASE, CODE_SIZE, PROT_READ | PROT_WRITE | PROT_EXEC);

  static uint8_t alt_stack[1 << 16];
  stack_t ss = {.ss_sp = alt_stack, .ss_size = sizeof alt_stack, .ss_flags = 0};
  sigaltstack(&ss, NULL);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_signal;
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
  sigemptyset(&sa.sa_mask);
  int sigs[] = {SIGSEGV, SIGILL, SIGFPE, SIGBUS, SIGTRAP, SIGALRM};
  for (size_t k = 0; k < sizeof sigs / sizeof sigs[0]; k++) sigaction(sigs[k], &sa, NULL);

  size_t out_cap = (size_t)count * (sizeof(struct result_header) + sizeof(struct state) + mem_len);
  uint8_t *out = malloc(out_cap ? out_cap : 1);
  size_t at = 12, out_len = 0;

  for (uint32_t c = 0; c < count; c++) {
    uint32_t code_len;
    if (at + 4 > in_len) goto truncated;
    memcpy(&code_len, in + at, 4);
    at += 4;
    if (code_len > MAX_CODE || at + code_len + sizeof(struct state) + mem_len > in_len) goto truncated;
    memcpy(code, in + at, code_len);
    at += code_len;
    // jmp qword [rip+0]; dq snippet_exit
    uint8_t *tail = code + code_len;
    tail[0] = 0xff;
    tail[1] = 0x25;
    memset(tail + 2, 0, 4);
    uint64_t exit_addr = (uint64_t)snippet_exit;
    memcpy(tail + 6, &exit_addr, 8);
    memcpy(&in_state, in + at, sizeof in_state);
    at += sizeof in_state;
    memcpy(scratch, in + at, mem_len);
    memset(scratch + mem_len, 0, SCRATCH_SIZE - mem_len);
    at += mem_len;

    // The FXRSTOR64 image: the case's x87 part, a valid MXCSR (the case's is loaded after it).
    memset(in_fx, 0, sizeof in_fx);
    memcpy(in_fx, in_state.x87, sizeof in_state.x87);
    memset(in_fx + 24, 0, 8);
    in_fx[25] = 0x1f;
    in_fx[24] = 0x80;

    if ((c & 255) == 0) alarm(5);
    memset(&fault, 0, sizeof fault);
    if (sigsetjmp(fault_jump, 1) == 0) {
      in_snippet = 1;
      run_snippet(&in_state);
      in_snippet = 0;
      fault.rip = CODE_BASE + code_len;
      memcpy(out_state.x87, out_fx, sizeof out_state.x87);
    }
    memcpy(out + out_len, &fault, sizeof fault);
    out_len += sizeof fault;
    memcpy(out + out_len, &out_state, sizeof out_state);
    out_len += sizeof out_state;
    memcpy(out + out_len, scratch, mem_len);
    out_len += mem_len;
  }
  alarm(0);
  for (size_t done = 0; done < out_len;) {
    ssize_t n = write(1, out + done, out_len - done);
    if (n <= 0) {
      perror("write");
      return 2;
    }
    done += (size_t)n;
  }
  return 0;

truncated:
  fprintf(stderr, "runner: truncated input\n");
  return 2;
}
