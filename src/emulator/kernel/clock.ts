// The guest's clock. By default it is virtual: the wall clock starts at a fixed moment, the
// machine has been up for a fixed time, and time advances by one nanosecond per instruction plus
// whatever the guest slept (a sleep moves the clock instead of waiting). The same program then
// reads the same times on every run. With `host` it reads the host's clocks and sleeps for real.

export const NSEC_PER_SEC = 1_000_000_000n;

/** CLOCK_REALTIME at instruction 0: 2030-01-01T00:00:00Z, later than the files a program is
 *  likely to read, so what it writes is newer than its inputs (make sees no clock skew). */
export const VIRTUAL_EPOCH_NS = 1_893_456_000n * NSEC_PER_SEC;
/** CLOCK_MONOTONIC and CLOCK_BOOTTIME at instruction 0: the machine booted 100 s before. */
export const VIRTUAL_UPTIME_NS = 100n * NSEC_PER_SEC;
/** CLOCK_TAI - CLOCK_REALTIME: the TAI-UTC offset since 2017 (as an NTP daemon would set it). */
export const TAI_OFFSET_NS = 37n * NSEC_PER_SEC;
/** The high-resolution clocks' resolution (clock_getres). */
export const HRES_RESOLUTION_NS = 1n;
/** The *_COARSE clocks tick with the scheduler: CONFIG_HZ=250, as Debian's kernels. */
export const COARSE_RESOLUTION_NS = 4_000_000n;
/** USER_HZ: the unit of times(2) and clock_t. */
export const CLOCK_TICKS_PER_SEC = 100n;

/** The clock a clockid reads, before coarse rounding. */
export type ClockBase = 'realtime' | 'monotonic' | 'boottime' | 'tai' | 'cpu';

/** A time as struct timespec holds it. */
export interface Timespec {
  sec: bigint;
  nsec: bigint;
}

/** timespec64_valid: a non-negative second count and 0 <= tv_nsec < 1e9. */
export function timespecValid(t: Timespec): boolean {
  return t.sec >= 0n && t.nsec >= 0n && t.nsec < NSEC_PER_SEC;
}

export function timespecToNs(t: Timespec): bigint {
  return t.sec * NSEC_PER_SEC + t.nsec;
}

/** Normalises a nanosecond count (>= 0) to seconds and 0 <= nanoseconds < 1e9. */
export function nsToTimespec(ns: bigint): Timespec {
  return { sec: ns / NSEC_PER_SEC, nsec: ns % NSEC_PER_SEC };
}

/** What the clock needs from the machine: the instructions retired so far. */
export interface InstructionCounter {
  readonly icount: number;
}

export class Clock {
  /** Virtual time the guest spent asleep. */
  private sleptNs = 0n;
  private readonly hostStartMonotonic: bigint;
  private readonly hostStartRealtime: bigint;

  constructor(
    private readonly cpu: InstructionCounter,
    /** Read the host's clocks and really sleep (RunOptions.hostTime). */
    readonly host = false,
  ) {
    this.hostStartMonotonic = process.hrtime.bigint();
    this.hostStartRealtime = BigInt(Date.now()) * 1_000_000n;
  }

  /** Virtual time the guest has spent asleep so far (0 with the host's clocks): with the
   *  instruction count, where an event lies on the virtual timeline (trace/event.ts eventTime). */
  get sleptTotalNs(): bigint {
    return this.sleptNs;
  }

  /** The guest's CPU time (process and thread CPU clocks, times, getrusage): its instructions. */
  cpuTimeNs(): bigint {
    return BigInt(this.cpu.icount);
  }

  /** Time since instruction 0 as the wall and monotonic clocks see it. */
  private elapsedNs(): bigint {
    if (this.host) return process.hrtime.bigint() - this.hostStartMonotonic;
    return BigInt(this.cpu.icount) + this.sleptNs;
  }

  /** CLOCK_REALTIME at instruction 0 (what files changed by others during the run report). */
  get startRealtimeNs(): bigint {
    return this.host ? this.hostStartRealtime : VIRTUAL_EPOCH_NS;
  }

  /** The wall clock when the machine booted (device nodes' times). */
  get bootRealtimeNs(): bigint {
    return this.startRealtimeNs - VIRTUAL_UPTIME_NS;
  }

  realtimeNs(): bigint {
    return this.startRealtimeNs + this.elapsedNs();
  }

  monotonicNs(): bigint {
    if (this.host) return process.hrtime.bigint();
    return VIRTUAL_UPTIME_NS + this.elapsedNs();
  }

  /** Reads one clock; `coarse` rounds down to the scheduler tick, as the *_COARSE clocks do. */
  read(base: ClockBase, coarse = false): bigint {
    let ns: bigint;
    switch (base) {
      case 'realtime':
        ns = this.realtimeNs();
        break;
      case 'tai':
        ns = this.realtimeNs() + TAI_OFFSET_NS;
        break;
      case 'monotonic':
      case 'boottime':
        // Nothing suspends the emulated machine: boot time equals monotonic time.
        ns = this.monotonicNs();
        break;
      case 'cpu':
        ns = this.cpuTimeNs();
        break;
    }
    return coarse ? ns - (ns % COARSE_RESOLUTION_NS) : ns;
  }

  /** Sleeps for `ns` (>= 0): moves the virtual clock, or waits on the host. */
  sleep(ns: bigint): void {
    if (ns <= 0n) return;
    if (!this.host) {
      this.sleptNs += ns;
      return;
    }
    const cell = new Int32Array(new SharedArrayBuffer(4));
    const until = process.hrtime.bigint() + ns;
    for (let left = ns; left > 0n; left = until - process.hrtime.bigint()) {
      Atomics.wait(cell, 0, 0, Number(left) / 1e6);
    }
  }

  /** Sleeps until clock `base` reads `targetNs`; a target in the past returns at once. */
  sleepUntil(base: ClockBase, targetNs: bigint): void {
    this.sleep(targetNs - this.read(base));
  }
}
