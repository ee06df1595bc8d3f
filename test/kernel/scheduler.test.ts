// The deterministic scheduler (kernel/scheduler.ts) driven as the machine's loop will drive it:
// round robin on an instruction quantum, blocking and waking by key, deadlines on the virtual
// clock (which jumps ahead when everything sleeps), deadlock detection, stop/continue, signals,
// external timers, the task cap and id allocation, chaos mode per seed, and futex waits.
import { describe, expect, it } from 'vitest';
import { IdAllocator, RESERVED_PIDS } from '../../src/emulator/kernel/pids.js';
import { DEFAULT_QUANTUM, Scheduler, Task, waitKey } from '../../src/emulator/kernel/scheduler.js';

/** A virtual clock: 1 ns per instruction, as the machine's. */
function virtualClock(): { t: bigint; now(): bigint; advance(ns: bigint): void } {
  const clock = {
    t: 0n,
    now: () => clock.t,
    advance: (ns: bigint) => {
      clock.t += ns;
    },
  };
  return clock;
}

/** The machine's loop, with tasks that only compute: each pick runs its whole slice. Returns
 *  the tids picked. */
function runSlices(sched: Scheduler, clock: ReturnType<typeof virtualClock>, picks: number, onPick?: (task: Task) => void): number[] {
  const order: number[] = [];
  for (let k = 0; k < picks; k++) {
    const task = sched.pick();
    if (!task) break;
    order.push(task.tid);
    clock.advance(BigInt(sched.quantum(task)));
    onPick?.(task);
  }
  return order;
}

function scheduler(options: { quantum?: number; chaosSeed?: string; maxTasks?: number } = {}) {
  const clock = virtualClock();
  const sched = new Scheduler({ clock, ...options });
  return { clock, sched };
}

describe('round robin', () => {
  it('numbers tasks from 1000 in creation order and runs them in turn', () => {
    const { clock, sched } = scheduler();
    const a = sched.add('a')!;
    const b = sched.add('b', a.pid)!; // a thread of a's process
    const c = sched.add('c')!; // a new process
    expect([a.tid, b.tid, c.tid]).toEqual([1000, 1001, 1002]);
    expect([a.pid, b.pid, c.pid]).toEqual([1000, 1000, 1002]);
    expect(runSlices(sched, clock, 7)).toEqual([1000, 1001, 1002, 1000, 1001, 1002, 1000]);
    expect(clock.t).toBe(7n * BigInt(DEFAULT_QUANTUM));
  });

  it('gives each slice the configured quantum', () => {
    const { sched } = scheduler({ quantum: 1234 });
    const a = sched.add(null)!;
    expect(sched.pick()).toBe(a);
    expect(sched.quantum(a)).toBe(1234);
  });

  it('keeps running the only runnable task, and puts a yielding one behind the others', () => {
    const { clock, sched } = scheduler();
    const a = sched.add(null)!;
    expect(runSlices(sched, clock, 3)).toEqual([1000, 1000, 1000]);
    const b = sched.add(null)!;
    expect(sched.current).toBe(a);
    expect(sched.pick()).toBe(b); // a's slice ended (or it yielded): b goes first
    expect(sched.pick()).toBe(a);
  });

  it('puts a new task at the back of the queue', () => {
    const { clock, sched } = scheduler();
    sched.add(null);
    sched.add(null);
    expect(runSlices(sched, clock, 1)).toEqual([1000]);
    sched.add(null);
    // Created during 1000's slice: ahead of 1000, whose slice ended after.
    expect(runSlices(sched, clock, 4)).toEqual([1001, 1002, 1000, 1001]);
  });
});

describe('blocking and waking', () => {
  it('takes a blocked task off the queue until its key is woken, then queues it at the back', () => {
    const { clock, sched } = scheduler();
    const [a, b, c] = [sched.add(null)!, sched.add(null)!, sched.add(null)!];
    expect(sched.pick()).toBe(a);
    sched.block(a, { key: 'k', what: 'test' });
    expect(a.state).toBe('blocked');
    expect(runSlices(sched, clock, 3)).toEqual([1001, 1002, 1001]);
    expect(sched.wake('k')).toEqual([a]);
    expect(a.state).toBe('runnable');
    expect(a.wakeReason).toBe('woken');
    expect(runSlices(sched, clock, 3)).toEqual([1002, 1000, 1001]);
    expect([b.state, c.state]).toEqual(['runnable', 'runnable']);
  });

  it('wakes waiters first blocked first, at most `count`, and queues them in wake order', () => {
    const { sched } = scheduler();
    const tasks = [0, 1, 2, 3].map(() => sched.add(null)!);
    const key = {};
    sched.block(tasks[2], { key, what: 'x' });
    sched.block(tasks[0], { key, what: 'x' });
    sched.block(tasks[1], { key, what: 'x' });
    expect(sched.wake(key, 2)).toEqual([tasks[2], tasks[0]]);
    expect(tasks[1].state).toBe('blocked');
    expect(sched.wake({}, 1)).toEqual([]); // another key: nobody
    const order = [sched.pick(), sched.pick(), sched.pick()].map((t) => t!.tid);
    expect(order).toEqual([1003, 1002, 1000]);
  });

  it('a wake of the running task, blocked but not yet switched away, keeps it runnable once', () => {
    const { sched } = scheduler();
    const [a, b] = [sched.add(null)!, sched.add(null)!];
    expect(sched.pick()).toBe(a);
    sched.block(a, { key: 'k', what: 'x' });
    sched.wake('k');
    expect(sched.pick()).toBe(b);
    expect(sched.pick()).toBe(a);
    expect(sched.pick()).toBe(b);
  });

  it('ends interruptible waits on a signal, and only those', () => {
    const { sched } = scheduler();
    const [a, b] = [sched.add(null)!, sched.add(null)!];
    sched.block(a, { key: null, what: 'pause' });
    sched.block(b, { key: 'disk', interruptible: false, what: 'uninterruptible' });
    expect(sched.interrupt(a)).toBe(true);
    expect(a.wakeReason).toBe('signal');
    expect(sched.interrupt(b)).toBe(false);
    expect(b.state).toBe('blocked');
    expect(sched.interrupt(a)).toBe(false); // not waiting any more
  });

  it('waits on a pipe through waitKey, one key object per object and event', () => {
    const { sched } = scheduler();
    const pipe = {};
    expect(waitKey(pipe, 'readable')).toBe(waitKey(pipe, 'readable'));
    expect(waitKey(pipe, 'readable')).not.toBe(waitKey(pipe, 'writable'));
    const [reader, writer] = [sched.add(null)!, sched.add(null)!];
    sched.block(reader, { key: waitKey(pipe, 'readable'), what: 'read of pipe' });
    sched.wake(waitKey(pipe, 'writable'));
    expect(reader.state).toBe('blocked');
    sched.wake(waitKey(pipe, 'readable'));
    expect(reader.state).toBe('runnable');
    expect(writer.state).toBe('runnable');
  });

  it('removes an exiting task from every queue and wait', () => {
    const { clock, sched } = scheduler();
    const [a, b] = [sched.add(null)!, sched.add(null)!];
    sched.block(a, { key: 'k', deadline: 10n, what: 'x' });
    sched.exit(a);
    expect(a.state).toBe('dead');
    expect(sched.wake('k')).toEqual([]);
    expect(runSlices(sched, clock, 2)).toEqual([1001, 1001]);
    sched.exit(b);
    expect(sched.pick()).toBeNull();
    expect(sched.outcome).toEqual({ kind: 'done' });
  });
});

describe('the virtual clock', () => {
  it('jumps to the earliest deadline when every task sleeps, and wakes the sleeper on it', () => {
    const { clock, sched } = scheduler();
    const [a, b] = [sched.add(null)!, sched.add(null)!];
    sched.block(a, { key: null, deadline: 5000n, what: 'nanosleep' });
    sched.block(b, { key: 'never', deadline: 3000n, what: 'futex wait' });
    expect(sched.pick()).toBe(b);
    expect(clock.t).toBe(3000n);
    expect(b.wakeReason).toBe('timeout');
    sched.block(b, { key: 'never', what: 'forever' });
    expect(sched.pick()).toBe(a);
    expect(clock.t).toBe(5000n);
    expect(sched.wake('never')).toEqual([b]); // the timed-out key wait was unlisted too
  });

  it('wakes sleepers whose deadline passed while others ran, earliest first, ties in blocking order', () => {
    const { clock, sched } = scheduler({ quantum: 100 });
    const [a, b, c, d] = [sched.add(null)!, sched.add(null)!, sched.add(null)!, sched.add(null)!];
    sched.block(b, { key: null, deadline: 150n, what: 'x' });
    sched.block(c, { key: null, deadline: 120n, what: 'x' });
    sched.block(d, { key: null, deadline: 120n, what: 'x' });
    // a runs alone, its slices cut at the next deadline so the sleepers wake on time.
    expect(runSlices(sched, clock, 2)).toEqual([1000, 1000]);
    expect(clock.t).toBe(120n);
    // Woken at the end of a's slice: ahead of a. c's slice is cut at b's deadline.
    expect(runSlices(sched, clock, 1)).toEqual([1002]);
    expect(clock.t).toBe(150n);
    expect(b.state).toBe('blocked'); // until the next pick looks at the clock
    expect(runSlices(sched, clock, 4)).toEqual([1003, 1000, 1001, 1002]);
    expect(b.wakeReason).toBe('timeout');
  });

  it('cuts a slice at the next deadline', () => {
    const { clock, sched } = scheduler();
    const [a, b] = [sched.add(null)!, sched.add(null)!];
    clock.t = 1_000_000n;
    sched.block(b, { key: null, deadline: 1_000_700n, what: 'x' });
    expect(sched.pick()).toBe(a);
    expect(sched.quantum(a)).toBe(700);
    clock.t = 2_000_000n; // past it: at least one instruction
    expect(sched.quantum(a)).toBe(1);
  });

  it('lets external timers wake an idle machine, and fire at their time', () => {
    const clock = virtualClock();
    let expiry: bigint | null = 40_000n;
    const fired: bigint[] = [];
    let sched!: Scheduler<string>;
    const timers = {
      next: () => expiry,
      fire: (now: bigint) => {
        fired.push(now);
        expiry = null;
        sched.interrupt(sched.tasks[0]); // the timer's signal reaches the paused task
      },
    };
    sched = new Scheduler<string>({ clock, timers });
    const a = sched.add('paused')!;
    sched.block(a, { key: null, what: 'pause' });
    expect(sched.pick()).toBe(a);
    expect(fired).toEqual([40_000n]);
    expect(clock.t).toBe(40_000n);
    expect(a.wakeReason).toBe('signal');
  });

  it('reports a deadlock when only a timer that wakes nobody is left', () => {
    const clock = virtualClock();
    let fires = 0;
    const timers = { next: () => clock.t + 10_000_000n, fire: () => void fires++ };
    const sched = new Scheduler({ clock, timers });
    const a = sched.add(null)!;
    sched.block(a, { key: 'never', what: 'read' });
    expect(sched.pick()).toBeNull();
    expect(sched.outcome.kind).toBe('deadlock');
    expect(fires).toBe(100_000);
  });
});

describe('deadlock', () => {
  it('returns null and lists the tasks when nothing can ever run; the caller can break it', () => {
    const { sched } = scheduler();
    const [a, b] = [sched.add(null)!, sched.add(null)!];
    sched.block(a, { key: 'lock-1', what: 'futex wait' });
    sched.block(b, { key: 'lock-2', what: 'futex wait' });
    expect(sched.pick()).toBeNull();
    expect(sched.outcome).toEqual({ kind: 'deadlock', tasks: [a, b] });
    // What the machine does: the waits fail with EDEADLK.
    for (const task of sched.tasks) sched.wakeTask(task, 'deadlock');
    expect(sched.pick()).toBe(a);
    expect(a.wakeReason).toBe('deadlock');
    expect(sched.outcome).toEqual({ kind: 'running' });
  });

  it('counts stopped tasks as unable to run, and runs them again after resume', () => {
    const { clock, sched } = scheduler();
    const [a, b] = [sched.add(null)!, sched.add(null)!];
    sched.stop(a);
    expect(runSlices(sched, clock, 2)).toEqual([1001, 1001]);
    sched.block(b, { key: 'k', what: 'wait4' });
    expect(sched.pick()).toBeNull();
    expect(sched.outcome.kind).toBe('deadlock');
    sched.resume(a);
    expect(sched.pick()).toBe(a);
  });

  it('keeps a task woken while stopped off the queue until it is resumed', () => {
    const { sched } = scheduler();
    const [a, b] = [sched.add(null)!, sched.add(null)!];
    sched.block(a, { key: 'k', what: 'x' });
    sched.stop(a);
    sched.wake('k');
    expect(a.state).toBe('stopped');
    expect(a.wakeReason).toBe('woken');
    expect(sched.pick()).toBe(b);
    expect(sched.pick()).toBe(b);
    sched.resume(a);
    expect(sched.pick()).toBe(a);
  });
});

describe('limits and ids', () => {
  it('refuses tasks past the cap (EAGAIN), and takes them again after an exit', () => {
    const { sched } = scheduler({ maxTasks: 3 });
    const tasks = [sched.add(null), sched.add(null), sched.add(null)];
    expect(sched.add(null)).toBeNull();
    sched.exit(tasks[1]!);
    expect(sched.add(null)?.tid).toBe(1003); // ids go on increasing, as Linux's
  });

  it('frees a thread id at exit, and a process id only when released (reaped)', () => {
    const ids = new IdAllocator(1, 5); // ids 1..4
    const sched = new Scheduler({ clock: virtualClock(), ids });
    const leader = sched.add(null)!;
    const thread = sched.add(null, leader.pid)!;
    sched.add(null);
    sched.add(null);
    expect(sched.add(null)).toBeNull(); // every id taken: EAGAIN
    sched.exit(thread);
    sched.exit(leader); // a zombie until reaped: its pid stays taken
    expect(ids.inUse).toBe(3);
    expect(sched.add(null)?.tid).toBe(2);
    expect(sched.add(null)).toBeNull();
    ids.release(leader.pid);
    expect(sched.add(null)?.tid).toBe(1);
  });

  it('wraps past pid_max to RESERVED_PIDS, skipping ids in use and the first process\'s parent', () => {
    const ids = new IdAllocator(997, 1002);
    expect([ids.allocate(), ids.allocate(), ids.allocate(), ids.allocate(), ids.allocate()]).toEqual([997, 998, 1000, 1001, 300]);
    ids.release(998);
    const small = new IdAllocator(1, 4);
    expect([small.allocate(), small.allocate(), small.allocate(), small.allocate()]).toEqual([1, 2, 3, null]);
    small.release(2);
    expect(small.allocate()).toBe(2);
  });
});

describe('chaos mode', () => {
  function schedule(seed: string | undefined, picks = 300): string[] {
    const { clock, sched } = scheduler({ chaosSeed: seed, quantum: 1000 });
    for (let k = 0; k < 4; k++) sched.add(null);
    const out: string[] = [];
    for (let k = 0; k < picks; k++) {
      const task = sched.pick()!;
      const q = sched.quantum(task);
      out.push(`${task.tid}:${q}`);
      clock.advance(BigInt(q));
      // Some blocking and waking, so the queue changes shape.
      if (k % 7 === 3) sched.block(task, { key: 'k', what: 'x' });
      if (k % 7 === 5) sched.wake('k');
    }
    return out;
  }

  it('gives the same schedule for the same seed', () => {
    expect(schedule('42')).toEqual(schedule('42'));
  });

  it('gives different schedules for different seeds, and differs from round robin', () => {
    const a = schedule('1');
    const b = schedule('2');
    expect(a).not.toEqual(b);
    expect(a.map((s) => s.split(':')[0])).not.toEqual(b.map((s) => s.split(':')[0]));
    expect(schedule(undefined)).not.toEqual(a);
  });

  it('varies the slices around the quantum, and still runs every task', () => {
    const picks = schedule('varied', 2000);
    const slices = picks.map((s) => Number(s.split(':')[1]));
    expect(new Set(slices).size).toBeGreaterThan(100);
    expect(Math.min(...slices)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...slices)).toBeLessThanOrEqual(2000);
    const mean = slices.reduce((x, y) => x + y, 0) / slices.length;
    expect(mean).toBeGreaterThan(800);
    expect(mean).toBeLessThan(1200);
    for (const tid of [1000, 1001, 1002, 1003]) expect(picks.filter((s) => s.startsWith(`${tid}:`)).length).toBeGreaterThan(100);
  });

  it('without a seed, is plain round robin with fixed slices', () => {
    const picks = schedule(undefined, 8);
    expect(picks.slice(0, 4)).toEqual(['1000:1000', '1001:1000', '1002:1000', '1003:1000']);
  });
});
