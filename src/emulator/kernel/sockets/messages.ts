// struct msghdr and its control messages (uapi linux/socket.h): what sendmsg reads and recvmsg
// writes back, checked in Linux's order (copy_msghdr_from_user, __scm_send, scm_detach_fds).
import type { SyscallContext } from '../context.js';
import { StructWriter } from '../context.js';
import { Errno } from '../errno.js';
import { O_PATH, OpenFile } from '../files.js';
import { SOCKADDR_STORAGE_SIZE } from './addresses.js';
import type { Rights, Ucred } from './socket.js';

export const MSGHDR_SIZE = 56;
/** struct mmsghdr: a msghdr and the byte count of its message. */
export const MMSGHDR_SIZE = 64;
const UIO_MAXIOV = 1024;
const INT_MAX = 0x7fffffff;
const CMSGHDR_SIZE = 16;
export const SCM_RIGHTS = 1;
export const SCM_CREDENTIALS = 2;
/** The most descriptors one message may pass. */
const SCM_MAX_FD = 253;
const SOL_SOCKET = 1;

export interface MsgHeader {
  name: number;
  namelen: number;
  iov: [number, number][];
  control: number;
  controllen: number;
}

function u64(b: Uint8Array, off: number): number {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return v.getUint32(off, true) + v.getUint32(off + 4, true) * 4294967296;
}

function i32(b: Uint8Array, off: number): number {
  return new DataView(b.buffer, b.byteOffset, b.byteLength).getInt32(off, true);
}

/** Guest bytes, or -EFAULT. */
export function guestBytes(c: SyscallContext, addr: number, len: number): Uint8Array | number {
  if (len === 0) return new Uint8Array(0);
  return c.proc.mem.isAccessible(addr, len, 'read') ? c.proc.mem.readBytes(addr, len) : -Errno.EFAULT;
}

/** An iovec array: [base, len] pairs; EMSGSIZE for too many, EINVAL for a negative length. */
export function readIovecs(c: SyscallContext, addr: number, count: number): [number, number][] | number {
  if (count > UIO_MAXIOV) return -Errno.EMSGSIZE;
  const raw = guestBytes(c, addr, count * 16);
  if (typeof raw === 'number') return raw;
  const iov: [number, number][] = [];
  let total = 0;
  for (let k = 0; k < count; k++) {
    const len = u64(raw, 16 * k + 8);
    if (len >= 2 ** 63) return -Errno.EINVAL;
    total += len;
    iov.push([u64(raw, 16 * k), len]);
  }
  if (total >= 2 ** 63) return -Errno.EINVAL;
  return iov;
}

/** copy_msghdr_from_user. */
export function readMsgHeader(c: SyscallContext, addr: number): MsgHeader | number {
  const raw = guestBytes(c, addr, MSGHDR_SIZE);
  if (typeof raw === 'number') return raw;
  let namelen = i32(raw, 8);
  if (namelen < 0) return -Errno.EINVAL;
  namelen = Math.min(namelen, SOCKADDR_STORAGE_SIZE);
  const iovlen = u64(raw, 24);
  const iov = readIovecs(c, u64(raw, 16), iovlen > UIO_MAXIOV ? UIO_MAXIOV + 1 : iovlen);
  if (typeof iov === 'number') return iov;
  return { name: u64(raw, 0), namelen: u64(raw, 0) === 0 ? 0 : namelen, iov, control: u64(raw, 32), controllen: u64(raw, 40) };
}

/** The bytes of the iovecs, gathered (-EFAULT when one is unreadable). */
export function gather(c: SyscallContext, iov: [number, number][]): Uint8Array | number {
  const parts: Uint8Array[] = [];
  for (const [base, len] of iov) {
    const part = guestBytes(c, base, Math.min(len, 0x7ffff000));
    if (typeof part === 'number') return part;
    parts.push(part);
  }
  return Buffer.concat(parts);
}

/** Whether the iovecs can take `n` bytes. */
export function writable(c: SyscallContext, iov: [number, number][], n: number): boolean {
  for (const [base, len] of iov) {
    if (n <= 0) break;
    const k = Math.min(len, n);
    if (k > 0 && !c.proc.mem.isAccessible(base, k, 'write')) return false;
    n -= k;
  }
  return true;
}

/** Spreads bytes over the iovecs. */
export function scatter(c: SyscallContext, iov: [number, number][], data: Uint8Array): void {
  let done = 0;
  for (const [base, len] of iov) {
    if (done >= data.length) break;
    const k = Math.min(len, data.length - done);
    c.proc.mem.writeBytes(base, data.subarray(done, done + k));
    done += k;
  }
}

/** The iovecs' total length. */
export function totalLength(iov: [number, number][]): number {
  return Math.min(
    iov.reduce((sum, [, len]) => sum + len, 0),
    0x7ffff000,
  );
}

/** What the control messages of a send carry. */
export interface Control {
  files: OpenFile[];
  creds: Ucred | null;
}

/** __scm_send: the control messages at `addr` (SCM_RIGHTS descriptors, SCM_CREDENTIALS);
 *  `unix` says whether the socket may pass them (else a SOL_SOCKET message is EINVAL). */
export function readControl(c: SyscallContext, addr: number, length: number, unix: boolean): Control | number {
  const control: Control = { files: [], creds: null };
  if (length === 0) return control;
  if (length > INT_MAX) return -Errno.ENOBUFS;
  const raw = guestBytes(c, addr, length);
  if (typeof raw === 'number') return raw;
  for (let off = 0; off + CMSGHDR_SIZE <= length; ) {
    const len = u64(raw, off);
    if (len < CMSGHDR_SIZE || len > length - off) return -Errno.EINVAL;
    const level = i32(raw, off + 8);
    const type = i32(raw, off + 12);
    if (level === SOL_SOCKET) {
      if (!unix) return -Errno.EINVAL;
      if (type === SCM_RIGHTS) {
        const count = Math.floor((len - CMSGHDR_SIZE) / 4);
        if (control.files.length + count > SCM_MAX_FD) return -Errno.EINVAL;
        for (let k = 0; k < count; k++) {
          const file = c.proc.fds.get(i32(raw, off + CMSGHDR_SIZE + 4 * k));
          if (!file || file.flags & O_PATH) return -Errno.EBADF;
          control.files.push(file);
        }
      } else if (type === SCM_CREDENTIALS) {
        if (len !== CMSGHDR_SIZE + 12) return -Errno.EINVAL;
        const creds = { pid: i32(raw, off + 16), uid: i32(raw, off + 20), gid: i32(raw, off + 24) };
        const id = c.proc.identity;
        if (id.euid !== 0 && (creds.pid !== c.proc.pid || creds.uid !== id.uid || creds.gid !== id.gid)) return -Errno.EPERM;
        control.creds = creds;
      } else return -Errno.EINVAL;
    }
    off += (len + 7) & ~7;
  }
  return control;
}

/** Holds the descriptors of a message in flight. */
export function holdRights(c: SyscallContext, files: OpenFile[]): Rights | null {
  if (files.length === 0) return null;
  for (const file of files) c.proc.fds.refs.hold(file);
  return { files, refs: c.proc.fds.refs };
}

/** A control message's bytes: its header and data, padded to 8 (CMSG_SPACE). */
export function cmsg(type: number, data: Uint8Array): Uint8Array {
  const space = (CMSGHDR_SIZE + data.length + 7) & ~7;
  const w = new StructWriter(space).u64(0, CMSGHDR_SIZE + data.length).u32(8, SOL_SOCKET).u32(12, type);
  w.bytes.set(data, CMSGHDR_SIZE);
  return w.bytes;
}

export const CMSG_HEADER = CMSGHDR_SIZE;
