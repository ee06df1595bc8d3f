// The i386 syscall ABI, as Linux's ia32 emulation runs INT 0x80 from 64-bit code: the number in
// EAX, the arguments in EBX, ECX, EDX, ESI, EDI, EBP (zero-extended from 32 bits), the result
// sign-extended into RAX, every other register preserved.
//
// A call whose arguments mean what the x86-64 call's do (the decode table's SAME_AS_X86_64, which
// the strace formatter uses too) runs the x86-64 implementation. The calls that take 32-bit
// structs or split values get them converted here (CONVERTED); every other i386 number is ENOSYS.
import { i386ByName, i386ByNumber } from '../../decode/index.js';
import { SAME_AS_X86_64 } from '../../decode/syscall-table-i386.js';
import { argInt, argUint, argUlong } from '../../trace/event.js';
import { nsToTimespec } from './clock.js';
import type { SyscallContext, SyscallHandler } from './context.js';
import { Errno } from './errno.js';
import { doMmap } from './syscalls/memory.js';
import { clockSpec } from './syscalls/time.js';

/** EBX, ECX, EDX, ESI, EDI, EBP: the i386 argument registers, in order. */
export const I386_ARG_REGS: readonly number[] = [3, 1, 2, 6, 7, 5];

/** seccomp strict mode's i386 calls (read, write, exit, sigreturn) as the x86-64 numbers the
 *  strict check knows. */
export const I386_STRICT: Readonly<Record<number, number>> = { 3: 0, 4: 1, 1: 60, 119: 15 };

const PAGE_SIZE = 4096;
/** What a 16-bit uid call reports for an id that does not fit (overflowuid). */
const OVERFLOW_ID = 65534;

/** Arguments as the x86-64 implementation takes them. */
function argsOf(...values: number[]): Int32Array {
  const args = new Int32Array(12);
  values.forEach((v, k) => {
    const hi = Math.floor(v / 4294967296);
    args[2 * k] = v - hi * 4294967296;
    args[2 * k + 1] = hi;
  });
  return args;
}

/** A value as a signed 32-bit int, then widened (what compat code does with a `compat_long_t`). */
function signed32(args: Int32Array, i: number): number {
  return argInt(args, i);
}

function writeU32s(c: SyscallContext, addr: number, values: number[]): void {
  const bytes = new Uint8Array(4 * values.length);
  const view = new DataView(bytes.buffer);
  values.forEach((v, k) => view.setInt32(4 * k, v | 0, true));
  c.proc.mem.writeBytes(addr, bytes);
}

/** The i386 calls that need their arguments or results converted, by i386 name. Each gets the
 *  x86-64 implementations by name. */
const CONVERTED: Readonly<Record<string, (c: SyscallContext, impl: (name: string) => SyscallHandler | undefined) => number>> = {
  // time32: the seconds, and a 32-bit time_t where the pointer says.
  time: (c) => {
    const seconds = Number(c.proc.clock.realtimeNs() / 1_000_000_000n);
    const addr = argUlong(c.args, 0);
    if (addr) writeU32s(c, addr, [seconds]);
    return seconds;
  },
  // A 32-bit struct timeval (and the timezone, UTC).
  gettimeofday: (c) => {
    const t = nsToTimespec(c.proc.clock.realtimeNs());
    const tv = argUlong(c.args, 0);
    const tz = argUlong(c.args, 1);
    if (tv) writeU32s(c, tv, [Number(t.sec), Number(t.nsec / 1000n)]);
    if (tz) writeU32s(c, tz, [0, 0]);
    return 0;
  },
  // A 32-bit struct timespec.
  clock_gettime: (c) => {
    const spec = clockSpec(c.proc, argInt(c.args, 0));
    if (!spec) return -Errno.EINVAL;
    const t = nsToTimespec(c.proc.clock.read(spec.base, spec.coarse));
    writeU32s(c, argUlong(c.args, 1), [Number(t.sec), Number(t.nsec)]);
    return 0;
  },
  // old_mmap: the six arguments in a struct the first argument points to.
  mmap: (c) => {
    const raw = c.proc.mem.readBytes(argUlong(c.args, 0), 24);
    const view = new DataView(raw.buffer, raw.byteOffset, 24);
    const [addr, len, prot, flags, fd, offset] = [0, 1, 2, 3, 4, 5].map((k) => view.getUint32(4 * k, true));
    if (offset % PAGE_SIZE !== 0) return -Errno.EINVAL;
    return doMmap(c.proc, addr, len, prot | 0, flags | 0, fd | 0, offset, true);
  },
  // mmap2: the offset in pages.
  mmap2: (c) =>
    doMmap(c.proc, argUlong(c.args, 0), argUlong(c.args, 1), argInt(c.args, 2), argInt(c.args, 3), argInt(c.args, 4), argUint(c.args, 5) * PAGE_SIZE, true),
  // compat_sys_lseek: a signed 32-bit offset.
  lseek: (c, impl) => impl('lseek')?.({ proc: c.proc, args: argsOf(argInt(c.args, 0), signed32(c.args, 1), argUint(c.args, 2)) }) ?? -Errno.ENOSYS,
  // _llseek: the offset in two halves, the result written to a 64-bit loff_t.
  _llseek: (c, impl) => {
    const offset = argUint(c.args, 1) * 4294967296 + argUint(c.args, 2);
    const position = impl('lseek')?.({ proc: c.proc, args: argsOf(argInt(c.args, 0), offset >= 2 ** 63 ? offset - 2 ** 64 : offset, argUint(c.args, 4)) });
    if (position === undefined) return -Errno.ENOSYS;
    if (position < 0) return position;
    writeU32s(c, argUlong(c.args, 3), [position % 4294967296, Math.floor(position / 4294967296)]);
    return 0;
  },
};

/** The 16-bit id calls: the x86-64 call's id, or overflowuid when it does not fit. */
const UID16: Readonly<Record<string, string>> = { getuid: 'getuid', getgid: 'getgid', geteuid: 'geteuid', getegid: 'getegid' };

let table: (SyscallHandler | undefined)[] | null = null;

/** The implementation of i386 syscall `nr`, or undefined (ENOSYS); `impl` gives the x86-64
 *  implementations by name. */
export function i386Handler(nr: number, impl: (name: string) => SyscallHandler | undefined): SyscallHandler | undefined {
  table ??= buildTable(impl);
  return nr >= 0 ? table[nr] : undefined;
}

function buildTable(impl: (name: string) => SyscallHandler | undefined): (SyscallHandler | undefined)[] {
  const handlers: (SyscallHandler | undefined)[] = [];
  for (const [name, convert] of Object.entries(CONVERTED)) {
    const row = i386ByName(name);
    if (row) handlers[row.nr] = (c) => convert(c, impl);
  }
  for (const [name, x86] of Object.entries(SAME_AS_X86_64)) {
    const row = i386ByName(name);
    const handler = impl(x86);
    if (!row || !handler || handlers[row.nr]) continue;
    handlers[row.nr] = UID16[name]
      ? (c) => {
          const id = handler(c);
          return id >= 0 && id > 0xffff ? OVERFLOW_ID : id;
        }
      : handler;
  }
  return handlers;
}

/** The i386 names this kernel implements (for --list-syscalls). */
export function implementedI386(impl: (name: string) => SyscallHandler | undefined): string[] {
  const handlers = (table ??= buildTable(impl));
  const names: string[] = [];
  handlers.forEach((h, nr) => {
    if (h) names.push(i386ByNumber(nr)!.name);
  });
  return names;
}
