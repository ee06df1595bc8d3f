// ioctl. Expected lines: strace 6.1, x86-64, a C program on a pseudo-terminal (fd 4 the pty
// slave, fd 3 the master), structs as the kernel filled them.

import { describe, expect, it } from 'vitest';
import { B, Bytes, event, FakeMemory, line } from './helpers.js';

const termios = (i: number, o: number, c: number, l: number): Uint8Array =>
  new Bytes(36).u32(0, i).u32(4, o).u32(8, c).u32(12, l).b;
// c_iflag=ICRNL|IXON, c_oflag=OPOST|ONLCR, c_cflag=B38400|CS8|CREAD, c_lflag=ISIG|ICANON|ECHO|...
const SANE = termios(0o2400, 0o5, 0o277, 0o105073);
const SANE_TEXT =
  '{c_iflag=ICRNL|IXON, c_oflag=NL0|CR0|TAB0|BS0|VT0|FF0|OPOST|ONLCR, c_cflag=B38400|CS8|CREAD, c_lflag=ISIG|ICANON|ECHO|ECHOE|ECHOK|IEXTEN|ECHOCTL|ECHOKE, ...}';

describe('termios requests', () => {
  it('TCGETS at exit, TCSETS* at entry (with every name of the request number)', () => {
    const none = new FakeMemory().put(B + 0x100, new Uint8Array(36));
    const got = new FakeMemory().put(B + 0x100, SANE);
    expect(line(event('ioctl', [4, 0x5401, B + 0x100], 0), none, got)).toBe(`ioctl(4, TCGETS, ${SANE_TEXT}) = 0`);
    expect(line(event('ioctl', [4, 0x5402, B + 0x100], 0), got, none)).toBe(
      `ioctl(4, SNDCTL_TMR_START or TCSETS, ${SANE_TEXT}) = 0`,
    );
    expect(line(event('ioctl', [4, 0x5403, B + 0x100], 0), got)).toBe(`ioctl(4, SNDCTL_TMR_STOP or TCSETSW, ${SANE_TEXT}) = 0`);
    expect(line(event('ioctl', [4, 0x5404, B + 0x100], 0), got)).toBe(
      `ioctl(4, SNDCTL_TMR_CONTINUE or TCSETSF, ${SANE_TEXT}) = 0`,
    );
    expect(line(event('ioctl', [1, 0x5401, B + 0x100], 0, 25), got)).toBe(
      'ioctl(1, TCGETS, 0x10000100)            = -1 ENOTTY (Inappropriate ioctl for device)',
    );
    expect(line(event('ioctl', [4, 0x5401, 0], 0, 14), got)).toBe('ioctl(4, TCGETS, NULL)                  = -1 EFAULT (Bad address)');
    expect(line(event('ioctl', [99, 0x5401, B + 0x100], 0, 9), got)).toBe(
      'ioctl(99, TCGETS, 0x10000100)           = -1 EBADF (Bad file descriptor)',
    );
  });

  it('empty flag words, delay fields, CIBAUD, unknown bits, as strace prints them', () => {
    const a = new FakeMemory().put(B, termios(0, 0, 0o15 | 0o40 | (0o16 << 16) | 0x80000000, 0));
    expect(line(event('ioctl', [4, 0x5402, B], 0), a)).toBe(
      'ioctl(4, SNDCTL_TMR_START or TCSETS, {c_iflag=, c_oflag=NL0|CR0|TAB0|BS0|VT0|FF0|, c_cflag=B9600|B19200<<IBSHIFT|CS7|CRTSCTS, c_lflag=, ...}) = 0',
    );
    const o = 0o400 | 0o2000 | 0o14000 | 0o20000 | 0o40000 | 0o100000 | 1 | 0x10000000;
    const b = new FakeMemory().put(B, termios(0, o, 0o10000, 0));
    expect(line(event('ioctl', [4, 0x5402, B], 0), b)).toBe(
      'ioctl(4, SNDCTL_TMR_START or TCSETS, {c_iflag=, c_oflag=NL1|CR2|XTABS|BS1|VT1|FF1|OPOST|0x10000000, c_cflag=BOTHER|CS5|, c_lflag=, ...}) = 0',
    );
  });

  it('TCGETA reads a struct termio', () => {
    const t = new FakeMemory().put(B + 0x100, new Bytes(18).u16(0, 0o2400).u16(2, 5).u16(4, 0o277).u16(6, 0o105061).b);
    expect(line(event('ioctl', [4, 0x5405, B + 0x100], 0), t)).toBe(
      'ioctl(4, TCGETA, {c_iflag=ICRNL|IXON, c_oflag=NL0|CR0|TAB0|BS0|VT0|FF0|OPOST|ONLCR, c_cflag=B38400|CS8|CREAD, c_lflag=ISIG|ECHOE|ECHOK|IEXTEN|ECHOCTL|ECHOKE, ...}) = 0',
    );
  });
});

describe('window size, process groups, ints, no-argument requests', () => {
  it('winsize', () => {
    const ws = (r: number, c: number): FakeMemory => new FakeMemory().put(B + 0x200, new Bytes(8).u16(0, r).u16(2, c).b);
    expect(line(event('ioctl', [4, 0x5413, B + 0x200], 0), ws(0, 0), ws(0, 0))).toBe(
      'ioctl(4, TIOCGWINSZ, {ws_row=0, ws_col=0, ws_xpixel=0, ws_ypixel=0}) = 0',
    );
    expect(line(event('ioctl', [4, 0x5414, B + 0x200], 0), ws(24, 80))).toBe(
      'ioctl(4, TIOCSWINSZ, {ws_row=24, ws_col=80, ws_xpixel=0, ws_ypixel=0}) = 0',
    );
    expect(line(event('ioctl', [1, 0x5413, B + 0x200], 0, 25), ws(0, 0))).toBe(
      'ioctl(1, TIOCGWINSZ, 0x10000200)        = -1 ENOTTY (Inappropriate ioctl for device)',
    );
  });

  it('int arguments read at entry or written at exit', () => {
    const v = (x: number): FakeMemory => new FakeMemory().put(B + 0x300, new Bytes(4).i32(0, x).b);
    expect(line(event('ioctl', [0, 0x540f, B + 0x300], 0), v(0), v(12162))).toBe('ioctl(0, TIOCGPGRP, [12162])            = 0');
    expect(line(event('ioctl', [0, 0x5429, B + 0x300], 0), v(0), v(12162))).toBe('ioctl(0, TIOCGSID, [12162])             = 0');
    expect(line(event('ioctl', [4, 0x540f, B + 0x300], 0, 25), v(0))).toBe(
      'ioctl(4, TIOCGPGRP, 0x10000300)         = -1 ENOTTY (Inappropriate ioctl for device)',
    );
    expect(line(event('ioctl', [4, 0x5410, B + 0x300], 0, 25), v(77))).toBe(
      'ioctl(4, TIOCSPGRP, [77])               = -1 ENOTTY (Inappropriate ioctl for device)',
    );
    expect(line(event('ioctl', [4, 0x541b, B + 0x300], 0), v(0))).toBe('ioctl(4, FIONREAD, [0])                 = 0');
    expect(line(event('ioctl', [4, 0x5421, B + 0x300], 0), v(1))).toBe('ioctl(4, FIONBIO, [1])                  = 0');
    expect(line(event('ioctl', [3, 0x80045430, B + 0x300], 0), v(0))).toBe('ioctl(3, TIOCGPTN, [0])                 = 0');
    expect(line(event('ioctl', [3, 0x40045431, B + 0x300], 0), v(0))).toBe('ioctl(3, TIOCSPTLCK, [0])               = 0');
    expect(line(event('ioctl', [4, 0x5411, B + 0x300], 0), v(0))).toBe('ioctl(4, TIOCOUTQ, [0])                 = 0');
  });

  it('direct arguments and requests without one', () => {
    const m = new FakeMemory().put(B, 'a');
    expect(line(event('ioctl', [4, 0x540e, 0], 0, 1), m)).toBe('ioctl(4, TIOCSCTTY, 0)                  = -1 EPERM (Operation not permitted)');
    expect(line(event('ioctl', [4, 0x540e, 1], 0, 1), m)).toBe('ioctl(4, TIOCSCTTY, 1)                  = -1 EPERM (Operation not permitted)');
    expect(line(event('ioctl', [4, 0x540b, 0], 0), m)).toBe('ioctl(4, TCFLSH, TCIFLUSH)              = 0');
    expect(line(event('ioctl', [4, 0x540a, 1], 0), m)).toBe('ioctl(4, TCXONC, TCOON)                 = 0');
    expect(line(event('ioctl', [4, 0x5409, 1], 0), m)).toBe('ioctl(4, TCSBRK, 1)                     = 0');
    expect(line(event('ioctl', [4, 0x5412, B], 0), m)).toBe('ioctl(4, TIOCSTI, "a")                  = 0');
    expect(line(event('ioctl', [4, 0x5422], 0, 25), m)).toBe('ioctl(4, TIOCNOTTY)                     = -1 ENOTTY (Inappropriate ioctl for device)');
    expect(line(event('ioctl', [4, 0x540c], 0), m)).toBe('ioctl(4, TIOCEXCL)                      = 0');
    expect(line(event('ioctl', [4, 0x540d], 0), m)).toBe('ioctl(4, TIOCNXCL)                      = 0');
    expect(line(event('ioctl', [4, 0x5451], 0), m)).toBe('ioctl(4, FIOCLEX)                       = 0');
    expect(line(event('ioctl', [4, 0x5450], 0), m)).toBe('ioctl(4, FIONCLEX)                      = 0');
  });

  it('modem flags', () => {
    const mf = new FakeMemory().put(B + 0x300, new Bytes(4).u32(0, 6).b);
    expect(line(event('ioctl', [4, 0x5418, B + 0x300], 0, 25), mf)).toBe(
      'ioctl(4, TIOCMSET, [TIOCM_DTR|TIOCM_RTS]) = -1 ENOTTY (Inappropriate ioctl for device)',
    );
    expect(line(event('ioctl', [4, 0x5415, 0x7ffe43466b38], 0, 25), mf)).toBe(
      'ioctl(4, TIOCMGET, 0x7ffe43466b38)      = -1 ENOTTY (Inappropriate ioctl for device)',
    );
  });
});

describe('unknown requests', () => {
  const m = new FakeMemory();
  it('print as _IOC(...) with the argument in hex', () => {
    expect(line(event('ioctl', [4, 0x1234, 0x5678], 0, 25), m)).toBe(
      'ioctl(4, _IOC(_IOC_NONE, 0x12, 0x34, 0), 0x5678) = -1 ENOTTY (Inappropriate ioctl for device)',
    );
    expect(line(event('ioctl', [4, 0x80047803, B + 0x300], 0, 25), m)).toBe(
      'ioctl(4, _IOC(_IOC_READ, 0x78, 0x3, 0x4), 0x10000300) = -1 ENOTTY (Inappropriate ioctl for device)',
    );
    expect(line(event('ioctl', [4, 0x40087803, B + 0x300], 0, 25), m)).toBe(
      'ioctl(4, _IOC(_IOC_WRITE, 0x78, 0x3, 0x8), 0x10000300) = -1 ENOTTY (Inappropriate ioctl for device)',
    );
    expect(line(event('ioctl', [4, 0xc0647803, B + 0x300], 0, 25), m)).toBe(
      'ioctl(4, _IOC(_IOC_READ|_IOC_WRITE, 0x78, 0x3, 0x64), 0x10000300) = -1 ENOTTY (Inappropriate ioctl for device)',
    );
    expect(line(event('ioctl', [4, 0x7803, B + 0x300], 0, 25), m)).toBe(
      'ioctl(4, _IOC(_IOC_NONE, 0x78, 0x3, 0), 0x10000300) = -1 ENOTTY (Inappropriate ioctl for device)',
    );
    expect(line(event('ioctl', [4, 0xfeff, 0], 0, 25), m)).toBe(
      'ioctl(4, _IOC(_IOC_NONE, 0xfe, 0xff, 0), 0) = -1 ENOTTY (Inappropriate ioctl for device)',
    );
  });
});
