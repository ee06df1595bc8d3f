// Signal syscalls and the lines about signals and process ends. Expected lines: strace 6.1,
// x86-64, from C programs doing the same (sigaction structs as the kernel's 32-byte layout).

import { describe, expect, it } from 'vitest';
import { exitedLine, formatSiginfo, killedLine, siginfoFromBytes, signalLine } from '../../src/decode/index.js';
import { B, Bytes, event, FakeMemory, line } from './helpers.js';

const bit = (sig: number): bigint => 1n << BigInt(sig - 1);
const sa = (handler: number | bigint, flags: number, restorer: number, mask: bigint): Uint8Array =>
  new Bytes(32).u64(0, handler).u64(8, flags).u64(16, restorer).u64(24, mask).b;
const SA_RESTORER = 0x04000000;
const SA_RESTART = 0x10000000;
const SA_SIGINFO = 4;
const SA_ONSTACK = 0x08000000;
const SA_NODEFER = 0x40000000;
const SA_RESETHAND = 0x80000000;

describe('rt_sigaction', () => {
  it('new action at entry, old action at exit', () => {
    const act = sa(0x401000, SA_RESTART | SA_RESTORER | SA_SIGINFO, 0x402000, bit(2) | bit(15));
    const entry = new FakeMemory().put(B + 0xb00, act).put(B + 0xc00, act);
    const exit = new FakeMemory().put(B + 0xb00, act).put(B + 0xc00, sa(0, 0, 0, 0n));
    expect(line(event('rt_sigaction', [2, B + 0xb00, B + 0xc00, 8], 0), entry, exit)).toBe(
      'rt_sigaction(SIGINT, {sa_handler=0x401000, sa_mask=[INT TERM], sa_flags=SA_RESTORER|SA_RESTART|SA_SIGINFO, sa_restorer=0x402000}, {sa_handler=SIG_DFL, sa_mask=[], sa_flags=0}, 8) = 0',
    );
    const old = new FakeMemory().put(B + 0xc00, act);
    expect(line(event('rt_sigaction', [2, 0, B + 0xc00, 8], 0), entry, old)).toBe(
      'rt_sigaction(SIGINT, NULL, {sa_handler=0x401000, sa_mask=[INT TERM], sa_flags=SA_RESTORER|SA_RESTART|SA_SIGINFO, sa_restorer=0x402000}, 8) = 0',
    );
  });

  it('SIG_IGN/SIG_DFL, inverted masks, real-time signals, bad signals', () => {
    const ign = new FakeMemory().put(B + 0xb00, sa(1, 0, 0x402000, 0n));
    expect(line(event('rt_sigaction', [13, B + 0xb00, 0, 8], 0), ign)).toBe(
      'rt_sigaction(SIGPIPE, {sa_handler=SIG_IGN, sa_mask=[], sa_flags=0}, NULL, 8) = 0',
    );
    const fl = (SA_RESTORER | SA_ONSTACK | SA_NODEFER | SA_RESETHAND) >>> 0;
    const tail = 'sa_flags=SA_RESTORER|SA_ONSTACK|SA_NODEFER|SA_RESETHAND, sa_restorer=0x402000}';
    const all = new FakeMemory().put(B + 0xb00, sa(0, fl, 0x402000, -1n));
    expect(line(event('rt_sigaction', [11, B + 0xb00, 0, 8], 0), all)).toBe(
      'rt_sigaction(SIGSEGV, {sa_handler=SIG_DFL, sa_mask=~[], ' + tail + ', NULL, 8) = 0',
    );
    const most = new FakeMemory().put(B + 0xb00, sa(0, fl, 0x402000, BigInt.asUintN(64, ~(bit(9) | bit(19)))));
    expect(line(event('rt_sigaction', [17, B + 0xb00, 0, 8], 0), most)).toBe(
      'rt_sigaction(SIGCHLD, {sa_handler=SIG_DFL, sa_mask=~[KILL STOP], ' + tail + ', NULL, 8) = 0',
    );
    const rt = new FakeMemory().put(B + 0xb00, sa(0, fl, 0x402000, (1n << 33n) | (1n << 40n) | (1n << 63n)));
    const rtAct = '{sa_handler=SIG_DFL, sa_mask=[RT_2 RT_9 RT_32], ' + tail;
    expect(line(event('rt_sigaction', [36, B + 0xb00, 0, 8], 0), rt)).toBe(`rt_sigaction(SIGRT_4, ${rtAct}, NULL, 8) = 0`);
    expect(line(event('rt_sigaction', [64, B + 0xb00, 0, 8], 0), rt)).toBe(`rt_sigaction(SIGRT_32, ${rtAct}, NULL, 8) = 0`);
    expect(line(event('rt_sigaction', [65, B + 0xb00, 0, 8], 0, 22), rt)).toBe(
      `rt_sigaction(65, ${rtAct}, NULL, 8) = -1 EINVAL (Invalid argument)`,
    );
    expect(line(event('rt_sigaction', [9, B + 0xb00, 0, 8], 0, 22), rt)).toBe(
      `rt_sigaction(SIGKILL, ${rtAct}, NULL, 8) = -1 EINVAL (Invalid argument)`,
    );
    expect(line(event('rt_sigaction', [2, B + 0xb00, 0, 7], 0, 22), rt)).toBe(
      `rt_sigaction(SIGINT, ${rtAct}, NULL, 7) = -1 EINVAL (Invalid argument)`,
    );
  });
});

describe('rt_sigprocmask', () => {
  it('how, set at entry, old set at exit', () => {
    const entry = new FakeMemory().put(B + 0xd00, new Bytes(8).u64(0, bit(17)).b).put(B + 0xd80, new Bytes(8).u64(0, bit(17)).b);
    const exit = new FakeMemory().put(B + 0xd00, new Bytes(8).u64(0, bit(17)).b).put(B + 0xd80, new Uint8Array(8));
    expect(line(event('rt_sigprocmask', [0, B + 0xd00, B + 0xd80, 8], 0), entry, exit)).toBe(
      'rt_sigprocmask(SIG_BLOCK, [CHLD], [], 8) = 0',
    );
    expect(line(event('rt_sigprocmask', [2, B + 0xd80, 0, 8], 0), exit)).toBe('rt_sigprocmask(SIG_SETMASK, [], NULL, 8) = 0');
    expect(line(event('rt_sigprocmask', [1, 0, B + 0xd80, 8], 0), exit)).toBe('rt_sigprocmask(SIG_UNBLOCK, NULL, [], 8) = 0');
    expect(line(event('rt_sigprocmask', [7, B + 0xd00, 0, 8], 0, 22), entry)).toBe(
      'rt_sigprocmask(0x7 /* SIG_??? */, [CHLD], NULL, 8) = -1 EINVAL (Invalid argument)',
    );
  });
});

describe('process end and signal delivery lines', () => {
  it('exit and kill lines', () => {
    expect(exitedLine(0)).toBe('+++ exited with 0 +++');
    expect(exitedLine(7)).toBe('+++ exited with 7 +++');
    expect(killedLine(11)).toBe('+++ killed by SIGSEGV +++');
    expect(killedLine(11, true)).toBe('+++ killed by SIGSEGV (core dumped) +++');
    expect(killedLine(9)).toBe('+++ killed by SIGKILL +++');
  });

  it('siginfo for faults, kill, tkill, sigqueue, SIGCHLD', () => {
    expect(signalLine(11, { signo: 11, code: 1, addr: 0x10 })).toBe(
      '--- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=0x10} ---',
    );
    expect(signalLine(11, { signo: 11, code: 1, addr: 0 })).toBe(
      '--- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=NULL} ---',
    );
    expect(signalLine(8, { signo: 8, code: 1, addr: 0x5594cd006329 })).toBe(
      '--- SIGFPE {si_signo=SIGFPE, si_code=FPE_INTDIV, si_addr=0x5594cd006329} ---',
    );
    expect(signalLine(4, { signo: 4, code: 2, addr: 0x5594cd006349 })).toBe(
      '--- SIGILL {si_signo=SIGILL, si_code=ILL_ILLOPN, si_addr=0x5594cd006349} ---',
    );
    expect(signalLine(10, { signo: 10, code: 0, pid: 4663, uid: 0 })).toBe(
      '--- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_USER, si_pid=4663, si_uid=0} ---',
    );
    expect(signalLine(10, { signo: 10, code: -6, pid: 4663, uid: 0 })).toBe(
      '--- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_TKILL, si_pid=4663, si_uid=0} ---',
    );
    expect(signalLine(5, { signo: 5, code: 0x80, addr: 0 })).toBe(
      '--- SIGTRAP {si_signo=SIGTRAP, si_code=SI_KERNEL, si_addr=NULL} ---',
    );
    expect(signalLine(14, { signo: 14, code: 0x80 })).toBe('--- SIGALRM {si_signo=SIGALRM, si_code=SI_KERNEL} ---');
    expect(signalLine(4, { signo: 4, code: 0x80, addr: 0 })).toBe(
      '--- SIGILL {si_signo=SIGILL, si_code=SI_KERNEL, si_addr=NULL} ---',
    );
    expect(signalLine(10, { signo: 10, code: -1, pid: 4663, uid: 0, int: 42, ptr: 42 })).toBe(
      '--- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_QUEUE, si_pid=4663, si_uid=0, si_int=42, si_ptr=0x2a} ---',
    );
    expect(signalLine(17, { signo: 17, code: 1, pid: 4664, uid: 0, status: 7, utime: 0, stime: 0 })).toBe(
      '--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=4664, si_uid=0, si_status=7, si_utime=0, si_stime=0} ---',
    );
    expect(signalLine(17, { signo: 17, code: 2, pid: 4665, uid: 0, status: 11, utime: 0, stime: 0 })).toBe(
      '--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_KILLED, si_pid=4665, si_uid=0, si_status=SIGSEGV, si_utime=0, si_stime=0} ---',
    );
  });

  it('reads a kernel siginfo_t', () => {
    const b = new Bytes(128).i32(0, 11).i32(8, 2).u64(16, 0x7ffc1000).b;
    expect(formatSiginfo(siginfoFromBytes(b))).toBe('{si_signo=SIGSEGV, si_code=SEGV_ACCERR, si_addr=0x7ffc1000}');
    const k = new Bytes(128).i32(0, 15).i32(8, 0).i32(16, 42).u32(20, 1000).b;
    expect(formatSiginfo(siginfoFromBytes(k))).toBe('{si_signo=SIGTERM, si_code=SI_USER, si_pid=42, si_uid=1000}');
  });
});
