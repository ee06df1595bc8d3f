// The differential harness's shared model: a test case (instruction bytes + a CPU state + scratch
// memory), the state layout the native runner reads and writes (struct state in
// native/runner.c), and the memory layout both sides use.
//
//   SCRATCH_BASE .. +SCRATCH_SIZE   read/write scratch memory (a PROT_NONE guard page each side)
//   CODE_BASE                       the snippet (natively followed by a jump back to the harness,
//                                   in the emulator by UD2 at CODE_BASE + code length)

export const SCRATCH_BASE = 0x10000000;
export const SCRATCH_SIZE = 0x2000;
export const CODE_BASE = 0x10100000;

/** struct state: 16 GPRs (RAX..R15, 8 bytes each), RFLAGS, XMM0-15, MXCSR, padding, and the
 *  x87/MMX state as the first 160 bytes of an FXSAVE64 image (FCW, FSW, abridged FTW, FOP, FIP,
 *  FDP, then ST0-ST7 in 16-byte slots; bytes 24-31 unused). */
export const STATE_SIZE = 560;
export const OFF_GPR = 0;
export const OFF_RFLAGS = 128;
export const OFF_XMM = 136;
export const OFF_MXCSR = 392;
export const OFF_X87 = 400;
export const X87_SIZE = 160;

export const RSP = 4;

export const GPR_NAMES = ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15'];

export interface TestCase {
  code: Uint8Array;
  /** STATE_SIZE bytes in the struct state layout. */
  state: Uint8Array;
  /** The first memLen bytes of the scratch area (the rest is zero). */
  mem: Uint8Array;
}

/** What a snippet left behind: the signal it raised (0 = none) and the state at that point. */
export interface Outcome {
  signal: number;
  code: number;
  addr: bigint;
  rip: bigint;
  state: Uint8Array;
  mem: Uint8Array;
}

export function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function getGpr(state: Uint8Array, r: number): bigint {
  return view(state).getBigUint64(OFF_GPR + 8 * r, true);
}

export function setGpr(state: Uint8Array, r: number, value: bigint): void {
  view(state).setBigUint64(OFF_GPR + 8 * r, BigInt.asUintN(64, value), true);
}

export function getRflags(state: Uint8Array): number {
  return Number(view(state).getBigUint64(OFF_RFLAGS, true) & 0xffffffffn);
}

export function setRflags(state: Uint8Array, value: number): void {
  view(state).setBigUint64(OFF_RFLAGS, BigInt(value >>> 0), true);
}

export function getMxcsr(state: Uint8Array): number {
  return view(state).getUint32(OFF_MXCSR, true);
}

export function setMxcsr(state: Uint8Array, value: number): void {
  view(state).setUint32(OFF_MXCSR, value >>> 0, true);
}

/** XMM register r as 16 bytes (a view into the state). */
export function xmmBytes(state: Uint8Array, r: number): Uint8Array {
  return state.subarray(OFF_XMM + 16 * r, OFF_XMM + 16 * r + 16);
}

export function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}

/** An XMM register as 4 dwords, high first (the way the SDM draws it). */
export function xmmText(bytes: Uint8Array): string {
  const v = view(bytes);
  return [3, 2, 1, 0].map((k) => v.getUint32(4 * k, true).toString(16).padStart(8, '0')).join('_');
}

/** The x87 part of a state (a view). */
export function x87Bytes(state: Uint8Array): Uint8Array {
  return state.subarray(OFF_X87, OFF_X87 + X87_SIZE);
}

/** The x87 state after FNINIT: FCW 0x37F, everything else zero. */
export function initX87(state: Uint8Array): void {
  const x = x87Bytes(state);
  x.fill(0);
  x[0] = 0x7f;
  x[1] = 0x03;
}
