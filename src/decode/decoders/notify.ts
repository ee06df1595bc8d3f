// memfd_create's name and flags, fanotify's class and directory arguments.

import { argInt, argUint } from '../../trace/event.js';
import { argAddr } from '../arg-kinds.js';
import { FAN_CLASSES, FAN_INIT_FLAGS, MEMFD_FLAGS } from '../constants/notify.js';
import { printDirFd } from '../fds.js';
import { printStringN } from '../strings.js';
import { styled } from '../style.js';
import type { ArgSpec } from '../types.js';
import { hex, printFlags, printXval } from '../xlat.js';

/** MFD_NAME_MAX_LEN + 1: the longest name the kernel takes, with its NUL. */
const MFD_NAME_LEN = 255 - 'memfd:'.length + 1;
const MFD_HUGE_SHIFT = 26;
const MFD_HUGE_MASK = (0x3f << MFD_HUGE_SHIFT) >>> 0;

export const memfdName = (name: string): ArgSpec => ({
  name,
  kind: 'string',
  dir: 'in',
  mem: { kind: 'cstring' },
  fmt: (c, i) => printStringN(c, argAddr(c.ev.args, i), MFD_NAME_LEN),
});

/** memfd_create's flags: `MFD_CLOEXEC|MFD_HUGETLB|21<<MFD_HUGE_SHIFT`. */
export const memfdFlags = (name: string): ArgSpec => ({
  name,
  kind: 'flags',
  dir: 'in',
  fmt: (c, i) => {
    const v = argUint(c.ev.args, i);
    if (v === 0) return '0';
    const huge = (v & MFD_HUGE_MASK) >>> 0;
    const rest = (v & ~MFD_HUGE_MASK) >>> 0;
    const parts: string[] = [];
    if (rest || !huge) parts.push(printFlags(MEMFD_FLAGS, rest, 'MFD_???'));
    if (huge) parts.push((huge >>> MFD_HUGE_SHIFT) + '<<MFD_HUGE_SHIFT');
    return styled(hex(v), parts.join('|'));
  },
});

/** FAN_CLASS_NOTIF | FAN_CLASS_CONTENT | FAN_CLASS_PRE_CONTENT. */
const FAN_ALL_CLASS_BITS = 0xc;

/** fanotify_init's flags: the class, then the other flags. */
export const fanotifyInitFlags = (name: string): ArgSpec => ({
  name,
  kind: 'flags',
  dir: 'in',
  fmt: (c, i) => {
    const v = argUint(c.ev.args, i);
    const rest = (v & ~FAN_ALL_CLASS_BITS) >>> 0;
    const cls = printXval(FAN_CLASSES, v & FAN_ALL_CLASS_BITS, 'FAN_CLASS_???');
    return rest ? cls + '|' + printFlags(FAN_INIT_FLAGS, rest, 'FAN_???') : cls;
  },
});

/** fanotify_mark's directory: `FAN_NOFD` (-1), else a directory descriptor. */
export const fanotifyDirfd = (name: string): ArgSpec => ({
  name,
  kind: 'dirfd',
  dir: 'in',
  fmt: (c, i) => {
    const v = argInt(c.ev.args, i);
    return v === -1 ? styled('-1', 'FAN_NOFD') : printDirFd(c, v);
  },
});
