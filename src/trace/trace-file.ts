// The trace file's records (docs/trace-format.md) and their conversion to and from the in-memory
// events the rest of emtrace uses.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { ExecRecord, ExitEvent, ExitStatus, FdNames, GuestMemoryReader, MemoryRange, SignalEvent, SyscallEvent } from './event.js';
import { compileSchema, Validator } from './schema.js';

export const TRACE_FORMAT = 'emtrace-trace';
export const TRACE_VERSION = 1;
/** Inputs larger than this are stored as length, hash and the first HEAD_BYTES bytes. */
export const INPUT_INLINE_LIMIT = 4096;
export const HEAD_BYTES = 256;

export interface TraceHeader {
  type: 'header';
  format: typeof TRACE_FORMAT;
  version: typeof TRACE_VERSION;
  emtrace: string;
  argv: string[];
  env: string[];
  cwd: string;
  binary: { path: string; sha256: string };
  seed: string;
  clock: 'virtual' | 'host';
  entropy: 'seeded' | 'host';
  cpu: { vendor: string; family: number; model: number; stepping: number; brand: string };
  identity: { uid: number; gid: number };
  pid: number;
  /** The 16 bytes AT_RANDOM gave the program (base64). */
  atRandom: string;
  /** --chaos, when the run had it: the scheduler's seed. */
  chaos?: string;
  /** --max-memory, when the run had one. */
  maxMemory?: number;
  /** --uname-release and --hostname, when the run had them. */
  uname?: { release?: string; nodename?: string };
}

export interface SyscallRecord {
  type: 'syscall';
  event: SyscallEvent;
  name: string;
  inputs: MemoryRange[];
  outputs: MemoryRange[];
  fd?: string;
}

export type SignalRecord = { type: 'signal' } & SignalEvent;

export type ExitRecord = { type: 'exit' } & ExitEvent;

export type TraceEvent = SyscallRecord | SignalRecord | ExitRecord;

// ---------------------------------------------------------------- numbers

export function hex(n: number): string {
  return '0x' + n.toString(16);
}

/** Register halves as a 64-bit hex string. */
function hexHalves(lo: number, hi: number): string {
  const h = hi >>> 0;
  const l = lo >>> 0;
  return h === 0 ? '0x' + l.toString(16) : '0x' + h.toString(16) + l.toString(16).padStart(8, '0');
}

/** A hex string as (lo, hi) halves. */
function parseHalves(text: string): [number, number] {
  const digits = text.slice(2).padStart(16, '0');
  return [parseInt(digits.slice(8), 16) | 0, parseInt(digits.slice(0, 8), 16) | 0];
}

/** A hex string as a number (exact below 2^53: addresses, counts). */
export function parseHex(text: string): number {
  const [lo, hi] = parseHalves(text);
  return (hi >>> 0) * 4294967296 + (lo >>> 0);
}

/** A 64-bit return value as the signed number the kernel returned. */
function retToHex(ret: number): string {
  const hi = Math.floor(ret / 4294967296);
  return hexHalves(ret - hi * 4294967296, hi);
}

function hexToRet(text: string): number {
  const [lo, hi] = parseHalves(text);
  return hi * 4294967296 + (lo >>> 0);
}

export function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

function base64(data: Uint8Array): string {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64');
}

function fromBase64(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'base64'));
}

// ---------------------------------------------------------------- encoding

export function encodeInput(addr: number, bytes: Uint8Array): object {
  if (bytes.length <= INPUT_INLINE_LIMIT) return { addr: hex(addr), data: base64(bytes) };
  return { addr: hex(addr), len: bytes.length, sha256: sha256(bytes), head: base64(bytes.subarray(0, HEAD_BYTES)) };
}

/** Descriptor descriptions as the trace holds them: `[{"fd":3,"path":"/etc/passwd"}]`. */
function encodeFdNames(names: FdNames): object[] {
  return Object.entries(names).map(([fd, name]) => ({ fd: Number(fd), ...name }));
}

function decodeFdNames(list: { fd: number; path: string; dev?: string }[]): FdNames {
  const names: FdNames = {};
  for (const { fd, path, dev } of list) names[fd] = dev === undefined ? { path } : { path, dev };
  return names;
}

/** One event as its JSON line (without the newline). */
export function encodeEvent(record: TraceEvent): string {
  switch (record.type) {
    case 'syscall': {
      const ev = record.event;
      const args: string[] = [];
      for (let k = 0; k < 6; k++) args.push(hexHalves(ev.args[2 * k], ev.args[2 * k + 1]));
      const line: Record<string, unknown> = {
        type: 'syscall',
        seq: ev.seq,
        pid: ev.pid,
        tid: ev.tid,
        icount: hex(ev.icount),
        rip: hex(ev.rip),
        nr: ev.nr,
        name: record.name,
      };
      if (ev.abi !== undefined) line.abi = ev.abi;
      if (ev.via !== undefined) line.via = ev.via;
      line.args = args;
      if (!Number.isNaN(ev.ret)) line.ret = retToHex(ev.ret);
      line.errno = ev.errno;
      line.in = record.inputs.map((r) => (r.sha256 ? { addr: hex(r.addr), len: r.len, sha256: r.sha256, head: base64(r.data) } : { addr: hex(r.addr), data: base64(r.data) }));
      line.out = record.outputs.map((r) => ({ addr: hex(r.addr), data: base64(r.data) }));
      if (record.fd !== undefined) line.fd = record.fd;
      if (ev.sp !== undefined) line.sp = hex(ev.sp);
      if (ev.fds !== undefined) line.fds = encodeFdNames(ev.fds);
      if (ev.newFds !== undefined) line.newFds = encodeFdNames(ev.newFds);
      if (ev.slept !== undefined) line.slept = ev.slept;
      if (ev.duration !== undefined) line.duration = ev.duration;
      if (ev.injected) line.injected = true;
      if (ev.exec !== undefined) line.exec = ev.exec;
      return JSON.stringify(line);
    }
    case 'signal': {
      const line: Record<string, unknown> = {
        type: 'signal',
        pid: record.pid,
        tid: record.tid,
        icount: hex(record.icount),
        rip: hex(record.rip),
        signo: record.signo,
        code: record.code,
      };
      if (record.addr !== undefined) line.addr = hex(record.addr);
      if (record.seccomp) line.seccomp = { ...record.seccomp, callAddr: hex(record.seccomp.callAddr) };
      if (record.sender) line.sender = { pid: record.sender.pid, uid: record.sender.uid };
      if (record.timer) line.timer = { id: record.timer.id, overrun: record.timer.overrun };
      if (record.child) line.child = { ...record.child };
      if (record.value !== undefined) line.value = '0x' + record.value.toString(16);
      if (record.async) line.async = true;
      if (record.slept !== undefined) line.slept = record.slept;
      return JSON.stringify(line);
    }
    case 'exit': {
      const line: Record<string, unknown> = { type: 'exit', pid: record.pid };
      if (record.tid !== undefined && record.tid !== record.pid) line.tid = record.tid;
      line.icount = hex(record.icount);
      if (record.slept !== undefined) line.slept = record.slept;
      line.status = record.status;
      return JSON.stringify(line);
    }
  }
}

// ---------------------------------------------------------------- decoding

let validator: Validator | null = null;

/** The format's schema (docs/trace-format.schema.json), compiled on first use. */
function validate(value: unknown): string | null {
  if (!validator) {
    const schema = JSON.parse(fs.readFileSync(new URL('../../docs/trace-format.schema.json', import.meta.url), 'utf8'));
    validator = compileSchema(schema);
  }
  return validator(value, 'the line');
}

/** Why a trace line is not valid (without file and line number, which the reader adds). */
export class TraceFormatError extends Error {}

/** Parses and validates one line: the header when `first`, an event otherwise. */
export function decodeLine(text: string, first: boolean): TraceHeader | TraceEvent {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new TraceFormatError('not valid JSON');
  }
  const line = value as Record<string, unknown> & { type: string };
  if (first && line?.type !== 'header') throw new TraceFormatError('the first line must be the trace header');
  if (!first && line?.type === 'header') throw new TraceFormatError('a header may only be the first line');
  if (first && line.format === TRACE_FORMAT && line.version !== TRACE_VERSION)
    throw new TraceFormatError(`trace format version ${JSON.stringify(line.version)} is not supported (this emtrace reads version ${TRACE_VERSION})`);
  const error = validate(value);
  if (error) throw new TraceFormatError(error);
  switch (line.type) {
    case 'header':
      return line as unknown as TraceHeader;
    case 'syscall':
      return decodeSyscall(line as unknown as RawSyscall);
    case 'signal': {
      const s = line as unknown as {
        pid: number;
        tid: number;
        icount: string;
        rip: string;
        signo: number;
        code: number;
        addr?: string;
        seccomp?: { errno: number; callAddr: string; syscall: number; arch: number };
        sender?: { pid: number; uid: number };
        timer?: { id: number; overrun: number };
        child?: { status: number; utime: number; stime: number };
        value?: string;
        async?: boolean;
        slept?: number;
      };
      const signal: SignalRecord = {
        type: 'signal',
        pid: s.pid,
        tid: s.tid,
        icount: parseHex(s.icount),
        rip: parseHex(s.rip),
        signo: s.signo,
        code: s.code,
        addr: s.addr === undefined ? undefined : parseHex(s.addr),
        seccomp: s.seccomp && { ...s.seccomp, callAddr: parseHex(s.seccomp.callAddr) },
      };
      if (s.sender) signal.sender = { pid: s.sender.pid, uid: s.sender.uid };
      if (s.timer) signal.timer = { id: s.timer.id, overrun: s.timer.overrun };
      if (s.child) signal.child = { ...s.child };
      if (s.value !== undefined) signal.value = BigInt(s.value);
      if (s.async) signal.async = true;
      if (s.slept !== undefined) signal.slept = s.slept;
      return signal;
    }
    default: {
      const e = line as unknown as { pid: number; tid?: number; icount: string; status: ExitStatus; slept?: number };
      const exit: ExitRecord = { type: 'exit', pid: e.pid, icount: parseHex(e.icount), status: e.status };
      if (e.tid !== undefined) exit.tid = e.tid;
      if (e.slept !== undefined) exit.slept = e.slept;
      return exit;
    }
  }
}

interface RawSyscall {
  seq: number;
  pid: number;
  tid: number;
  icount: string;
  rip: string;
  nr: number;
  name: string;
  abi?: 'i386';
  via?: 'vdso' | 'vsyscall';
  args: string[];
  ret?: string;
  errno: number;
  in: { addr: string; data?: string; len?: number; sha256?: string; head?: string }[];
  out: { addr: string; data: string }[];
  fd?: string;
  sp?: string;
  fds?: { fd: number; path: string; dev?: string }[];
  newFds?: { fd: number; path: string; dev?: string }[];
  slept?: number;
  duration?: number;
  injected?: true;
  exec?: ExecRecord;
}

function decodeSyscall(raw: RawSyscall): SyscallRecord {
  const args = new Int32Array(12);
  raw.args.forEach((text, k) => {
    const [lo, hi] = parseHalves(text);
    args[2 * k] = lo;
    args[2 * k + 1] = hi;
  });
  const event: SyscallEvent = {
    seq: raw.seq,
    pid: raw.pid,
    tid: raw.tid,
    icount: parseHex(raw.icount),
    rip: parseHex(raw.rip),
    nr: raw.nr,
    args,
    ret: raw.ret === undefined ? NaN : hexToRet(raw.ret),
    errno: raw.errno,
  };
  if (raw.abi !== undefined) event.abi = raw.abi;
  if (raw.via !== undefined) event.via = raw.via;
  const inputs = raw.in.map((r): MemoryRange => {
    if (r.data !== undefined) {
      const data = fromBase64(r.data);
      return { addr: parseHex(r.addr), len: data.length, data };
    }
    return { addr: parseHex(r.addr), len: r.len!, data: fromBase64(r.head!), sha256: r.sha256 };
  });
  const outputs = raw.out.map((r): MemoryRange => {
    const data = fromBase64(r.data);
    return { addr: parseHex(r.addr), len: data.length, data };
  });
  const record: SyscallRecord = { type: 'syscall', event, name: raw.name, inputs, outputs };
  if (raw.fd !== undefined) record.fd = raw.fd;
  if (raw.sp !== undefined) event.sp = parseHex(raw.sp);
  if (raw.fds !== undefined) event.fds = decodeFdNames(raw.fds);
  if (raw.newFds !== undefined) event.newFds = decodeFdNames(raw.newFds);
  if (raw.slept !== undefined) event.slept = raw.slept;
  if (raw.duration !== undefined) event.duration = raw.duration;
  if (raw.injected) event.injected = true;
  if (raw.exec !== undefined) event.exec = raw.exec;
  return record;
}

// ---------------------------------------------------------------- recorded memory

/**
 * Guest memory as a recorded event shows it, for formatting a call from a trace: at entry the
 * bytes the kernel read, at exit those it wrote (falling back to what it read). A range whose
 * bytes were not recorded reads as unreadable, so the formatter prints its address.
 */
export class RecordedMemory implements GuestMemoryReader {
  constructor(private readonly ranges: MemoryRange[]) {}

  /** The memory of a call at exit: written ranges take precedence over read ones. */
  static of(record: SyscallRecord): RecordedMemory {
    return new RecordedMemory([...record.outputs, ...record.inputs]);
  }

  /** The memory of a call at entry: what the kernel read takes precedence over what it wrote
   *  (select's descriptor sets, sendfile's offset: the same bytes before and after the call). */
  static atEntry(record: SyscallRecord): RecordedMemory {
    return new RecordedMemory([...record.inputs, ...record.outputs]);
  }

  readBytes(addr: number, len: number): Uint8Array | null {
    for (const r of this.ranges) {
      const available = r.sha256 ? r.data.length : r.len;
      if (addr >= r.addr && addr + len <= r.addr + available) return r.data.subarray(addr - r.addr, addr - r.addr + len);
    }
    return null;
  }

  readCString(addr: number, max: number): { bytes: Uint8Array; terminated: boolean } | null {
    for (const r of this.ranges) {
      if (addr < r.addr || addr >= r.addr + r.data.length) continue;
      const tail = r.data.subarray(addr - r.addr);
      const nul = tail.indexOf(0);
      if (nul >= 0 && nul <= max) return { bytes: tail.subarray(0, nul), terminated: true };
      return { bytes: tail.subarray(0, Math.min(max, tail.length)), terminated: false };
    }
    return null;
  }
}
