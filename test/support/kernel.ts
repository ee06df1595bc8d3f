// A guest process without a program, for calling syscall implementations directly.
import os from 'node:os';
import { Cpu } from '../../src/emulator/cpu/state.js';
import { Clock } from '../../src/emulator/kernel/clock.js';
import type { SyscallHandler } from '../../src/emulator/kernel/context.js';
import { FileMetadata } from '../../src/emulator/kernel/metadata.js';
import { Process } from '../../src/emulator/kernel/process.js';
import { SeededRandom } from '../../src/emulator/kernel/random.js';
import { AddressSpace, PROT_READ, PROT_WRITE } from '../../src/emulator/memory.js';

/** Where the scratch memory starts (64 KiB, readable and writable). */
export const SCRATCH = 0x10000;

/** A process with 64 KiB of scratch memory at SCRATCH, running as uid/gid 1000; its executable
 *  is /bin/true unless `exePath` names another. */
export function testProcess(options: { hostStartNs?: bigint; cwd?: string; hostTime?: boolean; exePath?: string } = {}): Process {
  const mem = new AddressSpace();
  mem.map(SCRATCH, 0x10000, PROT_READ | PROT_WRITE);
  const cpu = new Cpu(mem);
  const clock = new Clock(cpu, options.hostTime ?? false);
  const identity = { uid: 1000, euid: 1000, gid: 1000, egid: 1000 };
  // As the machine does: the files of emtrace's own user appear as the guest's.
  const host = os.userInfo();
  const metadata = new FileMetadata(clock, { hostUid: host.uid, hostGid: host.gid, uid: identity.uid, gid: identity.gid }, options.hostStartNs);
  return new Process(cpu, mem, options.exePath ?? '/bin/true', options.cwd ?? '/', identity, new SeededRandom('0'), clock, metadata);
}

/** Calls an implementation with up to six integer arguments (negative ones sign-extended). */
export function call(proc: Process, handler: SyscallHandler, ...values: (number | bigint)[]): number {
  const args = new Int32Array(12);
  values.forEach((v, k) => {
    const n = BigInt.asUintN(64, BigInt(v));
    args[2 * k] = Number(n & 0xffffffffn) | 0;
    args[2 * k + 1] = Number(n >> 32n) | 0;
  });
  return handler({ proc, args });
}

export function u64(proc: Process, addr: number): bigint {
  const b = proc.mem.readBytes(addr, 8);
  return new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0, true);
}

export function putTimespec(proc: Process, addr: number, sec: bigint | number, nsec: bigint | number): void {
  const b = new Uint8Array(16);
  const view = new DataView(b.buffer);
  view.setBigInt64(0, BigInt(sec), true);
  view.setBigInt64(8, BigInt(nsec), true);
  proc.mem.writeBytes(addr, b);
}

/** A small deterministic PRNG (xorshift32) giving numbers in [0, 1), so a failure can be
 *  reproduced from its seed. */
export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

/** Puts a NUL-terminated string in guest memory at addr; returns addr. */
export function putString(p: Process, addr: number, text: string): number {
  p.mem.writeBytes(addr, Buffer.from(text + '\0'));
  return addr;
}
