// Drives an observer with the tasks' events in the order a real strace log shows them: each line
// of the log says which task did what next (a call's entry when it ends `<unfinished ...>`, its
// exit when it is `<... NAME resumed>`, both for a whole line, a signal, an end). The log is the
// oracle of the order; the observer has to print it back.
import { allSyscalls } from '../../../src/decode/index.js';
import type { SyscallObserver } from '../../../src/trace/observer.js';
import type { Item, Tasks } from './tasks.js';

export type Step = { tid: number; kind: 'enter' | 'exit' | 'call' | 'signal' | 'end' };

const PREFIX = /^(?:(\d+) +|\[pid +(\d+)\] )?(.*)$/s;

/** The steps that make `log`'s lines in order (a line without a pid belongs to the one task whose
 *  next step it can be). A call the log does not show because -e status= hides it (exit_group)
 *  runs just before its task's end. */
export function scheduleOf(log: string, tasks: Tasks): Step[] {
  const next = new Map([...tasks].map(([tid, items]) => [tid, 0]));
  const pending = new Map<number, string>();
  const peek = (tid: number): Item | undefined => tasks.get(tid)![next.get(tid)!];
  const nameOf = (item: Item | undefined): string | undefined => (item?.kind === 'call' ? callName(item) : undefined);
  const steps: Step[] = [];
  for (const line of log.split('\n').filter((l) => l !== '')) {
    const [, a, b, body] = PREFIX.exec(line)!;
    const given = a ?? b;
    const resumed = /^<\.\.\. (\w+) resumed>/.exec(body)?.[1];
    const called = /^(\w+)\(/.exec(body)?.[1];
    const fits = (tid: number): boolean => {
      if (resumed) return pending.get(tid) === resumed;
      if (pending.has(tid)) return false;
      if (body.startsWith('---')) return peek(tid)?.kind === 'signal';
      if (body.startsWith('+++')) return peek(tid)?.kind === 'end' || (nameOf(peek(tid)) === 'exit_group' && tasks.get(tid)![next.get(tid)! + 1]?.kind === 'end');
      return nameOf(peek(tid)) === called;
    };
    const candidates = given !== undefined ? [Number(given)] : [...tasks.keys()];
    const tid = candidates.find(fits);
    if (tid === undefined) throw new Error(`no task can print: ${line}`);
    const take = (kind: Step['kind']): void => {
      steps.push({ tid, kind });
      if (kind !== 'exit') next.set(tid, next.get(tid)! + 1);
    };
    if (resumed) {
      take('exit');
      pending.delete(tid);
    } else if (body.startsWith('---')) take('signal');
    else if (body.startsWith('+++')) {
      if (peek(tid)?.kind === 'call') take('call');
      take('end');
    } else if (body.endsWith(' <unfinished ...>')) {
      take('enter');
      pending.set(tid, called!);
    } else take('call');
  }
  for (const [tid, items] of tasks) if (next.get(tid) !== items.length) throw new Error(`task ${tid}: ${items.length - next.get(tid)!} events not in the log`);
  return steps;
}

function callName(item: Item & { kind: 'call' }): string {
  return nameByNr.get(item.ev.nr) ?? String(item.ev.nr);
}

const nameByNr = new Map(allSyscalls().map((row) => [row.nr, row.name]));

/** Every event of task `tid` at once, as whole calls. */
export function sequential(tasks: Tasks, tid: number): Step[] {
  return tasks.get(tid)!.map((item) => ({ tid, kind: item.kind === 'call' ? 'call' : item.kind }));
}

/** Tells `observer` about the tasks' events in the order of `steps`, as the kernel does. */
export function drive(observer: SyscallObserver, tasks: Tasks, steps: Step[]): void {
  const next = new Map([...tasks].map(([tid]) => [tid, 0]));
  const inCall = new Map<number, Item & { kind: 'call' }>();
  const enter = (item: Item & { kind: 'call' }): void => {
    const ev = item.ev;
    if (observer.wants(ev.nr, ev, ev.pid, ev)) {
      observer.enter(ev, item.mem);
      inCall.set(ev.tid, item);
    }
  };
  const exit = (tid: number): void => {
    const item = inCall.get(tid);
    inCall.delete(tid);
    if (item) observer.exit(item.ev, item.mem, { writes: null });
  };
  for (const step of steps) {
    if (step.kind === 'exit') {
      exit(step.tid);
      continue;
    }
    const k = next.get(step.tid)!;
    next.set(step.tid, k + 1);
    const item = tasks.get(step.tid)![k];
    if (item.kind === 'call') {
      enter(item);
      if (step.kind === 'call') exit(step.tid);
    } else if (item.kind === 'signal') observer.signal(item.ev);
    else observer.processExit(item.ev);
  }
}
