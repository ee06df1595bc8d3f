// The vDSO image (checked with binutils' readelf, as a toolchain sees it), the i386 syscall table
// and how i386, vDSO and vsyscall calls are printed, filtered and stored in trace files.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { allI386Syscalls, formatSyscall, i386ByName, i386ByNumber, joinLine, personalityLine, syscallNumber } from '../../src/decode/index.js';
import type { GuestMemoryReader, SyscallEvent } from '../../src/trace/event.js';
import { selectSyscalls } from '../../src/trace/filter.js';
import { decodeLine, encodeEvent } from '../../src/trace/trace-file.js';
import { elfHash, VDSO_BASE, VDSO_FUNCTIONS, VDSO_SIZE, vdsoImage, vdsoTrap } from '../../src/emulator/vdso.js';
import { have } from '../support/run.js';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'emtrace-abi-'));

function readelf(...args: string[]): string {
  const file = path.join(scratch, 'vdso.so');
  fs.writeFileSync(file, vdsoImage());
  const r = spawnSync('readelf', [...args, file], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

describe('the vDSO image', () => {
  it('is an x86-64 shared object of two pages', () => {
    expect(vdsoImage().length).toBe(VDSO_SIZE);
    if (!have('readelf')) return;
    const header = readelf('-hW');
    expect(header).toMatch(/Type:\s+DYN/);
    expect(header).toMatch(/Machine:\s+Advanced Micro Devices X86-64/);
    const segments = readelf('-lW');
    expect(segments).toMatch(/LOAD\s+0x0+ 0x0+ 0x0+ 0x0*2000 0x0*2000 R E/);
    expect(segments).toMatch(/DYNAMIC/);
    expect(segments).toMatch(/NOTE/);
  });

  it('exports the functions as __vdso_* and weak plain names, version LINUX_2.6', () => {
    if (!have('readelf')) return;
    const syms = readelf('--dyn-syms', '-W');
    for (const f of VDSO_FUNCTIONS) {
      expect(syms).toMatch(new RegExp(`FUNC\\s+GLOBAL\\s+DEFAULT\\s+\\d+ __vdso_${f.name}@@LINUX_2.6`));
      expect(syms).toMatch(new RegExp(`FUNC\\s+WEAK\\s+DEFAULT\\s+\\d+ ${f.name}@@LINUX_2.6`));
    }
    const dynamic = readelf('-dW');
    for (const tag of ['HASH', 'STRTAB', 'SYMTAB', 'VERSYM', 'VERDEF', 'SONAME']) expect(dynamic).toContain(`(${tag})`);
    expect(dynamic).toContain('[linux-vdso.so.1]');
    expect(readelf('-VW')).toMatch(/Name: LINUX_2.6/);
    expect(readelf('-nW')).toMatch(/Linux\s+0x00000004\s+(NT_VERSION|Unknown note type: \(0x00000000\))/);
  });

  it("each function's SYSCALL instruction is the trap of its syscall", () => {
    const image = vdsoImage();
    for (const [k, f] of VDSO_FUNCTIONS.entries()) {
      const at = 0xc00 + 16 * k;
      expect([...image.subarray(at, at + 8)]).toEqual([0xb8, f.nr & 0xff, f.nr >> 8, 0, 0, 0x0f, 0x05, 0xc3]);
      expect(vdsoTrap(VDSO_BASE + at + 5)).toBe(f.nr);
      expect(vdsoTrap(VDSO_BASE + at)).toBe(-1);
    }
    expect(vdsoTrap(VDSO_BASE)).toBe(-1);
  });

  it('hashes names as System V ELF does', () => {
    expect(elfHash('')).toBe(0);
    expect(elfHash('printf')).toBe(0x077905a6);
    expect(elfHash('LINUX_2.6')).toBe(0x03ae75f6);
  });
});

describe('the i386 table', () => {
  it("has Linux's syscall_32.tbl numbers", () => {
    const expected: [number, string][] = [
      [1, 'exit'], [3, 'read'], [4, 'write'], [13, 'time'], [20, 'getpid'], [45, 'brk'], [90, 'mmap'], [91, 'munmap'],
      [140, '_llseek'], [142, '_newselect'], [192, 'mmap2'], [199, 'getuid32'], [243, 'set_thread_area'], [252, 'exit_group'],
      [265, 'clock_gettime'], [295, 'openat'], [384, 'arch_prctl'], [403, 'clock_gettime64'], [435, 'clone3'], [471, 'rseq_slice_yield'],
    ];
    for (const [nr, name] of expected) expect(i386ByNumber(nr)?.name, String(nr)).toBe(name);
    expect(i386ByNumber(222)).toBeUndefined();
    expect(allI386Syscalls().length).toBeGreaterThan(450);
  });

  it('prints a call with the x86-64 decoders where the ABIs agree, generically where not', () => {
    const mem: GuestMemoryReader = {
      readBytes: (addr, len) => (addr === 0x1000 ? Buffer.from('hi\n').subarray(0, len) : null),
      readCString: () => null,
    };
    const ev = (nr: number, values: number[], ret: number): SyscallEvent => {
      const args = new Int32Array(12);
      values.forEach((v, k) => (args[2 * k] = v));
      return { seq: 0, pid: 1000, tid: 1000, icount: 0, rip: 0, nr, args, ret, errno: 0, abi: 'i386' };
    };
    expect(formatSyscall(ev(4, [-1 >>> 0, 0x1000, 3], 3), mem)).toBe(joinLine('write(-1, "hi\\n", 3)', '= 3'));
    expect(formatSyscall(ev(192, [0, 4096, 3, 0x22, -1 >>> 0, 0], 0xf7ffd000), mem)).toBe('mmap2(0, 0x1000, 0x3, 0x22, 0xffffffff, 0) = 0xf7ffd000');
    expect(personalityLine(1000, 'i386')).toBe('[ Process PID=1000 runs in 32 bit mode. ]');
  });

  it('-e selects i386 calls by name, class and personality', () => {
    const write32 = i386ByName('write')!.nr;
    const i386 = { abi: 'i386' } as const;
    expect(selectSyscalls(['trace=write'])(write32, i386)).toBe(true);
    expect(selectSyscalls(['trace=write'])(syscallNumber('write')!)).toBe(true);
    expect(selectSyscalls(['trace=write@32'])(syscallNumber('write')!)).toBe(false);
    expect(selectSyscalls(['trace=write@64'])(write32, i386)).toBe(false);
    expect(selectSyscalls(['trace=%memory'])(i386ByName('mmap2')!.nr, i386)).toBe(true);
    expect(selectSyscalls(['trace=mmap2'])(i386ByName('mmap2')!.nr, i386)).toBe(true);
    expect(selectSyscalls(['trace=!write'])(4, i386)).toBe(false);
    // getpid is 20 in i386 but a different call in x86-64.
    expect(selectSyscalls(['trace=getpid'])(20, i386)).toBe(true);
    expect(selectSyscalls(['trace=getpid'])(20)).toBe(false);
  });

  it('--no-vdso leaves out vDSO and vsyscall calls', () => {
    const all = selectSyscalls([], { noVdso: true });
    expect(all(228, { via: 'vdso' })).toBe(false);
    expect(all(96, { via: 'vsyscall' })).toBe(false);
    expect(all(228)).toBe(true);
  });
});

describe('the trace file', () => {
  it('stores the ABI and how a call came, and reads them back', () => {
    const args = new Int32Array(12);
    const i386: SyscallEvent = { seq: 3, pid: 1000, tid: 1000, icount: 10, rip: 0x401000, nr: 4, args, ret: 3, errno: 0, abi: 'i386' };
    const vdso: SyscallEvent = { seq: 4, pid: 1000, tid: 1000, icount: 11, rip: VDSO_BASE + 0xc05, nr: 228, args, ret: 0, errno: 0, via: 'vdso' };
    for (const event of [i386, vdso]) {
      const line = encodeEvent({ type: 'syscall', event, name: 'x', inputs: [], outputs: [] });
      expect(line).toContain(event.abi ? '"abi":"i386"' : '"via":"vdso"');
      const back = decodeLine(line, false);
      if (back.type !== 'syscall') throw new Error('not a syscall');
      expect([back.event.nr, back.event.abi, back.event.via]).toEqual([event.nr, event.abi, event.via]);
    }
  });
});
