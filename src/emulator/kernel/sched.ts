// What the scheduler keeps for a thread: its policy and real-time priority, its nice value and
// its I/O priority. The machine has one CPU and the process one thread, so none of it changes
// what runs when; it is kept so that the calls that set it read it back as Linux would
// (syscalls/sched.ts), and /proc shows it.

export const SCHED_OTHER = 0;
export const SCHED_FIFO = 1;
export const SCHED_RR = 2;
export const SCHED_BATCH = 3;
export const SCHED_IDLE = 5;
export const SCHED_DEADLINE = 6;
/** Or'ed into a policy: children start with the default policy and nice value. */
export const SCHED_RESET_ON_FORK = 0x40000000;

export const MIN_NICE = -20;
export const MAX_NICE = 19;
/** Real-time priorities are 1..MAX_RT_PRIO - 1. */
export const MAX_RT_PRIO = 100;

/** The machine's CPUs (the emulated CPU is CPU 0). */
export const NR_CPUS = 1;
/** cpumask_size(): the bytes of the kernel's CPU mask, a whole number of longs. */
export const CPUMASK_SIZE = 8;

/** The time slices sched_rr_get_interval reports, with CONFIG_HZ=250: SCHED_RR's 100 ms
 *  (RR_TIMESLICE); CFS's slice for a task alone on one CPU, sched_latency (6 ms) rounded down
 *  to whole jiffies; none for SCHED_FIFO. */
export const RR_TIMESLICE_NS = 100_000_000n;
export const CFS_SLICE_NS = 4_000_000n;

export function rtPolicy(policy: number): boolean {
  return policy === SCHED_FIFO || policy === SCHED_RR;
}

/** The policies sched_setscheduler knows (SCHED_ISO, 4, was never merged). */
export function validPolicy(policy: number): boolean {
  return policy === SCHED_OTHER || policy === SCHED_BATCH || policy === SCHED_IDLE || policy === SCHED_DEADLINE || rtPolicy(policy);
}

export class SchedState {
  policy = SCHED_OTHER;
  rtPriority = 0;
  resetOnFork = false;
  nice = 0;
  /** ioprio_set's value; IOPRIO_CLASS_NONE (0) until one is set. */
  ioprio = 0;

  /** The time slice sched_rr_get_interval reports. */
  timeslice(): bigint {
    if (this.policy === SCHED_RR) return RR_TIMESLICE_NS;
    return this.policy === SCHED_FIFO ? 0n : CFS_SLICE_NS;
  }
}
