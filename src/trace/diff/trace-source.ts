// A trace file as a stream of DiffEvents: each event rendered as the strace line `emtrace dump`
// and live tracing print (default string limit), keyed by tid as strace's `[pid N]` is.
import { beginCall, exitedLine, finishCall, killedLine, signalLine } from '../../decode/index.js';
import { RecordedMemory } from '../trace-file.js';
import { signalInfo } from '../strace-sink.js';
import type { TraceReader } from '../trace-io.js';
import type { DiffEvent, EventSource } from './types.js';

export class TraceSource implements EventSource {
  readonly kind = 'trace';

  constructor(private readonly reader: TraceReader) {}

  get path(): string {
    return this.reader.path;
  }

  /** The first process's pid (the header's). */
  get firstPid(): number {
    return this.reader.header.pid;
  }

  canonical(pid: number): number {
    return pid;
  }

  async next(): Promise<DiffEvent | null> {
    const e = await this.reader.next();
    if (e === null) return null;
    const line = this.reader.line;
    switch (e.type) {
      case 'syscall': {
        const done = finishCall(beginCall(e.event, RecordedMemory.atEntry(e)), e.event, RecordedMemory.of(e));
        // An i386 call's number is of another table: the name says which syscall it is.
        return { pid: e.event.tid, kind: 'syscall', name: e.name, nr: e.event.abi ? undefined : e.event.nr, text: done.call + ' ' + done.result, record: e, line };
      }
      case 'signal':
        return { pid: e.tid, kind: 'signal', text: signalLine(e.signo, signalInfo(e)), line };
      case 'exit': {
        const s = e.status;
        const text = s.kind === 'exited' ? exitedLine(s.code) : killedLine(s.signal, s.coreDumped);
        return { pid: e.tid ?? e.pid, kind: 'exit', text, line };
      }
    }
  }
}
