// getsockopt and setsockopt: one table of options, each a plain integer (kept per socket with
// Linux's default) or a value computed from the socket (SO_TYPE, SO_ERROR, SO_PEERCRED...).
// Names and defaults from uapi asm-generic/socket.h, linux/tcp.h, linux/in.h, linux/in6.h and
// net/core/sock.c.
import { StructWriter } from '../context.js';
import { Errno } from '../errno.js';
import { AF_INET6, AF_UNIX } from './addresses.js';
import { HZ, SOCK_DGRAM, SOCK_STREAM, Socket } from './socket.js';

export const SOL_IP = 0;
export const SOL_SOCKET = 1;
export const SOL_TCP = 6;
export const SOL_UDP = 17;
export const SOL_IPV6 = 41;

const SO_SNDBUF = 7;
const SO_RCVBUF = 8;
const SO_LINGER = 13;
const SO_PEERCRED = 17;
const SO_RCVTIMEO_OLD = 20;
const SO_SNDTIMEO_OLD = 21;
const SO_RCVTIMEO_NEW = 66;
const SO_SNDTIMEO_NEW = 67;

/** net.core.wmem_max and rmem_max; the floors of SO_SNDBUF and SO_RCVBUF (SOCK_MIN_SNDBUF,
 *  SOCK_MIN_RCVBUF: 2048 bytes and an sk_buff). */
const WMEM_MAX = 212992;
const RMEM_MAX = 212992;
const SOCK_MIN_SNDBUF = 4608;
const SOCK_MIN_RCVBUF = 2304;
const INT_MAX = 0x7fffffff;
const USEC_PER_SEC = 1_000_000;
/** MAX_SCHEDULE_TIMEOUT / HZ: a timeout at least this long is no timeout. */
const MAX_TIMEOUT_SECONDS = Math.floor(0x7fffffffffffffff / HZ);

/** Which sockets an option exists on. */
type Applies = (s: Socket) => boolean;
const tcp: Applies = (s) => s.isInet && s.type === SOCK_STREAM;
const inet: Applies = (s) => s.isInet;
const inet6: Applies = (s) => s.domain === AF_INET6;

/** An option: a plain integer (`initial`, `bool` stores 0/1, `valid` else EINVAL), or computed. */
interface OptionSpec {
  level: number;
  name: number;
  applies?: Applies;
  initial?: number;
  bool?: boolean;
  valid?: (v: number) => boolean;
  /** Computed value: an int, or the bytes of a struct. */
  get?: (s: Socket) => number | Uint8Array;
  /** Computed store: 0 or -errno, from the option's bytes (at least `size` of them). */
  set?: (s: Socket, raw: Uint8Array) => number;
  /** The option cannot be set (getsockopt only): ENOPROTOOPT. */
  readOnly?: boolean;
  size?: number;
}

function int32(raw: Uint8Array, offset = 0): number {
  return new DataView(raw.buffer, raw.byteOffset, raw.byteLength).getInt32(offset, true);
}

/** A timeout in jiffies as struct timeval (sock_get_timeout). */
function timevalOf(jiffies: number): Uint8Array {
  return new StructWriter(16)
    .u64(0, Math.floor(jiffies / HZ))
    .u64(8, Math.floor(((jiffies % HZ) * USEC_PER_SEC) / HZ)).bytes;
}

/** sock_set_timeout: a struct timeval in jiffies, rounded up; negative seconds mean none. */
function timeoutJiffies(raw: Uint8Array): number {
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const sec = view.getBigInt64(0, true);
  const usec = view.getBigInt64(8, true);
  if (usec < 0n || usec >= BigInt(USEC_PER_SEC)) return -Errno.EDOM;
  if (sec < 0n || (sec === 0n && usec === 0n) || sec >= BigInt(MAX_TIMEOUT_SECONDS - 1)) return 0;
  return Number(sec) * HZ + Math.ceil(Number(usec) / (USEC_PER_SEC / HZ));
}

function timeoutOption(name: number, which: 'rcvtimeo' | 'sndtimeo'): OptionSpec {
  return {
    level: SOL_SOCKET,
    name,
    size: 16,
    get: (s) => timevalOf(s[which]),
    set: (s, raw) => {
      const j = timeoutJiffies(raw);
      if (j < 0) return j;
      s[which] = j;
      return 0;
    },
  };
}

const OPTIONS: OptionSpec[] = [
  { level: SOL_SOCKET, name: 1, initial: 0, bool: true }, // SO_DEBUG
  { level: SOL_SOCKET, name: 2, initial: 0, bool: true }, // SO_REUSEADDR
  { level: SOL_SOCKET, name: 3, readOnly: true, get: (s) => s.type }, // SO_TYPE
  { level: SOL_SOCKET, name: 4, readOnly: true, get: (s) => s.takeError() }, // SO_ERROR
  { level: SOL_SOCKET, name: 5, initial: 0, bool: true }, // SO_DONTROUTE
  { level: SOL_SOCKET, name: 6, initial: 0, bool: true }, // SO_BROADCAST
  {
    level: SOL_SOCKET,
    name: SO_SNDBUF,
    get: (s) => s.sndbuf,
    set: (s, raw) => {
      s.sndbuf = Math.max(Math.min(int32(raw) >>> 0, WMEM_MAX) * 2, SOCK_MIN_SNDBUF);
      return 0;
    },
  },
  {
    level: SOL_SOCKET,
    name: SO_RCVBUF,
    get: (s) => s.rcvbuf,
    set: (s, raw) => {
      s.rcvbuf = Math.max(Math.min(int32(raw) >>> 0, RMEM_MAX, INT_MAX / 2) * 2, SOCK_MIN_RCVBUF);
      return 0;
    },
  },
  { level: SOL_SOCKET, name: 9, initial: 0, bool: true }, // SO_KEEPALIVE
  { level: SOL_SOCKET, name: 10, initial: 0, bool: true }, // SO_OOBINLINE
  { level: SOL_SOCKET, name: 11, initial: 0, bool: true }, // SO_NO_CHECK
  { level: SOL_SOCKET, name: 12, initial: 0 }, // SO_PRIORITY
  {
    level: SOL_SOCKET,
    name: SO_LINGER,
    size: 8,
    get: (s) => new StructWriter(8).u32(0, s.linger.onoff).u32(4, s.linger.seconds).bytes,
    set: (s, raw) => {
      const onoff = int32(raw);
      if (onoff) s.linger = { onoff: 1, seconds: int32(raw, 4) >>> 0 >= MAX_TIMEOUT_SECONDS ? 0 : int32(raw, 4) };
      else s.linger = { ...s.linger, onoff: 0 };
      return 0;
    },
  },
  { level: SOL_SOCKET, name: 15, initial: 0, bool: true, applies: inet }, // SO_REUSEPORT
  { level: SOL_SOCKET, name: 16, initial: 0, bool: true }, // SO_PASSCRED
  {
    level: SOL_SOCKET,
    name: SO_PEERCRED,
    readOnly: true,
    get: (s) => {
      const c = s.peerCred;
      return new StructWriter(12).u32(0, c?.pid ?? 0).u32(4, c?.uid ?? -1).u32(8, c?.gid ?? -1).bytes;
    },
  },
  {
    level: SOL_SOCKET,
    name: 18, // SO_RCVLOWAT: 0 means 1, a negative value INT_MAX
    get: (s) => s.intOptions.get('1:18') ?? 1,
    set: (s, raw) => {
      const v = int32(raw);
      s.intOptions.set('1:18', v < 0 ? INT_MAX : v || 1);
      return 0;
    },
  },
  { level: SOL_SOCKET, name: 19, readOnly: true, get: () => 1 }, // SO_SNDLOWAT
  timeoutOption(SO_RCVTIMEO_OLD, 'rcvtimeo'),
  timeoutOption(SO_SNDTIMEO_OLD, 'sndtimeo'),
  timeoutOption(SO_RCVTIMEO_NEW, 'rcvtimeo'),
  timeoutOption(SO_SNDTIMEO_NEW, 'sndtimeo'),
  { level: SOL_SOCKET, name: 30, readOnly: true, get: (s) => (s.state === 'listening' ? 1 : 0) }, // SO_ACCEPTCONN
  { level: SOL_SOCKET, name: 36, initial: 0 }, // SO_MARK
  { level: SOL_SOCKET, name: 38, readOnly: true, get: (s) => s.protocol }, // SO_PROTOCOL
  { level: SOL_SOCKET, name: 39, readOnly: true, get: (s) => s.domain }, // SO_DOMAIN
  { level: SOL_SOCKET, name: 40, initial: 0, bool: true }, // SO_RXQ_OVFL
  // IP: IP_TOS and IP_TTL (-1: the route's, 64).
  { level: SOL_IP, name: 1, initial: 0, applies: inet, valid: (v) => v >= 0 && v <= 255 },
  { level: SOL_IP, name: 2, initial: 64, applies: inet, valid: (v) => v === -1 || (v >= 1 && v <= 255) },
  // IPv6: IPV6_UNICAST_HOPS (-1: 64) and IPV6_V6ONLY.
  { level: SOL_IPV6, name: 16, initial: 64, applies: inet6, valid: (v) => v >= -1 && v <= 255 },
  { level: SOL_IPV6, name: 26, initial: 0, bool: true, applies: inet6 },
  // TCP: TCP_NODELAY, TCP_MAXSEG, TCP_CORK, TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_KEEPCNT,
  // TCP_USER_TIMEOUT.
  { level: SOL_TCP, name: 1, initial: 0, bool: true, applies: tcp },
  { level: SOL_TCP, name: 2, initial: 536, applies: tcp, valid: (v) => v === 0 || (v >= 88 && v <= 32767) },
  { level: SOL_TCP, name: 3, initial: 0, bool: true, applies: tcp },
  { level: SOL_TCP, name: 4, initial: 7200, applies: tcp, valid: (v) => v >= 1 && v <= 32767 },
  { level: SOL_TCP, name: 5, initial: 75, applies: tcp, valid: (v) => v >= 1 && v <= 32767 },
  { level: SOL_TCP, name: 6, initial: 9, applies: tcp, valid: (v) => v >= 1 && v <= 127 },
  { level: SOL_TCP, name: 18, initial: 0, applies: tcp, valid: (v) => v >= 0 },
];

const BY_KEY = new Map(OPTIONS.map((o) => [`${o.level}:${o.name}`, o]));

/** -EOPNOTSUPP when the socket has no options at `level` at all (a unix socket beyond
 *  SOL_SOCKET, a UDP socket's SOL_TCP...), else 0. */
function levelCheck(s: Socket, level: number, setting: boolean): number {
  if (level === SOL_SOCKET) return 0;
  if (s.domain === AF_UNIX) return -Errno.EOPNOTSUPP;
  if (level === SOL_IP) return 0;
  if (level === SOL_IPV6 && s.domain === AF_INET6) return 0;
  if (level === SOL_TCP && s.type === SOCK_STREAM) return 0;
  if (level === SOL_UDP && s.type === SOCK_DGRAM) return 0;
  // ip_setsockopt and both of IPv6 say ENOPROTOOPT for a level they do not know,
  // ip_getsockopt EOPNOTSUPP.
  return setting || s.domain === AF_INET6 ? -Errno.ENOPROTOOPT : -Errno.EOPNOTSUPP;
}

function specFor(s: Socket, level: number, name: number, setting = false): OptionSpec | number {
  const bad = levelCheck(s, level, setting);
  if (bad) return bad;
  const spec = BY_KEY.get(`${level}:${name}`);
  if (!spec || (spec.applies && !spec.applies(s))) return -Errno.ENOPROTOOPT;
  return spec;
}

/** getsockopt's value, an int or a struct's bytes, once optionError said it exists. */
export function getOption(s: Socket, level: number, name: number): number | Uint8Array {
  const spec = BY_KEY.get(`${level}:${name}`)!;
  if (spec.get) return spec.get(s);
  return s.intOptions.get(`${level}:${name}`) ?? spec.initial ?? 0;
}

/** Whether the option exists for the socket (ENOPROTOOPT, EOPNOTSUPP), to be read or set. */
export function optionError(s: Socket, level: number, name: number, setting: boolean): number {
  const spec = specFor(s, level, name, setting);
  if (typeof spec === 'number') return spec;
  return setting && spec.readOnly ? -Errno.ENOPROTOOPT : 0;
}

/** setsockopt, once optionError said yes: `raw` holds the option's optionSize bytes. */
export function setOption(s: Socket, level: number, name: number, raw: Uint8Array): number {
  const spec = BY_KEY.get(`${level}:${name}`)!;
  if (spec.set) return spec.set(s, raw);
  let value = int32(raw);
  if (spec.valid && !spec.valid(value)) return -Errno.EINVAL;
  if (spec.bool) value = value ? 1 : 0;
  if (value === -1 && spec.initial !== undefined && spec.level !== SOL_SOCKET) value = spec.initial;
  s.intOptions.set(`${level}:${name}`, value);
  return 0;
}

/** How many bytes setsockopt reads for an option (the rest of optlen is ignored). */
export function optionSize(s: Socket, level: number, name: number): number {
  const spec = specFor(s, level, name);
  return typeof spec === 'number' ? 0 : (spec.size ?? 4);
}

/** A plain integer option's value (for the socket code: SO_PASSCRED, IPV6_V6ONLY...). */
export function intOption(s: Socket, level: number, name: number): number {
  return s.intOptions.get(`${level}:${name}`) ?? BY_KEY.get(`${level}:${name}`)?.initial ?? 0;
}

export const SO_REUSEADDR = 2;
export const SO_PASSCRED = 16;
export const IPV6_V6ONLY = 26;
