// strace -e read=FD and -e write=FD: after the line of a call that moved data through FD, the
// data in hex (strace's dumpio: the same calls, the same buffers).
import { argInt, argUlong } from './event.js';
import type { GuestMemoryReader, SyscallEvent } from './event.js';
import { eventName } from '../decode/index.js';
import { hexDumpLines } from '../decode/hexdump.js';

/** How a call's data is found: one buffer (address arg, length arg or the result), or an iovec
 *  array (address arg, count arg). */
type DataShape = { kind: 'buffer'; addr: number; len: number | 'ret' } | { kind: 'iovec'; addr: number; count: number };

/** The calls that write data (dumped in full) and read it (up to the result), by name. */
const WRITES: Readonly<Record<string, DataShape>> = {
  write: { kind: 'buffer', addr: 1, len: 2 },
  pwrite64: { kind: 'buffer', addr: 1, len: 2 },
  sendto: { kind: 'buffer', addr: 1, len: 2 },
  writev: { kind: 'iovec', addr: 1, count: 2 },
  pwritev: { kind: 'iovec', addr: 1, count: 2 },
  pwritev2: { kind: 'iovec', addr: 1, count: 2 },
  vmsplice: { kind: 'iovec', addr: 1, count: 2 },
};
const READS: Readonly<Record<string, DataShape>> = {
  read: { kind: 'buffer', addr: 1, len: 'ret' },
  pread64: { kind: 'buffer', addr: 1, len: 'ret' },
  recvfrom: { kind: 'buffer', addr: 1, len: 'ret' },
  readv: { kind: 'iovec', addr: 1, count: 2 },
  preadv: { kind: 'iovec', addr: 1, count: 2 },
  preadv2: { kind: 'iovec', addr: 1, count: 2 },
};

/** The dump lines of one buffer; none when its memory cannot be read. */
function dumpBuffer(mem: GuestMemoryReader, addr: number, len: number): string[] {
  if (len <= 0) return [];
  const data = mem.readBytes(addr, len);
  return data === null ? [] : hexDumpLines(data);
}

/** strace's dumpiov_upto: ` * N bytes in buffer K` and its dump, for each iovec up to `limit`
 *  bytes in all; a zero-length entry ends it. */
function dumpIovec(mem: GuestMemoryReader, iov: number, count: number, limit: number): string[] {
  const lines: string[] = [];
  let left = limit;
  for (let k = 0; k < count; k++) {
    const entry = mem.readBytes(iov + 16 * k, 16);
    if (entry === null) break;
    const view = new DataView(entry.buffer, entry.byteOffset, 16);
    const base = view.getUint32(0, true) + view.getUint32(4, true) * 4294967296;
    const len = Math.min(left, view.getUint32(8, true) + view.getUint32(12, true) * 4294967296);
    if (len === 0) break;
    left -= len;
    lines.push(` * ${len} bytes in buffer ${k}`, ...dumpBuffer(mem, base, len));
  }
  return lines;
}

function dump(shape: DataShape, ev: SyscallEvent, mem: GuestMemoryReader, limit: number): string[] {
  const addr = argUlong(ev.args, shape.addr);
  if (shape.kind === 'iovec') return dumpIovec(mem, addr, argInt(ev.args, shape.count), limit);
  return dumpBuffer(mem, addr, shape.len === 'ret' ? ev.ret : argUlong(ev.args, shape.len));
}

/** The dump lines after a successful call on a descriptor in `writeFds` or `readFds`. */
export function ioDumpLines(ev: SyscallEvent, mem: GuestMemoryReader, writeFds: (fd: number) => boolean, readFds: (fd: number) => boolean): string[] {
  if (ev.errno !== 0 || Number.isNaN(ev.ret)) return [];
  const fd = argInt(ev.args, 0);
  if (fd < 0) return [];
  const name = eventName(ev);
  const lines: string[] = [];
  if (WRITES[name] && writeFds(fd)) lines.push(...dump(WRITES[name], ev, mem, Infinity));
  if (READS[name] && readFds(fd)) lines.push(...dump(READS[name], ev, mem, ev.ret));
  return lines;
}
