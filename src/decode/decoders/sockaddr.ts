// Socket addresses as strace prints them (its sockaddr.c): AF_UNIX, AF_INET, AF_INET6 and
// AF_NETLINK by field; other families as their raw sa_data.

import { i32, u16, u32 } from '../bytes.js';
import type { U64 } from '../../trace/event.js';
import { ADDRESS_FAMILIES } from '../constants/net.js';
import { escapeBytes, printAddr } from '../strings.js';
import type { Call } from '../types.js';
import { hex, printXval } from '../xlat.js';

export const AF_UNIX = 1;
export const AF_INET = 2;
export const AF_INET6 = 10;
export const AF_NETLINK = 16;

/** sizeof(struct sockaddr_storage): the most strace reads. */
const SOCKADDR_STORAGE = 128;
/** The family field before the address proper. */
const FAMILY_SIZE = 2;

const quoted = (b: Uint8Array, n: number): string => '"' + escapeBytes(b, n) + '"';

/** Network byte order. */
const ntohs = (b: Uint8Array, off: number): number => (b[off] << 8) | b[off + 1];

function unixPath(b: Uint8Array, len: number): string {
  const pathLen = Math.min(len, 110) - FAMILY_SIZE;
  if (b[2] !== 0) {
    // At most the path's bytes: a NUL-terminated string in pathLen + 1 bytes (QUOTE_0_TERMINATED).
    const path = b.subarray(2, 2 + pathLen);
    const nul = path.indexOf(0);
    return 'sun_path=' + quoted(path, nul < 0 ? path.length : nul);
  }
  // An abstract socket: a leading NUL, then bytes that may include NULs.
  return 'sun_path=@' + quoted(b.subarray(3), Math.max(0, pathLen - 1));
}

function inet(b: Uint8Array): string {
  return 'sin_port=htons(' + ntohs(b, 2) + '), sin_addr=inet_addr("' + b[4] + '.' + b[5] + '.' + b[6] + '.' + b[7] + '")';
}

/** glibc's inet_ntop for AF_INET6: the longest run of two or more zero groups as `::`, an
 *  IPv4-compatible or IPv4-mapped tail in dotted form. */
export function ipv6Text(a: Uint8Array): string {
  const words = Array.from({ length: 8 }, (_, k) => (a[2 * k] << 8) | a[2 * k + 1]);
  let best = { base: -1, len: 0 };
  let cur = { base: -1, len: 0 };
  for (let k = 0; k < 8; k++) {
    if (words[k] === 0) {
      cur = cur.base === -1 ? { base: k, len: 1 } : { base: cur.base, len: cur.len + 1 };
      if (cur.len > best.len) best = cur;
    } else cur = { base: -1, len: 0 };
  }
  if (best.len < 2) best = { base: -1, len: 0 };
  let out = '';
  for (let k = 0; k < 8; k++) {
    if (best.base !== -1 && k >= best.base && k < best.base + best.len) {
      if (k === best.base) out += ':';
      continue;
    }
    if (k !== 0) out += ':';
    if (k === 6 && best.base === 0 && (best.len === 6 || (best.len === 5 && words[5] === 0xffff))) {
      out += a[12] + '.' + a[13] + '.' + a[14] + '.' + a[15];
      break;
    }
    out += words[k].toString(16);
  }
  if (best.base !== -1 && best.base + best.len === 8) out += ':';
  return out;
}

/** The part of struct sockaddr_in6 before sin6_scope_id. */
const SIN6_MIN_LEN = 24;

function inet6(b: Uint8Array, len: number): string {
  const flow = ((b[4] << 24) | (b[5] << 16) | (b[6] << 8) | b[7]) >>> 0;
  let s =
    'sin6_port=htons(' + ntohs(b, 2) + '), sin6_flowinfo=htonl(' + flow + '), inet_pton(AF_INET6, "' +
    ipv6Text(b.subarray(8, 24)) + '", &sin6_addr)';
  if (len > SIN6_MIN_LEN) s += ', sin6_scope_id=' + u32(b, 24);
  return s;
}

function netlink(b: Uint8Array): string {
  const pad = u16(b, 2);
  const groups = u32(b, 8);
  // "%#08x": eight characters, the 0x included; a zero has no 0x.
  const g = groups === 0 ? '00000000' : '0x' + groups.toString(16).padStart(6, '0');
  return (pad ? 'nl_pad=' + hex(pad) + ', ' : '') + 'nl_pid=' + i32(b, 4) + ', nl_groups=' + g;
}

/** Per family: its printer and the least length it needs. */
const PRINTERS: Readonly<Record<number, { min: number; print: (b: Uint8Array, len: number) => string }>> = {
  [AF_UNIX]: { min: FAMILY_SIZE + 1, print: unixPath },
  [AF_INET]: { min: 16, print: inet },
  [AF_INET6]: { min: SIN6_MIN_LEN, print: inet6 },
  [AF_NETLINK]: { min: 12, print: netlink },
};

/** strace's print_sockaddr over `len` bytes (zero-padded past them). */
export function printSockaddrBytes(b: Uint8Array, len: number): string {
  const family = u16(b, 0);
  let s = '{sa_family=' + printXval(ADDRESS_FAMILIES, family, 'AF_???');
  if (len > FAMILY_SIZE) {
    const p = PRINTERS[family];
    s += ', ' + (p !== undefined && len >= p.min ? p.print(b, len) : 'sa_data=' + quoted(b.subarray(2), len - FAMILY_SIZE));
  }
  return s + '}';
}

/** strace's decode_sockaddr: the address of `len` bytes at `addr`, or the address alone when it
 *  is shorter than a family or unreadable. */
export function printSockaddr(c: Call, addr: U64, len: number): string {
  // An address of 2^53 or more is never readable: printed exactly.
  if (typeof addr === 'bigint') return hex(addr);
  if (len < FAMILY_SIZE || addr === 0) return printAddr(addr);
  if (!c.opts.verbose || (c.exiting && c.ev.errno !== 0)) return hex(addr);
  const n = Math.min(len, SOCKADDR_STORAGE);
  const b = c.mem.readBytes(addr, n);
  if (b === null) return hex(addr);
  const padded = new Uint8Array(SOCKADDR_STORAGE + 1);
  padded.set(b);
  return printSockaddrBytes(padded, n);
}
