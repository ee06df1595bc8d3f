// The guests of the -f tests (test/guests/src/forkpipe.c, threads.c, vforkexec.c) as the events
// the emulated kernel will report for them: each task's calls, signals and end in its order,
// with the guest memory each call reads and writes.
import { syscallByName } from '../../../src/decode/index.js';
import type { ExitEvent, SignalEvent, SyscallEvent } from '../../../src/trace/event.js';
import { FakeMemory } from '../../decode/helpers.js';

export type Item =
  | { kind: 'call'; ev: SyscallEvent; mem: FakeMemory }
  | { kind: 'signal'; ev: SignalEvent }
  | { kind: 'end'; ev: ExitEvent };

/** Each task's items, by tid, in creation order. */
export type Tasks = Map<number, Item[]>;

const SIGTERM = 15;
const SIGCHLD = 17;
const SI_USER = 0;
const CLD_EXITED = 1;
const CLD_KILLED = 2;

/** A task's item builder. */
class Task {
  readonly items: Item[] = [];
  constructor(
    readonly pid: number,
    readonly tid = pid,
  ) {}

  call(name: string, args: number[], ret: number, mem = new FakeMemory()): this {
    const row = syscallByName(name);
    if (row === undefined) throw new Error(`no syscall ${name}`);
    const a = new Int32Array(12);
    args.forEach((v, i) => {
      a[2 * i] = v | 0;
      a[2 * i + 1] = Math.floor(v / 2 ** 32) | 0;
    });
    const ev: SyscallEvent = { seq: 0, pid: this.pid, tid: this.tid, icount: 0, rip: 0x401000, nr: row.nr, args: a, ret, errno: 0 };
    this.items.push({ kind: 'call', ev, mem });
    return this;
  }

  signal(signo: number, code: number, sender: number, child?: { status: number }): this {
    const ev: SignalEvent = { pid: this.pid, tid: this.tid, icount: 0, rip: 0x401000, signo, code, sender: { pid: sender, uid: 0 } };
    if (child) ev.child = { ...child, utime: 0, stime: 0 };
    this.items.push({ kind: 'signal', ev });
    return this;
  }

  end(status: ExitEvent['status']): this {
    const ev: ExitEvent = { pid: this.pid, icount: 0, status };
    if (this.tid !== this.pid) ev.tid = this.tid;
    this.items.push({ kind: 'end', ev });
    return this;
  }
}

const tasks = (...list: Task[]): Tasks => new Map(list.map((t) => [t.tid, t.items]));
const i32s = (...v: number[]): Uint8Array => new Uint8Array(Int32Array.from(v).buffer);

const PIPE_FDS = 0x7ffc0100;
const BUF = 0x7ffc0200;
const STATUS = 0x7ffc0300;
const REQ = 0x7ffc0400;
/** struct timespec {0, 50000000}: the children's 50 ms pause. */
const PAUSE = i32s(0, 0, 50000000, 0);

/** forkpipe: the parent blocks in read until its child writes, reaps it, then a second child
 *  kills itself with SIGTERM. `sigchldFirst`: the SIGCHLD of each child is delivered before the
 *  parent's wait4 (the children run ahead of the parent, as without -f). */
export function forkpipe({ sigchldFirst = false } = {}): Tasks {
  const parent = new Task(1000)
    .call('pipe', [PIPE_FDS], 0, new FakeMemory().put(PIPE_FDS, i32s(3, 4)))
    .call('fork', [], 1001)
    .call('close', [4], 0)
    .call('read', [3, BUF, 16], 5, new FakeMemory().put(BUF, 'hello'));
  const reap = (child: number, status: number, signal: Parameters<Task['signal']>): void => {
    if (sigchldFirst) parent.signal(...signal);
    parent.call('wait4', [child, STATUS, 0, 0], child, new FakeMemory().put(STATUS, i32s(status)));
    if (!sigchldFirst) parent.signal(...signal);
  };
  reap(1001, 3 << 8, [SIGCHLD, CLD_EXITED, 1001, { status: 3 }]);
  parent.call('write', [1, BUF, 5], 5, new FakeMemory().put(BUF, 'hello')).call('fork', [], 1002);
  reap(1002, SIGTERM, [SIGCHLD, CLD_KILLED, 1002, { status: SIGTERM }]);
  parent.call('exit_group', [15], NaN).end({ kind: 'exited', code: 15 });
  const writer = new Task(1001)
    .call('gettid', [], 1001)
    .call('close', [3], 0)
    .call('nanosleep', [REQ, 0], 0, new FakeMemory().put(REQ, PAUSE))
    .call('write', [4, BUF, 5], 5, new FakeMemory().put(BUF, 'hello'))
    .call('exit_group', [3], NaN)
    .end({ kind: 'exited', code: 3 });
  const victim = new Task(1002)
    .call('gettid', [], 1002)
    .call('getpid', [], 1002)
    .call('kill', [1002, SIGTERM], 0)
    .signal(SIGTERM, SI_USER, 1002)
    .end({ kind: 'killed', signal: SIGTERM, coreDumped: false });
  return tasks(parent, writer, victim);
}

/** CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|
 *  CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID|CLONE_DETACHED: musl's pthread_create. */
const THREAD_FLAGS = 0x7d0f00;
const STACK = 0x7f0000000001;
const TLS = 0x7f0000000002;
const JOIN_FUTEX = 0x7f0000000003;
const PARENT_TID = 0x7f0000000100;
const CHILD_TID = 0x406290;
const FUTEX_WAIT = 0;
const FUTEX_WAIT_PRIVATE = 128;
const FUTEX_WAKE_PRIVATE = 129;

/** threads: a thread that writes and is joined, then one blocked in read when the main thread
 *  calls exit_group. */
export function threads(): Tasks {
  const clone = (tid: number): [string, number[], number, FakeMemory] => [
    'clone',
    [THREAD_FLAGS, STACK, PARENT_TID, CHILD_TID, TLS],
    tid,
    new FakeMemory().put(PARENT_TID, i32s(tid)),
  ];
  const main = new Task(1000)
    .call('pipe', [PIPE_FDS], 0, new FakeMemory().put(PIPE_FDS, i32s(3, 4)))
    .call(...clone(1001))
    .call('futex', [JOIN_FUTEX, FUTEX_WAIT_PRIVATE, 2, 0], 0)
    .call('futex', [CHILD_TID, FUTEX_WAIT, 1001, 0], 0)
    .call(...clone(1002))
    .call('nanosleep', [REQ, 0], 0, new FakeMemory().put(REQ, PAUSE))
    .call('exit_group', [0], NaN)
    .end({ kind: 'exited', code: 0 });
  const writer = new Task(1000, 1001)
    .call('write', [1, BUF, 7], 7, new FakeMemory().put(BUF, 'thread\n'))
    .call('futex', [JOIN_FUTEX, FUTEX_WAKE_PRIVATE, 1], 1)
    .call('exit', [0], NaN)
    .end({ kind: 'exited', code: 0 });
  const reader = new Task(1000, 1002).call('read', [3, BUF, 1], NaN).end({ kind: 'exited', code: 0 });
  return tasks(main, writer, reader);
}

const PATH = 0x7ffc0500;
const ARGV = 0x7ffc0600;
const ARG1 = 0x7ffc0700;
const ENVP = 0x7f0000000001;

/** vforkexec: the child execs this program again, which writes and exits 7. */
export function vforkexec(): Tasks {
  const program = './vforkexec-musl\0';
  const exec = new FakeMemory()
    .put(PATH, program)
    .put(ARGV, new Uint8Array(new BigUint64Array([BigInt(PATH), BigInt(ARG1), 0n]).buffer))
    .put(ARG1, 'child\0')
    .put(ENVP, new Uint8Array(8));
  const parent = new Task(1000)
    .call('vfork', [], 1001)
    .call('wait4', [1001, STATUS, 0, 0], 1001, new FakeMemory().put(STATUS, i32s(7 << 8)))
    .signal(SIGCHLD, CLD_EXITED, 1001, { status: 7 })
    .call('exit_group', [0], NaN)
    .end({ kind: 'exited', code: 0 });
  const child = new Task(1001)
    .call('execve', [PATH, ARGV, ENVP], 0, exec)
    .call('write', [1, BUF, 6], 6, new FakeMemory().put(BUF, 'child\n'))
    .call('exit_group', [7], NaN)
    .end({ kind: 'exited', code: 7 });
  return tasks(parent, child);
}
