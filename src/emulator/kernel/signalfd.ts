// signalfd objects (fs/signalfd.c): a read takes pending signals of the fd's mask off the
// queues, as sigwaitinfo does (signals.ts dequeue: the thread's first, then the process's),
// and returns each as a 128-byte struct signalfd_siginfo. With none pending, a blocking read
// waits for one (anon-inode.ts waitUntil).
import { AnonFile, waitUntil } from './anon-inode.js';
import { StructWriter } from './context.js';
import { Errno } from './errno.js';
import { O_NONBLOCK, POLLIN } from './files.js';
import type { Process } from './process.js';
import type { SigInfo } from './signals.js';
import { SIGKILL, sigbit, SIGSTOP } from './signals.js';

/** sizeof(struct signalfd_siginfo). */
export const SIGNALFD_SIGINFO_SIZE = 128;

/** struct signalfd_siginfo for a dequeued signal (signalfd_copyinfo, by siginfo layout). */
export function signalfdSiginfo(info: SigInfo): Uint8Array {
  const w = new StructWriter(SIGNALFD_SIGINFO_SIZE).u32(0, info.signo).u32(4, info.errno ?? 0).u32(8, info.code);
  const value = info.value ?? 0n;
  if (info.seccomp) {
    w.u32(4, info.seccomp.errno).u32(84, info.seccomp.syscall).u64(88, info.seccomp.callAddr).u32(96, info.seccomp.arch);
  } else if (info.timer) {
    // ssi_tid (the timer id), ssi_overrun, ssi_int, ssi_ptr.
    w.u32(24, info.timer.id).u32(32, info.timer.overrun).u32(44, Number(value & 0xffffffffn)).u64(48, value);
  } else if (info.sender) {
    w.u32(12, info.sender.pid).u32(16, info.sender.uid);
    if (info.value !== undefined) w.u32(44, Number(value & 0xffffffffn)).u64(48, value);
  } else if (info.addr !== undefined) w.u64(72, info.addr);
  return w.bytes;
}

export class SignalFd extends AnonFile {
  /** The signals it takes (never SIGKILL or SIGSTOP). */
  private wanted = 0n;

  constructor(
    private readonly proc: Process,
    mask: bigint,
    flags: number,
  ) {
    super('[signalfd]', flags, proc.clock.bootRealtimeNs);
    this.mask = mask;
  }

  get mask(): bigint {
    return this.wanted;
  }

  set mask(mask: bigint) {
    this.wanted = mask & ~(sigbit(SIGKILL) | sigbit(SIGSTOP));
  }

  override read(into: Uint8Array): number {
    const room = Math.floor(into.length / SIGNALFD_SIGINFO_SIZE);
    if (room === 0) return -Errno.EINVAL;
    const signals = this.proc.signals;
    let info = signals.dequeue(this.wanted);
    if (!info) {
      if (this.flags & O_NONBLOCK) return -Errno.EAGAIN;
      const waited = waitUntil(this.proc, () => this.poll() !== 0);
      if (waited < 0) return waited;
      info = signals.dequeue(this.wanted)!;
    }
    let n = 0;
    while (info) {
      into.set(signalfdSiginfo(info), n);
      n += SIGNALFD_SIGINFO_SIZE;
      // Then whatever else is pending, without waiting.
      info = n / SIGNALFD_SIGINFO_SIZE < room ? signals.dequeue(this.wanted) : null;
    }
    return n;
  }

  poll(): number {
    return (this.proc.signals.pendingMask() & this.wanted) !== 0n ? POLLIN : 0;
  }

  /** A change of the pending signals it takes is a wake-up for epoll. */
  wakeups(): number {
    let n = 0;
    for (const info of this.proc.signals.allPending()) if ((sigbit(info.signo) & this.wanted) !== 0n) n++;
    return n;
  }

  fdinfo(): string {
    return `sigmask:\t${this.wanted.toString(16).padStart(16, '0')}\n`;
  }
}
