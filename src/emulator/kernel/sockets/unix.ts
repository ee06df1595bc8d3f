// AF_UNIX naming: bind, connect and the lookup of a destination (net/unix/af_unix.c).
//
// Abstract names (sun_path starting with NUL) live in the emulator's network namespace only.
// A path name is a socket file in the guest's file system, as on Linux: bind makes a real socket
// file on the host, at the host path of the guest path (inside --root; EROFS under --read-only),
// with mode 0777 & ~umask. Node cannot mknod a socket, so the file is made by binding a host
// unix socket to a temporary name beside it (through /proc/self/fd/DIR, which keeps the path
// short), hard-linking the target name to it (EEXIST: EADDRINUSE, atomically) and closing the
// host socket at once (which removes the temporary name). What remains is an inert socket file:
// no host process can connect through it. The emulated socket is found again by the host
// identity (dev, ino) of that file, so connect follows symlinks and hard links as Linux does,
// and a name unlinked and rebound is a new socket.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { AT_FDCWD } from '../context.js';
import { Errno } from '../errno.js';
import { lstatKey, mayChangeParent, parentHost } from '../syscalls/lookup.js';
import type { Process } from '../process.js';
import { exists, mayAccess, W_OK } from '../vfs.js';
import { AF_UNIX, AF_UNSPEC, SOCKADDR_UN_SIZE, SUN_PATH_OFFSET, UnixAddress, unixAddress } from './addresses.js';
import { networkOf } from './network.js';
import { intOption, SO_PASSCRED, SOL_SOCKET } from './options.js';
import { Socket, SOCK_DGRAM, SOCK_SEQPACKET, SOCK_STREAM } from './socket.js';

/** unix_validate_addr and the name in it: an abstract name is the whole rest of the address, a
 *  path name ends at its first NUL. */
export function unixName(raw: Uint8Array): UnixAddress | number {
  if (raw.length <= SUN_PATH_OFFSET || raw.length > SOCKADDR_UN_SIZE) return -Errno.EINVAL;
  if (raw[0] + (raw[1] << 8) !== AF_UNIX) return -Errno.EINVAL;
  const path = raw.subarray(SUN_PATH_OFFSET);
  if (path[0] === 0) return unixAddress(path.slice());
  const end = path.indexOf(0);
  return unixAddress(path.slice(0, end < 0 ? path.length : end));
}

/** An abstract name's key: Linux hashes the socket type in, so a stream and a datagram socket
 *  may hold the same name, and neither is found by a socket of the other type. */
const abstractKey = (name: Uint8Array, type: number): string => `${type}:${Buffer.from(name).toString('latin1')}`;

/** Names the socket with the next free abstract name `\0XXXXX` (unix_autobind). */
export function autobind(proc: Process, sock: Socket): void {
  if (sock.local) return;
  const net = networkOf(proc);
  for (;;) {
    const name = Uint8Array.from(Buffer.from('\0' + (net.nextAutobind++ & 0xfffff).toString(16).padStart(5, '0'), 'latin1'));
    if (!net.abstractNames.has(abstractKey(name, sock.type))) {
      nameAbstract(proc, sock, name);
      return;
    }
  }
}

function nameAbstract(proc: Process, sock: Socket, name: Uint8Array): void {
  const names = networkOf(proc).abstractNames;
  const key = abstractKey(name, sock.type);
  names.set(key, sock);
  sock.local = unixAddress(name);
  sock.onClose = () => {
    if (names.get(key) === sock) names.delete(key);
  };
}

/** bind(2) of a unix socket: `raw` is the address as the guest gave it. */
export function bindUnix(proc: Process, sock: Socket, raw: Uint8Array): number {
  if (raw.length === SUN_PATH_OFFSET && raw[0] + (raw[1] << 8) === AF_UNIX) {
    autobind(proc, sock);
    return 0;
  }
  const addr = unixName(raw);
  if (typeof addr === 'number') return addr;
  if (addr.name[0] === 0) {
    if (sock.local) return -Errno.EINVAL;
    if (networkOf(proc).abstractNames.has(abstractKey(addr.name, sock.type))) return -Errno.EADDRINUSE;
    nameAbstract(proc, sock, addr.name);
    return 0;
  }
  return bindPath(proc, sock, addr.name);
}

let temporaryNames = 0;

/** Makes a socket file at a host path (see the head of this file); 0 or -errno. */
function makeSocketFile(proc: Process, host: string): number {
  const dir = path.dirname(host);
  const temporaryName = `.emtrace-socket-${process.pid}-${temporaryNames++}`;
  let dirFd: number;
  try {
    dirFd = fs.openSync(dir, fs.constants.O_RDONLY | fs.constants.O_DIRECTORY);
  } catch {
    return -Errno.EACCES;
  }
  const server = net.createServer();
  server.on('error', () => {});
  try {
    proc.vfs.withUmask(proc.umask, () => server.listen(`/proc/self/fd/${dirFd}/${temporaryName}`));
    const temporary = `${dir === '/' ? '' : dir}/${temporaryName}`;
    if (!fs.existsSync(temporary)) return -Errno.EACCES;
    try {
      fs.linkSync(temporary, host);
    } catch (e) {
      return (e as { code?: string }).code === 'EEXIST' ? -Errno.EADDRINUSE : -Errno.EACCES;
    }
    return 0;
  } finally {
    server.close();
    fs.closeSync(dirFd);
  }
}

/** unix_bind_bsd: the file first (EADDRINUSE if the name exists), then the socket's name. */
function bindPath(proc: Process, sock: Socket, name: Uint8Array): number {
  const l = proc.vfs.resolve(proc, AT_FDCWD, Buffer.from(name).toString('utf8'), { follow: 'never' });
  if (typeof l === 'number') return l;
  if (exists(l)) return -Errno.EADDRINUSE;
  if (l.host === null || l.guest.startsWith('/proc/')) return -Errno.ENOENT;
  const refused = proc.vfs.refuseChange(l);
  if (refused) return refused;
  if (!mayChangeParent(proc, l)) return -Errno.EACCES;
  if (sock.local) return -Errno.EINVAL;
  const made = makeSocketFile(proc, l.host);
  if (made < 0) return made;
  const key = lstatKey(l.host);
  if (key === null) return -Errno.ENOENT;
  proc.metadata.created(key);
  proc.metadata.modified(lstatKey(parentHost(l)));
  const names = networkOf(proc).pathNames;
  names.set(key, sock);
  sock.local = unixAddress(name);
  sock.onClose = () => {
    if (names.get(key) === sock) names.delete(key);
  };
  return 0;
}

/** unix_find_other: the socket bound to a name, of the given type. */
export function findUnix(proc: Process, addr: UnixAddress, type: number): Socket | number {
  const net = networkOf(proc);
  let target: Socket | undefined;
  if (addr.name[0] === 0) {
    target = net.abstractNames.get(abstractKey(addr.name, type));
  } else {
    const l = proc.vfs.resolve(proc, AT_FDCWD, Buffer.from(addr.name).toString('utf8'), { follow: true });
    if (typeof l === 'number') return l;
    if (!exists(l) || !l.stat) return l.virtual ? -Errno.ECONNREFUSED : -Errno.ENOENT;
    if (proc.identity.euid !== 0 && !mayAccess(proc, l.stat, W_OK)) return -Errno.EACCES;
    if (!l.stat.isSocket()) return -Errno.ECONNREFUSED;
    target = net.pathNames.get(lstatKey(l.host) ?? '');
  }
  if (!target || target.closed) return -Errno.ECONNREFUSED;
  if (target.type !== type) return -Errno.EPROTOTYPE;
  return target;
}

/** A socket that passes credentials gets a name before it talks (SO_PASSCRED autobind). */
function autobindForCredentials(proc: Process, sock: Socket): void {
  if (intOption(sock, SOL_SOCKET, SO_PASSCRED)) autobind(proc, sock);
}

/** The destination of a unix datagram sent to `raw` (sendto, sendmsg with a name). */
export function unixDestination(proc: Process, sock: Socket, raw: Uint8Array): Socket | number {
  const addr = unixName(raw);
  if (typeof addr === 'number') return addr;
  autobindForCredentials(proc, sock);
  const target = findUnix(proc, addr, sock.type);
  if (typeof target === 'number') return target;
  // A datagram socket connected elsewhere takes datagrams only from its peer (unix_may_send).
  if (target.peer && target.peer !== sock) return -Errno.EPERM;
  return target;
}

/** connect(2) of a unix socket. `make` gives the server-side socket of a new connection. */
export function connectUnix(proc: Process, sock: Socket, raw: Uint8Array, make: (listener: Socket) => Socket): number {
  if (sock.type === SOCK_DGRAM) {
    if (raw.length < 2) return -Errno.EINVAL;
    if (raw[0] + (raw[1] << 8) === AF_UNSPEC) {
      sock.peer = null;
      return 0;
    }
    const target = unixDestination(proc, sock, raw);
    if (typeof target === 'number') return target;
    sock.peer = target;
    return 0;
  }
  const addr = unixName(raw);
  if (typeof addr === 'number') return addr;
  autobindForCredentials(proc, sock);
  const target = findUnix(proc, addr, sock.type);
  if (typeof target === 'number') return target;
  if (target.state !== 'listening' || target.shutdown) return -Errno.ECONNREFUSED;
  if (target.pending.length > target.backlog) return sock.wait('send', false);
  if (sock.state === 'connected') return -Errno.EISCONN;
  if (sock.state === 'listening') return -Errno.EINVAL;
  const server = make(target);
  server.local = target.local;
  server.peerCred = sock.creds;
  sock.peerCred = target.peerCred;
  sock.pairWith(server);
  target.pending.push(server);
  return 0;
}

/** listen(2) of a unix socket. */
export function listenUnix(sock: Socket, backlog: number): number {
  if (sock.type !== SOCK_STREAM && sock.type !== SOCK_SEQPACKET) return -Errno.EOPNOTSUPP;
  if (!sock.local) return -Errno.EINVAL;
  if (sock.state === 'connected') return -Errno.EINVAL;
  sock.state = 'listening';
  sock.backlog = backlog;
  sock.peerCred = sock.creds;
  return 0;
}
