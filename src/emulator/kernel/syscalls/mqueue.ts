// POSIX message queue calls (ipc/mqueue.c), for real in the process's IPC namespace: names,
// attributes and limits, priorities, O_NONBLOCK, timeouts on the virtual clock, mq_notify.
import { argInt, argUint, argUlong } from '../../../trace/event.js';
import { timespecValid } from '../clock.js';
import type { SyscallContext, SyscallHandler } from '../context.js';
import { blocksForever, PATH_MAX, StructWriter } from '../context.js';
import { CAP_SYS_RESOURCE } from '../creds.js';
import { Errno } from '../errno.js';
import { O_ACCMODE, O_CREAT, O_EXCL, O_NONBLOCK } from '../files.js';
import { ipcNamespace } from '../ipc-namespace.js';
import { MessageQueue, MQ_DEFAULT_MAXMSG, MQ_DEFAULT_MSGSIZE, MQ_MSG_MAX, MQ_MSGSIZE_MAX, MQ_PRIO_MAX, MQ_QUEUES_MAX, QueueDescription } from '../mqueue.js';
import type { Process } from '../process.js';
import { NSIG } from '../signals.js';
import { viewOf } from '../user-struct.js';
import { NAME_MAX, mayAccess, R_OK, W_OK } from '../vfs.js';

const HARD_MSGMAX = 65536;
const HARD_MSGSIZEMAX = 16 * 1024 * 1024;
const MQ_ATTR_SIZE = 64;
const SIGEV_SIGNAL = 0;
const SIGEV_NONE = 1;
const SIGEV_THREAD = 2;
const SI_MESGQ = -3;
const ENOTSOCK = 88;

/** getname and lookup_one_len: the queue name, or -errno. */
function queueName(proc: Process, addr: number): string | number {
  const s = proc.mem.readCString(addr, PATH_MAX);
  if (!s.terminated) return s.faulted ? -Errno.EFAULT : -Errno.ENAMETOOLONG;
  const name = Buffer.from(s.bytes).toString('utf8');
  if (name === '') return -Errno.ENOENT;
  if (name === '.' || name === '..' || name.includes('/')) return -Errno.EACCES;
  if (s.bytes.length > NAME_MAX) return -Errno.ENAMETOOLONG;
  return name;
}

function readAttr(proc: Process, addr: number): DataView {
  return viewOf(proc.mem.readBytes(addr, MQ_ATTR_SIZE));
}

function createQueue(c: SyscallContext, name: string, mode: number, attr: DataView | null): MessageQueue | number {
  const ns = ipcNamespace(c.proc).queues;
  const privileged = c.proc.identity.capable(CAP_SYS_RESOURCE);
  if (ns.byName.size >= MQ_QUEUES_MAX && !privileged) return -Errno.ENOSPC;
  let maxmsg = MQ_DEFAULT_MAXMSG;
  let msgsize = MQ_DEFAULT_MSGSIZE;
  if (attr) {
    const m = attr.getBigInt64(8, true);
    const s = attr.getBigInt64(16, true);
    if (m <= 0n || s <= 0n) return -Errno.EINVAL;
    const [maxM, maxS] = privileged ? [HARD_MSGMAX, HARD_MSGSIZEMAX] : [MQ_MSG_MAX, MQ_MSGSIZE_MAX];
    if (m > BigInt(maxM) || s > BigInt(maxS)) return -Errno.EINVAL;
    maxmsg = Number(m);
    msgsize = Number(s);
  }
  const id = c.proc.identity;
  const q = new MessageQueue(name, ns.newIno(), maxmsg, msgsize, mode & 0o777 & ~c.proc.umask, id.fsuid, id.fsgid, c.proc.clock.read('realtime'));
  ns.byName.set(name, q);
  return q;
}

function mqOpen(c: SyscallContext): number {
  const flags = argInt(c.args, 1);
  const mode = argUint(c.args, 2);
  const attrAddr = argUlong(c.args, 3);
  const attr = attrAddr !== 0 ? readAttr(c.proc, attrAddr) : null;
  const name = queueName(c.proc, argUlong(c.args, 0));
  if (typeof name === 'number') return name;
  const ns = ipcNamespace(c.proc).queues;
  let queue = ns.byName.get(name);
  if (!queue) {
    if (!(flags & O_CREAT)) return -Errno.ENOENT;
    const made = createQueue(c, name, mode, attr);
    if (typeof made === 'number') return made;
    queue = made;
  } else {
    if ((flags & (O_CREAT | O_EXCL)) === (O_CREAT | O_EXCL)) return -Errno.EEXIST;
    if ((flags & O_ACCMODE) === O_ACCMODE) return -Errno.EINVAL;
    const want = [R_OK, W_OK, R_OK | W_OK][flags & O_ACCMODE];
    if (!mayAccess(c.proc, { mode: queue.mode, uid: queue.uid, gid: queue.gid }, want, { guestOwned: true })) return -Errno.EACCES;
  }
  const keep = O_ACCMODE | O_NONBLOCK;
  return c.proc.fds.allocate(new QueueDescription(queue, flags & keep), true);
}

function mqUnlink(c: SyscallContext): number {
  const name = queueName(c.proc, argUlong(c.args, 0));
  if (typeof name === 'number') return name;
  const ns = ipcNamespace(c.proc).queues;
  const queue = ns.byName.get(name);
  if (!queue) return -Errno.ENOENT;
  // The mqueue root is sticky and world-writable: only the owner (or a privileged caller) removes.
  if (c.proc.identity.euid !== 0 && c.proc.identity.fsuid !== queue.uid) return -Errno.EPERM;
  queue.unlinked = true;
  ns.byName.delete(name);
  return 0;
}

/** The absolute CLOCK_REALTIME deadline at addr (null: none), or -errno. */
function readDeadline(proc: Process, addr: number): bigint | null | number {
  if (addr === 0) return null;
  const v = viewOf(proc.mem.readBytes(addr, 16));
  const t = { sec: v.getBigInt64(0, true), nsec: v.getBigInt64(8, true) };
  if (!timespecValid(t)) return -Errno.EINVAL;
  return t.sec * 1_000_000_000n + t.nsec;
}

/** The queue description behind an fd, open for `access` (EBADF otherwise). */
function queueArg(c: SyscallContext, access: 'read' | 'write' | 'any'): QueueDescription | number {
  const file = c.proc.fds.get(argInt(c.args, 0));
  if (!(file instanceof QueueDescription)) return -Errno.EBADF;
  if (access === 'read' && !file.canRead) return -Errno.EBADF;
  if (access === 'write' && !file.canWrite) return -Errno.EBADF;
  return file;
}

/** A send or receive that must wait: EAGAIN with O_NONBLOCK; with a deadline the virtual clock
 *  runs to it (nothing else in this process can change the queue) and the call times out. */
function mustWait(c: SyscallContext, file: QueueDescription, deadline: bigint | null, what: string): number {
  if (file.flags & O_NONBLOCK) return -Errno.EAGAIN;
  if (deadline === null) return blocksForever(c.proc, `${what} on ${file.path}`);
  c.proc.clock.sleepUntil('realtime', deadline);
  return -Errno.ETIMEDOUT;
}

function mqTimedsend(c: SyscallContext): number {
  const deadline = readDeadline(c.proc, argUlong(c.args, 4));
  if (typeof deadline === 'number') return deadline;
  const priority = argUlong(c.args, 3);
  if (priority >= MQ_PRIO_MAX) return -Errno.EINVAL;
  const file = queueArg(c, 'write');
  if (typeof file === 'number') return file;
  const q = file.queue;
  const len = argUlong(c.args, 2);
  if (len > q.msgsize) return -Errno.EMSGSIZE;
  const data = c.proc.mem.readBytes(argUlong(c.args, 1), len);
  if (q.messages.length >= q.maxmsg) return mustWait(c, file, deadline, 'mq_timedsend');
  const wasEmpty = q.messages.length === 0;
  q.push({ priority, data: new Uint8Array(data) });
  if (wasEmpty && q.notify) {
    const n = q.notify;
    q.notify = null;
    if (n.notify === SIGEV_SIGNAL && n.signo !== 0) {
      c.proc.signals.send({ signo: n.signo, code: SI_MESGQ, sender: { pid: c.proc.pid, uid: c.proc.identity.uid }, value: n.value, async: true, shared: true });
    }
  }
  return 0;
}

function mqTimedreceive(c: SyscallContext): number {
  const deadline = readDeadline(c.proc, argUlong(c.args, 4));
  if (typeof deadline === 'number') return deadline;
  const file = queueArg(c, 'read');
  if (typeof file === 'number') return file;
  const q = file.queue;
  if (argUlong(c.args, 2) < q.msgsize) return -Errno.EMSGSIZE;
  const m = q.messages[0];
  if (!m) return mustWait(c, file, deadline, 'mq_timedreceive');
  q.messages.shift();
  const prioAddr = argUlong(c.args, 3);
  if (prioAddr !== 0) c.proc.mem.writeBytes(prioAddr, new StructWriter(4).u32(0, m.priority).bytes);
  c.proc.mem.writeBytes(argUlong(c.args, 1), m.data);
  return m.data.length;
}

function mqNotify(c: SyscallContext): number {
  const addr = argUlong(c.args, 1);
  let request: { signo: number; notify: number; value: bigint } | null = null;
  if (addr !== 0) {
    const v = viewOf(c.proc.mem.readBytes(addr, 64));
    request = { value: v.getBigUint64(0, true), signo: v.getInt32(8, true), notify: v.getInt32(12, true) };
    if (request.notify !== SIGEV_NONE && request.notify !== SIGEV_SIGNAL && request.notify !== SIGEV_THREAD) return -Errno.EINVAL;
    if (request.notify === SIGEV_SIGNAL && (request.signo < 0 || request.signo > NSIG)) return -Errno.EINVAL;
    if (request.notify === SIGEV_THREAD) {
      // The notification socket (a netlink socket's fd in sigev_value): no fd here is one.
      return c.proc.fds.get(Number(BigInt.asIntN(32, request.value))) ? -ENOTSOCK : -Errno.EBADF;
    }
  }
  const file = queueArg(c, 'any');
  if (typeof file === 'number') return file;
  const q = file.queue;
  if (request === null) {
    q.notify = null;
    return 0;
  }
  if (q.notify) return -Errno.EBUSY;
  q.notify = request;
  return 0;
}

function mqGetsetattr(c: SyscallContext): number {
  const newAddr = argUlong(c.args, 1);
  const oldAddr = argUlong(c.args, 2);
  let newFlags: bigint | null = null;
  if (newAddr !== 0) {
    newFlags = readAttr(c.proc, newAddr).getBigInt64(0, true);
    if (newFlags & ~BigInt(O_NONBLOCK)) return -Errno.EINVAL;
  }
  const file = queueArg(c, 'any');
  if (typeof file === 'number') return file;
  const q = file.queue;
  const old = new StructWriter(MQ_ATTR_SIZE)
    .u64(0, file.flags & O_NONBLOCK)
    .u64(8, q.maxmsg)
    .u64(16, q.msgsize)
    .u64(24, q.messages.length);
  if (newFlags !== null) file.flags = (file.flags & ~O_NONBLOCK) | Number(newFlags);
  if (oldAddr !== 0) c.proc.mem.writeBytes(oldAddr, old.bytes);
  return 0;
}


export const MQUEUE_SYSCALLS: Record<string, SyscallHandler> = {
  mq_open: mqOpen,
  mq_unlink: mqUnlink,
  mq_timedsend: mqTimedsend,
  mq_timedreceive: mqTimedreceive,
  mq_notify: mqNotify,
  mq_getsetattr: mqGetsetattr,
};
