// timerfd objects (fs/timerfd.c): a timer on one clock whose expirations a read returns as an
// 8-byte count. Expirations are counted when someone looks (a read, poll, gettime, fdinfo), as
// Linux forwards a periodic timer only then: every expiry at or before now counts once. A
// blocking read of an armed timer sleeps until its expiry, moving the virtual clock there (as
// nanosleep does; timers.ts waitForSignal), and a signal that can be delivered first interrupts
// it (ERESTARTSYS). A disarmed one would never expire: EDEADLK (blocksForever) unless a signal
// can come. The realtime clock cannot be set here, so TFD_TIMER_CANCEL_ON_SET never cancels.
import { AnonFile, waitUntil } from './anon-inode.js';
import type { ClockBase } from './clock.js';
import { NSEC_PER_SEC } from './clock.js';
import { Errno } from './errno.js';
import { O_NONBLOCK, POLLIN } from './files.js';
import type { Process } from './process.js';

export const TFD_TIMER_ABSTIME = 1;
export const TFD_TIMER_CANCEL_ON_SET = 2;
const TICKS_SIZE = 8;

/** A timer setting: time to the next expiry (0: disarmed) and the period. */
export interface TimerSetting {
  value: bigint;
  interval: bigint;
}

export class TimerFd extends AnonFile {
  /** The next expiry on its clock, or null when disarmed. */
  private expires: bigint | null = null;
  private interval = 0n;
  /** Expirations not yet read. */
  private ticks = 0n;
  private settimeFlags = 0;
  private woken = 0;

  constructor(
    private readonly proc: Process,
    readonly clockid: number,
    private readonly base: ClockBase,
    flags: number,
  ) {
    super('[timerfd]', flags, proc.clock.bootRealtimeNs);
  }

  private now(): bigint {
    return this.proc.clock.read(this.base);
  }

  /** Counts the expirations up to now and moves a periodic timer past them. */
  private update(): void {
    if (this.expires === null) return;
    const now = this.now();
    if (now < this.expires) return;
    let periods = 1n;
    if (this.interval > 0n) {
      periods = (now - this.expires) / this.interval + 1n;
      this.expires += periods * this.interval;
    } else this.expires = null;
    this.ticks += periods;
    this.woken++;
  }

  /** timerfd_gettime: the time left and the period. */
  setting(): TimerSetting {
    this.update();
    const left = this.expires === null ? 0n : this.expires - this.now();
    return { value: left > 0n ? left : 0n, interval: this.interval };
  }

  /** timerfd_settime: arms (value relative, or absolute on its clock) or disarms (value 0);
   *  returns the old setting. Unread expirations are dropped. */
  set(next: TimerSetting, flags: number): TimerSetting {
    const old = this.setting();
    this.settimeFlags = flags;
    this.ticks = 0n;
    this.interval = next.interval;
    this.expires = next.value === 0n ? null : flags & TFD_TIMER_ABSTIME ? next.value : this.now() + next.value;
    return old;
  }

  override read(into: Uint8Array): number {
    if (into.length < TICKS_SIZE) return -Errno.EINVAL;
    this.update();
    if (this.ticks === 0n) {
      if (this.flags & O_NONBLOCK) return -Errno.EAGAIN;
      const waited = waitUntil(this.proc, () => this.poll() !== 0, () => this.wakesAt());
      if (waited < 0) return waited;
    }
    new DataView(into.buffer, into.byteOffset, TICKS_SIZE).setBigUint64(0, this.ticks, true);
    this.ticks = 0n;
    return TICKS_SIZE;
  }

  poll(): number {
    this.update();
    return this.ticks > 0n ? POLLIN : 0;
  }

  wakeups(): number {
    this.update();
    return this.woken;
  }

  /** Its next expiry, while it is not readable yet (once it is, further expiries change
   *  nothing a poller sees). */
  wakesAt(): bigint | null {
    this.update();
    if (this.expires === null || this.ticks > 0n) return null;
    return this.proc.clock.monotonicNs() + (this.expires - this.now());
  }

  fdinfo(): string {
    const s = this.setting();
    const pair = (ns: bigint): string => `(${ns / NSEC_PER_SEC}, ${ns % NSEC_PER_SEC})`;
    return `clockid: ${this.clockid}\nticks: ${this.ticks}\nsettime flags: 0${this.settimeFlags.toString(8)}\nit_value: ${pair(s.value)}\nit_interval: ${pair(s.interval)}\n`;
  }
}
