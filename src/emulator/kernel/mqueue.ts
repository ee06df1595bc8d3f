// POSIX message queues (ipc/mqueue.c): named queues of prioritized messages, each with its
// limits (mq_maxmsg, mq_msgsize), owner and mode, open through `mqueue` descriptions whose
// path is the queue's name (`/NAME`, what /proc/self/fd shows for a queue).
import { Errno } from './errno.js';
import { FileKind, O_ACCMODE, O_RDONLY, O_WRONLY, OpenFile, POLLIN, POLLOUT, POLLRDNORM, POLLWRNORM, StatInfo } from './files.js';
import { fileKey, FileKey } from './metadata.js';

/** The "host device" of the mqueue file system (metadata.ts gives it 0:0x13). */
export const MQUEUE_DEV = -6n;
/** fs.mqueue defaults: msg_default, msgsize_default, msg_max, msgsize_max, queues_max. */
export const MQ_DEFAULT_MAXMSG = 10;
export const MQ_DEFAULT_MSGSIZE = 8192;
export const MQ_MSG_MAX = 10;
export const MQ_MSGSIZE_MAX = 8192;
export const MQ_QUEUES_MAX = 256;
export const MQ_PRIO_MAX = 32768;

export interface Message {
  priority: number;
  data: Uint8Array;
}

export class MessageQueue {
  /** Highest priority first; FIFO within a priority. */
  readonly messages: Message[] = [];
  /** The process registered for notification (mq_notify), with its sigevent. */
  notify: { signo: number; notify: number; value: bigint } | null = null;
  unlinked = false;

  constructor(
    readonly name: string,
    readonly ino: bigint,
    readonly maxmsg: number,
    readonly msgsize: number,
    public mode: number,
    readonly uid: number,
    readonly gid: number,
    readonly timeNs: bigint,
  ) {}

  get bytes(): number {
    return this.messages.reduce((n, m) => n + m.data.length, 0);
  }

  push(m: Message): void {
    let at = this.messages.findIndex((x) => x.priority < m.priority);
    if (at < 0) at = this.messages.length;
    this.messages.splice(at, 0, m);
  }

  /** What reading the queue's file shows (QSIZE, NOTIFY, SIGNO, NOTIFY_PID). */
  describe(pid: number): string {
    const n = this.notify;
    return `QSIZE:${String(this.bytes).padEnd(10)} NOTIFY:${String(n ? n.notify : 0).padEnd(5)} SIGNO:${String(n ? n.signo : 0).padEnd(5)} NOTIFY_PID:${String(n ? pid : 0).padEnd(6)}\n`;
  }
}

/** The queues of one IPC namespace, by name (without the leading slash). */
export class MessageQueueRegistry {
  readonly byName = new Map<string, MessageQueue>();
  private nextIno = 1n;

  newIno(): bigint {
    return this.nextIno++;
  }
}

/** An open queue. */
export class QueueDescription implements OpenFile {
  readonly kind: FileKind = 'regular';
  readonly hostFd = null;

  constructor(
    readonly queue: MessageQueue,
    public flags: number,
  ) {}

  get path(): string {
    return '/' + this.queue.name;
  }

  get canRead(): boolean {
    return (this.flags & O_ACCMODE) !== O_WRONLY;
  }

  get canWrite(): boolean {
    return (this.flags & O_ACCMODE) !== O_RDONLY;
  }

  read(into: Uint8Array): number {
    const text = Buffer.from(this.queue.describe(0));
    const n = Math.min(into.length, text.length);
    into.set(text.subarray(0, n));
    return n;
  }

  write(): number {
    return -Errno.EINVAL;
  }

  pread(): number {
    return -Errno.ESPIPE;
  }

  pwrite(): number {
    return -Errno.ESPIPE;
  }

  seek(): number {
    return 0;
  }

  stat(): StatInfo {
    const q = this.queue;
    return {
      dev: MQUEUE_DEV,
      ino: q.ino,
      mode: 0o100000 | q.mode,
      nlink: q.unlinked ? 0n : 1n,
      uid: q.uid,
      gid: q.gid,
      rdev: 0n,
      size: BigInt(q.bytes),
      blksize: 4096n,
      blocks: 0n,
      atimeNs: q.timeNs,
      mtimeNs: q.timeNs,
      ctimeNs: q.timeNs,
    };
  }

  hostKey(): FileKey {
    return fileKey(MQUEUE_DEV, this.queue.ino);
  }

  poll(events: number): number {
    const q = this.queue;
    let ready = 0;
    if (q.messages.length > 0) ready |= POLLIN | POLLRDNORM;
    if (q.messages.length < q.maxmsg) ready |= POLLOUT | POLLWRNORM;
    return ready & events;
  }

  close(): void {}
}

