// Building trace files by hand for the diff tests, and running `emtrace diff` in-process.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { syscallNumber } from '../../src/decode/index.js';
import { diffCommand } from '../../src/cli/diff-command.js';
import { TraceWriter } from '../../src/trace/trace-io.js';
import type { TraceEvent, TraceHeader } from '../../src/trace/trace-file.js';
import type { MemoryRange } from '../../src/trace/event.js';

export const FIXTURES = path.join(path.dirname(new URL(import.meta.url).pathname), 'fixtures');

export function scratchDir(name: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `emtrace-${name}-`));
}

export function header(pid = 1000): TraceHeader {
  return {
    type: 'header', format: 'emtrace-trace', version: 1, emtrace: '0.1.0', argv: ['./prog'], env: [], cwd: '/',
    binary: { path: './prog', sha256: '0'.repeat(64) }, seed: '0', clock: 'virtual', entropy: 'seeded',
    cpu: { vendor: 'GenuineIntel', family: 6, model: 15, stepping: 6, brand: 'emtrace virtual x86-64 CPU' },
    identity: { uid: 1000, gid: 1000 }, pid, atRandom: Buffer.alloc(16).toString('base64'),
  };
}

function halves(values: number[]): Int32Array {
  const args = new Int32Array(12);
  values.forEach((v, k) => {
    const hi = Math.floor(v / 4294967296);
    args[2 * k] = (v - hi * 4294967296) | 0;
    args[2 * k + 1] = hi | 0;
  });
  return args;
}

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

interface CallOptions {
  tid?: number;
  errno?: number;
  in?: [number, Uint8Array | string][];
  out?: [number, Uint8Array | string][];
}

/** A trace of one run, event by event, with a pid (the first process) and plain values. */
export class TraceBuilder {
  readonly events: TraceEvent[] = [];
  private seq = 0;

  constructor(readonly pid = 1000) {}

  /** A syscall; `ret` NaN for one that does not return. */
  call(name: string, args: number[], ret: number, o: CallOptions = {}): this {
    const range = ([addr, data]: [number, Uint8Array | string]): MemoryRange => {
      const b = typeof data === 'string' ? bytes(data) : data;
      return { addr, len: b.length, data: b };
    };
    const tid = o.tid ?? this.pid;
    this.events.push({
      type: 'syscall',
      event: {
        seq: this.seq++, pid: tid, tid, icount: this.seq * 100, rip: 0x401000, nr: syscallNumber(name)!,
        args: halves(args), ret: o.errno ? -o.errno : ret, errno: o.errno ?? 0,
      },
      name,
      inputs: (o.in ?? []).map(range),
      outputs: (o.out ?? []).map(range),
    });
    return this;
  }

  write(fd: number, text: string, o: CallOptions = {}): this {
    const addr = 0x402000;
    return this.call('write', [fd, addr, bytes(text).length], bytes(text).length, { ...o, in: [[addr, text]] });
  }

  exit(code: number, pid = this.pid): this {
    this.call('exit_group', [code], NaN, { tid: pid });
    this.events.push({ type: 'exit', pid, icount: this.seq * 100, status: { kind: 'exited', code } });
    return this;
  }

  save(file: string): string {
    const w = TraceWriter.create(file);
    w.writeHeader(header(this.pid));
    for (const e of this.events) w.write(e);
    w.close();
    return file;
  }
}

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** `emtrace diff ARGS...` in-process. */
export async function runDiff(args: string[]): Promise<CliResult> {
  let stdout = '';
  const errors: string[] = [];
  const status = await diffCommand(args, { stdout: (t) => (stdout += t), stderr: (l) => errors.push(l) });
  return { status, stdout, stderr: errors.map((l) => l + '\n').join('') };
}
