// The x86-64 signal frame (arch/x86/kernel/signal.c): what the kernel writes on the user stack to
// run a handler, and what rt_sigreturn reads back.
//
//   frame = RSP at handler entry (16-byte aligned minus 8, as after a call):
//     +0    pretcode: sa_restorer, the handler's return address
//     +8    struct ucontext (304 bytes): uc_flags, uc_link, uc_stack (stack_t),
//           uc_mcontext (struct sigcontext, 256 bytes), uc_sigmask (8 bytes)
//     +312  struct siginfo (128 bytes; written only with SA_SIGINFO, as Linux does)
//   above it, 64-byte aligned: the 512-byte FXSAVE64 image that sigcontext.fpstate points to.
//   The frame starts below the 128-byte red zone, or at the top of the alternate stack.
//
// No XSAVE area (the CPU model has no AVX): uc_flags is UC_SIGCONTEXT_SS|UC_STRICT_RESTORE_SS,
// without UC_FP_XSTATE, and the image's software-reserved bytes are zero.
import { i32, u32, u64 } from '../../decode/bytes.js';
import { ARITH_FLAGS, AC, AF, CF, DF, OF, PF, SF, TF, ZF } from '../cpu/state.js';
import type { Cpu } from '../cpu/state.js';
import { getRflags, setArithFlags } from '../cpu/flags.js';
import { MXCSR_MASK } from '../cpu/sse/state.js';
import { fxrstorX87, fxsaveX87, initialize } from '../cpu/x87/control.js';
import { MemoryFault } from '../memory.js';
import { StructWriter } from './context.js';
import type { Process } from './process.js';
import type { SigAction, SigInfo } from './signals.js';
import { maskFromBytes, SA_ONSTACK, SA_RESTORER, SA_SIGINFO } from './signals.js';

export const FRAME_SIZE = 440;
/** Offsets in the frame. */
const FRAME_UCONTEXT = 8;
const FRAME_SIGINFO = 312;
export const UCONTEXT_SIZE = 304;
/** Offsets in the ucontext. */
const UC_STACK = 16;
const UC_MCONTEXT = 40;
export const UC_SIGMASK = 296;
/** Offsets in the sigcontext (uc_mcontext). */
const SC_RIP = 128;
const SC_EFLAGS = 136;
const SC_CS = 144;
const SC_SS = 150;
const SC_ERR = 152;
const SC_TRAPNO = 160;
const SC_OLDMASK = 168;
const SC_CR2 = 176;
const SC_FPSTATE = 184;
/** sigcontext's general registers, in its order: r8-r15, rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp. */
const SC_REGS = [8, 9, 10, 11, 12, 13, 14, 15, 7, 6, 5, 3, 2, 0, 1, 4];

const FPSTATE_SIZE = 512;
const REDZONE = 128;
const SIGINFO_SIZE = 128;
/** UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS. */
const UC_FLAGS = 0x2 | 0x4;
const USER_CS = 0x33;
const USER_DS = 0x2b;
/** The RFLAGS bits rt_sigreturn takes from the frame (FIX_EFLAGS; RF is not modelled). */
const FIX_EFLAGS = AC | OF | DF | TF | SF | ZF | AF | PF | CF;
const USER_SPACE_END = 0x800000000000;
const MXCSR_DEFAULT = 0x1f80;

/** A siginfo_t (128 bytes) as the kernel lays it out for x86-64. */
export function siginfoBytes(info: SigInfo): Uint8Array {
  const w = new StructWriter(SIGINFO_SIZE).u32(0, info.signo).u32(4, info.errno ?? 0).u32(8, info.code);
  if (info.seccomp) {
    w.u32(4, info.seccomp.errno).u64(16, info.seccomp.callAddr).u32(24, info.seccomp.syscall).u32(28, info.seccomp.arch);
  } else if (info.timer) {
    w.u32(16, info.timer.id).u32(20, info.timer.overrun).u64(24, info.value ?? 0n);
  } else if (info.sender) {
    w.u32(16, info.sender.pid).u32(20, info.sender.uid);
    if (info.child) w.u32(24, info.child.status);
    else if (info.value !== undefined) w.u64(24, info.value);
  } else if (info.addr !== undefined) w.u64(16, info.addr);
  return w.bytes;
}

/** The FPU state as a signal handler starts with it: the initial state (fpu__clear_user_states). */
export function resetFpu(cpu: Cpu): void {
  initialize(cpu);
  cpu.fpSig.fill(0);
  cpu.fpExp.fill(0);
  cpu.mxcsr = MXCSR_DEFAULT;
  cpu.xmm.fill(0, 0, 64);
}

/** Writes the FXSAVE64 image of the FPU state at `addr` (throws MemoryFault, writing nothing,
 *  when it is not writable). */
function saveFpu(cpu: Cpu, addr: number): void {
  const mem = cpu.mem;
  mem.writeBytes(addr, new Uint8Array(FPSTATE_SIZE));
  fxsaveX87(cpu, addr, true);
  mem.write32(addr + 24, cpu.mxcsr);
  mem.write32(addr + 28, MXCSR_MASK);
  const x = cpu.xmm;
  for (let k = 0; k < 64; k += 2) mem.write64(addr + 160 + 4 * k, x[k], x[k + 1]);
}

/** Loads the FPU state from an FXSAVE64 image (already read as `image`, at `addr`). */
function restoreFpu(cpu: Cpu, addr: number, image: Uint8Array): void {
  cpu.mxcsr = u32(image, 24) & MXCSR_MASK;
  for (let k = 0; k < 64; k++) cpu.xmm[k] = i32(image, 160 + 4 * k);
  fxrstorX87(cpu, addr, true);
}

/**
 * Builds the frame for a handler and points the registers at it (setup_rt_frame): RDI = signo,
 * RSI = &siginfo, RDX = &ucontext, RAX = 0, RSP = the frame, RIP = the handler; DF and TF
 * cleared, the FPU reset. `mask` is the one the frame saves (restored by rt_sigreturn). False
 * when the frame cannot be written (no restorer, a bad stack, an overflowing alternate stack):
 * the caller then forces SIGSEGV.
 */
export function setupFrame(proc: Process, info: SigInfo, action: SigAction, mask: bigint): boolean {
  const cpu = proc.cpu;
  const state = proc.signals;
  if (!(action.flags & SA_RESTORER)) return false;
  const rsp = cpu.getU(4);
  let sp = rsp - REDZONE;
  const nested = state.onAltstack(rsp);
  let entering = false;
  if (action.flags & SA_ONSTACK && state.altstackFlags(sp) === 0) {
    sp = state.altstack.sp + state.altstack.size;
    entering = true;
  }
  const fpstate = Math.floor((sp - FPSTATE_SIZE) / 64) * 64;
  const frame = Math.floor((fpstate - FRAME_SIZE) / 16) * 16 - 8;
  if ((nested || entering) && !state.withinAltstack(frame)) return false;
  if (frame < 0 || fpstate + FPSTATE_SIZE > USER_SPACE_END) return false;

  const w = new StructWriter(FRAME_SIGINFO);
  w.u64(0, action.restorer);
  const uc = FRAME_UCONTEXT;
  w.u64(uc, UC_FLAGS).u64(uc + 8, 0);
  const stack = state.altstack;
  w.u64(uc + UC_STACK, stack.sp).u32(uc + UC_STACK + 8, stack.flags).u64(uc + UC_STACK + 16, stack.size);
  const sc = uc + UC_MCONTEXT;
  SC_REGS.forEach((r, k) => w.u32(sc + 8 * k, cpu.regs[2 * r]).u32(sc + 8 * k + 4, cpu.regs[2 * r + 1]));
  w.u64(sc + SC_RIP, cpu.rip).u64(sc + SC_EFLAGS, getRflags(cpu));
  w.u16(sc + SC_CS, USER_CS).u16(sc + SC_SS, USER_DS);
  const trap = state.lastTrap;
  w.u64(sc + SC_ERR, trap.err).u64(sc + SC_TRAPNO, trap.trapno).u64(sc + SC_OLDMASK, mask).u64(sc + SC_CR2, trap.cr2);
  w.u64(sc + SC_FPSTATE, fpstate);
  w.u64(uc + UC_SIGMASK, mask);
  try {
    saveFpu(cpu, fpstate);
    cpu.mem.writeBytes(frame, w.bytes);
    if (action.flags & SA_SIGINFO) cpu.mem.writeBytes(frame + FRAME_SIGINFO, siginfoBytes(info));
  } catch (e) {
    if (e instanceof MemoryFault) return false;
    throw e;
  }
  cpu.setNumber(7, info.signo);
  cpu.setNumber(6, frame + FRAME_SIGINFO);
  cpu.setNumber(2, frame + FRAME_UCONTEXT);
  cpu.setNumber(0, 0);
  cpu.setNumber(4, frame);
  cpu.rip = Number(action.handler);
  cpu.controlFlags &= ~(DF | TF);
  resetFpu(cpu);
  return true;
}

/**
 * rt_sigreturn: reads the ucontext at RSP (the handler returned into sa_restorer, which popped
 * pretcode) and restores the signal mask, every general register, RIP, the flags, the FPU state
 * and the alternate stack. The FS and GS bases stay as they are. Returns the restored RAX, or
 * null when the frame cannot be read (the caller forces SIGSEGV).
 */
export function restoreFrame(proc: Process): number | null {
  const cpu = proc.cpu;
  const state = proc.signals;
  const ucAddr = cpu.getU(4);
  let uc: Uint8Array;
  let image: Uint8Array | null = null;
  let fpstate: number;
  try {
    uc = cpu.mem.readBytes(ucAddr, UCONTEXT_SIZE);
    fpstate = u64(uc, UC_MCONTEXT + SC_FPSTATE);
    if (fpstate !== 0) {
      if (fpstate % 16 !== 0) return null;
      image = cpu.mem.readBytes(fpstate, FPSTATE_SIZE);
    }
  } catch (e) {
    if (e instanceof MemoryFault) return null;
    throw e;
  }
  state.setBlocked(maskFromBytes(uc, UC_SIGMASK));
  const sc = UC_MCONTEXT;
  SC_REGS.forEach((r, k) => {
    cpu.regs[2 * r] = i32(uc, sc + 8 * k);
    cpu.regs[2 * r + 1] = i32(uc, sc + 8 * k + 4);
  });
  cpu.rip = u64(uc, sc + SC_RIP);
  const flags = u32(uc, sc + SC_EFLAGS);
  setArithFlags(cpu, flags);
  const control = FIX_EFLAGS & ~ARITH_FLAGS;
  cpu.controlFlags = (cpu.controlFlags & ~control) | (flags & control);
  if (image) restoreFpu(cpu, fpstate, image);
  else resetFpu(cpu);
  // restore_altstack: errors other than EFAULT are ignored (a handler on the alternate stack
  // cannot change it: EPERM).
  state.setAltstack({ sp: u64(uc, UC_STACK), flags: u32(uc, UC_STACK + 8), size: u64(uc, UC_STACK + 16) }, ucAddr);
  state.restoredRax = [cpu.regs[0], cpu.regs[1]];
  return cpu.getS(0);
}
