// Struct printers (x86-64 layouts), abbreviated as strace prints them by default.

import type { StructSpec } from './arg-kinds.js';
import { i32, i64, i64dec, u16, u32, u64, u64dec, u64hex, u64x } from './bytes.js';
import { printCharArray } from './strings.js';
import { FD_PAIR_KIND, printFd } from './fds.js';
import { styled } from './style.js';
import { dateTimeNsecComment } from './times.js';
import { hex, oct, printFlags, printXval, xlookup } from './xlat.js';
import { FILE_TYPES, S_IFBLK, S_IFCHR, S_IFMT, STATX_ATTRS, STATX_MASKS, STATX_MODE, STATX_SIZE, STATX_TYPE } from './constants/stat.js';
import { maskSignalName, SA_FLAGS, SA_HANDLERS, SA_RESTORER } from './constants/signals.js';
import { LOCK_TYPES } from './constants/fcntl.js';
import { WHENCE } from './constants/open.js';
import {
  BAUD_RATES, CBAUD, CIBAUD, CSIZE, CSIZES, IBSHIFT, TERM_CFLAGS, TERM_IFLAGS, TERM_LFLAGS,
  TERM_OFLAG_DELAYS, TERM_OFLAGS,
} from './constants/termios.js';

/** strace's print_symbolic_mode_t: `S_IFREG|0644`, with S_ISUID/S_ISGID/S_ISVTX spelled out. */
export function printSymbolicMode(mode: number): string {
  const fmt = mode & S_IFMT;
  let ifmt = '';
  if (fmt !== 0) {
    const s = xlookup(FILE_TYPES, fmt);
    if (s === undefined) return oct(mode);
    ifmt = s + '|';
  }
  const symbolic =
    ifmt +
    (mode & 0o4000 ? 'S_ISUID|' : '') +
    (mode & 0o2000 ? 'S_ISGID|' : '') +
    (mode & 0o1000 ? 'S_ISVTX|' : '') +
    oct(mode & 0o777);
  return styled(oct(mode), symbolic);
}

/** glibc's major()/minor() of a 64-bit dev_t at `off`: `makedev(0x1, 0x3)` (-X raw: `0x103`). */
function printDev(b: Uint8Array, off: number): string {
  const hi = u32(b, off + 4);
  const lo = u32(b, off);
  const major = ((lo >>> 8) & 0xfff) | (hi & ~0xfff);
  const minor = (lo & 0xff) | ((lo >>> 12) & ~0xff);
  return styled(u64hex(b, off), 'makedev(' + hex(major >>> 0) + ', ' + hex(minor >>> 0) + ')');
}

/** A time_t field and its nanoseconds as strace -v prints them:
 *  `st_atime=1795801947 /* 2026-11-27T17:52:27.573356681+0000 *\/, st_atime_nsec=573356681`. */
function statTime(name: string, b: Uint8Array, off: number): string {
  const sec = i64(b, off);
  return name + '=' + i64dec(b, off) + dateTimeNsecComment(sec, u64x(b, off + 8)) + ', ' + name + '_nsec=' + u64dec(b, off + 8);
}

/** struct stat (144 bytes): `{st_mode=S_IFREG|0644, st_size=1234, ...}` (devices show st_rdev);
 *  unabbreviated (-v) every field. */
export const STAT: StructSpec = {
  kind: 'stat',
  size: 144,
  print(b, c) {
    const mode = u32(b, 24);
    const t = mode & S_IFMT;
    const second = t === S_IFCHR || t === S_IFBLK ? 'st_rdev=' + printDev(b, 40) : 'st_size=' + i64dec(b, 48);
    if (c.opts.abbreviate) return '{st_mode=' + printSymbolicMode(mode) + ', ' + second + ', ...}';
    return (
      '{st_dev=' + printDev(b, 0) + ', st_ino=' + u64dec(b, 8) + ', st_mode=' + printSymbolicMode(mode) +
      ', st_nlink=' + u64dec(b, 16) + ', st_uid=' + u32(b, 28) + ', st_gid=' + u32(b, 32) +
      ', st_blksize=' + i64dec(b, 56) + ', st_blocks=' + i64dec(b, 64) + ', ' + second +
      ', ' + statTime('st_atime', b, 72) + ', ' + statTime('st_mtime', b, 88) + ', ' + statTime('st_ctime', b, 104) + '}'
    );
  },
};

/** struct statx (256 bytes), abbreviated. */
export const STATX: StructSpec = {
  kind: 'statx',
  size: 256,
  print(b) {
    const mask = u32(b, 0);
    const parts = [
      'stx_mask=' + printFlags(STATX_MASKS, mask, 'STATX_???'),
      'stx_attributes=' + printFlags(STATX_ATTRS, u64x(b, 8), 'STATX_ATTR_???'),
    ];
    if (mask & (STATX_TYPE | STATX_MODE)) parts.push('stx_mode=' + printSymbolicMode(u16(b, 28)));
    if (mask & STATX_SIZE) parts.push('stx_size=' + u64dec(b, 40));
    parts.push('...');
    return '{' + parts.join(', ') + '}';
  },
};

/** strace's print_rlim64_t: `RLIM64_INFINITY`, `8192*1024` for multiples of 1024, else decimal. */
function printRlim(b: Uint8Array, off: number): string {
  const hi = u32(b, off + 4);
  const lo = u32(b, off);
  const raw = u64dec(b, off);
  if (hi === 0xffffffff && lo === 0xffffffff) return styled(raw, 'RLIM64_INFINITY');
  if ((lo & 1023) === 0 && (hi !== 0 || lo > 1024)) {
    const v = (BigInt(hi) << 32n) | BigInt(lo);
    return styled(raw, (v / 1024n).toString() + '*1024');
  }
  return raw;
}

/** struct rlimit64 (16 bytes). */
export const RLIMIT: StructSpec = {
  kind: 'rlimit',
  size: 16,
  print: (b) => '{rlim_cur=' + printRlim(b, 0) + ', rlim_max=' + printRlim(b, 8) + '}',
};

/** struct utsname (6 × 65 bytes), abbreviated after the node name unless -v. */
const UTSNAME_FIELDS = ['sysname', 'nodename', 'release', 'version', 'machine', 'domainname'];
export const UTSNAME: StructSpec = {
  kind: 'utsname',
  size: 390,
  print: (b, c) => {
    const shown = c.opts.abbreviate ? 2 : UTSNAME_FIELDS.length;
    const fields = UTSNAME_FIELDS.slice(0, shown).map((name, k) => name + '=' + printCharArray(b.subarray(65 * k, 65 * k + 65)));
    return '{' + fields.join(', ') + (c.opts.abbreviate ? ', ...}' : '}');
  },
};

/** struct timespec (16 bytes): `{tv_sec=1, tv_nsec=500}`. */
export const TIMESPEC: StructSpec = {
  kind: 'timespec',
  size: 16,
  print: (b) => '{tv_sec=' + i64dec(b, 0) + ', tv_nsec=' + u64dec(b, 8) + '}',
};

/** struct timeval (16 bytes). */
export const TIMEVAL: StructSpec = {
  kind: 'timeval',
  size: 16,
  print: (b) => '{tv_sec=' + i64dec(b, 0) + ', tv_usec=' + u64dec(b, 8) + '}',
};

/** struct timezone (8 bytes). */
export const TIMEZONE: StructSpec = {
  kind: 'timezone',
  size: 8,
  print: (b) => '{tz_minuteswest=' + i32(b, 0) + ', tz_dsttime=' + i32(b, 4) + '}',
};

/** struct sysinfo (112 bytes), printed in full as strace does. */
export const SYSINFO: StructSpec = {
  kind: 'sysinfo',
  size: 112,
  print: (b) =>
    '{uptime=' + u64dec(b, 0) +
    ', loads=[' + u64dec(b, 8) + ', ' + u64dec(b, 16) + ', ' + u64dec(b, 24) + ']' +
    ', totalram=' + u64dec(b, 32) +
    ', freeram=' + u64dec(b, 40) +
    ', sharedram=' + u64dec(b, 48) +
    ', bufferram=' + u64dec(b, 56) +
    ', totalswap=' + u64dec(b, 64) +
    ', freeswap=' + u64dec(b, 72) +
    ', procs=' + u16(b, 80) +
    ', totalhigh=' + u64dec(b, 88) +
    ', freehigh=' + u64dec(b, 96) +
    ', mem_unit=' + u32(b, 104) + '}',
};

/** struct winsize (8 bytes). */
export const WINSIZE: StructSpec = {
  kind: 'winsize',
  size: 8,
  print: (b) =>
    '{ws_row=' + u16(b, 0) + ', ws_col=' + u16(b, 2) + ', ws_xpixel=' + u16(b, 4) + ', ws_ypixel=' + u16(b, 6) + '}',
};

function printOflag(v: number): string {
  const parts: string[] = [];
  for (const d of TERM_OFLAG_DELAYS) {
    parts.push(printXval(d.table, v & d.mask, d.dflt));
    v &= ~d.mask;
  }
  parts.push(printFlags(TERM_OFLAGS, v >>> 0));
  return parts.join('|');
}

function printCflag(v: number): string {
  let s = printXval(BAUD_RATES, v & CBAUD, 'B???') + '|';
  if (v & CIBAUD) s += printXval(BAUD_RATES, (v & CIBAUD) >>> IBSHIFT, 'B???') + '<<IBSHIFT|';
  s += printXval(CSIZES, v & CSIZE, 'CS?') + '|';
  return s + printFlags(TERM_CFLAGS, (v & ~(CBAUD | CIBAUD | CSIZE)) >>> 0);
}

function printTermFlags(iflag: number, oflag: number, cflag: number, lflag: number): string {
  return (
    'c_iflag=' + printFlags(TERM_IFLAGS, iflag) +
    ', c_oflag=' + printOflag(oflag) +
    ', c_cflag=' + printCflag(cflag) +
    ', c_lflag=' + printFlags(TERM_LFLAGS, lflag)
  );
}

/** The kernel's struct termios (36 bytes), abbreviated: the four flag words, then `...`. */
export const TERMIOS: StructSpec = {
  kind: 'termios',
  size: 36,
  print: (b) => '{' + printTermFlags(u32(b, 0), u32(b, 4), u32(b, 8), u32(b, 12)) + ', ...}',
};

/** struct termio (18 bytes), abbreviated. */
export const TERMIO: StructSpec = {
  kind: 'termio',
  size: 18,
  print: (b) => '{' + printTermFlags(u16(b, 0), u16(b, 2), u16(b, 4), u16(b, 6)) + ', ...}',
};

/** struct flock (32 bytes) of F_SETLK/F_SETLKW; `withPid` for F_GETLK. */
export function flockSpec(withPid: boolean): StructSpec {
  return {
    kind: 'flock',
    size: 32,
    print: (b) =>
      '{l_type=' + printXval(LOCK_TYPES, (u16(b, 0) << 16) >> 16, 'F_???') +
      ', l_whence=' + printXval(WHENCE, (u16(b, 2) << 16) >> 16, 'SEEK_???') +
      ', l_start=' + i64dec(b, 8) +
      ', l_len=' + i64dec(b, 16) +
      (withPid ? ', l_pid=' + i32(b, 24) : '') + '}',
  };
}

/**
 * strace's sprintsigmask_n over `bytes` bytes of a signal mask: `[INT TERM]`, or `~[KILL STOP]`
 * when 2/3 or more of the bits are set.
 */
export function printSigmask(b: Uint8Array, bytes: number): string {
  const words = Math.ceil(Math.min(bytes, 8) / 4);
  const w = [0, 0];
  for (let j = 0; j < words; j++) w[j] = u32(b, 4 * j);
  let pop = 0;
  for (let j = 0; j < words; j++) for (let v = w[j]; v !== 0; v &= v - 1) pop++;
  let prefix = '';
  if (pop >= Math.floor((words * 32 * 2) / 3)) {
    prefix = '~';
    for (let j = 0; j < words; j++) w[j] = ~w[j] >>> 0;
  }
  const names: string[] = [];
  for (let bit = 0; bit < words * 32; bit++) {
    if ((w[bit >> 5] >>> (bit & 31)) & 1) {
      const n = maskSignalName(bit + 1);
      if (n !== undefined) names.push(styled(String(bit + 1), n));
    }
  }
  return prefix + '[' + names.join(' ') + ']';
}

/** struct sigaction as the kernel takes it (32 bytes on x86-64). */
export const SIGACTION: StructSpec = {
  kind: 'sigaction',
  size: 32,
  print(b) {
    const hhi = u32(b, 4);
    const hlo = u32(b, 0);
    let handler: string;
    if (hhi === 0xffffffff && hlo === 0xffffffff) handler = 'SIG_ERR';
    else if (hhi === 0 && hlo <= 1) handler = printXval(SA_HANDLERS, hlo);
    else handler = u64hex(b, 0);
    const fl = u32(b, 8);
    let s = '{sa_handler=' + handler + ', sa_mask=' + printSigmask(b.subarray(24, 32), 8) +
      ', sa_flags=' + printFlags(SA_FLAGS, i64(b, 8), 'SA_???');
    if (fl & SA_RESTORER) {
      const r = u64(b, 16);
      s += ', sa_restorer=' + (r === 0 ? 'NULL' : u64hex(b, 16));
    }
    return s + '}';
  },
};

/** A single kernel-long pointer value read from memory: `[0x7f…]` (arch_prctl ARCH_GET_FS). */
export const KPTR: StructSpec = {
  kind: 'kptr',
  size: 8,
  print: (b) => '[' + u64hex(b, 0) + ']',
};

/** A time_t read from memory: `[1893456000]` (time's tloc). */
export const TIME_REF: StructSpec = {
  kind: 'time_t',
  size: 8,
  print: (b) => '[' + i64dec(b, 0) + ']',
};

/** An unsigned int read from memory: `[0]` (getcpu's cpu and node). */
export const UINT_REF: StructSpec = {
  kind: 'unsigned int',
  size: 4,
  print: (b) => '[' + u32(b, 0) + ']',
};

/** An int read from memory: `[5]`. */
export const INT_REF: StructSpec = {
  kind: 'int',
  size: 4,
  print: (b) => '[' + i32(b, 0) + ']',
};

/** int[2]: `[3, 4]`. */
export const INT_PAIR: StructSpec = {
  kind: 'int[2]',
  size: 8,
  print: (b) => '[' + i32(b, 0) + ', ' + i32(b, 4) + ']',
};

/** The two descriptors pipe and pipe2 return: `[3, 4]`, with -y `[3<pipe:[2]>, 4<pipe:[2]>]`. */
export const FD_PAIR: StructSpec = {
  kind: FD_PAIR_KIND,
  size: 8,
  print: (b, c) => '[' + printFd(c, i32(b, 0)) + ', ' + printFd(c, i32(b, 4)) + ']',
};

