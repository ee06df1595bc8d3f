// The guest memory each call reads and writes, as the recorder and replayer will use it.

import { describe, expect, it } from 'vitest';
import { inputRegions, outputRegions } from '../../src/decode/index.js';
import { B, Bytes, event, FakeMemory } from './helpers.js';

describe('memory regions', () => {
  it('read writes ret bytes on success, nothing on failure', () => {
    const m = new FakeMemory();
    expect(inputRegions(event('read', [3, B, 100], 10), m)).toEqual([]);
    expect(outputRegions(event('read', [3, B, 100], 10), m)).toEqual([{ addr: B, len: 10, arg: 1 }]);
    expect(outputRegions(event('read', [3, B, 100], 0, 9), m)).toEqual([]);
  });

  it('write reads count bytes; paths are read up to their NUL', () => {
    const m = new FakeMemory().put(B + 0x300, '/tmp/x\0');
    expect(inputRegions(event('write', [1, B, 12], 12), m)).toEqual([{ addr: B, len: 12, arg: 1 }]);
    expect(outputRegions(event('write', [1, B, 12], 12), m)).toEqual([]);
    expect(inputRegions(event('openat', [-100, B + 0x300, 0], 3), m)).toEqual([{ addr: B + 0x300, len: 7, arg: 1 }]);
  });

  it('structs: stat out, rt_sigaction in and out, prlimit64', () => {
    const m = new FakeMemory().put(B, '/x\0');
    expect(outputRegions(event('stat', [B, B + 0x100], 0), m)).toEqual([{ addr: B + 0x100, len: 144, arg: 1 }]);
    expect(outputRegions(event('stat', [B, B + 0x100], 0, 2), m)).toEqual([]);
    const sa = event('rt_sigaction', [2, B + 0x100, B + 0x200, 8], 0);
    expect(inputRegions(sa, m)).toEqual([{ addr: B + 0x100, len: 32, arg: 1 }]);
    expect(outputRegions(sa, m)).toEqual([{ addr: B + 0x200, len: 32, arg: 2 }]);
    const pl = event('prlimit64', [0, 3, 0, B + 0x100], 0);
    expect(inputRegions(pl, m)).toEqual([]);
    expect(outputRegions(pl, m)).toEqual([{ addr: B + 0x100, len: 16, arg: 3 }]);
  });

  it('iovecs: the array is read, the buffers follow the data direction (readv: up to ret)', () => {
    const iov = new Bytes(32).u64(0, B + 0x1000).u64(8, 4).u64(16, B + 0x2000).u64(24, 8).b;
    const m = new FakeMemory().put(B + 0x400, iov);
    const rv = event('readv', [3, B + 0x400, 2], 6);
    expect(inputRegions(rv, m)).toEqual([{ addr: B + 0x400, len: 32, arg: 1 }]);
    expect(outputRegions(rv, m)).toEqual([
      { addr: B + 0x1000, len: 4, arg: 1 },
      { addr: B + 0x2000, len: 2, arg: 1 },
    ]);
    const wv = event('writev', [1, B + 0x400, 2], 12);
    expect(inputRegions(wv, m)).toEqual([
      { addr: B + 0x400, len: 32, arg: 1 },
      { addr: B + 0x1000, len: 4, arg: 1 },
      { addr: B + 0x2000, len: 8, arg: 1 },
    ]);
    expect(outputRegions(wv, m)).toEqual([]);
  });

  it('ioctl follows the request; futex words are read and written', () => {
    const m = new FakeMemory();
    expect(outputRegions(event('ioctl', [0, 0x5401, B], 0), m)).toEqual([{ addr: B, len: 36, arg: 2 }]);
    expect(inputRegions(event('ioctl', [0, 0x5402, B], 0), m)).toEqual([{ addr: B, len: 36, arg: 2 }]);
    expect(outputRegions(event('ioctl', [0, 0x5413, B], 0), m)).toEqual([{ addr: B, len: 8, arg: 2 }]);
    expect(inputRegions(event('ioctl', [0, 0x540e, 0], 0), m)).toEqual([]);
    // An unknown _IOR request: the kernel writes _IOC_SIZE bytes.
    expect(outputRegions(event('ioctl', [0, 0x80047803, B], 0), m)).toEqual([{ addr: B, len: 4, arg: 2 }]);
    const fu = event('futex', [B, 0, 1, B + 0x10, 0, 0], 0);
    expect(inputRegions(fu, m)).toEqual([
      { addr: B, len: 4, arg: 0 },
      { addr: B + 0x10, len: 16, arg: 3 },
    ]);
    expect(outputRegions(fu, m)).toEqual([{ addr: B, len: 4, arg: 0 }]);
  });

  it('nanosleep writes the remaining time only when interrupted', () => {
    const m = new FakeMemory();
    expect(outputRegions(event('nanosleep', [B, B + 0x10], 0), m)).toEqual([]);
    expect(outputRegions(event('nanosleep', [B, B + 0x10], 0, 516), m)).toEqual([{ addr: B + 0x10, len: 16, arg: 1 }]);
    expect(outputRegions(event('clock_nanosleep', [0, 1, B, B + 0x10], 0, 4), m)).toEqual([]);
  });

  it('syscalls without specs report nothing', () => {
    const m = new FakeMemory();
    expect(inputRegions(event('security', [B, 2, 3], 0), m)).toEqual([]);
    expect(inputRegions(event(999, [B], 0), m)).toEqual([]);
  });
});
