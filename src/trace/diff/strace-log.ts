// An strace text log (`strace -o FILE`, with or without -f / -ff, -t/-tt/-ttt/-r, -T, -i; emtrace's
// own `-o` output is the same format) as a stream of DiffEvents. The tracer's own messages
// (`strace: Process 12 attached`, `emtrace: Process 12 attached`) are skipped; any other line
// that is not strace output is an error naming the file and line.
//
//   [pid 1234] 12:00:00.000001 read(3, "x", 1) = 1 <0.000010>      (stderr-style -f prefix)
//   1234  12:00:00.000001 read(3, "x", 1) = 1 <0.000010>           (-o FILE -f prefix)
//   read(3,  <unfinished ...>  …  <... read resumed>"x", 1) = 1     merged into one line
//
// Writing to stderr, strace -f leaves out the prefix while only one process is traced. An
// unprefixed line belongs to the only live task when there is one (a task lives from its first
// line, or the clone/fork/vfork result that made it, to its `+++` line), else to the first
// process. That process's pid is learned from its own set_tid_address / getpid / gettid result,
// or else is the first prefixed pid that no clone/fork/vfork returned (nor first showed up while
// the unprefixed process was inside one: that is the child).
import { TraceFileError } from '../trace-io.js';
import { collapsePadding } from './line-syntax.js';
import { INITIAL_PID } from './types.js';
import type { DiffEvent, EventSource } from './types.js';

export interface ParsedLine {
  pid: number | null;
  /** The timestamp, and/or `-i`'s instruction pointer `[00000000004017a5]`. */
  time?: string;
  duration?: string;
  kind: 'call' | 'unfinished' | 'resumed' | 'signal' | 'exit';
  /** The syscall name (call, unfinished, resumed). */
  name?: string;
  /** The rest of the line (for `unfinished`, without ` <unfinished ...>`; for `resumed`, after
   *  `<... NAME resumed>`). */
  text: string;
}

const PID_BRACKETS = /^\[pid +(\d+)\] /;
const PID_COLUMN = /^(\d+) +/;
const TIMESTAMP = /^ *(\d\d:\d\d:\d\d(?:\.\d+)?|\d+\.\d+) +/;
const DURATION = / (<\d+\.\d+>)$/;
const IP = /^(\[[0-9a-f?]{8,16}\]) /;
const CALL = /^([A-Za-z_][A-Za-z0-9_]*|\?+)\(/;
const RESUMED = /^<\.\.\. ([A-Za-z_][A-Za-z0-9_]*|\?+) resumed>/;
const UNFINISHED = ' <unfinished ...>';

/** Parses one line of an strace log; null when it is not one. */
export function parseStraceLine(raw: string): ParsedLine | null {
  let s = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  let pid: number | null = null;
  let m = PID_BRACKETS.exec(s) ?? PID_COLUMN.exec(s);
  if (m) {
    pid = Number(m[1]);
    s = s.slice(m[0].length);
  }
  const line: ParsedLine = { pid, kind: 'call', text: '' };
  m = TIMESTAMP.exec(s);
  if (m) {
    line.time = m[1];
    s = s.slice(m[0].length);
  }
  m = IP.exec(s);
  if (m) {
    line.time = line.time === undefined ? m[1] : `${line.time} ${m[1]}`;
    s = s.slice(m[0].length);
  }
  m = DURATION.exec(s);
  if (m) {
    line.duration = m[1];
    s = s.slice(0, m.index);
  }
  if (s.startsWith('+++ ') && s.endsWith(' +++')) return { ...line, kind: 'exit', text: s };
  if (s.startsWith('--- ') && s.endsWith(' ---')) return { ...line, kind: 'signal', text: s };
  m = RESUMED.exec(s);
  if (m) return { ...line, kind: 'resumed', name: m[1], text: s.slice(m[0].length) };
  m = CALL.exec(s);
  if (!m) return null;
  if (s.endsWith(UNFINISHED)) return { ...line, kind: 'unfinished', name: m[1], text: s.slice(0, -UNFINISHED.length) };
  if (!/\) *= /.test(s) && !s.endsWith(' =')) return null;
  return { ...line, kind: 'call', name: m[1], text: s };
}

/** Calls whose successful result is the caller's own pid/tid, and those that return a child's. */
const SELF_PID = new Set(['set_tid_address', 'getpid', 'gettid']);
const CHILD_PID = new Set(['clone', 'clone3', 'fork', 'vfork']);

/** Which process the unprefixed lines are (see the header comment). */
class PidResolver {
  private initial: number | null = null;
  private sawUnprefixed = false;
  private readonly children = new Set<number>();
  /** Tasks alive (canonical keys): strace leaves out the prefix when only one is traced. */
  private readonly live = new Set<number>();
  /** The first process, its pid unknown, is inside a clone/fork/vfork whose result has not been
   *  printed: the first new pid that shows up is the child's. */
  creating = false;

  /** The canonical key of a line's prefix (null: no prefix); `resumesCreation`: the line is the
   *  end of a clone/fork/vfork. */
  key(pid: number | null, resumesCreation = false): number {
    if (pid === null) {
      this.sawUnprefixed = true;
      if (this.live.size === 1) return this.live.values().next().value!;
      this.live.add(INITIAL_PID);
      return INITIAL_PID;
    }
    let key = pid;
    if (pid === this.initial) key = INITIAL_PID;
    else if (this.initial === null && this.sawUnprefixed && !this.children.has(pid)) {
      if (this.creating && !resumesCreation) this.children.add(pid);
      else {
        this.initial = pid;
        key = INITIAL_PID;
      }
      this.creating = false;
    }
    this.live.add(key);
    return key;
  }

  /** Learns from a complete call line of task `key`. */
  learn(key: number, name: string, text: string): void {
    if (!SELF_PID.has(name) && !CHILD_PID.has(name)) return;
    const m = /\) = (\d+)$/.exec(text);
    if (!m) return;
    const value = Number(m[1]);
    if (value <= 0) return;
    if (CHILD_PID.has(name)) {
      this.children.add(value);
      this.live.add(this.canonical(value));
    } else if (key === INITIAL_PID && this.initial === null) this.initial = value;
  }

  /** Task `key` has ended (its `+++` line). */
  ended(key: number): void {
    this.live.delete(key);
  }

  canonical(pid: number): number {
    return pid === this.initial ? INITIAL_PID : pid;
  }
}

interface Pending {
  name: string;
  /** The unfinished line as printed, without ` <unfinished ...>`. */
  text: string;
  time?: string;
  line: number;
}

/** An strace log, read line by line. */
export class StraceLogSource implements EventSource {
  readonly kind = 'log';
  private readonly pids = new PidResolver();
  private readonly pending = new Map<number, Pending>();
  /** Events ready to hand out (a line can complete more than one). */
  private readonly ready: DiffEvent[] = [];
  /** Tasks whose lines have started (and not ended). */
  private readonly seen = new Set<number>();
  private lineNumber = 0;
  private done = false;

  /** `lines` yields the file's lines; `first`, when given, is line 1 already read from it. */
  constructor(
    readonly path: string,
    private readonly lines: AsyncIterator<string>,
    private first: string | null,
  ) {}

  canonical(pid: number): number {
    return this.pids.canonical(pid);
  }

  async next(): Promise<DiffEvent | null> {
    while (this.ready.length === 0) {
      if (this.done) return null;
      const raw = await this.nextRaw();
      if (raw === null) {
        this.done = true;
        for (const key of [...this.pending.keys()]) this.flushPending(key);
        continue;
      }
      this.take(raw);
    }
    return this.ready.shift()!;
  }

  private async nextRaw(): Promise<string | null> {
    this.lineNumber++;
    if (this.first !== null) {
      const line = this.first;
      this.first = null;
      return line;
    }
    try {
      const r = await this.lines.next();
      return r.done ? null : r.value;
    } catch (e) {
      throw new TraceFileError(this.path, this.lineNumber, (e as Error).message);
    }
  }

  private take(raw: string): void {
    if (raw.trim() === '' || raw.startsWith('strace: ') || raw.startsWith('emtrace: ')) return;
    const p = parseStraceLine(raw);
    if (p === null) {
      const shown = raw.length > 60 ? raw.slice(0, 60) + '...' : raw;
      throw new TraceFileError(this.path, this.lineNumber, `not an strace output line: ${JSON.stringify(shown)}`);
    }
    const key = this.pids.key(p.pid, p.kind === 'resumed' && CHILD_PID.has(p.name!));
    const line = this.lineNumber;
    if (!this.seen.has(key)) {
      this.seen.add(key);
      this.ready.push({ pid: key, kind: 'task', text: '', line });
    }
    switch (p.kind) {
      case 'unfinished':
        if (key === INITIAL_PID && p.pid === null && CHILD_PID.has(p.name!)) this.pids.creating = true;
        this.flushPending(key);
        this.pending.set(key, { name: p.name!, text: p.text, time: p.time, line });
        return;
      case 'resumed': {
        const start = this.pending.get(key);
        if (start !== undefined && start.name === p.name) {
          this.pending.delete(key);
          this.emitCall(key, p.name!, start.text + p.text, start.time, p.duration, start.line);
        } else {
          this.emitCall(key, p.name!, `<... ${p.name} resumed>${p.text}`, p.time, p.duration, line);
        }
        return;
      }
      case 'call':
        this.flushPending(key);
        this.emitCall(key, p.name!, p.text, p.time, p.duration, line);
        return;
      case 'signal':
        this.ready.push({ pid: key, kind: 'signal', text: p.text, time: p.time, line });
        return;
      case 'exit':
        this.flushPending(key);
        this.ready.push({ pid: key, kind: 'exit', text: p.text, time: p.time, line });
        this.pids.ended(key);
        this.seen.delete(key);
        return;
    }
  }

  private emitCall(key: number, name: string, text: string, time: string | undefined, duration: string | undefined, line: number): void {
    this.pids.learn(key, name, collapsePadding(text));
    this.ready.push({ pid: key, kind: 'syscall', name, text, time, duration, line });
  }

  /** A call that never resumed (its process was killed, or the log ends): strace's own
   *  `read(0,  <unfinished ...>) = ?`. */
  private flushPending(key: number): void {
    const p = this.pending.get(key);
    if (p === undefined) return;
    this.pending.delete(key);
    this.ready.push({ pid: key, kind: 'syscall', name: p.name, text: p.text + UNFINISHED + ') = ?', time: p.time, line: p.line });
  }
}
