// Line assembly: alignment, results, errors, calls that do not return, generic decoding.
// Expected lines from strace 6.1 on x86-64 unless said otherwise.

import { describe, expect, it } from 'vitest';
import { beginCall, errorText, finishCall, joinLine, resumedText } from '../../src/decode/index.js';
import { B, event, FakeMemory, line } from './helpers.js';

const m = new FakeMemory();

describe('joinLine', () => {
  it('puts = at column 40, or one space after a longer call', () => {
    expect(joinLine('close(3)', '= 0')).toBe('close(3)                                = 0');
    expect(joinLine('close(3)', '= 0').indexOf('=')).toBe(40);
    expect(joinLine('x'.repeat(39), '= 0')).toBe('x'.repeat(39) + ' = 0');
    expect(joinLine('x'.repeat(40), '= 0')).toBe('x'.repeat(40) + ' = 0');
    expect(joinLine('x'.repeat(38), '= 0')).toBe('x'.repeat(38) + '  = 0');
  });

  it('counts a prefix already on the line', () => {
    // strace -f: "[pid  4665] " then the call.
    expect('[pid  4665] ' + joinLine('close(3)', '= 0', 12)).toBe('[pid  4665] close(3)                    = 0');
  });
});

describe('errors', () => {
  it('name and glibc message; unknown errnos; restart codes', () => {
    expect(errorText(2)).toBe('-1 ENOENT (No such file or directory)');
    expect(errorText(11)).toBe('-1 EAGAIN (Resource temporarily unavailable)');
    expect(errorText(133)).toBe('-1 EHWPOISON (Memory page has hardware error)');
    expect(errorText(524)).toBe('-1 ENOTSUPP (Unknown error 524)');
    expect(errorText(600)).toBe('-1 (errno 600)');
    expect(errorText(512)).toBe('? ERESTARTSYS (To be restarted if SA_RESTART is set)');
    expect(errorText(513)).toBe('? ERESTARTNOINTR (To be restarted)');
    expect(errorText(514)).toBe('? ERESTARTNOHAND (To be restarted if no handler)');
    expect(errorText(516)).toBe('? ERESTART_RESTARTBLOCK (Interrupted by signal)');
  });
});

describe('generic decoding', () => {
  it('unknown numbers print as syscall_0x… with six hex arguments', () => {
    expect(line(event(999, [1, 2, 3, 4, 5, 6], 0, 38), m)).toBe(
      'syscall_0x3e7(0x1, 0x2, 0x3, 0x4, 0x5, 0x6) = -1 ENOSYS (Function not implemented)',
    );
    expect(line(event(999, [0, -1, 0x7fffffffffffffffn, 3, 4, 5], 0, 38), m)).toBe(
      'syscall_0x3e7(0, 0xffffffffffffffff, 0x7fffffffffffffff, 0x3, 0x4, 0x5) = -1 ENOSYS (Function not implemented)',
    );
  });

  it('syscalls without a decoder print their arguments in hex', () => {
    expect(line(event('security', [1, 2, 3], 0, 38), m)).toBe(
      'security(0x1, 0x2, 0x3)                 = -1 ENOSYS (Function not implemented)',
    );
    expect(line(event('tuxcall', [1, 2, 3], 0, 38), m)).toBe(
      'tuxcall(0x1, 0x2, 0x3)                  = -1 ENOSYS (Function not implemented)',
    );
    expect(line(event('sched_yield', [], 0), m)).toBe('sched_yield()                           = 0');
  });
});

describe('calls that do not finish', () => {
  it('a call killed inside the kernel shows <unfinished ...>', () => {
    // strace 6.1: a read(0, ...) blocked on a pipe when SIGKILL arrived.
    const ev = event('read', [0, B, 10], NaN);
    const p = beginCall(ev, m);
    expect(p.entry).toBe('read(0, ');
    const done = finishCall(p, ev, m);
    expect(joinLine(done.call, done.result)).toBe('read(0,  <unfinished ...>)              = ?');
  });

  it('a killed input-only call shows all its arguments (strace 6.1: `write(4, "x", 1) = ?`)', () => {
    const mem = new FakeMemory().put(B, 'x');
    const ev = event('write', [1, B, 1], NaN);
    const done = finishCall(beginCall(ev, mem), ev, mem);
    expect(joinLine(done.call, done.result)).toBe('write(1, "x", 1)                        = ?');
  });

  it('resumed text for interleaved threads', () => {
    const before = new FakeMemory().put(B, '\0\0\0');
    const after = new FakeMemory().put(B, 'abc');
    const ev = event('read', [5, B, 10], 3);
    const p = beginCall(ev, before);
    const done = finishCall(p, ev, after);
    expect(p.entry + ' <unfinished ...>').toBe('read(5,  <unfinished ...>');
    expect(resumedText(p, done)).toBe('<... read resumed>"abc", 10)');
  });
});
