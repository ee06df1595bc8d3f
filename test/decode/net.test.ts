// Socket calls that succeed: addresses and lengths written back, message headers with control
// data, socket options. Expected lines: strace 6.1, x86-64, from a C program making these calls
// natively (the acceptance guest, test/guests/src/syscalls.c, can only show them failing: emtrace
// has no sockets yet).

import { describe, expect, it } from 'vitest';
import { B, Bytes, event, FakeMemory, line } from './helpers.js';

/** The line without the padding before `=`. */
const flat = (s: string): string => s.replace(/\) +=( |$)/, ') =$1');

/** A struct sockaddr_un for "sock": family, path, NUL. */
const SOCK = new Bytes(8).u16(0, 1).str(2, 'sock').b;
const int = (v: number): Uint8Array => new Bytes(4).i32(0, v).b;

describe('addresses the kernel writes back', () => {
  it('getsockname and recvfrom: the address, and its length as given => as returned', () => {
    const entry = new FakeMemory().put(B + 0x100, int(110));
    const exit = new FakeMemory().put(B + 0x100, int(7)).put(B, SOCK).put(B + 0x200, 'dgram');
    expect(flat(line(event('getsockname', [6, B, B + 0x100], 0), entry, exit))).toBe(
      'getsockname(6, {sa_family=AF_UNIX, sun_path="sock"}, [110 => 7]) = 0',
    );
    expect(flat(line(event('recvfrom', [6, B + 0x200, 64, 0, B, B + 0x100], 5), entry, exit))).toBe(
      'recvfrom(6, "dgram", 64, 0, {sa_family=AF_UNIX, sun_path="sock"}, [110 => 7]) = 5',
    );
  });

  it('a failed call: the address, and the length it was given', () => {
    const m = new FakeMemory().put(B + 0x100, int(16));
    expect(flat(line(event('accept4', [99, B, B + 0x100, 0x80800], 0, 9), m))).toBe(
      'accept4(99, 0x10000000, [16], SOCK_CLOEXEC|SOCK_NONBLOCK) = -1 EBADF (Bad file descriptor)',
    );
    expect(flat(line(event('accept', [3, 0, 0], 0, 11), m))).toBe('accept(3, NULL, NULL) = -1 EAGAIN (Resource temporarily unavailable)');
  });
});

describe('messages', () => {
  /** struct msghdr: no name, one iovec at B+0x100, control data at B+0x200. */
  const msghdr = (controllen: number, flags: number): Uint8Array =>
    new Bytes(56).u64(16, B + 0x100).u64(24, 1).u64(32, B + 0x200).u64(40, controllen).u32(48, flags).b;
  const rights = (fd: number): Uint8Array => new Bytes(24).u64(0, 20).i32(8, 1).i32(12, 1).i32(16, fd).b;

  it('sendmsg with a descriptor passed (SCM_RIGHTS)', () => {
    const m = new FakeMemory()
      .put(B, msghdr(24, 0))
      .put(B + 0x100, new Bytes(16).u64(0, B + 0x300).u64(8, 7).b)
      .put(B + 0x200, rights(0))
      .put(B + 0x300, 'payload');
    expect(flat(line(event('sendmsg', [3, B, 0], 7), m))).toBe(
      'sendmsg(3, {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="payload", iov_len=7}], msg_iovlen=1, ' +
        'msg_control=[{cmsg_len=20, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, cmsg_data=[0]}], msg_controllen=24, msg_flags=0}, 0) = 7',
    );
  });

  it('recvmsg: the message received, its data limited to the result', () => {
    const iov = new Bytes(16).u64(0, B + 0x300).u64(8, 64).b;
    const entry = new FakeMemory().put(B, msghdr(64, 0)).put(B + 0x100, iov);
    const exit = new FakeMemory()
      .put(B, msghdr(24, 0x40000000))
      .put(B + 0x100, iov)
      .put(B + 0x200, rights(5))
      .put(B + 0x300, 'payload-and-more');
    expect(flat(line(event('recvmsg', [4, B, 0x40000000], 7), entry, exit))).toBe(
      'recvmsg(4, {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="payload", iov_len=64}], msg_iovlen=1, ' +
        'msg_control=[{cmsg_len=20, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, cmsg_data=[5]}], msg_controllen=24, ' +
        'msg_flags=MSG_CMSG_CLOEXEC}, MSG_CMSG_CLOEXEC) = 7',
    );
  });
});

describe('socket options', () => {
  it('an int, a struct linger, each way', () => {
    const entry = new FakeMemory().put(B + 0x100, int(4)).put(B + 0x200, int(8));
    const exit = new FakeMemory().put(B + 0x100, int(4)).put(B, int(2)).put(B + 0x200, int(8)).put(B + 0x300, new Bytes(8).i32(0, 1).i32(4, 5).b);
    expect(flat(line(event('getsockopt', [6, 1, 3, B, B + 0x100], 0), entry, exit))).toBe('getsockopt(6, SOL_SOCKET, SO_TYPE, [2], [4]) = 0');
    expect(flat(line(event('setsockopt', [3, 1, 13, B + 0x300, 8], 0), exit))).toBe(
      'setsockopt(3, SOL_SOCKET, SO_LINGER, {l_onoff=1, l_linger=5}, 8) = 0',
    );
    expect(flat(line(event('getsockopt', [3, 1, 13, B + 0x300, B + 0x200], 0), entry, exit))).toBe(
      'getsockopt(3, SOL_SOCKET, SO_LINGER, {l_onoff=1, l_linger=5}, [8]) = 0',
    );
  });

  it('socketpair: the two descriptors', () => {
    const m = new FakeMemory().put(B, new Bytes(8).i32(0, 3).i32(4, 4).b);
    expect(flat(line(event('socketpair', [1, 1, 0, B], 0), m))).toBe('socketpair(AF_UNIX, SOCK_STREAM, 0, [3, 4]) = 0');
  });
});
