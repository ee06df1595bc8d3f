// Socket addresses as the kernel keeps them and as struct sockaddr_un / sockaddr_in /
// sockaddr_in6 carry them (uapi linux/un.h, linux/in.h, linux/in6.h).

export const AF_UNSPEC = 0;
export const AF_UNIX = 1;
export const AF_INET = 2;
export const AF_INET6 = 10;
/** Address families below this exist (NPROTO); socket() of one above is EAFNOSUPPORT. */
export const NPROTO = 46;

/** offsetof(struct sockaddr_un, sun_path) and sizeof(struct sockaddr_un). */
export const SUN_PATH_OFFSET = 2;
export const SOCKADDR_UN_SIZE = 110;
export const SOCKADDR_IN_SIZE = 16;
export const SOCKADDR_IN6_SIZE = 28;
/** RFC 2133's sockaddr_in6, without sin6_scope_id: the shortest one the kernel accepts. */
export const SIN6_LEN_RFC2133 = 24;
/** sizeof(struct sockaddr_storage): the most an address argument may hold. */
export const SOCKADDR_STORAGE_SIZE = 128;

/** A unix socket's name: sun_path's bytes (an abstract name starts with NUL; a path name has no
 *  trailing NUL here); empty when unnamed. */
export interface UnixAddress {
  family: typeof AF_UNIX;
  name: Uint8Array;
}

/** An IPv4 or IPv6 address and port. `ip` is always 16 bytes: IPv4 as ::ffff:a.b.c.d. */
export interface InetAddress {
  family: typeof AF_INET | typeof AF_INET6;
  ip: Uint8Array;
  port: number;
  flowinfo: number;
  scope: number;
}

export type SocketAddress = UnixAddress | InetAddress;

const V4_MAPPED_PREFIX = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff];

export function unixAddress(name: Uint8Array): UnixAddress {
  return { family: AF_UNIX, name };
}

/** An IPv4 address (4 bytes) as the 16-byte form. */
export function mappedV4(v4: Uint8Array): Uint8Array {
  return Uint8Array.from([...V4_MAPPED_PREFIX, ...v4]);
}

export function isV4Mapped(ip: Uint8Array): boolean {
  return V4_MAPPED_PREFIX.every((b, i) => ip[i] === b);
}

/** 0.0.0.0 (as ::ffff:0.0.0.0) or ::. */
export function isWildcard(ip: Uint8Array): boolean {
  return ip.every((b) => b === 0) || (isV4Mapped(ip) && ip.subarray(12).every((b) => b === 0));
}

/** 127.0.0.0/8 or ::1: the only addresses the emulated machine has (its loopback interface). */
export function isLoopback(ip: Uint8Array): boolean {
  if (isV4Mapped(ip)) return ip[12] === 127;
  return ip.subarray(0, 15).every((b) => b === 0) && ip[15] === 1;
}

export const INADDR_LOOPBACK = mappedV4(Uint8Array.of(127, 0, 0, 1));
export const IN6ADDR_LOOPBACK = Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1);

export function inetAddress(family: InetAddress['family'], ip: Uint8Array, port: number): InetAddress {
  return { family, ip, port, flowinfo: 0, scope: 0 };
}

/** A sockaddr_in (len >= 16 checked by the caller). */
export function parseSockaddrIn(raw: Uint8Array): InetAddress {
  return inetAddress(AF_INET, mappedV4(raw.subarray(4, 8)), (raw[2] << 8) | raw[3]);
}

/** A sockaddr_in6 (len >= 24 checked by the caller; the scope id only when present). */
export function parseSockaddrIn6(raw: Uint8Array): InetAddress {
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  return {
    family: AF_INET6,
    ip: raw.slice(8, 24),
    port: (raw[2] << 8) | raw[3],
    flowinfo: view.getUint32(4, false),
    scope: raw.length >= SOCKADDR_IN6_SIZE ? view.getUint32(24, true) : 0,
  };
}

/** The bytes of a sockaddr, as getsockname, getpeername, accept and recvfrom return it. */
export function encodeAddress(a: SocketAddress): Uint8Array {
  if (a.family === AF_UNIX) {
    // A path name comes back with its NUL (and the length counts it); an abstract one as bound.
    const pathName = a.name.length > 0 && a.name[0] !== 0;
    const out = new Uint8Array(SUN_PATH_OFFSET + a.name.length + (pathName ? 1 : 0));
    out[0] = AF_UNIX;
    out.set(a.name, SUN_PATH_OFFSET);
    return out;
  }
  const out = new Uint8Array(a.family === AF_INET ? SOCKADDR_IN_SIZE : SOCKADDR_IN6_SIZE);
  const view = new DataView(out.buffer);
  view.setUint16(0, a.family, true);
  view.setUint16(2, a.port, false);
  if (a.family === AF_INET) out.set(a.ip.subarray(12), 4);
  else {
    view.setUint32(4, a.flowinfo, false);
    out.set(a.ip, 8);
    view.setUint32(24, a.scope, true);
  }
  return out;
}

/** The same address as seen by a socket of `family` (an IPv6 socket sees IPv4 peers mapped). */
export function asFamily(a: InetAddress, family: InetAddress['family']): InetAddress {
  return a.family === family ? a : { ...a, family, flowinfo: 0, scope: 0 };
}

/** An IPv6 address as inet_ntop writes it: the longest run of two or more zero groups as `::`,
 *  a v4-mapped one as `::ffff:a.b.c.d`. */
function ipv6Text(ip: Uint8Array): string {
  if (isV4Mapped(ip)) return `::ffff:${ip.subarray(12).join('.')}`;
  const groups = Array.from({ length: 8 }, (_, k) => (ip[2 * k] << 8) | ip[2 * k + 1]);
  let best = -1;
  let bestLength = 1;
  for (let k = 0; k < 8; ) {
    let end = k;
    while (end < 8 && groups[end] === 0) end++;
    if (end - k > bestLength) [best, bestLength] = [k, end - k];
    k = end > k ? end : k + 1;
  }
  const hex = (from: number, to: number) => groups.slice(from, to).map((g) => g.toString(16)).join(':');
  return best < 0 ? hex(0, 8) : `${hex(0, best)}::${hex(best + bestLength, 8)}`;
}

/** `127.0.0.1:80` or `[::1]:80`, for strace -yy. */
export function inetText(a: InetAddress): string {
  if (a.family === AF_INET) return `${a.ip.subarray(12).join('.')}:${a.port}`;
  return `[${ipv6Text(a.ip)}]:${a.port}`;
}
