// The socket calls: socket, socketpair, bind, listen, accept, accept4, connect, shutdown,
// getsockname, getpeername, setsockopt, getsockopt, sendto, recvfrom, sendmsg, recvmsg,
// sendmmsg, recvmmsg. The objects are in ../sockets: AF_UNIX (stream, datagram, seqpacket;
// abstract and path names; SCM_RIGHTS and SCM_CREDENTIALS) and AF_INET/AF_INET6 on a loopback
// that is the machine's only network. Arguments are checked in the order net/socket.c does.
import { argInt, argUint, argUlong } from '../../../trace/event.js';
import type { SyscallContext, SyscallHandler } from '../context.js';
import { blockOn, StructWriter } from '../context.js';
import { Errno } from '../errno.js';
import { O_NONBLOCK, O_RDWR } from '../files.js';
import { WOULD_BLOCK_FOREVER } from '../pipes.js';
import type { Process } from '../process.js';
import { raiseSigpipe } from './io.js';
import { usableFd } from './lookup.js';
import {
  AF_INET,
  AF_INET6,
  AF_UNIX,
  encodeAddress,
  inetAddress,
  InetAddress,
  NPROTO,
  SOCKADDR_STORAGE_SIZE,
  SocketAddress,
  unixAddress,
} from '../sockets/addresses.js';
import { bindInet, connectInet, inetArgument, listenInet, sendUdp } from '../sockets/inet.js';
import {
  cmsg,
  CMSG_HEADER,
  gather,
  guestBytes,
  holdRights,
  MMSGHDR_SIZE,
  MsgHeader,
  readControl,
  readMsgHeader,
  SCM_CREDENTIALS,
  SCM_RIGHTS,
  scatter,
  totalLength,
  writable,
} from '../sockets/messages.js';
import { makeSocket, number } from '../sockets/network.js';
import { getOption, intOption, optionError, optionSize, SO_PASSCRED, SOL_SOCKET, setOption } from '../sockets/options.js';
import {
  MSG_CMSG_CLOEXEC,
  MSG_CTRUNC,
  MSG_DONTWAIT,
  MSG_NOSIGNAL,
  MSG_OOB,
  MSG_PEEK,
  Received,
  releaseRights,
  Rights,
  SOCK_CLOEXEC,
  SOCK_DGRAM,
  SOCK_NONBLOCK,
  SOCK_RAW,
  SOCK_SEQPACKET,
  SOCK_STREAM,
  SOCK_TYPE_MASK,
  Socket,
} from '../sockets/socket.js';
import { autobind, bindUnix, connectUnix, listenUnix, unixDestination } from '../sockets/unix.js';

const SOCK_MAX = 11;
const IPPROTO_ICMP = 1;
const IPPROTO_TCP = 6;
const IPPROTO_UDP = 17;
const IPPROTO_ICMPV6 = 58;
const IPPROTO_MAX = 263;
/** net.core.somaxconn. */
const SOMAXCONN = 4096;
const MSG_WAITFORONE = 0x10000;

// ---------------------------------------------------------------- creating

/** sock_create's checks: the socket's real type and protocol, or -errno. */
function kindOf(domain: number, type: number, protocol: number): { type: number; protocol: number } | number {
  if (domain < 0 || domain >= NPROTO) return -Errno.EAFNOSUPPORT;
  if (type < 0 || type >= SOCK_MAX) return -Errno.EINVAL;
  if (domain === AF_UNIX) {
    if (protocol !== 0 && protocol !== AF_UNIX) return -Errno.EPROTONOSUPPORT;
    if (type === SOCK_STREAM || type === SOCK_DGRAM || type === SOCK_SEQPACKET) return { type, protocol: 0 };
    // SOCK_RAW is taken as SOCK_DGRAM.
    if (type === SOCK_RAW) return { type: SOCK_DGRAM, protocol: 0 };
    return -Errno.ESOCKTNOSUPPORT;
  }
  if (domain === AF_INET || domain === AF_INET6) {
    if (protocol < 0 || protocol >= IPPROTO_MAX) return -Errno.EINVAL;
    if (type === SOCK_STREAM) return protocol === 0 || protocol === IPPROTO_TCP ? { type, protocol: IPPROTO_TCP } : -Errno.EPROTONOSUPPORT;
    if (type === SOCK_DGRAM) {
      if (protocol === 0 || protocol === IPPROTO_UDP) return { type, protocol: IPPROTO_UDP };
      // Ping sockets: net.ipv4.ping_group_range admits no group by default.
      if (protocol === (domain === AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6)) return -Errno.EACCES;
      return -Errno.EPROTONOSUPPORT;
    }
    return -Errno.ESOCKTNOSUPPORT;
  }
  return -Errno.EAFNOSUPPORT;
}

/** A new socket of a checked kind, with the type flags' O_NONBLOCK. */
function newSocket(proc: Process, domain: number, kind: { type: number; protocol: number }, typeFlags: number, numbered = true): Socket {
  const sock = makeSocket(proc, domain, kind.type, kind.protocol, O_RDWR | (typeFlags & SOCK_NONBLOCK ? O_NONBLOCK : 0), numbered);
  if (sock.isInet && sock.type === SOCK_DGRAM) sock.sendUdp = (data, to) => sendUdp(proc, sock, data, to);
  return sock;
}

/** The server side of a connection to `listener`: its kind, as accept will return it. */
function serverSide(proc: Process): (listener: Socket) => Socket {
  return (listener) => newSocket(proc, listener.domain, { type: listener.type, protocol: listener.protocol }, 0, false);
}

function typeFlagsValid(flags: number): boolean {
  return (flags & ~(SOCK_CLOEXEC | SOCK_NONBLOCK)) === 0;
}

function socket(c: SyscallContext): number {
  const domain = argInt(c.args, 0);
  const rawType = argInt(c.args, 1);
  const flags = rawType & ~SOCK_TYPE_MASK;
  if (!typeFlagsValid(flags)) return -Errno.EINVAL;
  const kind = kindOf(domain, rawType & SOCK_TYPE_MASK, argInt(c.args, 2));
  if (typeof kind === 'number') return kind;
  const sock = newSocket(c.proc, domain, kind, flags);
  const fd = c.proc.fds.allocate(sock, (flags & SOCK_CLOEXEC) !== 0);
  if (fd < 0) sock.close();
  return fd;
}

/** The n lowest free descriptors, or -EMFILE. */
function freeFds(proc: Process, n: number): number[] | number {
  const fds: number[] = [];
  for (let fd = 0; fd < proc.fds.limit && fds.length < n; fd++) if (!proc.fds.get(fd)) fds.push(fd);
  return fds.length === n ? fds : -Errno.EMFILE;
}

function socketpair(c: SyscallContext): number {
  const { proc, args } = c;
  const domain = argInt(args, 0);
  const rawType = argInt(args, 1);
  const flags = rawType & ~SOCK_TYPE_MASK;
  if (!typeFlagsValid(flags)) return -Errno.EINVAL;
  // Linux reserves the descriptors and stores their numbers before it makes the sockets.
  const fds = freeFds(proc, 2);
  if (typeof fds === 'number') return fds;
  const sv = argUlong(args, 3);
  if (!proc.mem.isAccessible(sv, 8, 'write')) return -Errno.EFAULT;
  proc.mem.writeBytes(sv, new StructWriter(8).u32(0, fds[0]).u32(4, fds[1]).bytes);
  const kind = kindOf(domain, rawType & SOCK_TYPE_MASK, argInt(args, 2));
  if (typeof kind === 'number') return kind;
  if (domain !== AF_UNIX) return -Errno.EOPNOTSUPP;
  const a = newSocket(proc, domain, kind, flags);
  const b = newSocket(proc, domain, kind, flags);
  a.pairWith(b);
  a.madeAsPair = b.madeAsPair = true;
  a.peerCred = b.creds;
  b.peerCred = a.creds;
  const cloexec = (flags & SOCK_CLOEXEC) !== 0;
  proc.fds.install(fds[0], a, cloexec);
  proc.fds.install(fds[1], b, cloexec);
  return 0;
}

// ---------------------------------------------------------------- arguments

/** sockfd_lookup_light: the socket behind an fd argument (EBADF, ENOTSOCK). */
function socketArg(c: SyscallContext, index = 0): Socket | number {
  const file = usableFd(c, index);
  if (typeof file === 'number') return file;
  return file instanceof Socket ? file : -Errno.ENOTSOCK;
}

/** move_addr_to_kernel: an address argument's bytes. */
function addressArg(c: SyscallContext, addr: number, len: number): Uint8Array | number {
  if (len < 0 || len > SOCKADDR_STORAGE_SIZE) return -Errno.EINVAL;
  return guestBytes(c, addr, len);
}

/** move_addr_to_user: writes min(*lenAddr, its size) bytes of an address and its size. */
function putAddress(c: SyscallContext, bytes: Uint8Array, addr: number, lenAddr: number): number {
  const lenBytes = guestBytes(c, lenAddr, 4);
  if (typeof lenBytes === 'number') return lenBytes;
  let len = new DataView(lenBytes.buffer).getInt32(0, true);
  if (len > bytes.length) len = bytes.length;
  if (len < 0) return -Errno.EINVAL;
  const mem = c.proc.mem;
  if (len > 0) {
    if (!mem.isAccessible(addr, len, 'write')) return -Errno.EFAULT;
    mem.writeBytes(addr, bytes.subarray(0, len));
  }
  if (!mem.isAccessible(lenAddr, 4, 'write')) return -Errno.EFAULT;
  mem.writeBytes(lenAddr, new StructWriter(4).u32(0, bytes.length).bytes);
  return 0;
}

/** A call that must wait: for another process to act on the socket (blockOn), or, when no one
 *  else could, EDEADLK with a diagnostic. */
function settle(c: SyscallContext, what: string, sock: Socket, result: number): number {
  return result === WOULD_BLOCK_FOREVER ? blockOn(c.proc, sock, `${what} on ${sock.path}`) : result;
}

// ---------------------------------------------------------------- names

function bind(c: SyscallContext): number {
  const sock = socketArg(c);
  if (typeof sock === 'number') return sock;
  const raw = addressArg(c, argUlong(c.args, 1), argInt(c.args, 2));
  if (typeof raw === 'number') return raw;
  return sock.isInet ? bindInet(c.proc, sock, raw) : bindUnix(c.proc, sock, raw);
}

function connect(c: SyscallContext): number {
  const sock = socketArg(c);
  if (typeof sock === 'number') return sock;
  const raw = addressArg(c, argUlong(c.args, 1), argInt(c.args, 2));
  if (typeof raw === 'number') return raw;
  const make = serverSide(c.proc);
  const r = sock.isInet ? connectInet(c.proc, sock, raw, make) : connectUnix(c.proc, sock, raw, make);
  return settle(c, 'connect', sock, r);
}

function listen(c: SyscallContext): number {
  const sock = socketArg(c);
  if (typeof sock === 'number') return sock;
  let backlog = argInt(c.args, 1);
  if (backlog >>> 0 > SOMAXCONN) backlog = SOMAXCONN;
  return sock.isInet ? listenInet(c.proc, sock, backlog) : listenUnix(sock, backlog);
}

/** An unnamed address of the socket's family (an unbound socket's name). */
function unnamed(sock: Socket): SocketAddress {
  if (!sock.isInet) return unixAddress(new Uint8Array(0));
  const ip = new Uint8Array(16);
  if (sock.domain === AF_INET) ip.fill(0xff, 10, 12);
  return inetAddress(sock.domain as InetAddress['family'], ip, 0);
}

/** The peer's address as getpeername and accept give it, or null when not connected. */
function peerAddress(sock: Socket): SocketAddress | null {
  if (sock.isInet) return sock.type === SOCK_DGRAM || sock.state === 'connected' ? sock.remote : null;
  if (!sock.peer) return null;
  return sock.peer.local ?? unnamed(sock);
}

function getsockname(c: SyscallContext): number {
  const sock = socketArg(c);
  if (typeof sock === 'number') return sock;
  return putAddress(c, encodeAddress(sock.local ?? unnamed(sock)), argUlong(c.args, 1), argUlong(c.args, 2));
}

function getpeername(c: SyscallContext): number {
  const sock = socketArg(c);
  if (typeof sock === 'number') return sock;
  const peer = peerAddress(sock);
  if (!peer) return -Errno.ENOTCONN;
  return putAddress(c, encodeAddress(peer), argUlong(c.args, 1), argUlong(c.args, 2));
}

function acceptWith(c: SyscallContext, flags: number): number {
  if (!typeFlagsValid(flags)) return -Errno.EINVAL;
  const sock = socketArg(c);
  if (typeof sock === 'number') return sock;
  const free = freeFds(c.proc, 1);
  if (typeof free === 'number') return free;
  if (!sock.connectionOriented) return -Errno.EOPNOTSUPP;
  if (sock.state !== 'listening') return -Errno.EINVAL;
  const server = sock.pending.shift();
  if (!server) return settle(c, 'accept', sock, sock.wait('receive', false));
  server.flags = O_RDWR | (flags & SOCK_NONBLOCK ? O_NONBLOCK : 0);
  number(c.proc, server);
  const fd = c.proc.fds.allocate(server, (flags & SOCK_CLOEXEC) !== 0);
  const addr = argUlong(c.args, 1);
  if (addr !== 0) {
    const r = putAddress(c, encodeAddress(peerAddress(server) ?? unnamed(server)), addr, argUlong(c.args, 2));
    if (r < 0) {
      c.proc.fds.close(fd);
      return r;
    }
  }
  return fd;
}

function accept(c: SyscallContext): number {
  return acceptWith(c, 0);
}

function accept4(c: SyscallContext): number {
  return acceptWith(c, argInt(c.args, 3));
}

function shutdown(c: SyscallContext): number {
  const sock = socketArg(c);
  if (typeof sock === 'number') return sock;
  const how = argInt(c.args, 1);
  if (how < 0 || how > 2) return -Errno.EINVAL;
  sock.shutDown(how + 1);
  if (sock.isInet && sock.state === 'listening' && how !== 1) {
    sock.state = 'unconnected';
    for (const embryo of sock.pending.splice(0)) embryo.close();
    return 0;
  }
  if (sock.isInet && sock.state !== 'connected' && !(sock.type === SOCK_DGRAM && sock.remote)) return -Errno.ENOTCONN;
  return 0;
}

// ---------------------------------------------------------------- options

function setsockopt(c: SyscallContext): number {
  const { args } = c;
  const optlen = argInt(args, 4);
  if (optlen < 0) return -Errno.EINVAL;
  const sock = socketArg(c);
  if (typeof sock === 'number') return sock;
  const level = argInt(args, 1);
  const name = argInt(args, 2);
  const optval = argUlong(args, 3);
  if (level === SOL_SOCKET) {
    // sk_setsockopt reads an int before it looks at the option.
    if (optlen < 4) return -Errno.EINVAL;
    const first = guestBytes(c, optval, 4);
    if (typeof first === 'number') return first;
  }
  const bad = optionError(sock, level, name, true);
  if (bad) return bad;
  const size = optionSize(sock, level, name);
  if (optlen < size) return -Errno.EINVAL;
  const raw = guestBytes(c, optval, size);
  if (typeof raw === 'number') return raw;
  return setOption(sock, level, name, raw);
}

function getsockopt(c: SyscallContext): number {
  const { args, proc } = c;
  const sock = socketArg(c);
  if (typeof sock === 'number') return sock;
  const level = argInt(args, 1);
  const name = argInt(args, 2);
  if (level !== SOL_SOCKET && !sock.isInet) return -Errno.EOPNOTSUPP;
  const lenAddr = argUlong(args, 4);
  const lenBytes = guestBytes(c, lenAddr, 4);
  if (typeof lenBytes === 'number') return lenBytes;
  const len = new DataView(lenBytes.buffer).getInt32(0, true);
  if (len < 0) return -Errno.EINVAL;
  const bad = optionError(sock, level, name, false);
  if (bad) return bad;
  const value = getOption(sock, level, name);
  const bytes = typeof value === 'number' ? new StructWriter(4).u32(0, value).bytes : value;
  const n = Math.min(len, bytes.length);
  const optval = argUlong(args, 3);
  if (n > 0) {
    if (!proc.mem.isAccessible(optval, n, 'write')) return -Errno.EFAULT;
    proc.mem.writeBytes(optval, bytes.subarray(0, n));
  }
  if (!proc.mem.isAccessible(lenAddr, 4, 'write')) return -Errno.EFAULT;
  proc.mem.writeBytes(lenAddr, new StructWriter(4).u32(0, n).bytes);
  return 0;
}

// ---------------------------------------------------------------- sending

/** What a send carries besides its bytes. */
interface Outgoing {
  /** The destination address's bytes (sendto's, msg_name), or null. */
  to: Uint8Array | null;
  files: Rights['files'];
  creds: { pid: number; uid: number; gid: number } | null;
}

/** The core of sendto, sendmsg and sendmmsg: the protocol's checks, then the bytes. */
function transmit(c: SyscallContext, sock: Socket, data: Uint8Array | number, flags: number, out: Outgoing): number {
  if (sock.flags & O_NONBLOCK) flags |= MSG_DONTWAIT;
  if (flags & MSG_OOB && !sock.isInet) return -Errno.EOPNOTSUPP;
  let target: Socket | null = null;
  if (sock.connectionOriented) {
    if (out.to && sock.type === SOCK_STREAM && !sock.isInet) return sock.state === 'connected' ? -Errno.EISCONN : -Errno.EOPNOTSUPP;
    if (sock.type === SOCK_SEQPACKET && sock.state !== 'connected') return -Errno.ENOTCONN;
  } else if (!sock.isInet) {
    if (out.to) {
      const found = unixDestination(c.proc, sock, out.to);
      if (typeof found === 'number') return found;
      target = found;
    } else {
      if (!sock.peer) return -Errno.ENOTCONN;
      target = sock.peer;
      if (target.closed) {
        sock.peer = null;
        return -Errno.ECONNREFUSED;
      }
    }
    if (typeof data !== 'number' && data.length > sock.sndbuf - 32) return -Errno.EMSGSIZE;
  }
  if (typeof data === 'number') return data;
  if (intOption(sock, SOL_SOCKET, SO_PASSCRED) && !sock.isInet) autobind(c.proc, sock);
  const rights = holdRights(c, out.files);
  let r: number;
  const creds = out.creds ?? sock.creds;
  if (sock.connectionOriented) r = sock.sendConnected(data, flags, rights, creds);
  else if (target) r = sock.sendDatagramTo(target, data, flags, rights, creds);
  else {
    let to: InetAddress | null = sock.remote;
    if (out.to) {
      const parsed = inetArgument(sock, out.to, false);
      if (typeof parsed === 'number') return parsed;
      to = parsed;
    }
    if (!to) return -Errno.EDESTADDRREQ;
    r = sendUdp(c.proc, sock, data, to);
  }
  if (r < 0 && rights) releaseRights(rights);
  if (r === -Errno.EPIPE && sock.type === SOCK_STREAM && !(flags & MSG_NOSIGNAL)) raiseSigpipe(c.proc);
  return settle(c, 'send', sock, r);
}

function sendto(c: SyscallContext): number {
  const { args } = c;
  const sock = socketArg(c);
  if (typeof sock === 'number') return sock;
  const addr = argUlong(args, 4);
  let to: Uint8Array | null = null;
  if (addr !== 0) {
    const raw = addressArg(c, addr, argInt(args, 5));
    if (typeof raw === 'number') return raw;
    to = raw.length > 0 ? raw : null;
  }
  const data = guestBytes(c, argUlong(args, 1), Math.min(argUlong(args, 2), 0x7ffff000));
  return transmit(c, sock, data, argInt(args, 3), { to, files: [], creds: null });
}

/** ___sys_sendmsg on one msghdr. */
function sendOne(c: SyscallContext, sock: Socket, msgAddr: number, flags: number): number {
  const msg = readMsgHeader(c, msgAddr);
  if (typeof msg === 'number') return msg;
  let to: Uint8Array | null = null;
  if (msg.name !== 0 && msg.namelen > 0) {
    const raw = guestBytes(c, msg.name, msg.namelen);
    if (typeof raw === 'number') return raw;
    to = raw;
  }
  const control = readControl(c, msg.control, msg.controllen, !sock.isInet);
  if (typeof control === 'number') return control;
  return transmit(c, sock, gather(c, msg.iov), flags, { to, files: control.files, creds: control.creds });
}

function sendmsg(c: SyscallContext): number {
  const sock = socketArg(c);
  if (typeof sock === 'number') return sock;
  return sendOne(c, sock, argUlong(c.args, 1), argInt(c.args, 2));
}

function sendmmsg(c: SyscallContext): number {
  const { args, proc } = c;
  const sock = socketArg(c);
  if (typeof sock === 'number') return sock;
  const vec = argUlong(args, 1);
  const vlen = Math.min(argUint(args, 2), 1024);
  let sent = 0;
  for (; sent < vlen; sent++) {
    const entry = vec + sent * MMSGHDR_SIZE;
    const r = sendOne(c, sock, entry, argInt(args, 3));
    if (r < 0) return sent > 0 ? sent : r;
    if (!proc.mem.isAccessible(entry + 56, 4, 'write')) return sent > 0 ? sent : -Errno.EFAULT;
    proc.mem.writeBytes(entry + 56, new StructWriter(4).u32(0, r).bytes);
  }
  return sent;
}

// ---------------------------------------------------------------- receiving

/** The core of recvfrom, recvmsg and recvmmsg: a message into the iovecs, without losing
 *  queued bytes to a bad buffer. */
function take(c: SyscallContext, sock: Socket, iov: [number, number][], flags: number): Received | number {
  if (sock.flags & O_NONBLOCK) flags |= MSG_DONTWAIT;
  if (flags & MSG_OOB) return sock.isInet ? -Errno.EINVAL : -Errno.EOPNOTSUPP;
  const length = totalLength(iov);
  const peek = sock.receive(length, flags | MSG_PEEK);
  if (typeof peek === 'number') return settle(c, 'recv', sock, peek);
  if (!writable(c, iov, peek.data.length)) {
    if (sock.type !== SOCK_STREAM && !(flags & MSG_PEEK)) {
      const lost = sock.receive(length, flags);
      if (typeof lost !== 'number' && lost.rights) releaseRights(lost.rights);
    }
    return -Errno.EFAULT;
  }
  const r = flags & MSG_PEEK ? peek : sock.receive(length, flags);
  if (typeof r === 'number') return r;
  scatter(c, iov, r.data);
  return r;
}

function recvfrom(c: SyscallContext): number {
  const { args } = c;
  const sock = socketArg(c);
  if (typeof sock === 'number') return sock;
  const flags = argInt(args, 3);
  const r = take(c, sock, [[argUlong(args, 1), Math.min(argUlong(args, 2), 0x7ffff000)]], flags);
  if (typeof r === 'number') return r;
  if (r.rights && !(flags & MSG_PEEK)) releaseRights(r.rights);
  const addr = argUlong(args, 4);
  if (addr !== 0) {
    const err = putAddress(c, r.from ? encodeAddress(r.from) : new Uint8Array(0), addr, argUlong(args, 5));
    if (err < 0) return err;
  }
  return r.result;
}

/** The control messages of a received message (credentials, then descriptors, which are
 *  installed as they fit), and msg_flags' MSG_CTRUNC. */
function controlFor(c: SyscallContext, sock: Socket, r: Received, room: number, flags: number): { bytes: Uint8Array; truncated: boolean } {
  const parts: Uint8Array[] = [];
  let used = 0;
  let truncated = false;
  if (!sock.isInet && intOption(sock, SOL_SOCKET, SO_PASSCRED) && r.creds) {
    const creds = new StructWriter(12).u32(0, r.creds.pid).u32(4, r.creds.uid).u32(8, r.creds.gid).bytes;
    const m = cmsg(SCM_CREDENTIALS, creds);
    if (room - used < CMSG_HEADER + 12) truncated = true;
    else {
      parts.push(m.subarray(0, Math.min(m.length, room - used)));
      used += Math.min(m.length, room - used);
    }
  }
  if (r.rights) {
    const fit = Math.max(0, Math.floor((room - used - CMSG_HEADER) / 4));
    const files = r.rights.files;
    const fds: number[] = [];
    for (const file of files.slice(0, Math.min(fit, files.length))) {
      const fd = c.proc.fds.allocate(file, (flags & MSG_CMSG_CLOEXEC) !== 0);
      if (fd < 0) break;
      fds.push(fd);
    }
    if (fds.length < files.length) truncated = true;
    if (fds.length > 0) {
      const data = new StructWriter(4 * fds.length);
      fds.forEach((fd, k) => data.u32(4 * k, fd));
      const m = cmsg(SCM_RIGHTS, data.bytes);
      parts.push(m.subarray(0, Math.min(m.length, room - used)));
      used += Math.min(m.length, room - used);
    }
    if (!(flags & MSG_PEEK)) releaseRights(r.rights);
  }
  return { bytes: Buffer.concat(parts), truncated };
}

/** ___sys_recvmsg on one msghdr: the message, then msg_name, msg_flags and msg_controllen. */
function receiveOne(c: SyscallContext, sock: Socket, msgAddr: number, flags: number): number {
  const msg: MsgHeader | number = readMsgHeader(c, msgAddr);
  if (typeof msg === 'number') return msg;
  const r = take(c, sock, msg.iov, flags);
  if (typeof r === 'number') return r;
  const mem = c.proc.mem;
  if (msg.name !== 0) {
    const err = putAddress(c, r.from ? encodeAddress(r.from) : new Uint8Array(0), msg.name, msgAddr + 8);
    if (err < 0) return err;
  }
  const control = controlFor(c, sock, r, msg.controllen, flags);
  if (control.bytes.length > 0) mem.writeBytes(msg.control, control.bytes);
  const msgFlags = r.flags | (control.truncated ? MSG_CTRUNC : 0) | (flags & MSG_CMSG_CLOEXEC);
  mem.writeBytes(msgAddr + 48, new StructWriter(4).u32(0, msgFlags).bytes);
  mem.writeBytes(msgAddr + 40, new StructWriter(8).u64(0, control.bytes.length).bytes);
  return r.result;
}

function recvmsg(c: SyscallContext): number {
  const sock = socketArg(c);
  if (typeof sock === 'number') return sock;
  return receiveOne(c, sock, argUlong(c.args, 1), argInt(c.args, 2));
}

function recvmmsg(c: SyscallContext): number {
  const { args, proc } = c;
  const sock = socketArg(c);
  if (typeof sock === 'number') return sock;
  const timeout = argUlong(args, 4);
  if (timeout !== 0) {
    const raw = guestBytes(c, timeout, 16);
    if (typeof raw === 'number') return raw;
    const view = new DataView(raw.buffer);
    const nsec = view.getBigInt64(8, true);
    if (view.getBigInt64(0, true) < 0n || nsec < 0n || nsec >= 1_000_000_000n) return -Errno.EINVAL;
  }
  const vec = argUlong(args, 1);
  const vlen = Math.min(argUint(args, 2), 1024);
  let flags = argInt(args, 3);
  let received = 0;
  for (; received < vlen; received++) {
    const entry = vec + received * MMSGHDR_SIZE;
    const r = receiveOne(c, sock, entry, flags);
    if (r < 0) return received > 0 ? received : r;
    if (!proc.mem.isAccessible(entry + 56, 4, 'write')) return received > 0 ? received : -Errno.EFAULT;
    proc.mem.writeBytes(entry + 56, new StructWriter(4).u32(0, r).bytes);
    if (flags & MSG_WAITFORONE) flags |= MSG_DONTWAIT;
  }
  return received;
}

export const SOCKET_SYSCALLS: Record<string, SyscallHandler> = {
  socket,
  socketpair,
  bind,
  listen,
  accept,
  accept4,
  connect,
  shutdown,
  getsockname,
  getpeername,
  setsockopt,
  getsockopt,
  sendto,
  recvfrom,
  sendmsg,
  recvmsg,
  sendmmsg,
  recvmmsg,
};
