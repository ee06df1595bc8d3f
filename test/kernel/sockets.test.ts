// Sockets. The guest test/guests/src/sockets.c exercises unix stream, datagram and seqpacket
// sockets (pairs, path and abstract names, SCM_RIGHTS, SCM_CREDENTIALS, shutdown, SIGPIPE),
// options, and TCP and UDP over the loopback: natively and under emtrace it must print the same,
// and make the same calls as the real strace shows (ports, pids and inode numbers masked). The
// direct calls below cover what a native run cannot show the same way on every machine: the
// unreachable network, the read-only and --root file systems, calls that would block forever,
// deterministic ports and Linux's default buffer sizes.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SyscallHandler } from '../../src/emulator/kernel/context.js';
import { Errno } from '../../src/emulator/kernel/errno.js';
import type { Process } from '../../src/emulator/kernel/process.js';
import { ATTR_SYSCALLS } from '../../src/emulator/kernel/syscalls/attrs.js';
import { IO_SYSCALLS } from '../../src/emulator/kernel/syscalls/io.js';
import { NAME_SYSCALLS } from '../../src/emulator/kernel/syscalls/names.js';
import { PATH_SYSCALLS } from '../../src/emulator/kernel/syscalls/paths.js';
import { SOCKET_SYSCALLS } from '../../src/emulator/kernel/syscalls/sockets.js';
import { Vfs } from '../../src/emulator/kernel/vfs.js';
import { emtrace, guest, native } from '../support/run.js';
import { call, putString, SCRATCH, testProcess } from '../support/kernel.js';
import { emtraceRun, freshDir, normalizeFiles, straceRun } from '../support/strace.js';

const scratch = freshDir('emtrace-sockets-');
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

const GUESTS = ['sockets-musl', 'sockets-glibc'];
const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C' };

function workDir(label: string): string {
  const dir = path.join(scratch, `${label}-${Math.random().toString(36).slice(2, 10)}`);
  fs.mkdirSync(dir);
  return dir;
}

/** What differs between two runs of the guest besides addresses and pids: ports (all of them
 *  ephemeral), the autobind name, socket inode numbers (and the length of their names). */
function mask(lines: string[]): string[] {
  return lines.map((line) =>
    line
      .replace(/htons\(\d+\)/g, 'htons(PORT)')
      .replace(/@"[0-9a-f]{5}"/g, '@"AUTO"')
      .replace(/sockets-\d{5}-/g, 'sockets-PID-')
      .replace(/"socket:\[\d+\]", (\d+)\) = \d+$/, '"socket:[INO]", $1) = LEN')
      .replace(/(set_tid_address\(0xADDR\)) = \d+/, '$1 = PID'),
  );
}

/** -yy's socket details: inode numbers and ports masked. A UDP socket's are not compared: strace
 *  shows the port a sendto autobinds on the sendto itself. */
function maskDetails(lines: string[]): string[] {
  return mask(lines).map((line) =>
    line
      .replace(/(\d+\.\d+\.\d+\.\d+|\[[0-9a-f:.]+\]):\d+/g, '$1:PORT')
      .replace(/(socket|pipe|UNIX|UNIX-STREAM|TCP|TCPv6):\[\d+(?=[\],-])/g, '$1:[INO')
      .replace(/->\d+/g, '->INO')
      .replace(/UDP(v6)?:\[(\[[^\]]*\]|[^\]])*\]/g, 'UDP$1:[...]')
      .replace(/"socket:\[INO\]", (\d+)\) = \d+$/, '"socket:[INO]", $1) = LEN')
      // stdout: whatever the test runner gave (a host socket has no details here).
      .replace(/^writev\(1<(UNIX-STREAM:\[[^\]]*\]|socket:\[INO\]|[^>]*)>+/, 'writev(1<STDOUT>'),
  );
}

describe('the sockets guest', () => {
  it.each(GUESTS)('%s prints the same natively and under emtrace', (name) => {
    const expected = native(guest(name), [workDir('n')], { env });
    const actual = emtrace(['-o', '/dev/null', guest(name), workDir('e')], { env });
    expect(expected.status).toBe(0);
    expect(actual.stderr).toBe('');
    expect(actual.status).toBe(0);
    expect(expected.stdout.split('\n').length).toBeGreaterThan(250);
    expect(actual.stdout).toBe(expected.stdout);
  });

  it.each(GUESTS)('%s makes the calls the real strace shows', (name) => {
    const nativeDir = workDir('sn');
    const emuDir = workDir('se');
    const expected = straceRun(guest(name), [nativeDir], path.join(scratch, `${name}.strace`));
    const actual = emtraceRun(guest(name), [emuDir], path.join(scratch, `${name}.emtrace`));
    expect(expected.status).toBe(0);
    expect(actual.status).toBe(0);
    const want = mask(normalizeFiles(expected.log, [nativeDir]));
    const got = mask(normalizeFiles(actual.log, [emuDir]));
    expect(want.length).toBeGreaterThan(400);
    expect(got).toEqual(want);
  });
});

describe('a recorded run', () => {
  it('replays, SIGPIPEs and passed descriptors included', () => {
    const trace = path.join(scratch, 'sockets.trace');
    const recorded = emtrace(['record', '-o', trace, guest('sockets-musl'), workDir('r')], { env });
    expect(recorded.status).toBe(0);
    const replayed = emtrace(['replay', trace], { env });
    expect(replayed.stderr).toContain('replay reproduced the run');
    expect(replayed.status).toBe(0);
    expect(replayed.stdout).toBe(recorded.stdout);
  });
});

describe('strace -yy', () => {
  it('shows what the real strace shows of each socket', () => {
    const nativeDir = workDir('yn');
    const emuDir = workDir('ye');
    const expected = straceRun(guest('sockets-musl'), [nativeDir], path.join(scratch, 'yy.strace'), ['-yy']);
    const actual = emtraceRun(guest('sockets-musl'), [emuDir], path.join(scratch, 'yy.emtrace'), ['-yy']);
    expect(actual.status).toBe(0);
    const want = maskDetails(normalizeFiles(expected.log, [nativeDir]));
    expect(want.some((l) => l.includes('UNIX-STREAM:[INO->INO,"listener"]'))).toBe(true);
    expect(maskDetails(normalizeFiles(actual.log, [emuDir]))).toEqual(want);
  });
});

// ---------------------------------------------------------------- direct calls

const K: Record<string, SyscallHandler> = { ...SOCKET_SYSCALLS, ...IO_SYSCALLS, ...NAME_SYSCALLS, ...ATTR_SYSCALLS, ...PATH_SYSCALLS };
const AF_UNIX = 1;
const AF_INET = 2;
const AF_INET6 = 10;
const AF_NETLINK = 16;
const SOCK_STREAM = 1;
const SOCK_DGRAM = 2;
const SOL_SOCKET = 1;
const SO_SNDBUF = 7;
const SO_RCVBUF = 8;
const BUF = SCRATCH + 0x1000;
const LEN = SCRATCH + 0x2000;
const ADDR = SCRATCH + 0x3000;

function sockaddrIn(p: Process, ip: number[], port: number): number {
  p.mem.writeBytes(ADDR, Uint8Array.of(AF_INET, 0, port >> 8, port & 0xff, ...ip, 0, 0, 0, 0, 0, 0, 0, 0));
  return ADDR;
}

function sockaddrUn(p: Process, name: string): number {
  p.mem.writeBytes(ADDR, Uint8Array.from([AF_UNIX, 0, ...Buffer.from(name), 0]));
  return ADDR;
}

function i32(p: Process, addr: number): number {
  const b = p.mem.readBytes(addr, 4);
  return new DataView(b.buffer, b.byteOffset, 4).getInt32(0, true);
}

function getsockopt(p: Process, fd: number, name: number): number {
  p.mem.writeBytes(LEN, Uint8Array.of(4, 0, 0, 0));
  expect(call(p, K.getsockopt, fd, SOL_SOCKET, name, BUF, LEN)).toBe(0);
  return i32(p, BUF);
}

describe('sockets, called directly', () => {
  it('reach nothing but the loopback', () => {
    const p = testProcess();
    const tcp = call(p, K.socket, AF_INET, SOCK_STREAM, 0);
    expect(call(p, K.connect, tcp, sockaddrIn(p, [192, 0, 2, 1], 80), 16)).toBe(-Errno.ENETUNREACH);
    expect(call(p, K.connect, tcp, sockaddrIn(p, [127, 0, 0, 1], 80), 16)).toBe(-Errno.ECONNREFUSED);
    const udp = call(p, K.socket, AF_INET, SOCK_DGRAM, 0);
    expect(call(p, K.sendto, udp, BUF, 1, 0, sockaddrIn(p, [8, 8, 8, 8], 53), 16)).toBe(-Errno.ENETUNREACH);
    const v6 = call(p, K.socket, AF_INET6, SOCK_STREAM, 0);
    const doc = Uint8Array.of(AF_INET6, 0, 0, 80, 0, 0, 0, 0, 0x20, 0x01, 0x0d, 0xb8, ...new Array(11).fill(0), 1, 0, 0, 0, 0);
    p.mem.writeBytes(ADDR, doc);
    expect(call(p, K.connect, v6, ADDR, 28)).toBe(-Errno.ENETUNREACH);
    expect(call(p, K.bind, tcp, sockaddrIn(p, [10, 0, 0, 1], 0), 16)).toBe(-Errno.EADDRNOTAVAIL);
  });

  it('hand out ephemeral ports in order, the same on every run', () => {
    const ports = [0, 1].map(() => {
      const p = testProcess();
      const fds = [0, 1, 2].map(() => call(p, K.socket, AF_INET, SOCK_STREAM, 0));
      return fds.map((fd) => {
        expect(call(p, K.bind, fd, sockaddrIn(p, [127, 0, 0, 1], 0), 16)).toBe(0);
        p.mem.writeBytes(LEN, Uint8Array.of(16, 0, 0, 0));
        expect(call(p, K.getsockname, fd, ADDR, LEN)).toBe(0);
        const b = p.mem.readBytes(ADDR, 4);
        return (b[2] << 8) | b[3];
      });
    });
    expect(ports[0]).toEqual([32768, 32769, 32770]);
    expect(ports[1]).toEqual(ports[0]);
  });

  it("have Linux's default buffer sizes and stat as sockets", () => {
    const p = testProcess();
    const unix = call(p, K.socket, AF_UNIX, SOCK_STREAM, 0);
    expect(getsockopt(p, unix, SO_SNDBUF)).toBe(212992);
    expect(getsockopt(p, unix, SO_RCVBUF)).toBe(212992);
    const tcp = call(p, K.socket, AF_INET, SOCK_STREAM, 0);
    expect(getsockopt(p, tcp, SO_SNDBUF)).toBe(16384);
    expect(getsockopt(p, tcp, SO_RCVBUF)).toBe(131072);
    expect(call(p, K.fstat, unix, BUF)).toBe(0);
    expect(i32(p, BUF + 24) >>> 0).toBe(0o140777);
    expect(p.fds.get(unix)!.path).toMatch(/^socket:\[\d+\]$/);
    expect(call(p, K.socket, AF_NETLINK, SOCK_DGRAM, 0)).toBe(-Errno.EAFNOSUPPORT);
  });

  it('say EDEADLK when a blocking call could only wait for the same process', () => {
    const p = testProcess();
    const messages: string[] = [];
    p.diagnose = (m) => messages.push(m);
    expect(call(p, K.socketpair, AF_UNIX, SOCK_STREAM, 0, BUF)).toBe(0);
    const a = i32(p, BUF);
    expect(call(p, K.recvfrom, a, BUF + 8, 10, 0, 0, 0)).toBe(-Errno.EDEADLK);
    expect(call(p, K.read, a, BUF, 10)).toBe(-Errno.EDEADLK);
    // A huge length takes what is queued (and allocates no more).
    expect(call(p, K.sendto, i32(p, BUF + 4), BUF, 3, 0, 0, 0)).toBe(3);
    expect(call(p, K.recvfrom, a, BUF, 0x7ffff000, 0, 0, 0)).toBe(3);
    const l = call(p, K.socket, AF_INET, SOCK_STREAM, 0);
    expect(call(p, K.listen, l, 1)).toBe(0);
    expect(call(p, K.accept, l, 0, 0)).toBe(-Errno.EDEADLK);
    expect(messages.some((m) => m.includes('would block forever'))).toBe(true);
  });

  it('take backlog + 1 connections, then wait (EAGAIN, EDEADLK, or SO_SNDTIMEO on the virtual clock)', () => {
    const p = testProcess();
    const l = call(p, K.socket, AF_UNIX, SOCK_STREAM, 0);
    p.mem.writeBytes(ADDR, Uint8Array.of(AF_UNIX, 0, 0, 0x71));
    expect(call(p, K.bind, l, ADDR, 4)).toBe(0);
    expect(call(p, K.listen, l, 1)).toBe(0);
    for (let k = 0; k < 2; k++) expect(call(p, K.connect, call(p, K.socket, AF_UNIX, SOCK_STREAM, 0), ADDR, 4)).toBe(0);
    const c = call(p, K.socket, AF_UNIX, SOCK_STREAM | 0o4000, 0);
    expect(call(p, K.connect, c, ADDR, 4)).toBe(-Errno.EAGAIN);
    const blocking = call(p, K.socket, AF_UNIX, SOCK_STREAM, 0);
    expect(call(p, K.connect, blocking, ADDR, 4)).toBe(-Errno.EDEADLK);
    p.mem.writeBytes(BUF, new Uint8Array(16).fill(0, 0, 16));
    p.mem.writeBytes(BUF + 8, Uint8Array.of(0x20, 0x4e)); // 20000 us
    expect(call(p, K.setsockopt, blocking, SOL_SOCKET, 21 /* SO_SNDTIMEO */, BUF, 16)).toBe(0);
    const before = p.clock.monotonicNs();
    expect(call(p, K.connect, blocking, ADDR, 4)).toBe(-Errno.EAGAIN);
    expect(p.clock.monotonicNs() - before).toBe(20_000_000n);
  });

  it('raise SIGPIPE for a write to a stream whose peer is gone', () => {
    const p = testProcess();
    expect(call(p, K.socketpair, AF_UNIX, SOCK_STREAM, 0, BUF)).toBe(0);
    const [a, b] = [i32(p, BUF), i32(p, BUF + 4)];
    expect(call(p, K.close, b)).toBe(0);
    expect(call(p, K.sendto, a, BUF, 1, 0x4000 /* MSG_NOSIGNAL */, 0, 0)).toBe(-Errno.EPIPE);
    expect(p.signals.allPending()).toHaveLength(0);
    expect(call(p, K.write, a, BUF, 1)).toBe(-Errno.EPIPE);
    expect(p.signals.allPending().map((s) => s.signo)).toEqual([13]);
  });

  it('make path names on the read-only tree EROFS, and inside --root a real socket file', () => {
    const root = workDir('root');
    fs.mkdirSync(path.join(root, 'run'));
    fs.symlinkSync('/run/s', path.join(root, 'link'));
    const ro = testProcess();
    ro.vfs = new Vfs(root, true);
    const s = call(ro, K.socket, AF_UNIX, SOCK_STREAM, 0);
    expect(call(ro, K.bind, s, sockaddrUn(ro, '/run/s'), 9)).toBe(-Errno.EROFS);

    const p = testProcess();
    p.vfs = new Vfs(root);
    const l = call(p, K.socket, AF_UNIX, SOCK_STREAM, 0);
    expect(call(p, K.bind, l, sockaddrUn(p, '/run/s'), 9)).toBe(0);
    expect(fs.lstatSync(path.join(root, 'run/s')).isSocket()).toBe(true);
    expect(fs.readdirSync(path.join(root, 'run'))).toEqual(['s']);
    expect(call(p, K.bind, call(p, K.socket, AF_UNIX, SOCK_STREAM, 0), sockaddrUn(p, '/run/s'), 9)).toBe(-Errno.EADDRINUSE);
    expect(call(p, K.listen, l, 1)).toBe(0);
    // connect follows the symlink to the socket file.
    const c = call(p, K.socket, AF_UNIX, SOCK_STREAM, 0);
    expect(call(p, K.connect, c, sockaddrUn(p, '/link'), 8)).toBe(0);
    expect(call(p, K.accept, l, 0, 0)).toBeGreaterThan(0);
    expect(call(p, K.unlink, putString(p, BUF, '/run/s'))).toBe(0);
    expect(call(p, K.connect, call(p, K.socket, AF_UNIX, SOCK_STREAM, 0), sockaddrUn(p, '/run/s'), 9)).toBe(-Errno.ENOENT);
  });
});
