// The emulated machine's network namespace: the unix socket names (abstract ones, and path names
// by the host identity of their socket file), the loopback interface's bound inet sockets, and
// the counters that make autobind names and ephemeral ports deterministic. One serves the
// process tree that shares a file system (Vfs), like Linux's per-namespace tables.
import type { FileKey } from '../metadata.js';
import type { Process } from '../process.js';
import { SOCKFS_DEV, Vfs } from '../vfs.js';
import type { Socket } from './socket.js';
import { Socket as SocketClass } from './socket.js';

/** net.ipv4.ip_local_port_range's default. */
export const EPHEMERAL_FIRST = 32768;
export const EPHEMERAL_LAST = 60999;

export class Network {
  /** Bound abstract unix names, by the name's bytes (latin1). */
  readonly abstractNames = new Map<string, Socket>();
  /** Bound path names, by the host identity of the socket file bind made. */
  readonly pathNames = new Map<FileKey, Socket>();
  /** Bound inet sockets (TCP and UDP, IPv4 and IPv6). */
  readonly inetBound = new Set<Socket>();
  /** The next autobind name (5 hex digits) and ephemeral port to try. */
  nextAutobind = 0;
  nextPort = EPHEMERAL_FIRST;
}

const networks = new WeakMap<Vfs, Network>();

/** The network namespace of a process. */
export function networkOf(proc: Process): Network {
  let net = networks.get(proc.vfs);
  if (!net) networks.set(proc.vfs, (net = new Network()));
  return net;
}

/** A new socket of the process, numbered on sockfs (`socket:[N]`) unless it is the server side
 *  of a connection, which gets its inode when accepted (number()). */
export function makeSocket(proc: Process, domain: number, type: number, protocol: number, flags: number, numbered = true): Socket {
  const creds = { pid: proc.pid, uid: proc.identity.euid, gid: proc.identity.egid };
  const sock = new SocketClass(domain, type, protocol, flags, -1n, '', creds, proc.clock.realtimeNs(), proc.clock);
  if (numbered) number(proc, sock);
  return sock;
}

/** Gives a socket its inode on sockfs. */
export function number(proc: Process, sock: Socket): void {
  sock.id = proc.vfs.newPipeId();
  sock.label = `socket:[${proc.metadata.virtualIno(SOCKFS_DEV, sock.id)}]`;
}
