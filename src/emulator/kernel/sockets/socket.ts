// A socket inside the emulator: a receive queue of messages (bytes, the sender's address, passed
// descriptors, the sender's credentials), a peer for the connected kinds, a queue of connections
// not yet accepted for a listening one, shutdown state and options. The unix and the loopback
// inet sockets share it; their naming (bind, connect, lookup) lives in unix.ts and inet.ts.
//
// Everything runs in one process, so a call that must wait for the other end could never
// complete: `wait` decides, in one place, between EAGAIN (non-blocking, MSG_DONTWAIT), a timeout
// slept on the virtual clock (SO_RCVTIMEO, SO_SNDTIMEO: EAGAIN after it), and the marker that
// the syscall layer reports as a deadlock (blocksForever).
import type { Clock } from '../clock.js';
import { Errno } from '../errno.js';
import {
  DescriptionRefs,
  FileKind,
  O_NONBLOCK,
  OpenFile,
  POLLERR,
  POLLHUP,
  POLLIN,
  POLLOUT,
  POLLRDNORM,
  POLLWRNORM,
  StatInfo,
} from '../files.js';
import type { FileKey } from '../metadata.js';
import { fileKey } from '../metadata.js';
import { WOULD_BLOCK_FOREVER } from '../pipes.js';
import { SOCKFS_DEV } from '../vfs.js';
import { AF_INET, AF_INET6, AF_UNIX, InetAddress, SocketAddress } from './addresses.js';

export const SOCK_STREAM = 1;
export const SOCK_DGRAM = 2;
export const SOCK_RAW = 3;
export const SOCK_SEQPACKET = 5;
/** socket()'s type argument: the type in the low bits, these flags above. */
export const SOCK_TYPE_MASK = 0xf;
export const SOCK_NONBLOCK = 0o4000;
export const SOCK_CLOEXEC = 0o2000000;

export const MSG_OOB = 0x1;
export const MSG_PEEK = 0x2;
export const MSG_CTRUNC = 0x8;
export const MSG_TRUNC = 0x20;
export const MSG_DONTWAIT = 0x40;
export const MSG_EOR = 0x80;
export const MSG_WAITALL = 0x100;
export const MSG_NOSIGNAL = 0x4000;
export const MSG_CMSG_CLOEXEC = 0x40000000;

/** sk_shutdown bits. */
export const RCV_SHUTDOWN = 1;
export const SEND_SHUTDOWN = 2;
export const SHUTDOWN_MASK = 3;

const POLLWRBAND = 0x200;
const POLLRDHUP = 0x2000;

/** net.core.wmem_default / rmem_default (the unix and UDP buffers) and TCP's initial ones
 *  (net.ipv4.tcp_wmem[1], tcp_rmem[1]). */
export const DEFAULT_SOCKET_BUFFER = 212992;
export const TCP_DEFAULT_SNDBUF = 16384;
export const TCP_DEFAULT_RCVBUF = 131072;
/** net.unix.max_dgram_qlen: a unix datagram socket holds one more message than this. */
export const UNIX_MAX_DGRAM_QLEN = 10;

/** The credentials a message carries and SO_PEERCRED reports (struct ucred). */
export interface Ucred {
  pid: number;
  uid: number;
  gid: number;
}

/** Descriptors in flight (SCM_RIGHTS): held in `refs` until received or dropped. */
export interface Rights {
  files: OpenFile[];
  refs: DescriptionRefs;
}

export interface Message {
  data: Uint8Array;
  /** The sender's address (recvfrom's); null when it has none. */
  from: SocketAddress | null;
  rights: Rights | null;
  creds: Ucred;
}

/** What a receive gives: the bytes copied, the result (the datagram's length with MSG_TRUNC),
 *  the sender, passed descriptors and credentials, and msg_flags. */
export interface Received {
  data: Uint8Array;
  result: number;
  from: SocketAddress | null;
  rights: Rights | null;
  creds: Ucred | null;
  flags: number;
}

export type SocketState = 'unconnected' | 'listening' | 'connected';

/** Drops one in-flight reference to each description, closing those no fd refers to now. */
export function releaseRights(rights: Rights): void {
  for (const file of rights.files) if (rights.refs.drop(file)) file.close();
}

export class Socket implements OpenFile {
  readonly kind: FileKind = 'socket';
  readonly hostFd = null;
  state: SocketState = 'unconnected';
  /** The bound name (getsockname); null when unbound. */
  local: SocketAddress | null = null;
  /** The other end of a connected stream or seqpacket socket, or a unix datagram socket's
   *  connected destination. */
  peer: Socket | null = null;
  /** A connected inet socket's remote address (a UDP socket's default destination). */
  remote: InetAddress | null = null;
  readonly queue: Message[] = [];
  /** Bytes in the receive queue. */
  queued = 0;
  /** A listening socket's connections not yet accepted, and how many it may hold. */
  readonly pending: Socket[] = [];
  backlog = 0;
  shutdown = 0;
  /** SO_ERROR: a pending asynchronous error, reported once. */
  error = 0;
  /** SO_PEERCRED. */
  peerCred: Ucred | null = null;
  /** A non-blocking connect in progress or done (EINPROGRESS given; the next connect says how it
   *  went). */
  connectPending = false;
  closed = false;
  /** SO_SNDBUF, SO_RCVBUF. */
  sndbuf: number;
  rcvbuf: number;
  /** SO_RCVTIMEO, SO_SNDTIMEO in jiffies (0: none). */
  rcvtimeo = 0;
  sndtimeo = 0;
  /** The plain integer options (options.ts) by `level:name`. */
  readonly intOptions = new Map<string, number>();
  /** SO_LINGER. */
  linger = { onoff: 0, seconds: 0 };
  /** Made by socketpair (strace -yy shows a datagram socket's peer only then). */
  madeAsPair = false;
  /** Called when the socket closes (the naming layer forgets its name). */
  onClose: (() => void) | null = null;

  constructor(
    readonly domain: number,
    readonly type: number,
    readonly protocol: number,
    public flags: number,
    /** Its inode number on sockfs (before metadata renumbers it) and what /proc/self/fd shows;
     *  the server side of a connection not yet accepted has none yet (-1, ''). */
    public id: bigint,
    public label: string,
    /** Who made it: its inode's owner, SO_PEERCRED of its peer, a message's credentials. */
    readonly creds: Ucred,
    private readonly timeNs: bigint,
    private readonly clock: Clock,
  ) {
    const tcp = domain !== AF_UNIX && type === SOCK_STREAM;
    this.sndbuf = tcp ? TCP_DEFAULT_SNDBUF : DEFAULT_SOCKET_BUFFER;
    this.rcvbuf = tcp ? TCP_DEFAULT_RCVBUF : DEFAULT_SOCKET_BUFFER;
  }

  get path(): string {
    return this.label;
  }

  get isInet(): boolean {
    return this.domain === AF_INET || this.domain === AF_INET6;
  }

  /** Stream or seqpacket: the kinds with connections. */
  get connectionOriented(): boolean {
    return this.type === SOCK_STREAM || this.type === SOCK_SEQPACKET;
  }

  /**
   * The one place a socket call that cannot go on now decides what happens: EAGAIN when it may
   * not wait; after SO_RCVTIMEO or SO_SNDTIMEO (slept on the virtual clock), EAGAIN; else the
   * marker of a wait that nothing in this process could end.
   */
  wait(direction: 'receive' | 'send', dontWait: boolean): number {
    if (dontWait || this.flags & O_NONBLOCK) return -Errno.EAGAIN;
    const jiffies = direction === 'receive' ? this.rcvtimeo : this.sndtimeo;
    if (jiffies > 0) {
      this.clock.sleep(BigInt(jiffies) * JIFFY_NS);
      return -Errno.EAGAIN;
    }
    return WOULD_BLOCK_FOREVER;
  }

  /** Puts a message on the receive queue. */
  deliver(message: Message): void {
    this.queue.push(message);
    this.queued += message.data.length;
  }

  // ---------------------------------------------------------------- receiving

  /** Receives up to `length` bytes (recvmsg's core); -errno or the wait marker. */
  receive(length: number, flags: number): Received | number {
    if (this.connectionOriented && this.state !== 'connected') {
      if (this.type === SOCK_SEQPACKET) return -Errno.ENOTCONN;
      return this.isInet ? -Errno.ENOTCONN : -Errno.EINVAL;
    }
    if (this.queue.length === 0) {
      const error = this.takeError();
      if (error) return -error;
      if (this.shutdown & RCV_SHUTDOWN) return { data: new Uint8Array(0), result: 0, from: null, rights: null, creds: null, flags: 0 };
      return this.wait('receive', (flags & MSG_DONTWAIT) !== 0);
    }
    return this.type === SOCK_STREAM ? this.receiveStream(length, flags) : this.receiveDatagram(length, flags);
  }

  /** A byte stream: messages run together, up to the end of one that passed descriptors. */
  private receiveStream(length: number, flags: number): Received {
    const peek = (flags & MSG_PEEK) !== 0;
    const out = new Uint8Array(Math.min(length, this.queued));
    let copied = 0;
    let rights: Rights | null = null;
    let from: SocketAddress | null = null;
    const creds = this.queue[0].creds;
    let k = 0;
    while (k < this.queue.length && copied < out.length) {
      const message = this.queue[k];
      const n = Math.min(message.data.length, out.length - copied);
      out.set(message.data.subarray(0, n), copied);
      copied += n;
      from ??= message.from;
      const hadRights = message.rights !== null;
      if (hadRights) rights = peek ? { files: message.rights!.files, refs: message.rights!.refs } : message.rights;
      if (peek) k++;
      else {
        message.rights = null;
        this.queued -= n;
        if (n === message.data.length) this.queue.shift();
        else message.data = message.data.subarray(n);
      }
      if (hadRights) break;
    }
    // MSG_WAITALL with too little queued would wait for the rest; in this one process no more
    // can come, so it ends with what there is, as at a timeout.
    return { data: out.subarray(0, copied), result: copied, from, rights, creds, flags: 0 };
  }

  /** Datagrams and seqpackets: one message a call; what does not fit is lost (MSG_TRUNC). */
  private receiveDatagram(length: number, flags: number): Received {
    const message = this.queue[0];
    const n = Math.min(message.data.length, length);
    const truncated = message.data.length > length;
    if (!(flags & MSG_PEEK)) {
      this.queue.shift();
      this.queued -= message.data.length;
    }
    return {
      data: message.data.slice(0, n),
      result: flags & MSG_TRUNC && this.type !== SOCK_STREAM ? message.data.length : n,
      from: message.from,
      rights: message.rights,
      creds: message.creds,
      flags: truncated ? MSG_TRUNC : 0,
    };
  }

  /** SO_ERROR's read: the pending error, cleared. */
  takeError(): number {
    const e = this.error;
    this.error = 0;
    return e;
  }

  // ---------------------------------------------------------------- sending

  /** Sends on a connected stream or seqpacket socket; -errno or the wait marker. EPIPE means
   *  the caller raises SIGPIPE (stream sockets, unless MSG_NOSIGNAL). */
  sendConnected(data: Uint8Array, flags: number, rights: Rights | null, creds = this.creds): number {
    const peer = this.peer;
    if (this.shutdown & SEND_SHUTDOWN) return -Errno.EPIPE;
    if (!peer || this.state !== 'connected') return this.isInet ? -Errno.EPIPE : -Errno.ENOTCONN;
    if (peer.closed || peer.shutdown & RCV_SHUTDOWN) return -Errno.EPIPE;
    if (this.type === SOCK_SEQPACKET) return this.sendDatagramTo(peer, data, flags, rights, creds);
    if (data.length === 0) return 0;
    // The bytes this socket has in flight are limited by its send buffer.
    const room = Math.max(0, this.sndbuf - peer.queued);
    if (room === 0) return this.wait('send', (flags & MSG_DONTWAIT) !== 0);
    const n = Math.min(room, data.length);
    peer.deliver({ data: data.slice(0, n), from: this.local, rights, creds });
    return n;
  }

  /** Sends one datagram to `target` (a found name or the connected peer). */
  sendDatagramTo(target: Socket, data: Uint8Array, flags: number, rights: Rights | null, creds = this.creds): number {
    if (target.shutdown & RCV_SHUTDOWN) return -Errno.EPIPE;
    if (target.domain === AF_UNIX && target.queue.length > UNIX_MAX_DGRAM_QLEN) return this.wait('send', (flags & MSG_DONTWAIT) !== 0);
    target.deliver({ data: data.slice(), from: this.local, rights, creds });
    return data.length;
  }

  // ---------------------------------------------------------------- connections

  /** Sets up both ends of a connection: this socket and the server side a listener will accept. */
  pairWith(other: Socket): void {
    this.peer = other;
    other.peer = this;
    this.state = 'connected';
    other.state = 'connected';
  }

  /** shutdown(2): SHUT_RD (0), SHUT_WR (1), SHUT_RDWR (2) as RCV/SEND bits. A unix peer sees
   *  the mirror image; a TCP peer sees the end of the stream after SHUT_WR. */
  shutDown(bits: number): void {
    this.shutdown |= bits;
    const peer = this.peer;
    if (!peer || !this.connectionOriented) return;
    let mirrored = bits & SEND_SHUTDOWN ? RCV_SHUTDOWN : 0;
    if (!this.isInet && bits & RCV_SHUTDOWN) mirrored |= SEND_SHUTDOWN;
    peer.shutdown |= mirrored;
  }

  // ---------------------------------------------------------------- OpenFile

  read(into: Uint8Array): number {
    const r = this.receive(into.length, 0);
    if (typeof r === 'number') return r;
    this.dropRights(r);
    into.set(r.data);
    return r.result;
  }

  write(data: Uint8Array): number {
    if (this.connectionOriented) return this.sendConnected(data, 0, null);
    if (!this.peer && !this.remote) return this.isInet ? -Errno.EDESTADDRREQ : -Errno.ENOTCONN;
    if (this.peer) {
      if (this.peer.closed) return -Errno.ECONNREFUSED;
      return this.sendDatagramTo(this.peer, data, 0, null);
    }
    return this.sendUdp?.(data, this.remote!) ?? data.length;
  }

  /** A UDP send to a loopback address (inet.ts sets it: the receiver is found by its port). */
  sendUdp: ((data: Uint8Array, to: InetAddress) => number) | null = null;

  /** Passed descriptors that a plain read() cannot take are closed, as Linux does. */
  private dropRights(r: Received): void {
    if (r.rights) releaseRights(r.rights);
  }

  pread(): number {
    return -Errno.ESPIPE;
  }

  pwrite(): number {
    return -Errno.ESPIPE;
  }

  seek(): number {
    return -Errno.ESPIPE;
  }

  stat(): StatInfo {
    return {
      dev: SOCKFS_DEV,
      ino: this.id,
      mode: 0o140777,
      nlink: 1n,
      uid: this.creds.uid,
      gid: this.creds.gid,
      rdev: 0n,
      size: 0n,
      blksize: 4096n,
      blocks: 0n,
      atimeNs: this.timeNs,
      mtimeNs: this.timeNs,
      ctimeNs: this.timeNs,
    };
  }

  hostKey(): FileKey {
    return fileKey(SOCKFS_DEV, this.id);
  }

  tell(): number {
    return 0;
  }

  /** unix_poll, unix_dgram_poll, tcp_poll and udp_poll, as far as a loopback needs them. */
  poll(): number {
    let mask = this.error ? POLLERR : 0;
    if (this.state === 'listening') return mask | (this.pending.length > 0 ? POLLIN | POLLRDNORM : 0);
    if (this.shutdown === SHUTDOWN_MASK) mask |= POLLHUP;
    if (this.shutdown & RCV_SHUTDOWN) mask |= POLLRDHUP | POLLIN | POLLRDNORM;
    if (this.queue.length > 0) mask |= POLLIN | POLLRDNORM;
    // A stream socket without a connection is hung up.
    if (this.connectionOriented && this.state !== 'connected') mask |= POLLHUP;
    return mask | (this.writable() ? POLLOUT | POLLWRNORM | (this.isInet && this.type === SOCK_STREAM ? 0 : POLLWRBAND) : 0);
  }

  /** Whether a send would find room: Linux says so after a shutdown too (the send then fails at
   *  once rather than blocking). */
  private writable(): boolean {
    const peer = this.peer;
    if (this.type === SOCK_STREAM) return (this.shutdown & SEND_SHUTDOWN) !== 0 || peer === null || peer.queued < this.sndbuf;
    // A unix datagram socket whose destination is full and not connected back waits for room.
    if (!this.isInet && peer && peer.peer !== this) return peer.queue.length <= UNIX_MAX_DGRAM_QLEN;
    return true;
  }

  /** FIONREAD (SIOCINQ): the bytes queued for a stream or seqpacket, the next datagram's size. */
  readable(): number {
    if (this.type === SOCK_DGRAM) return this.queue[0]?.data.length ?? 0;
    return this.queued;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    const peer = this.peer;
    if (peer && this.connectionOriented) {
      // The peer's reads end (after what is queued) and its writes fail; unread data here
      // resets the connection.
      peer.shutdown = this.isInet ? peer.shutdown | RCV_SHUTDOWN : SHUTDOWN_MASK;
      if (this.queue.length > 0 && !this.isInet) peer.error = Errno.ECONNRESET;
    }
    for (const embryo of this.pending.splice(0)) {
      if (embryo.peer) embryo.peer.error = Errno.ECONNRESET;
      embryo.close();
    }
    for (const message of this.queue.splice(0)) if (message.rights) releaseRights(message.rights);
    this.queued = 0;
    this.onClose?.();
  }
}

/** One jiffy at CONFIG_HZ=250 (the coarse clocks' tick, clock.ts). */
export const HZ = 250;
export const JIFFY_NS = 1_000_000_000n / BigInt(HZ);
