// AF_INET and AF_INET6 on the emulated machine's only interface, the loopback: 127.0.0.0/8 and
// ::1 (and IPv4 through v4-mapped addresses on IPv6 sockets). TCP connections and UDP datagrams
// between the guest's own sockets work; any other destination is unreachable (ENETUNREACH), so
// a run never touches the host's network and is the same on every machine. Ephemeral ports are
// handed out in order from the start of Linux's default range.
import { Errno } from '../errno.js';
import { O_NONBLOCK } from '../files.js';
import type { Process } from '../process.js';
import {
  AF_INET,
  AF_INET6,
  AF_UNSPEC,
  asFamily,
  IN6ADDR_LOOPBACK,
  INADDR_LOOPBACK,
  InetAddress,
  isLoopback,
  isV4Mapped,
  isWildcard,
  mappedV4,
  parseSockaddrIn,
  parseSockaddrIn6,
  SIN6_LEN_RFC2133,
  SOCKADDR_IN_SIZE,
} from './addresses.js';
import { EPHEMERAL_FIRST, EPHEMERAL_LAST, networkOf } from './network.js';
import { intOption, IPV6_V6ONLY, SO_REUSEADDR, SOL_IPV6, SOL_SOCKET } from './options.js';
import { RCV_SHUTDOWN, Socket, SOCK_DGRAM } from './socket.js';

/** Ports below this need CAP_NET_BIND_SERVICE. */
const PROT_SOCK = 1024;

/** The address in a bind or connect argument, checked as inet_bind / inet6_bind and
 *  tcp_v4_connect / tcp_v6_connect do. */
export function inetArgument(sock: Socket, raw: Uint8Array, binding: boolean): InetAddress | number {
  const family = raw[0] + (raw[1] << 8);
  if (sock.domain === AF_INET) {
    if (raw.length < SOCKADDR_IN_SIZE) return -Errno.EINVAL;
    const addr = parseSockaddrIn(raw);
    // bind accepts AF_UNSPEC with INADDR_ANY, for old programs.
    if (family !== AF_INET && !(binding && family === AF_UNSPEC && isWildcard(addr.ip))) return -Errno.EAFNOSUPPORT;
    return addr;
  }
  if (raw.length < SIN6_LEN_RFC2133) return -Errno.EINVAL;
  if (family !== AF_INET6) return -Errno.EAFNOSUPPORT;
  return parseSockaddrIn6(raw);
}

function v6only(sock: Socket): boolean {
  return sock.domain === AF_INET6 && intOption(sock, SOL_IPV6, IPV6_V6ONLY) !== 0;
}

/** Whether a socket bound to `local` receives traffic for `ip` (a wildcard takes all of its
 *  families; an IPv6 wildcard takes IPv4 too unless IPV6_V6ONLY). */
function covers(sock: Socket, local: InetAddress, ip: Uint8Array): boolean {
  const v4 = isV4Mapped(ip);
  if (sock.domain === AF_INET6 && v6only(sock) && v4) return false;
  if (sock.domain === AF_INET && !v4) return false;
  if (isWildcard(local.ip)) return sock.domain === AF_INET6 || v4;
  return local.ip.every((b, i) => b === ip[i]);
}

function sameKind(a: Socket, b: Socket): boolean {
  return (a.type === SOCK_DGRAM) === (b.type === SOCK_DGRAM);
}

/** Whether binding `sock` to `addr` clashes with a bound socket (SO_REUSEADDR on both lets a
 *  second one bind beside one that does not listen). */
function inUse(proc: Process, sock: Socket, addr: InetAddress): boolean {
  for (const other of networkOf(proc).inetBound) {
    const theirs = other.local as InetAddress;
    if (other === sock || !sameKind(sock, other) || theirs.port !== addr.port) continue;
    const overlap = covers(other, theirs, addr.ip) || covers(sock, addr, theirs.ip) || (isWildcard(addr.ip) && isWildcard(theirs.ip));
    if (!overlap) continue;
    const reuse = intOption(sock, SOL_SOCKET, SO_REUSEADDR) && intOption(other, SOL_SOCKET, SO_REUSEADDR);
    if (reuse && other.state !== 'listening') continue;
    return true;
  }
  return false;
}

/** Binds to addr (port 0: the next free ephemeral port). */
function take(proc: Process, sock: Socket, addr: InetAddress): number {
  const net = networkOf(proc);
  if (addr.port === 0) {
    const span = EPHEMERAL_LAST - EPHEMERAL_FIRST + 1;
    let k = 0;
    for (; k < span; k++) {
      const port = net.nextPort;
      net.nextPort = port === EPHEMERAL_LAST ? EPHEMERAL_FIRST : port + 1;
      if (!inUse(proc, sock, { ...addr, port })) {
        addr = { ...addr, port };
        break;
      }
    }
    if (k === span) return -Errno.EADDRINUSE;
  } else if (inUse(proc, sock, addr)) return -Errno.EADDRINUSE;
  sock.local = asFamily(addr, sock.domain as InetAddress['family']);
  net.inetBound.add(sock);
  sock.onClose = () => net.inetBound.delete(sock);
  return 0;
}

/** Forgets an automatic binding. */
function unbind(proc: Process, sock: Socket): void {
  networkOf(proc).inetBound.delete(sock);
  sock.local = null;
  sock.onClose = null;
}

/** bind(2) of an inet socket. */
export function bindInet(proc: Process, sock: Socket, raw: Uint8Array): number {
  const addr = inetArgument(sock, raw, true);
  if (typeof addr === 'number') return addr;
  if (sock.domain === AF_INET6 && isV4Mapped(addr.ip) && v6only(sock)) return -Errno.EINVAL;
  if (!isWildcard(addr.ip) && !isLoopback(addr.ip)) return -Errno.EADDRNOTAVAIL;
  if (addr.port !== 0 && addr.port < PROT_SOCK && proc.identity.euid !== 0) return -Errno.EACCES;
  if (sock.local || sock.state !== 'unconnected') return -Errno.EINVAL;
  return take(proc, sock, addr);
}

/** The loopback address that is the source of traffic to `to`. */
function sourceFor(to: Uint8Array): Uint8Array {
  return isV4Mapped(to) ? INADDR_LOOPBACK : IN6ADDR_LOOPBACK;
}

/** A new port for an unbound socket: on the source address for `to` (connect), or on the
 *  wildcard address (inet_autobind: a UDP socket's first send). */
function ensureBound(proc: Process, sock: Socket, to: Uint8Array | null): number {
  if (sock.local) return 0;
  const ip = to ? sourceFor(to) : sock.domain === AF_INET ? mappedV4(new Uint8Array(4)) : new Uint8Array(16);
  return take(proc, sock, { family: sock.domain as InetAddress['family'], ip, port: 0, flowinfo: 0, scope: 0 });
}

/** Where a destination leads: the loopback (0.0.0.0 and :: mean it too), or ENETUNREACH. */
function route(sock: Socket, addr: InetAddress): InetAddress | number {
  let ip = addr.ip;
  if (isWildcard(ip)) ip = isV4Mapped(ip) || sock.domain === AF_INET ? INADDR_LOOPBACK : IN6ADDR_LOOPBACK;
  if (isV4Mapped(ip) && v6only(sock)) return -Errno.ENETUNREACH;
  if (!isLoopback(ip)) return -Errno.ENETUNREACH;
  return { ...addr, ip };
}

/** The socket of `kind` bound to receive at addr: an exact address before a wildcard. */
function findBound(proc: Process, kind: Socket, addr: InetAddress, listening: boolean): Socket | null {
  let best: Socket | null = null;
  for (const sock of networkOf(proc).inetBound) {
    const local = sock.local as InetAddress;
    if (!sameKind(sock, kind) || local.port !== addr.port || !covers(sock, local, addr.ip)) continue;
    if (listening && sock.state !== 'listening') continue;
    if (!isWildcard(local.ip)) return sock;
    best ??= sock;
  }
  return best;
}

/** connect(2) of an inet socket. `make` gives the server side of a new TCP connection. */
export function connectInet(proc: Process, sock: Socket, raw: Uint8Array, make: (listener: Socket) => Socket): number {
  if (raw.length < 2) return -Errno.EINVAL;
  const family = raw[0] + (raw[1] << 8);
  if (family === AF_UNSPEC) {
    // Disconnects (a TCP socket so disconnected cannot be reused here: it stays as it is).
    if (sock.type === SOCK_DGRAM) sock.remote = null;
    return 0;
  }
  if (sock.type !== SOCK_DGRAM) {
    if (sock.state === 'connected') {
      if (sock.connectPending) {
        sock.connectPending = false;
        return 0;
      }
      return -Errno.EISCONN;
    }
    if (sock.state === 'listening') return -Errno.EINVAL;
    if (sock.connectPending) {
      // A non-blocking connect that failed: its error, once.
      sock.connectPending = false;
      return -(sock.takeError() || Errno.ECONNREFUSED);
    }
  }
  const addr = inetArgument(sock, raw, false);
  if (typeof addr === 'number') return addr;
  const to = route(sock, addr);
  if (typeof to === 'number') return to;
  const autobound = !sock.local;
  const bound = ensureBound(proc, sock, to.ip);
  if (bound < 0) return bound;
  const remote = asFamily(to, sock.domain as InetAddress['family']);
  if (sock.type === SOCK_DGRAM) {
    sock.remote = remote;
    return 0;
  }
  const listener = findBound(proc, sock, to, true);
  const nonBlocking = (sock.flags & O_NONBLOCK) !== 0;
  if (!listener) {
    // A refused connection gives back the port it was given (tcp_done).
    if (autobound) unbind(proc, sock);
    if (!nonBlocking) return -Errno.ECONNREFUSED;
    sock.error = Errno.ECONNREFUSED;
    sock.connectPending = true;
    return -Errno.EINPROGRESS;
  }
  if (listener.pending.length > listener.backlog) return sock.wait('send', false);
  const server = make(listener);
  const local = sock.local as InetAddress;
  server.local = asFamily({ ...to, port: (listener.local as InetAddress).port }, listener.domain as InetAddress['family']);
  server.remote = asFamily(local, listener.domain as InetAddress['family']);
  sock.remote = remote;
  sock.pairWith(server);
  listener.pending.push(server);
  // A non-blocking connect says EINPROGRESS even on the loopback; the next one says EISCONN.
  if (nonBlocking) return -Errno.EINPROGRESS;
  return 0;
}

/** listen(2) of an inet socket: TCP only; an unbound one gets an ephemeral port. */
export function listenInet(proc: Process, sock: Socket, backlog: number): number {
  if (sock.type === SOCK_DGRAM) return -Errno.EOPNOTSUPP;
  if (sock.state === 'connected') return -Errno.EINVAL;
  if (!sock.local) {
    const r = take(proc, sock, { family: sock.domain as InetAddress['family'], ip: new Uint8Array(16), port: 0, flowinfo: 0, scope: 0 });
    if (r < 0) return r;
  } else if (sock.state !== 'listening') {
    // Listening makes a bound port exclusive: SO_REUSEADDR no longer shares it.
    for (const other of networkOf(proc).inetBound) {
      if (other !== sock && other.state === 'listening' && sameKind(other, sock) && (other.local as InetAddress).port === (sock.local as InetAddress).port) {
        if (covers(other, other.local as InetAddress, (sock.local as InetAddress).ip)) return -Errno.EADDRINUSE;
      }
    }
  }
  sock.state = 'listening';
  sock.backlog = backlog;
  return 0;
}

/** Sends a UDP datagram to a loopback address: delivered to the socket bound there, or lost. */
export function sendUdp(proc: Process, sock: Socket, data: Uint8Array, to: InetAddress): number {
  const routed = route(sock, to);
  if (typeof routed === 'number') return routed;
  const bound = ensureBound(proc, sock, null);
  if (bound < 0) return bound;
  // Linux's limit on a UDP payload: 65535 less the IP and UDP headers.
  if (data.length > 65507) return -Errno.EMSGSIZE;
  const target = findBound(proc, sock, routed, false);
  if (target && !(target.shutdown & RCV_SHUTDOWN)) {
    const local = sock.local as InetAddress;
    const source = isWildcard(local.ip) ? { ...local, ip: sourceFor(routed.ip) } : local;
    const from = asFamily(source, target.domain as InetAddress['family']);
    target.deliver({ data: data.slice(), from, rights: null, creds: sock.creds });
  }
  return data.length;
}
