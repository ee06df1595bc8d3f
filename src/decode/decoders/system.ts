// System-level calls' structures: file handles (name_to_handle_at, open_by_handle_at), kexec
// segments, landlock rules.

import { argUint, argUlong, argExact } from '../../trace/event.js';
import type { U64 } from '../../trace/event.js';
import { argAddr, printStruct, type StructSpec } from '../arg-kinds.js';
import { printArray } from '../arrays.js';
import { i32, u32, u64, u64dec, u64x } from '../bytes.js';
import { KEXEC_ARCHES, KEXEC_LOAD_FLAGS, LANDLOCK_ACCESS_FS } from '../constants/system.js';
import { printFd } from '../fds.js';
import { escapeBytes, printAddr } from '../strings.js';
import type { ArgSpec, Call } from '../types.js';
import { hex, printFlags, printXval } from '../xlat.js';

// ---------------------------------------------------------------- file handles

const MAX_HANDLE_SZ = 128;
const HANDLE_HEADER = 8;

/** The handle's bytes in hex, `...` past MAX_HANDLE_SZ; `???` when unreadable. */
function handleBytes(c: Call, addr: U64, bytes: number): string {
  // An address of 2^53 or more is never readable: printed exactly.
  if (typeof addr === 'bigint') return hex(addr);
  const len = Math.min(bytes, MAX_HANDLE_SZ);
  const b = c.mem.readBytes(addr + HANDLE_HEADER, len);
  if (b === null) return '???';
  return '"' + escapeBytes(b, len, true) + '"' + (bytes > len ? '...' : '');
}

/** open_by_handle_at's struct file_handle: `{handle_bytes=8, handle_type=1, f_handle="\x…"}`. */
export const fileHandleIn = (name: string): ArgSpec => ({
  name,
  kind: 'file_handle',
  dir: 'in',
  mem: { kind: 'buffer', dir: 'in', size: { fixed: HANDLE_HEADER } },
  fmt: (c, i) => {
    const addr = argAddr(c.ev.args, i);
    const h: StructSpec = {
      kind: 'file_handle',
      size: HANDLE_HEADER,
      print: (b) => '{handle_bytes=' + u32(b, 0) + ', handle_type=' + i32(b, 4) + ', f_handle=' + handleBytes(c, addr, u32(b, 0)) + '}',
    };
    return printStruct(c, addr, h);
  },
});

/**
 * name_to_handle_at's handle: its handle_bytes read at entry, and at exit what the kernel made of
 * it (`{handle_bytes=128 => 8, handle_type=1, f_handle="\x…"}`); the address when unreadable.
 */
export const fileHandleOut = (name: string): ArgSpec => ({
  name,
  kind: 'file_handle',
  dir: 'inout',
  at: 'exit',
  mem: { kind: 'buffer', dir: 'inout', size: { fixed: HANDLE_HEADER } },
  capture: (c, i) => {
    const addr = argAddr(c.ev.args, i);
    const b = addr === 0 || typeof addr === 'bigint' || !c.opts.verbose ? null : c.mem.readBytes(addr, 4);
    return b === null ? undefined : u32(b, 0);
  },
  fmt: (c, i) => {
    const addr = argAddr(c.ev.args, i);
    const given = c.captured?.[i];
    if (given === undefined || typeof addr === 'bigint') return printAddr(addr);
    let s = '{handle_bytes=' + given;
    const overflow = c.ev.errno === 75; // EOVERFLOW: the size needed is written back
    const h = c.ev.errno === 0 || overflow ? c.mem.readBytes(addr, HANDLE_HEADER) : null;
    if (h !== null) {
      if (u32(h, 0) !== given) s += ' => ' + u32(h, 0);
      if (c.ev.errno === 0) s += ', handle_type=' + i32(h, 4) + ', f_handle=' + handleBytes(c, addr, u32(h, 0));
    }
    return s + '}';
  },
});

// ---------------------------------------------------------------- kexec

const KEXEC_SEGMENT_MAX = 16;
const KEXEC_ARCH_MASK = 0xffff0000;

/** kexec_load's segments: `[{buf=…, bufsz=…, mem=…, memsz=…}]`. */
export const kexecSegments = (name: string): ArgSpec => ({
  name,
  kind: 'kexec_segment[]',
  dir: 'in',
  fmt: (c, i) => {
    const addr = argAddr(c.ev.args, i);
    const n = argUlong(c.ev.args, 1);
    if (n > KEXEC_SEGMENT_MAX) return printAddr(addr);
    return printArray(c, addr, n, 32, (b) =>
      '{buf=' + printAddr(u64x(b, 0)) + ', bufsz=' + u64dec(b, 8) + ', mem=' + printAddr(u64x(b, 16)) + ', memsz=' + u64dec(b, 24) + '}',
    );
  },
});

/** kexec_load's flags: the architecture, then the KEXEC_* flags. */
export const kexecFlags = (name: string): ArgSpec => ({
  name,
  kind: 'flags',
  dir: 'in',
  fmt: (c, i) => {
    const v = argExact(c.ev.args, i);
    const arch = (argUint(c.ev.args, i) & KEXEC_ARCH_MASK) >>> 0;
    const rest = typeof v === 'bigint' ? v - BigInt(arch) : v - arch;
    return printXval(KEXEC_ARCHES, arch, 'KEXEC_ARCH_???') + (rest ? '|' + printFlags(KEXEC_LOAD_FLAGS, rest, 'KEXEC_???') : '');
  },
});

// ---------------------------------------------------------------- landlock

/** landlock_create_ruleset's attributes, `size` (argument 1) bytes. */
export const landlockRulesetAttr = (name: string): ArgSpec => ({
  name,
  kind: 'landlock_ruleset_attr',
  dir: 'in',
  mem: { kind: 'buffer', dir: 'in', size: { fixed: 8 } },
  fmt: (c, i) => {
    const addr = argAddr(c.ev.args, i);
    const size = argUlong(c.ev.args, 1);
    if (size < 8) return printAddr(addr);
    const attr: StructSpec = {
      kind: 'landlock_ruleset_attr',
      size: 8,
      print: (b) => '{handled_access_fs=' + printFlags(LANDLOCK_ACCESS_FS, u64x(b, 0), 'LANDLOCK_ACCESS_FS_???') + (size > 8 ? ', ...' : '') + '}',
    };
    return printStruct(c, addr, attr);
  },
});

/** landlock_add_rule's rule: a path-beneath rule by field, anything else as its address. */
export const landlockRule = (name: string): ArgSpec => ({
  name,
  kind: 'landlock_rule',
  dir: 'in',
  fmt: (c, i) => {
    const addr = argAddr(c.ev.args, i);
    if (argUint(c.ev.args, 1) !== 1) return printAddr(addr);
    const rule: StructSpec = {
      kind: 'landlock_path_beneath_attr',
      size: 12,
      print: (b) =>
        '{allowed_access=' + printFlags(LANDLOCK_ACCESS_FS, u64x(b, 0), 'LANDLOCK_ACCESS_FS_???') + ', parent_fd=' + printFd(c, i32(b, 8)) + '}',
    };
    return printStruct(c, addr, rule);
  },
});

// ---------------------------------------------------------------- aio

/** io_setup's context, written by the kernel: `[0x7f…]`, `[NULL]`. */
export const AIO_CONTEXT: StructSpec = { kind: 'aio_context_t', size: 8, print: (b) => '[' + printAddr(u64x(b, 0)) + ']' };
