// The deterministic scheduler: which guest thread (task) runs next on the one emulated CPU, for
// how long, and what each blocked one waits for. Pure bookkeeping, independent of the CPU: the
// machine's loop asks pick() for a task, runs it for quantum() instructions or until it blocks
// (block()) or exits (exit()), then asks again. The same calls give the same schedule.
//
// - Round robin: a task whose slice ran out goes to the back of the run queue, behind every
//   task that became runnable meanwhile (woken, created, or a sleeper whose deadline passed).
//   Woken tasks queue in the order they were woken.
// - Waits: a blocked task waits for a key (any value, compared by identity: a futex waiter,
//   waitKey(pipe, 'readable')...) until wake(key), for a deadline on the virtual clock, and/or
//   for a signal (interrupt()). Its wakeReason tells the syscall which ended the wait.
// - Idle: with nothing runnable, the clock jumps to the earliest deadline (a sleeper's, or one
//   of the interval timers the caller reports), as time passes on an idle machine.
// - Deadlock: nothing runnable, no deadline, no timer: the tasks left can never run. pick()
//   returns null and `outcome` lists them; the caller decides (EDEADLK and a diagnostic).
// - Chaos (chaos.ts, Hermit's): a seeded PRNG varies the slices and which runnable task goes
//   next; the same seed gives the same schedule.
import { ChaosRandom } from './chaos.js';
import { IdAllocator } from './pids.js';

/** Instructions a task runs before the next one gets the CPU. */
export const DEFAULT_QUANTUM = 50_000;
/** Tasks (threads, over all processes) alive at once: a fork bomb gets EAGAIN here, long
 *  before the host runs out of memory (each task costs a CPU state, a process an address space). */
export const DEFAULT_MAX_TASKS = 1024;
/** Timer expiries in a row that leave every task blocked with no deadline of its own: past
 *  this, an ignored periodic timer is all that is left, and the tasks are deadlocked. */
const MAX_IDLE_TIMER_FIRES = 100_000;

export type TaskState = 'runnable' | 'blocked' | 'stopped' | 'dead';

/** How a wait ended: a waker's wake(), its deadline, a signal, or the caller giving up on a
 *  deadlock (the syscall then fails with EDEADLK). */
export type WakeReason = 'woken' | 'timeout' | 'signal' | 'deadlock';

export interface Wait {
  /** What a waker names to end the wait (wake(key)); null: only the deadline or a signal can. */
  readonly key: unknown;
  /** The virtual time (the scheduler clock's ns) at which the wait times out; none: never. */
  readonly deadline?: bigint;
  /** Whether a signal ends it (interrupt()); true unless false. */
  readonly interruptible?: boolean;
  /** What it waits for, for a deadlock report: 'futex wait', 'read of pipe:[3]', 'wait4'. */
  readonly what: string;
}

/** A guest thread as the scheduler sees it; `data` is the caller's (its CPU, its process). */
export class Task<T = unknown> {
  wait: Wait | null = null;
  /** How its last wait ended (the syscall that blocked reads it when the task runs again). */
  wakeReason: WakeReason | null = null;
  /** SIGSTOP'ed: not run until resume(), whatever its wait does meanwhile. */
  stopped = false;
  dead = false;

  constructor(
    readonly tid: number,
    /** Its thread group: its process's pid (the tid of the process's first thread). */
    readonly pid: number,
    public data: T,
  ) {}

  get state(): TaskState {
    if (this.dead) return 'dead';
    if (this.stopped) return 'stopped';
    return this.wait ? 'blocked' : 'runnable';
  }
}

/** The virtual clock as the scheduler uses it (kernel/clock.ts: monotonicNs and sleep). */
export interface SchedulerClock {
  now(): bigint;
  /** Moves time forward by ns while nothing runs. */
  advance(ns: bigint): void;
}

/** Wake-ups the scheduler does not own: the processes' interval timers, alarms, POSIX timers. */
export interface ExternalTimers {
  /** The earliest expiry, or null when no timer is armed. */
  next(): bigint | null;
  /** The clock reached an expiry: deliver its signal (which may interrupt() or resume() tasks). */
  fire(now: bigint): void;
}

export interface SchedulerOptions {
  clock: SchedulerClock;
  /** Instructions per slice (DEFAULT_QUANTUM). */
  quantum?: number;
  /** Chaos mode's seed; none: plain round robin. */
  chaosSeed?: string | null;
  maxTasks?: number;
  timers?: ExternalTimers | null;
  /** Where tids come from (pids.ts). */
  ids?: IdAllocator;
}

/** Why pick() returned null: every task ended, or the ones left can never run. */
export type Outcome<T = unknown> = { kind: 'running' } | { kind: 'done' } | { kind: 'deadlock'; tasks: readonly Task<T>[] };

export class Scheduler<T = unknown> {
  /** Live tasks in creation order. */
  private readonly live: Task<T>[] = [];
  private readonly runQueue: Task<T>[] = [];
  private readonly waiters = new Map<unknown, Task<T>[]>();
  /** Blocked tasks with a deadline, earliest first (ties: blocking order). */
  private readonly sleepers: Task<T>[] = [];
  private running: Task<T> | null = null;
  private readonly clock: SchedulerClock;
  private readonly baseQuantum: number;
  private readonly maxTasks: number;
  private readonly timers: ExternalTimers | null;
  private readonly chaos: ChaosRandom | null;
  readonly ids: IdAllocator;
  outcome: Outcome<T> = { kind: 'running' };

  constructor(options: SchedulerOptions) {
    this.clock = options.clock;
    this.baseQuantum = options.quantum ?? DEFAULT_QUANTUM;
    this.maxTasks = options.maxTasks ?? DEFAULT_MAX_TASKS;
    this.timers = options.timers ?? null;
    this.chaos = options.chaosSeed != null ? new ChaosRandom(options.chaosSeed) : null;
    this.ids = options.ids ?? new IdAllocator();
  }

  /** The live tasks, in creation order. */
  get tasks(): readonly Task<T>[] {
    return this.live;
  }

  /** The task pick() last chose, while it has the CPU. */
  get current(): Task<T> | null {
    return this.running;
  }

  /** A new runnable task at the back of the queue: a thread of process `pid`, or without one
   *  the first thread of a new process (its pid is its tid). Null at the task cap or when no
   *  id is free: clone answers EAGAIN. */
  add(data: T, pid?: number): Task<T> | null {
    if (this.live.length >= this.maxTasks) return null;
    const tid = this.ids.allocate();
    if (tid === null) return null;
    const task = new Task(tid, pid ?? tid, data);
    this.live.push(task);
    this.runQueue.push(task);
    return task;
  }

  /**
   * The task to run next, or null when none can run (see `outcome`). The one running until now
   * goes to the back of the queue if it may still run (its slice ended, or sched_yield). With
   * nothing runnable, time jumps to the next deadline or timer expiry.
   */
  pick(): Task<T> | null {
    const last = this.running;
    this.running = null;
    this.expire(this.clock.now());
    if (last && last.state === 'runnable') this.runQueue.push(last);
    let idleFires = 0;
    for (;;) {
      this.expire(this.clock.now());
      if (this.runQueue.length > 0) {
        const at = this.chaos ? this.chaos.below(this.runQueue.length) : 0;
        const task = this.runQueue.splice(at, 1)[0];
        this.running = task;
        this.outcome = { kind: 'running' };
        return task;
      }
      if (this.live.length === 0) {
        this.outcome = { kind: 'done' };
        return null;
      }
      const sleeper = this.sleepers.length > 0 ? this.sleepers[0].wait!.deadline! : null;
      const timer = this.timers?.next() ?? null;
      const next = earliest(sleeper, timer);
      if (next === null || (sleeper === null && ++idleFires > MAX_IDLE_TIMER_FIRES)) {
        this.outcome = { kind: 'deadlock', tasks: [...this.live] };
        return null;
      }
      const now = this.clock.now();
      if (next > now) this.clock.advance(next - now);
      if (timer !== null && timer <= next) this.timers!.fire(this.clock.now());
    }
  }

  /** Instructions `task` may run now: the slice (random in chaos mode), cut short at the next
   *  deadline or timer expiry so a sleeper wakes on time (the virtual clock counts 1 ns per
   *  instruction). Every task gets the same slice for now; nice values could scale it. */
  quantum(_task: Task<T>): number {
    let slice = this.chaos ? 1 + this.chaos.below(2 * this.baseQuantum) : this.baseQuantum;
    const next = earliest(this.sleepers.length > 0 ? this.sleepers[0].wait!.deadline! : null, this.timers?.next() ?? null);
    if (next !== null) slice = Math.max(1, Math.min(slice, Number(next - this.clock.now())));
    return slice;
  }

  /** `task` waits (a blocking syscall): off the run queue until the wait ends. When it is the
   *  running task, the caller stops running it and calls pick(). */
  block(task: Task<T>, wait: Wait): void {
    if (task.dead) return;
    this.endWait(task);
    this.unqueue(task);
    task.wait = wait;
    task.wakeReason = null;
    if (wait.key != null) {
      const queue = this.waiters.get(wait.key);
      if (queue) queue.push(task);
      else this.waiters.set(wait.key, [task]);
    }
    if (wait.deadline !== undefined) {
      // After the sleepers with the same deadline: ties expire in blocking order.
      let at = this.sleepers.length;
      while (at > 0 && this.sleepers[at - 1].wait!.deadline! > wait.deadline) at--;
      this.sleepers.splice(at, 0, task);
    }
  }

  /** Ends the waits of up to `count` tasks waiting for `key`, first blocked first; returns them. */
  wake(key: unknown, count = Infinity): Task<T>[] {
    const queue = this.waiters.get(key);
    if (!queue) return [];
    const woken = queue.slice(0, count);
    for (const task of woken) this.finish(task, 'woken');
    return woken;
  }

  /** Ends one task's wait, for `reason`; false when it was not waiting. */
  wakeTask(task: Task<T>, reason: WakeReason = 'woken'): boolean {
    if (!task.wait) return false;
    this.finish(task, reason);
    return true;
  }

  /** A signal for `task`: an interruptible wait ends ('signal'); false when nothing ended. */
  interrupt(task: Task<T>): boolean {
    if (!task.wait || task.wait.interruptible === false) return false;
    this.finish(task, 'signal');
    return true;
  }

  /** SIGSTOP: the task runs no more until resume(); a wait it is in goes on (and may end). */
  stop(task: Task<T>): void {
    if (task.dead) return;
    task.stopped = true;
    this.unqueue(task);
  }

  /** SIGCONT. */
  resume(task: Task<T>): void {
    if (!task.stopped) return;
    task.stopped = false;
    if (task.state === 'runnable' && task !== this.running) this.runQueue.push(task);
  }

  /** The task is gone (exit, exit_group, a fatal signal). A thread's tid is free again at once;
   *  a process's first thread keeps its id (the pid) until the parent reaps the process, which
   *  then calls ids.release(pid). */
  exit(task: Task<T>): void {
    if (task.dead) return;
    this.endWait(task);
    this.unqueue(task);
    task.dead = true;
    const at = this.live.indexOf(task);
    if (at >= 0) this.live.splice(at, 1);
    if (task.tid !== task.pid) this.ids.release(task.tid);
  }

  /** Ends a wait and queues the task unless it is stopped. */
  private finish(task: Task<T>, reason: WakeReason): void {
    this.endWait(task);
    task.wakeReason = reason;
    if (!task.stopped && !task.dead && task !== this.running) this.runQueue.push(task);
  }

  /** Takes a task off the wait lists it is on. */
  private endWait(task: Task<T>): void {
    const wait = task.wait;
    if (!wait) return;
    task.wait = null;
    if (wait.key != null) {
      const queue = this.waiters.get(wait.key);
      if (queue) {
        remove(queue, task);
        if (queue.length === 0) this.waiters.delete(wait.key);
      }
    }
    if (wait.deadline !== undefined) remove(this.sleepers, task);
  }

  private unqueue(task: Task<T>): void {
    remove(this.runQueue, task);
  }

  /** Ends the waits whose deadline has come, earliest first. */
  private expire(now: bigint): void {
    while (this.sleepers.length > 0 && this.sleepers[0].wait!.deadline! <= now) this.finish(this.sleepers[0], 'timeout');
  }
}

function earliest(a: bigint | null, b: bigint | null): bigint | null {
  if (a === null) return b;
  if (b === null) return a;
  return a < b ? a : b;
}

function remove<X>(list: X[], item: X): void {
  const at = list.indexOf(item);
  if (at >= 0) list.splice(at, 1);
}

const keys = new WeakMap<object, Map<string, object>>();

/** The key for waiting on `event` of a kernel object that keeps no wait queue of its own (a
 *  pipe's 'readable' or 'writable' side, a process's 'child' exits): the same object each time
 *  for the same pair, so block() and wake() meet. */
export function waitKey(object: object, event: string): object {
  let events = keys.get(object);
  if (!events) keys.set(object, (events = new Map()));
  let key = events.get(event);
  if (!key) events.set(event, (key = { object, event }));
  return key;
}
