// The socket calls (strace's net.c and msghdr.c): socket types and protocols, addresses with
// their in-out lengths (`[16 => 8]`), message headers, socket options.

import { argInt, argUint, argUlong, argExact } from '../../trace/event.js';
import type { U64 } from '../../trace/event.js';
import { argAddr, failed, printStruct, type StructSpec } from '../arg-kinds.js';
import { i32, u32, u64, u64dec } from '../bytes.js';
import { errnoName } from '../constants/errno.js';
import {
  GETSOCK_OPTIONS, INET_PROTOCOLS, IP_OPTIONS, IPV6_OPTIONS, MSG_FLAGS, NETLINK_OPTIONS, NETLINK_PROTOCOLS,
  SCM_TYPES, SETSOCK_OPTIONS, SOCK_OPTIONS, SOCK_TYPE_FLAGS, SOCK_TYPES, SOCKET_LEVELS, TCP_OPTIONS,
  UDP_OPTIONS,
} from '../constants/net.js';
import { printFd } from '../fds.js';
import { printArray } from '../arrays.js';
import { printAddr, printBuffer } from '../strings.js';
import type { ArgSpec, Call } from '../types.js';
import { hex, printFlags, printXval, xlookup, type Xlat } from '../xlat.js';
import { printIovec } from './iovec.js';
import { TIMESPEC } from '../structs.js';
import { AF_INET, AF_INET6, AF_NETLINK, printSockaddr } from './sockaddr.js';

const SOCK_TYPE_MASK = 0xf;

/** strace's tprint_sock_type: `SOCK_STREAM|SOCK_CLOEXEC`. */
export function printSockType(v: number): string {
  const name = xlookup(SOCK_TYPES, v & SOCK_TYPE_MASK);
  if (name === undefined) return printFlags(SOCK_TYPE_FLAGS, v, 'SOCK_???');
  const rest = (v & ~SOCK_TYPE_MASK) >>> 0;
  return rest === 0 ? printXval(SOCK_TYPES, v & SOCK_TYPE_MASK) : printXval(SOCK_TYPES, v & SOCK_TYPE_MASK) + '|' + printFlags(SOCK_TYPE_FLAGS, rest, 'SOCK_???');
}

export const sockType = (name: string): ArgSpec => ({
  name,
  kind: 'sock_type',
  dir: 'in',
  fmt: (c, i) => printSockType(argUint(c.ev.args, i)),
});

/** socket's protocol, named by the domain's table. */
export const sockProtocol = (name: string): ArgSpec => ({
  name,
  kind: 'protocol',
  dir: 'in',
  fmt: (c, i) => {
    const v = argExact(c.ev.args, i);
    switch (argUint(c.ev.args, 0)) {
      case AF_INET:
      case AF_INET6:
        return printXval(INET_PROTOCOLS, v, 'IPPROTO_???');
      case AF_NETLINK:
        return printXval(NETLINK_PROTOCOLS, v, 'NETLINK_???');
    }
    return String(v);
  },
});

/** A socket address the kernel reads, `lenArg` bytes long (bind, connect, sendto). */
export const sockaddrIn = (name: string, lenArg: number): ArgSpec => ({
  name,
  kind: 'sockaddr',
  dir: 'in',
  mem: (args) => ({ kind: 'buffer', dir: 'in', size: { fixed: Math.max(0, Math.min(argInt(args, lenArg), 128)) } }),
  fmt: (c, i) => printSockaddr(c, argAddr(c.ev.args, i), argInt(c.ev.args, lenArg)),
});

/** The int a length pointer holds, read at entry (strace's fetch_socklen). */
function readLen(c: Call, reg: number): number | undefined {
  const p = argAddr(c.ev.args, reg);
  const b = p === 0 || typeof p === 'bigint' || !c.opts.verbose ? null : c.mem.readBytes(p, 4);
  return b === null ? undefined : i32(b, 0);
}

/**
 * A socket address the kernel writes, with its in-out length in the next argument (accept,
 * getsockname, recvfrom): at exit the address of min(given, returned) bytes, or the address
 * alone when the call failed or no length was given.
 */
export const sockaddrOut = (name: string, lenArg: number): ArgSpec => ({
  name,
  kind: 'sockaddr',
  dir: 'out',
  capture: (c, i) => (argAddr(c.ev.args, i) === 0 ? undefined : readLen(c, lenArg)),
  fmt: (c, i) => {
    const addr = argAddr(c.ev.args, i);
    const given = c.captured?.[i];
    const got = given === undefined || failed(c) ? undefined : readLen({ ...c, exiting: false }, lenArg);
    if (given === undefined || got === undefined) return printAddr(addr);
    return printSockaddr(c, addr, Math.min(given, got));
  },
});

/** The in-out length after such an address: `[16]`, `[16 => 8]`, or the pointer. */
export const sockLen = (name: string, addrArg: number): ArgSpec => ({
  name,
  kind: 'socklen_t*',
  dir: 'inout',
  mem: { kind: 'buffer', dir: 'inout', size: { fixed: 4 } },
  fmt: (c, i) => {
    const given = c.captured?.[addrArg];
    if (given === undefined) return printAddr(argAddr(c.ev.args, i));
    const got = failed(c) ? undefined : readLen({ ...c, exiting: false }, i);
    if (got === undefined) return '[' + given + ']';
    return '[' + (given !== got ? given + ' => ' : '') + got + ']';
  },
});

/** send/recv flags. */
export const msgFlags = (name: string, at?: 'exit'): ArgSpec => ({
  name,
  kind: 'flags',
  dir: 'in',
  ...(at ? { at } : {}),
  fmt: (c, i) => printFlags(MSG_FLAGS, argUint(c.ev.args, i), 'MSG_???'),
});

/** recvfrom's buffer: the bytes received, at most its length. */
export const recvBuf = (name: string, lenArg: number): ArgSpec => ({
  name,
  kind: 'buf',
  dir: 'out',
  mem: { kind: 'buffer', dir: 'out', size: { ret: true, cap: lenArg } },
  fmt: (c, i) => {
    const addr = argAddr(c.ev.args, i);
    return failed(c) ? printAddr(addr) : printBuffer(c, addr, Math.min(c.ev.ret, argUlong(c.ev.args, lenArg)));
  },
});

// ---------------------------------------------------------------- msghdr

/** struct msghdr (56 bytes). */
const MSGHDR_SIZE = 56;
const CMSG_HEADER = 16;
/** The kernel's limit on control data (net.core.optmem_max's default, rounded to 8). */
const OPTMEM_MAX = 131072;
const SOL_SOCKET = 1;
const SCM_RIGHTS = 1;
const SCM_CREDENTIALS = 2;

function cmsgData(c: Call, level: number, type: number, data: Uint8Array): string {
  if (level !== SOL_SOCKET) return hex(type >>> 0);
  let s = printXval(SCM_TYPES, type >>> 0, 'SCM_???');
  if (type === SCM_RIGHTS && data.length >= 4) {
    const fds = Array.from({ length: data.length >> 2 }, (_, k) => printFd(c, i32(data, 4 * k)));
    s += ', cmsg_data=[' + fds.join(', ') + ']';
  } else if (type === SCM_CREDENTIALS && data.length >= 12) {
    s += ', cmsg_data={pid=' + i32(data, 0) + ', uid=' + u32(data, 4) + ', gid=' + u32(data, 8) + '}';
  }
  return s;
}

/** strace's decode_msg_control: the control messages, `[{cmsg_len=20, cmsg_level=SOL_SOCKET, …}]`. */
function printControl(c: Call, addr: U64, inLen: number): string {
  // An address of 2^53 or more is never readable: printed exactly.
  if (typeof addr === 'bigint') return hex(addr);
  const controlLen = Math.min(inLen, OPTMEM_MAX);
  const buf = controlLen < CMSG_HEADER ? null : c.mem.readBytes(addr, controlLen);
  if (buf === null) return printAddr(addr);
  const parts: string[] = [];
  let off = 0;
  let left = controlLen;
  while (left >= CMSG_HEADER) {
    const cmsgLen = u64(buf, off);
    const len = Math.min(cmsgLen, left);
    const data = buf.subarray(off + CMSG_HEADER, off + Math.max(len, CMSG_HEADER));
    parts.push(
      '{cmsg_len=' + u64dec(buf, off) + ', cmsg_level=' + printXval(SOCKET_LEVELS, u32(buf, off + 8), 'SOL_???') +
        ', cmsg_type=' + cmsgData(c, i32(buf, off + 8), i32(buf, off + 12), data) + '}',
    );
    if (len < CMSG_HEADER) {
      left -= CMSG_HEADER;
      break;
    }
    const step = Math.ceil(cmsgLen / 8) * 8;
    if (step >= left) {
      left = 0;
      break;
    }
    off += step;
    left -= step;
  }
  if (left) parts.push('... /* ' + hex(addr + controlLen - left) + ' */');
  else if (controlLen < inLen) parts.push('...');
  return '[' + parts.join(', ') + ']';
}

/** strace's print_struct_msghdr; `userNameLen` is msg_namelen as given (recvmsg), `dataSize`
 *  the bytes the iovecs carry (Infinity: all). */
function printMsghdr(c: Call, b: Uint8Array, userNameLen: number | undefined, dataSize: number): string {
  const nameLen = i32(b, 8);
  const shownLen = userNameLen !== undefined && nameLen > userNameLen ? userNameLen : nameLen;
  const controlLen = u64(b, 40);
  return (
    '{msg_name=' + printSockaddr(c, u64(b, 0), shownLen) +
    ', msg_namelen=' + (userNameLen !== undefined && userNameLen !== nameLen ? userNameLen + ' => ' : '') + nameLen +
    ', msg_iov=' + printIovec(c, u64(b, 16), u64(b, 24), dataSize, false) +
    ', msg_iovlen=' + u64dec(b, 24) +
    (controlLen ? ', msg_control=' + printControl(c, u64(b, 32), controlLen) : '') +
    ', msg_controllen=' + u64dec(b, 40) +
    ', msg_flags=' + printFlags(MSG_FLAGS, u32(b, 48), 'MSG_???') + '}'
  );
}

/** sendmsg's message, read at entry. */
export const msghdrIn = (name: string): ArgSpec => ({
  name,
  kind: 'msghdr',
  dir: 'in',
  mem: { kind: 'buffer', dir: 'in', size: { fixed: MSGHDR_SIZE } },
  fmt: (c, i) => {
    const addr = argAddr(c.ev.args, i);
    const b = addr === 0 || typeof addr === 'bigint' || !c.opts.verbose ? null : c.mem.readBytes(addr, MSGHDR_SIZE);
    return b === null ? printAddr(addr) : printMsghdr(c, b, undefined, Infinity);
  },
});

/** recvmsg's message: at exit, with the name length it was given; `{msg_namelen=16}` on failure. */
export const msghdrOut = (name: string): ArgSpec => ({
  name,
  kind: 'msghdr',
  dir: 'inout',
  mem: { kind: 'buffer', dir: 'inout', size: { fixed: MSGHDR_SIZE } },
  capture: (c, i) => {
    const addr = argAddr(c.ev.args, i);
    const b = addr === 0 || typeof addr === 'bigint' || !c.opts.verbose ? null : c.mem.readBytes(addr, MSGHDR_SIZE);
    return b === null ? undefined : i32(b, 8);
  },
  at: 'exit',
  fmt: (c, i) => {
    const addr = argAddr(c.ev.args, i);
    const given = c.captured?.[i];
    if (given === undefined) return printAddr(addr);
    if (failed(c)) return '{msg_namelen=' + given + '}';
    const b = typeof addr === 'bigint' ? null : c.mem.readBytes(addr, MSGHDR_SIZE);
    return b === null ? hex(addr) : printMsghdr(c, b, given, c.ev.ret);
  },
});

// ---------------------------------------------------------------- socket options

const SOL_IP = 0;
const SOL_TCP = 6;
const SOL_UDP = 17;
const SOL_IPV6 = 41;
const SOL_NETLINK = 270;
const SO_LINGER = 13;
const SO_ERROR = 4;
const SO_PEERCRED = 17;

/** The option names of a level, `SO_REUSEADDR`; a number for levels without a table. */
function printOptName(level: number, name: number, get: boolean): string {
  const tables: Record<number, [Xlat, string]> = {
    [SOL_SOCKET]: [[...SOCK_OPTIONS, ...(get ? GETSOCK_OPTIONS : SETSOCK_OPTIONS)], 'SO_???'],
    [SOL_IP]: [IP_OPTIONS, 'IP_???'],
    [SOL_IPV6]: [IPV6_OPTIONS, 'IPV6_???'],
    [SOL_TCP]: [TCP_OPTIONS, 'TCP_???'],
    [SOL_UDP]: [UDP_OPTIONS, 'UDP_???'],
    [SOL_NETLINK]: [NETLINK_OPTIONS, 'NETLINK_???'],
  };
  const t = tables[level];
  return t === undefined ? String(name) : printXval(t[0], name, t[1]);
}

export const sockLevel = (name: string): ArgSpec => ({
  name,
  kind: 'enum',
  dir: 'in',
  fmt: (c, i) => printXval(SOCKET_LEVELS, argUint(c.ev.args, i), 'SOL_??'),
});

export const sockOptName = (name: string, get: boolean): ArgSpec => ({
  name,
  kind: 'enum',
  dir: 'in',
  fmt: (c, i) => printOptName(argUint(c.ev.args, 1), argUint(c.ev.args, i), get),
});

const INT_VAL: StructSpec = { kind: 'int', size: 4, print: (b) => '[' + i32(b, 0) + ']' };
const LINGER: StructSpec = { kind: 'linger', size: 8, print: (b) => '{l_onoff=' + i32(b, 0) + ', l_linger=' + i32(b, 4) + '}' };
const SOCK_ERROR: StructSpec = {
  kind: 'int',
  size: 4,
  print: (b) => {
    const e = i32(b, 0);
    return '[' + (e === 0 ? '0' : (errnoName(e) ?? String(e))) + ']';
  },
};

/** A uid or gid as strace's printuid shows it: (uid_t) -1 as -1. */
const printId = (id: number): string => (id === -1 ? '-1' : String(id >>> 0));

/** struct ucred (SO_PEERCRED), or as much of it as the kernel wrote. */
function ucred(len: number): StructSpec {
  return {
    kind: 'ucred',
    size: Math.min(len, 12),
    print: (b) => '{pid=' + (i32(b, 0) >>> 0) + (len > 4 ? ', uid=' + printId(i32(b, 4)) : '') + (len > 8 ? ', gid=' + printId(i32(b, 8)) : '') + '}',
  };
}

/** An option value of `len` bytes: a linger, a ucred, an errno, an int, or the raw bytes
 *  (setsockopt's shorter than an int, or than a linger, as an address). */
function printOptVal(c: Call, level: number, name: number, addr: U64, len: number, setting: boolean): string {
  // An address of 2^53 or more is never readable: printed exactly.
  if (typeof addr === 'bigint') return hex(addr);
  if (addr === 0 || !c.opts.verbose) return printAddr(addr);
  if (level === SOL_SOCKET && name === SO_LINGER) {
    if (len >= 8) return printStruct(c, addr, LINGER);
    if (setting) return printAddr(addr);
  }
  if (level === SOL_SOCKET && name === SO_PEERCRED && !setting && (len >= 12 || len === 4 || len === 8)) return printStruct(c, addr, ucred(len));
  if (level === SOL_SOCKET && name === SO_ERROR && c.exiting && len >= 4) return printStruct(c, addr, SOCK_ERROR);
  if (len === 4) return printStruct(c, addr, INT_VAL);
  if (setting && len < 4) return printAddr(addr);
  return printBuffer(c, addr, len);
}

/** setsockopt's value, `optlen` bytes, read at entry. */
export const sockOptIn = (name: string): ArgSpec => ({
  name,
  kind: 'optval',
  dir: 'in',
  mem: (args) => ({ kind: 'buffer', dir: 'in', size: { fixed: Math.max(0, Math.min(argInt(args, 4), 4096)) } }),
  fmt: (c, i) => printOptVal(c, argUint(c.ev.args, 1), argUint(c.ev.args, 2), argAddr(c.ev.args, i), argInt(c.ev.args, 4), true),
});

/** getsockopt's value: at exit, as long as the kernel says it is. */
export const sockOptOut = (name: string): ArgSpec => ({
  name,
  kind: 'optval',
  dir: 'out',
  capture: (c) => readLen(c, 4),
  fmt: (c, i) => {
    const addr = argAddr(c.ev.args, i);
    const given = c.captured?.[i];
    const got = given === undefined || failed(c) ? undefined : readLen({ ...c, exiting: false }, 4);
    if (given === undefined || got === undefined) return printAddr(addr);
    if (given <= 0 || got <= 0) return printAddr(addr);
    return printOptVal(c, argUint(c.ev.args, 1), argUint(c.ev.args, 2), addr, got, false);
  },
});

/** struct mmsghdr: a msghdr and the bytes sent. */
const MMSGHDR_SIZE = 64;

/** sendmmsg's vector, printed at exit as it was sent: each message, with msg_len for the ones
 *  the call reports sent (none when it failed). */
export const mmsgvecIn = (name: string): ArgSpec => ({
  name,
  kind: 'mmsghdr[]',
  dir: 'in',
  at: 'exit',
  fmt: (c, i) => {
    // strace clears the error while printing: the kernel read the messages either way.
    const e: Call = { ...c, exiting: false };
    let sent = failed(c) ? 0 : c.ev.ret;
    return printArray(e, argAddr(c.ev.args, i), argUint(c.ev.args, 2), MMSGHDR_SIZE, (b) => {
      const len = sent-- > 0 ? ', msg_len=' + u32(b, 56) : '';
      return '{msg_hdr=' + printMsghdr(e, b, undefined, Infinity) + len + '}';
    });
  },
});

/** recvmmsg's vector at exit: the messages received (the call's result), each with its msg_len,
 *  the first one's name length as it was given. */
export const mmsgvecOut = (name: string): ArgSpec => ({
  name,
  kind: 'mmsghdr[]',
  dir: 'inout',
  at: 'exit',
  capture: (c, i) => {
    const addr = argAddr(c.ev.args, i);
    const b = addr === 0 || typeof addr === 'bigint' || !c.opts.verbose ? null : c.mem.readBytes(addr, MMSGHDR_SIZE);
    return b === null ? undefined : i32(b, 8);
  },
  fmt: (c, i) => {
    const addr = argAddr(c.ev.args, i);
    if (failed(c) || !c.opts.verbose) return printAddr(addr);
    let first = true;
    return printArray(c, addr, c.ev.ret, MMSGHDR_SIZE, (b) => {
      const given = first ? c.captured?.[i] : undefined;
      first = false;
      return '{msg_hdr=' + printMsghdr(c, b, given, u32(b, 56)) + ', msg_len=' + u32(b, 56) + '}';
    });
  },
});

/** recvmmsg's result: `0 (Timeout)`, or with a timeout the time left. */
export function recvmmsgRet(c: Call): string {
  const r = c.ev.ret;
  if (r === 0) return '0 (Timeout)';
  const ts = argAddr(c.ev.args, 4);
  if (ts === 0 || !c.opts.verbose) return String(r);
  return r + ' (left ' + (typeof ts === 'bigint' ? hex(ts) : printStruct(c, ts, TIMESPEC)) + ')';
}
