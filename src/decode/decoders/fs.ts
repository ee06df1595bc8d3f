// File-system decoders that need more than a plain argument kind.

import { argUint } from '../../trace/event.js';
import { argAddr, failed } from '../arg-kinds.js';
import { u16 } from '../bytes.js';
import { AT_FLAGS } from '../constants/open.js';
import { AT_STATX_SYNC_TYPE, STATX_SYNC_TYPES } from '../constants/stat.js';
import { printAddr, printPath } from '../strings.js';
import type { ArgSpec } from '../types.js';
import { printFlags } from '../xlat.js';

/** Header size of struct linux_dirent64 (d_ino, d_off, d_reclen, d_type). */
const DIRENT64_HEADER = 19;

/**
 * getdents64's buffer as strace abbreviates it: `0x… /* 4 entries *\/` counted by walking the
 * d_reclen chain of the bytes returned; the address alone on failure.
 */
export const dirents64 = (name: string): ArgSpec => ({
  name,
  kind: 'dirent64[]',
  dir: 'out',
  mem: { kind: 'buffer', dir: 'out', size: { ret: true, cap: 2 } },
  fmt: (c, i) => {
    const addr = argAddr(c.ev.args, i);
    const count = argUint(c.ev.args, 2);
    if (failed(c) || c.ev.ret > count) return printAddr(addr);
    let len = c.ev.ret;
    let p = addr;
    let n = 0;
    let note = '';
    for (;;) {
      if (len < DIRENT64_HEADER) break;
      const h = c.mem.readBytes(p, DIRENT64_HEADER);
      if (h === null) break;
      n++;
      const reclen = u16(h, 16);
      if (reclen > len) {
        note = ' /* d_reclen ' + (reclen - len) + ' bytes overflow */';
        len = 0;
        break;
      }
      if (reclen < DIRENT64_HEADER) {
        note = ' /* d_reclen ' + (DIRENT64_HEADER - reclen) + ' bytes underflow */';
        len -= DIRENT64_HEADER;
        break;
      }
      len -= reclen;
      p += reclen;
      if (len === 0) break;
    }
    return printAddr(addr) + note + ' /* ' + n + (len ? '+' : '') + ' entries */';
  },
});

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
