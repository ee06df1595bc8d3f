// File-system decoders that need more than a plain argument kind.

import { argUint } from '../../trace/event.js';
import type { U64 } from '../../trace/event.js';
import { argAddr, failed, printOpenFlags, type StructSpec } from '../arg-kinds.js';
import { i64, i64dec, u16, u32, u64, u64dec, u64x } from '../bytes.js';
import { FS_MAGICS, RESOLVE_FLAGS, STATFS_FLAGS, UTIME_NOW, UTIME_OMIT } from '../constants/fs.js';
import { AT_FLAGS, O_CREAT, O_TMPFILE_BIT } from '../constants/open.js';
import { AT_STATX_SYNC_TYPE, STATX_SYNC_TYPES } from '../constants/stat.js';
import { printAddr, printPath, printStructTail } from '../strings.js';
import type { ArgSpec, Call } from '../types.js';
import { hex, oct, printFlags, printXval } from '../xlat.js';
import { printSymbolicMode } from '../structs.js';

/** Header size of struct linux_dirent64 (d_ino, d_off, d_reclen, d_type). */
const DIRENT64_HEADER = 19;
/** Header size of the old struct linux_dirent (d_ino, d_off, d_reclen). */
const DIRENT_HEADER = 18;

/**
 * getdents64's (and getdents') buffer as strace abbreviates it: `0x… /* 4 entries *\/` counted
 * by walking the d_reclen chain of the bytes returned; the address alone on failure.
 */
function direntsOf(name: string, header: number, kind: string): ArgSpec {
  return {
    name,
    kind,
    dir: 'out',
    mem: { kind: 'buffer', dir: 'out', size: { ret: true, cap: 2 } },
    fmt: (c, i) => {
      const addr = argAddr(c.ev.args, i);
      const count = argUint(c.ev.args, 2);
      if (failed(c) || c.ev.ret > count || typeof addr === 'bigint') return printAddr(addr);
      let len = c.ev.ret;
      let p = addr;
      let n = 0;
      let note = '';
      for (;;) {
        if (len < header) break;
        const h = c.mem.readBytes(p, header);
        if (h === null) break;
        n++;
        const reclen = u16(h, 16);
        if (reclen > len) {
          note = ' /* d_reclen ' + (reclen - len) + ' bytes overflow */';
          len = 0;
          break;
        }
        if (reclen < header) {
          note = ' /* d_reclen ' + (header - reclen) + ' bytes underflow */';
          len -= header;
          break;
        }
        len -= reclen;
        p += reclen;
        if (len === 0) break;
      }
      return printAddr(addr) + note + ' /* ' + n + (len ? '+' : '') + ' entries */';
    },
  };
}

export const dirents64 = (name: string): ArgSpec => direntsOf(name, DIRENT64_HEADER, 'dirent64[]');

export const dirents = (name: string): ArgSpec => direntsOf(name, DIRENT_HEADER, 'dirent[]');

/** getcwd's buffer: the path (of ret - 1 bytes) on success. */
export const cwdBuf = (name: string): ArgSpec => ({
  name,
  kind: 'path',
  dir: 'out',
  mem: { kind: 'buffer', dir: 'out', size: { ret: true, cap: 1 } },
  fmt: (c, i) => {
    const addr = argAddr(c.ev.args, i);
    return failed(c) ? printAddr(addr) : printPath(c, addr, Math.max(0, c.ev.ret - 1));
  },
});

/** statx's flags: the sync type first (`AT_STATX_SYNC_AS_STAT`), then the AT_* flags. */
export const statxFlags = (name: string): ArgSpec => ({
  name,
  kind: 'flags',
  dir: 'in',
  fmt: (c, i) => {
    const v = argUint(c.ev.args, i);
    let s = printFlags(STATX_SYNC_TYPES, v & AT_STATX_SYNC_TYPE);
    const rest = (v & ~AT_STATX_SYNC_TYPE) >>> 0;
    if (rest !== 0) s += '|' + printFlags(AT_FLAGS, rest);
    return s;
  },
});

// ---------------------------------------------------------------- times of files

/** strace's sprinttime_ex, in UTC: `2001-09-09T01:46:40.123456789+0000`, the fraction printed
 *  `width` digits wide when not zero; undefined for the epoch itself or a fraction out of range
 *  (no comment then). */
export function timeText(sec: bigint, part: bigint, maxPart: bigint, width: number): string | undefined {
  if ((sec === 0n && part === 0n) || part < 0n || part > maxPart) return undefined;
  const ms = Number(sec) * 1000;
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return undefined;
  const iso = new Date(ms).toISOString(); // 2001-09-09T01:46:40.000Z
  const base = iso.slice(0, 19);
  return base + (part > 0n ? '.' + part.toString().padStart(width, '0') : '') + '+0000';
}

function comment(text: string | undefined): string {
  return text === undefined ? '' : ' /* ' + text + ' */';
}

function utimeTimespec(b: Uint8Array, off: number): string {
  const nsec = i64(b, off + 8);
  if (nsec === UTIME_NOW) return 'UTIME_NOW';
  if (nsec === UTIME_OMIT) return 'UTIME_OMIT';
  const sec = BigInt(i64dec(b, off));
  return '{tv_sec=' + i64dec(b, off) + ', tv_nsec=' + u64dec(b, off + 8) + '}' + comment(timeText(sec, BigInt(u64dec(b, off + 8)), 999999999n, 9));
}

function utimeTimeval(b: Uint8Array, off: number): string {
  const sec = BigInt(i64dec(b, off));
  return '{tv_sec=' + i64dec(b, off) + ', tv_usec=' + u64dec(b, off + 8) + '}' + comment(timeText(sec, BigInt(u64dec(b, off + 8)), 999999n, 6));
}

/** utimensat's struct timespec[2]: `[{tv_sec=…, tv_nsec=…} /* date *\/, UTIME_OMIT]`. */
export const UTIMENS_PAIR: StructSpec = {
  kind: 'timespec[2]',
  size: 32,
  print: (b) => '[' + utimeTimespec(b, 0) + ', ' + utimeTimespec(b, 16) + ']',
};

/** utimes' and futimesat's struct timeval[2]. */
export const UTIMES_PAIR: StructSpec = {
  kind: 'timeval[2]',
  size: 32,
  print: (b) => '[' + utimeTimeval(b, 0) + ', ' + utimeTimeval(b, 16) + ']',
};

/** utime's struct utimbuf: `{actime=… /* date *\/, modtime=…}`. */
export const UTIMBUF: StructSpec = {
  kind: 'utimbuf',
  size: 16,
  print: (b) =>
    '{actime=' + i64dec(b, 0) + comment(timeText(BigInt(i64dec(b, 0)), 0n, 0n, 0)) +
    ', modtime=' + i64dec(b, 8) + comment(timeText(BigInt(i64dec(b, 8)), 0n, 0n, 0)) + '}',
};

/** struct statfs (120 bytes), in full as strace prints it. */
export const STATFS: StructSpec = {
  kind: 'statfs',
  size: 120,
  print: (b) =>
    '{f_type=' + printXval(FS_MAGICS, u64x(b, 0)) +
    ', f_bsize=' + u64dec(b, 8) +
    ', f_blocks=' + u64dec(b, 16) +
    ', f_bfree=' + u64dec(b, 24) +
    ', f_bavail=' + u64dec(b, 32) +
    ', f_files=' + u64dec(b, 40) +
    ', f_ffree=' + u64dec(b, 48) +
    ', f_fsid={val=[' + hex(u32(b, 56)) + ', ' + hex(u32(b, 60)) + ']}' +
    ', f_namelen=' + u64dec(b, 64) +
    ', f_frsize=' + u64dec(b, 72) +
    ', f_flags=' + printFlags(STATFS_FLAGS, u64x(b, 80), 'ST_???') + '}',
};

/** A uid or gid argument: `-1` for "no change", else unsigned. */
export const uid = (name: string): ArgSpec => ({
  name,
  kind: 'uid',
  dir: 'in',
  fmt: (c, i) => {
    const v = argUint(c.ev.args, i);
    return v === 0xffffffff ? '-1' : String(v);
  },
});

/**
 * A loff_t the kernel reads through a pointer (sendfile, splice, copy_file_range): `[N]`, `NULL`.
 * With `updated`, what it holds after a call that moved data follows at exit: `[0] => [100]`
 * (sendfile).
 */
export const offsetPtr = (name: string, updated = false): ArgSpec => {
  const value = (c: Call, addr: U64): string => {
    // An address of 2^53 or more is never readable: printed exactly.
    if (typeof addr === 'bigint') return hex(addr);
    const b = c.opts.verbose ? c.mem.readBytes(addr, 8) : null;
    return b === null ? hex(addr) : '[' + i64dec(b, 0) + ']';
  };
  const spec: ArgSpec = {
    name,
    kind: 'loff_t*',
    dir: updated ? 'inout' : 'in',
    at: 'entry',
    mem: { kind: 'buffer', dir: updated ? 'inout' : 'in', size: { fixed: 8 } },
    fmt: (c, i) => {
      const addr = argAddr(c.ev.args, i);
      return addr === 0 ? 'NULL' : value(c, addr);
    },
  };
  if (!updated) return spec;
  return {
    ...spec,
    suffix: (c, i) => {
      const addr = argAddr(c.ev.args, i);
      return addr === 0 || failed(c) || c.ev.ret === 0 || !c.opts.verbose ? '' : ' => ' + value(c, addr);
    },
  };
};

/** openat2's struct open_how { flags, mode, resolve }. */
export const openHow = (name: string): ArgSpec => ({
  name,
  kind: 'open_how',
  dir: 'in',
  mem: (args) => ({ kind: 'buffer', dir: 'in', size: { fixed: Math.min(Math.max(argUint(args, 3), 0), 4096) } }),
  fmt: (c, i) => {
    const addr = argAddr(c.ev.args, i);
    const size = argUint(c.ev.args, 3);
    if (addr === 0) return 'NULL';
    if (size < 24 || typeof addr === 'bigint') return hex(addr);
    const b = c.mem.readBytes(addr, 24);
    if (b === null) return hex(addr);
    const flags = u64(b, 0);
    let s = '{flags=' + printOpenFlags(flags);
    // The mode when the flags use it, or when it is not 0 (print_open_how).
    const mode = u64x(b, 8);
    if (flags & (O_CREAT | O_TMPFILE_BIT) || (mode !== 0 && mode !== 0n)) s += ', mode=' + oct(mode);
    return s + ', resolve=' + printFlags(RESOLVE_FLAGS, u64x(b, 16), 'RESOLVE_???') + printStructTail(c, addr, 24, size) + '}';
  },
});

/** mknod's mode and, for device nodes, the device: `S_IFIFO|0600`, `S_IFCHR|0600, makedev(0x1, 0x3)`. */
export function mknodArgs(modeArg: number): ArgSpec[] {
  const isDevice = (args: Int32Array): boolean => {
    const t = argUint(args, modeArg) & 0o170000;
    return t === 0o020000 || t === 0o060000;
  };
  return [
    { name: 'mode', kind: 'mode', dir: 'in', fmt: (c, i) => printSymbolicMode(argUint(c.ev.args, i) & 0xffff) },
    {
      name: 'dev',
      kind: 'dev',
      dir: 'in',
      show: isDevice,
      fmt: (c, i) => {
        const dev = argUint(c.ev.args, i);
        return 'makedev(' + hex(((dev >>> 8) & 0xfff) >>> 0) + ', ' + hex(((dev & 0xff) | ((dev >>> 12) & ~0xff)) >>> 0) + ')';
      },
    },
  ];
}
