// mount(2), swapon(2), and the new mount API's fsconfig(2) and mount_setattr(2).

import { argInt, argLong, argUint, argUlong, argExact } from '../../trace/event.js';
import { argAddr, printStruct, type StructSpec } from '../arg-kinds.js';
import { u64, u64dec, u64x } from '../bytes.js';
import { FSCONFIG_CMDS, MOUNT_ATTR_ATTR, MOUNT_ATTR_PROPAGATION, MOUNT_FLAGS, SWAP_FLAGS } from '../constants/mount.js';
import { printDirFd, printFd } from '../fds.js';
import { printAddr, printBuffer, printCString, printPath, printStringN } from '../strings.js';
import { styled } from '../style.js';
import type { ArgSpec } from '../types.js';
import { hex, printFlags, printXval } from '../xlat.js';

const MS_REMOUNT = 0x20;
/** MS_BIND | MS_MOVE | MS_SHARED | MS_PRIVATE | MS_SLAVE | MS_UNBINDABLE: no type, no data. */
const MS_NO_TYPE = 0x1000 | 0x2000 | 0x100000 | 0x40000 | 0x80000 | 0x20000;
/** The old magic number in the flags' upper half. */
const MS_MGC_VAL = 0xc0ed0000;
const MS_MGC_MSK = 0xffff0000;

function mountFlags(args: Int32Array): number {
  const v = argUint(args, 3);
  return (v & MS_MGC_MSK) >>> 0 === MS_MGC_VAL ? v & ~MS_MGC_MSK : v;
}

/** A string argument of mount, printed as an address where the flags make the kernel ignore it. */
const mountString = (name: string, ignored: (flags: number) => boolean): ArgSpec => ({
  name,
  kind: 'string',
  dir: 'in',
  fmt: (c, i) => {
    const addr = argAddr(c.ev.args, i);
    return ignored(mountFlags(c.ev.args)) ? printAddr(addr) : printCString(c, addr);
  },
});

/** mount's filesystem type: ignored (an address) on a remount, bind, move or propagation change. */
export const mountType = (name: string): ArgSpec => mountString(name, (f) => (f & (MS_REMOUNT | MS_NO_TYPE)) !== 0);

/** mount's flags, `MS_MGC_VAL|MS_RDONLY` when the old magic number is there. */
export const mountFlagsArg = (name: string): ArgSpec => ({
  name,
  kind: 'flags',
  dir: 'in',
  fmt: (c) => {
    const raw = argExact(c.ev.args, 3);
    const magic = (argUint(c.ev.args, 3) & MS_MGC_MSK) >>> 0 === MS_MGC_VAL;
    const flags = !magic ? raw : typeof raw === 'bigint' ? raw - BigInt(MS_MGC_VAL) : raw - MS_MGC_VAL;
    if (!magic) return printFlags(MOUNT_FLAGS, flags, 'MS_???');
    return styled(hex(MS_MGC_VAL), 'MS_MGC_VAL') + (flags ? '|' + printFlags(MOUNT_FLAGS, flags, 'MS_???') : '');
  },
});

/** mount's data: a string, ignored for binds, moves and propagation changes. */
export const mountData = (name: string): ArgSpec => mountString(name, (f) => !(f & MS_REMOUNT) && (f & MS_NO_TYPE) !== 0);

/** swapon's flags: SWAP_FLAG_* names, then the priority. */
export const swapFlags = (name: string): ArgSpec => ({
  name,
  kind: 'flags',
  dir: 'in',
  fmt: (c, i) => {
    const v = argUint(c.ev.args, i);
    const prio = v & 0x7fff;
    const flags = (v & ~0x7fff) >>> 0;
    return (flags ? printFlags(SWAP_FLAGS, flags, 'SWAP_FLAG_???') + '|' : '') + prio;
  },
});

// ---------------------------------------------------------------- fsconfig

const SET_STRING = 1;
const SET_BINARY = 2;
const SET_PATH = 3;
const SET_PATH_EMPTY = 4;
const SET_FD = 5;

export const fsconfigCmd = (name: string): ArgSpec => ({
  name,
  kind: 'enum',
  dir: 'in',
  fmt: (c, i) => printXval(FSCONFIG_CMDS, argUint(c.ev.args, i), 'FSCONFIG_???'),
});

/** fsconfig's key: a string for the FSCONFIG_SET_* commands. */
export const fsconfigKey = (name: string): ArgSpec => ({
  name,
  kind: 'string',
  dir: 'in',
  fmt: (c, i) => {
    const addr = argAddr(c.ev.args, i);
    return argUint(c.ev.args, 1) <= SET_FD ? printStringN(c, addr, 256) : printAddr(addr);
  },
});

/** fsconfig's value: a string, a path, bytes, or unused, by command. */
export const fsconfigValue = (name: string): ArgSpec => ({
  name,
  kind: 'fsconfig_value',
  dir: 'in',
  fmt: (c, i) => {
    const addr = argAddr(c.ev.args, i);
    const aux = argInt(c.ev.args, 4);
    switch (argUint(c.ev.args, 1)) {
      case SET_STRING:
        return printStringN(c, addr, 256);
      case SET_PATH:
      case SET_PATH_EMPTY:
        return printPath(c, addr);
      case SET_BINARY:
        if (aux >= 0 && aux <= 1024 * 1024) return printBuffer(c, addr, aux, true);
    }
    return printAddr(addr);
  },
});

/** fsconfig's aux: a directory for paths, a descriptor for FSCONFIG_SET_FD, else a number. */
export const fsconfigAux = (name: string): ArgSpec => ({
  name,
  kind: 'int',
  dir: 'in',
  fmt: (c, i) => {
    const aux = argInt(c.ev.args, i);
    switch (argUint(c.ev.args, 1)) {
      case SET_PATH:
      case SET_PATH_EMPTY:
        return printDirFd(c, aux);
      case SET_FD:
        return printFd(c, aux);
    }
    return String(aux);
  },
});

// ---------------------------------------------------------------- mount_setattr

const MOUNT_ATTR_IDMAP = 0x100000;
const MOUNT_ATTR_SIZE_VER0 = 32;

const MOUNT_ATTR: StructSpec = {
  kind: 'mount_attr',
  size: MOUNT_ATTR_SIZE_VER0,
  print: (b, c) => {
    const set = u64(b, 0);
    const clr = u64(b, 8);
    const userns = u64(b, 24);
    const idmap = ((set % 2 ** 32) | (clr % 2 ** 32)) & MOUNT_ATTR_IDMAP;
    return (
      '{attr_set=' + printFlags(MOUNT_ATTR_ATTR, set, 'MOUNT_ATTR_???') +
      ', attr_clr=' + printFlags(MOUNT_ATTR_ATTR, clr, 'MOUNT_ATTR_???') +
      ', propagation=' + printXval(MOUNT_ATTR_PROPAGATION, u64x(b, 16), 'MS_???') +
      ', userns_fd=' + (userns > 0x7fffffff || !idmap ? u64dec(b, 24) : printFd(c, userns)) + '}'
    );
  },
};

/** mount_setattr's struct mount_attr, `size` (argument 4) bytes. */
export const mountAttr = (name: string): ArgSpec => ({
  name,
  kind: 'mount_attr',
  dir: 'in',
  mem: { kind: 'buffer', dir: 'in', size: { fixed: MOUNT_ATTR_SIZE_VER0 } },
  fmt: (c, i) => {
    const addr = argAddr(c.ev.args, i);
    return argLong(c.ev.args, 4) < MOUNT_ATTR_SIZE_VER0 ? printAddr(addr) : printStruct(c, addr, MOUNT_ATTR);
  },
});
