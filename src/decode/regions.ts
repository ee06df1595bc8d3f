// Which guest bytes a syscall reads and writes, from the table's memory rules: what the recorder
// saves and the replayer restores. Syscalls without argument specs report nothing (unknown).

import { argUlong } from '../trace/event.js';
import type { GuestMemoryReader, SyscallEvent } from '../trace/event.js';
import { u64 } from './bytes.js';
import { rowOf } from './syscalls.js';
import type { MemRule, SizeRule } from './types.js';

/** A range of guest memory one argument designates. */
export interface Region {
  readonly addr: number;
  readonly len: number;
  /** The argument it belongs to (0-based). */
  readonly arg: number;
}

/** The kernel's limit on iovec counts (UIO_MAXIOV). */
const UIO_MAXIOV = 1024;
/** The kernel's limit on path lengths, NUL included (PATH_MAX). */
const PATH_MAX = 4096;

function ruleOf(rule: MemRule | ((args: Int32Array) => MemRule | undefined) | undefined, args: Int32Array) {
  return typeof rule === 'function' ? rule(args) : rule;
}

function sizeOf(size: SizeRule, ev: SyscallEvent): number {
  if ('fixed' in size) return size.fixed;
  if ('arg' in size) return argUlong(ev.args, size.arg) * (size.scale ?? 1);
  const ret = ev.ret;
  if (Number.isNaN(ret) || ret < 0) return 0;
  return size.cap === undefined ? ret : Math.min(ret, argUlong(ev.args, size.cap));
}

function interrupted(ev: SyscallEvent): boolean {
  return ev.errno === 4 || (ev.errno >= 512 && ev.errno <= 516);
}

function collect(ev: SyscallEvent, mem: GuestMemoryReader, want: 'in' | 'out'): Region[] {
  const row = rowOf(ev);
  const out: Region[] = [];
  if (row?.args === undefined) return out;
  const done = !Number.isNaN(ev.ret);
  for (let i = 0; i < row.args.length; i++) {
    const spec = row.args[i];
    const rule = ruleOf(spec.mem, ev.args);
    if (rule === undefined) continue;
    const addr = spec.addr ? spec.addr(ev) : argUlong(ev.args, i);
    if (addr === 0) continue;
    switch (rule.kind) {
      case 'cstring': {
        if (want !== 'in') break;
        const s = mem.readCString(addr, PATH_MAX);
        if (s !== null) out.push({ addr, len: s.bytes.length + (s.terminated ? 1 : 0), arg: i });
        break;
      }
      case 'buffer': {
        if (rule.dir !== want && rule.dir !== 'inout') break;
        if (want === 'out') {
          if (!done) break;
          const when = rule.when ?? 'success';
          if (when === 'success' ? ev.errno !== 0 : !interrupted(ev)) break;
        }
        if (want === 'in' && 'ret' in rule.size) break;
        const len = sizeOf(rule.size, ev);
        if (len > 0) out.push({ addr, len, arg: i });
        break;
      }
      case 'indirect': {
        if (want !== 'in') break;
        out.push({ addr, len: 16, arg: i });
        const pair = mem.readBytes(addr, 16);
        if (pair === null) break;
        const target = u64(pair, 0);
        const len = Math.min(u64(pair, 8), rule.max);
        if (target !== 0 && len > 0) out.push({ addr: target, len, arg: i });
        break;
      }
      case 'iovec': {
        // A count over the limit is refused before the array is read; strace still prints the
        // first 32 entries (and looks at the 33rd), so those are kept.
        const asked = argUlong(ev.args, rule.countArg);
        const count = asked > UIO_MAXIOV ? 33 : asked;
        if (want === 'in' && count > 0) out.push({ addr, len: count * 16, arg: i });
        if (rule.data !== want && rule.data !== 'inout') break;
        if (want === 'out' && (!done || ev.errno !== 0)) break;
        let budget = want === 'out' ? ev.ret : Infinity;
        for (let k = 0; k < count && budget > 0; k++) {
          const e = mem.readBytes(addr + 16 * k, 16);
          if (e === null) break;
          const len = Math.min(u64(e, 8), budget);
          if (want === 'out') budget -= len;
          if (len > 0) out.push({ addr: u64(e, 0), len, arg: i });
        }
        break;
      }
    }
  }
  return out;
}

/** The guest memory the kernel reads for this call (valid at entry: read it before the call). */
export function inputRegions(ev: SyscallEvent, mem: GuestMemoryReader): Region[] {
  return collect(ev, mem, 'in');
}

/** The guest memory the kernel wrote for this finished call (nothing for a failed call, except
 *  what a rule says is written on interruption). */
export function outputRegions(ev: SyscallEvent, mem: GuestMemoryReader): Region[] {
  return collect(ev, mem, 'out');
}
