// The identity, scheduling, futex and personality syscalls. The guest (test/guests/src/
// identity.c) runs natively as root, under the real strace and under emtrace: the same output,
// exit status and strace lines, once what legitimately differs is masked. What a native run
// cannot show (a guest that is not root, changing the host name, sleeping on the virtual clock,
// the Linux 6.1 answers this newer host kernel gives differently) is checked through the kernel
// directly.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SyscallHandler } from '../../src/emulator/kernel/context.js';
import { CAP_FULL_SET, Credentials } from '../../src/emulator/kernel/creds.js';
import { Errno } from '../../src/emulator/kernel/errno.js';
import { FutexTable } from '../../src/emulator/kernel/futex.js';
import type { Process } from '../../src/emulator/kernel/process.js';
import { procNode } from '../../src/emulator/kernel/procfs.js';
import { ERESTART_RESTARTBLOCK, ERESTARTSYS, SIGALRM } from '../../src/emulator/kernel/signals.js';
import { CREDS_SYSCALLS } from '../../src/emulator/kernel/syscalls/creds.js';
import { FUTEX_SYSCALLS } from '../../src/emulator/kernel/syscalls/futex.js';
import { PROCESS_SYSCALLS } from '../../src/emulator/kernel/syscalls/process.js';
import { SCHED_SYSCALLS } from '../../src/emulator/kernel/syscalls/sched.js';
import { TIMER_SYSCALLS } from '../../src/emulator/kernel/syscalls/timer.js';
import { mayAccess, R_OK } from '../../src/emulator/kernel/vfs.js';
import { call, putString, putTimespec, SCRATCH, testProcess, u64 } from '../support/kernel.js';
import { emtrace, guest, native } from '../support/run.js';
import { emtraceRun, freshDir, normalize, STRACE_ENV, straceRun } from '../support/strace.js';

const scratch = freshDir('emtrace-identity-');
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

const LIBCS = ['musl', 'glibc'];
const ROOT = process.getuid?.() === 0;
let runs = 0;

function log(name: string): string {
  return path.join(scratch, `${name}.${runs++}.log`);
}

/** Root's capability set: every capability of Linux 6.1, as strace prints it. */
const FULL_CAPS = [
  'CHOWN', 'DAC_OVERRIDE', 'DAC_READ_SEARCH', 'FOWNER', 'FSETID', 'KILL', 'SETGID', 'SETUID', 'SETPCAP', 'LINUX_IMMUTABLE',
  'NET_BIND_SERVICE', 'NET_BROADCAST', 'NET_ADMIN', 'NET_RAW', 'IPC_LOCK', 'IPC_OWNER', 'SYS_MODULE', 'SYS_RAWIO', 'SYS_CHROOT',
  'SYS_PTRACE', 'SYS_PACCT', 'SYS_ADMIN', 'SYS_BOOT', 'SYS_NICE', 'SYS_RESOURCE', 'SYS_TIME', 'SYS_TTY_CONFIG', 'MKNOD', 'LEASE',
  'AUDIT_WRITE', 'AUDIT_CONTROL', 'SETFCAP', 'MAC_OVERRIDE', 'MAC_ADMIN', 'SYSLOG', 'WAKE_ALARM', 'BLOCK_SUSPEND', 'AUDIT_READ',
  'PERFMON', 'BPF', 'CHECKPOINT_RESTORE',
].map((name) => `1<<CAP_${name}`).join('|');

/** The calls that name the process's pid in their arguments or result. */
const NAMES_PID = /^(getpgid|getpgrp|setpgid|getsid|getpriority|ioprio_get|capget)\(/;

/**
 * The strace lines, with what differs between the host and emtrace masked: the pid and the
 * session (the host's are the run's own); the kernel's CPU mask size (32 bytes on a kernel
 * built for 256 CPUs, 8 for emtrace's one); the CFS time slice (Linux 6.1's 4 ms; a newer
 * kernel's EEVDF gives 0); the host name; root's first capget (a container keeps fewer than
 * all); /proc/self/status's contents (the reads of fd 3).
 */
function lines(text: string): string[] {
  const pid = /^getpid\(\)\s+= (\d+)$/m.exec(text)?.[1] ?? 'none';
  let capgets = 0;
  return normalize(text)
    .filter((l) => !l.startsWith('read(3, '))
    .map((l) => {
      let out = NAMES_PID.test(l) ? l.replace(new RegExp(`\\b${pid}\\b`, 'g'), 'PID') : l;
      out = out.replace(/^(getsid\(.*\) =) \d+$/, '$1 SID');
      out = out.replace(/^(sched_getaffinity\(0, 128, \[0\]\) =) \d+$/, '$1 SIZE');
      out = out.replace(/^(sched_rr_get_interval\(0, \{tv_sec=0, tv_nsec=)\d+\}/, '$1NS}');
      out = out.replace(/nodename="[^"]*"/, 'nodename="HOST"');
      if (out.startsWith('capget(') && out.includes('permitted=') && capgets++ === 0) out = out.replace(/\{effective=.*\}\) = 0$/, '{CAPS}) = 0');
      return out;
    });
}

describe('the identity guest natively, under strace and under emtrace (as root)', () => {
  it.skipIf(!ROOT).each(LIBCS)('identity-%s prints what it prints natively', (libc) => {
    const expected = native(guest(`identity-${libc}`), [], { env: STRACE_ENV });
    const actual = emtrace(['-o', '/dev/null', guest(`identity-${libc}`)], { env: STRACE_ENV });
    expect(expected.status).toBe(0);
    expect(actual.stderr).toBe('');
    expect(actual.status).toBe(0);
    expect(actual.stdout).toBe(expected.stdout);
    // Each section ran, and the answers that matter most are there.
    for (const section of ['ids', 'pgrp', 'sched', 'rlimit', 'futex', 'personality', 'uname', 'caps']) expect(actual.stdout).toContain(`== ${section}\n`);
    expect(actual.stdout).toContain('setuid(5) = -1 EPERM\n');
    expect(actual.stdout).toContain('status Uid:\t0\t1000\t0\t0\n');
    expect(actual.stdout).toContain('FUTEX_WAIT_PRIVATE 0, no timeout, SIGALRM = -1 EINTR\n');
    expect(actual.stdout).toContain('personality(PER_LINUX) = 131080\n');
  });

  it.skipIf(!ROOT).each(LIBCS)('identity-%s makes the calls strace shows', (libc) => {
    const expected = straceRun(guest(`identity-${libc}`), [], log('strace'));
    const actual = emtraceRun(guest(`identity-${libc}`), [], log('emtrace'));
    expect(actual.status).toBe(expected.status);
    expect(lines(actual.log)).toEqual(lines(expected.log));
    // What was masked above is still emtrace's own.
    const trace = actual.log;
    expect(trace).toMatch(/^getresuid\(\[0\], \[0\], \[0\]\) += 0$/m);
    expect(trace).toMatch(/^getsid\(0\) += 999$/m);
    expect(trace).toMatch(/^sched_getaffinity\(0, 128, \[0\]\) += 8$/m);
    expect(trace).toMatch(/^sched_rr_get_interval\(0, \{tv_sec=0, tv_nsec=4000000\}\) += 0$/m);
    expect(trace).toContain(`capget({version=_LINUX_CAPABILITY_VERSION_3, pid=0}, {effective=${FULL_CAPS}, permitted=${FULL_CAPS}, inheritable=0}) = 0`);
    expect(trace).toMatch(/^futex\(0x[0-9a-f]+, FUTEX_WAIT_PRIVATE, 0, \{tv_sec=0, tv_nsec=1000000\}\) = -1 ETIMEDOUT \(Connection timed out\)$/m);
    expect(trace).toMatch(/^futex\(0x[0-9a-f]+, FUTEX_WAIT_PRIVATE, 0, NULL\) = \? ERESTARTSYS \(To be restarted if SA_RESTART is set\)\n--- SIGALRM /m);
    expect(trace).toMatch(/^personality\(0xffffffff\) += 0 \(PER_LINUX\)$/m);
  });
});

describe('the identity guest under emtrace only', () => {
  it.each(LIBCS)('identity-%s records and replays (a futex wait a signal ends included)', (libc) => {
    const trace = path.join(scratch, `identity-${libc}.jsonl`);
    const recorded = emtrace(['record', '-o', trace, guest(`identity-${libc}`), 'ids', 'sched', 'futex', 'caps'], { env: STRACE_ENV });
    expect(recorded.status).toBe(0);
    const replayed = emtrace(['replay', '-q', trace], { env: STRACE_ENV });
    expect(replayed.stderr).toMatch(/^emtrace: replay reproduced the run/);
    expect(replayed.status).toBe(0);
  });

  it.each(LIBCS)('identity-%s replays an id change: the calls after it answer as recorded', (libc) => {
    const trace = path.join(scratch, `identity-drop-${libc}.jsonl`);
    const recorded = emtrace(['record', '-o', trace, guest(`identity-${libc}`), 'drop'], { env: STRACE_ENV });
    expect(recorded.stdout).toBe('== drop\nprctl(PR_GET_DUMPABLE) = 1\nsetresuid(1000, 1000, 1000) = 0\nprctl(PR_GET_DUMPABLE) = 0\nsetuid(0) = -1 EPERM\n');
    const replayed = emtrace(['replay', '-q', trace], { env: STRACE_ENV });
    expect(replayed.stderr).toMatch(/^emtrace: replay reproduced the run/);
    expect(replayed.status).toBe(0);
  });

  it.each(LIBCS)('identity-%s as uid 1000: no privilege, as Linux refuses it', (libc) => {
    const r = emtrace(['--uid', '1000', '--gid', '1000', '-o', '/dev/null', guest(`identity-${libc}`), 'nonroot'], { env: STRACE_ENV });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      [
        '== nonroot',
        'getresuid = 0', '  uids 1000 1000 1000',
        'getresgid = 0', '  gids 1000 1000 1000',
        'getgroups(8) = 1', '  group 1000',
        'capget(v3) = 0', '  effective 0 0 permitted 0 0 inheritable 0 0',
        'status Uid:\t1000\t1000\t1000\t1000',
        'status Gid:\t1000\t1000\t1000\t1000',
        'status Groups:\t1000 ',
        'status CapInh:\t0000000000000000',
        'status CapPrm:\t0000000000000000',
        'status CapEff:\t0000000000000000',
        'setuid(0) = -1 EPERM',
        'setresuid(-1, 0, -1) = -1 EPERM',
        'setuid(1000) = 0',
        'setgroups(0) = -1 EPERM',
        'setfsuid(0) = 1000',
        'setfsuid(-1) = 1000',
        'capset(kill, kill, 0) = -1 EPERM',
        'capset(0, 0, 0) = 0',
        'setrlimit(NOFILE, 512, 1024) = 0',
        'setrlimit(NOFILE, 512, 2048) = -1 EPERM',
        'setrlimit(NOFILE, 1024, 1024) = 0',
        'setpriority(PRIO_PROCESS, 0, 5) = 0',
        'setpriority(PRIO_PROCESS, 0, 4) = -1 EACCES',
        'setpriority(PRIO_PROCESS, 0, 6) = 0',
        'getpriority(PRIO_PROCESS, 0) = 14',
        'sched_setscheduler(0, SCHED_FIFO, [1]) = -1 EPERM',
        'sched_setscheduler(0, SCHED_OTHER|RESET_ON_FORK) = 0',
        'sched_setscheduler(0, SCHED_OTHER) = -1 EPERM',
        'ioprio_set(PROCESS, 0, RT/0) = -1 EPERM',
        'sethostname("x") = -1 EPERM',
        'setdomainname("x") = -1 EPERM',
        '',
      ].join('\n'),
    );
    expect(r.status).toBe(0);
  });

  it('root changes the host name: uname and /proc/sys/kernel/hostname follow', () => {
    const out = log('uts');
    const r = emtrace(['-o', out, guest('identity-musl'), 'uts'], { env: STRACE_ENV });
    expect(r.stdout).toContain("  nodename '' domainname 'example.org' release 6.1.0-emtrace\n");
    expect(r.stdout).toContain("  nodename 'guest'\n/proc/sys/kernel/hostname: guest\n");
    const trace = fs.readFileSync(out, 'utf8');
    expect(trace).toMatch(/^sethostname\("guest-host", 10\) += 0$/m);
    expect(trace).toMatch(/^setdomainname\("example.org", 11\) += 0$/m);
    expect(trace).toMatch(/^uname\(\{sysname="Linux", nodename="guest", \.\.\.\}\) = 0$/m);
  });

  it('--uname-release and --hostname change what uname reports, and go in the trace header', () => {
    const out = log('uname-options');
    const r = emtrace(['--uname-release', '5.10.0-test', '--hostname', 'box', '-o', out, guest('identity-glibc'), 'uname'], { env: STRACE_ENV });
    expect(r.status).toBe(0);
    expect(fs.readFileSync(out, 'utf8')).toMatch(/^uname\(\{sysname="Linux", nodename="box", \.\.\.\}\) = 0$/m);
    const trace = path.join(scratch, 'uname-options.jsonl');
    expect(emtrace(['record', '--uname-release', '5.10.0-test', '--hostname', 'box', '-o', trace, guest('identity-glibc'), 'uname']).status).toBe(0);
    expect(JSON.parse(fs.readFileSync(trace, 'utf8').split('\n')[0]).uname).toEqual({ release: '5.10.0-test', nodename: 'box' });
    const bad = emtrace(['--hostname', 'x'.repeat(65), guest('identity-glibc')]);
    expect(bad.stderr).toMatch(/^emtrace: .*--hostname must be at most 64 bytes/);
    expect(bad.status).toBe(2);
  });
});

// ---------------------------------------------------------------- through the kernel directly

const K: Record<string, SyscallHandler> = { ...CREDS_SYSCALLS, ...SCHED_SYSCALLS, ...FUTEX_SYSCALLS, ...PROCESS_SYSCALLS, ...TIMER_SYSCALLS };
const BUF = SCRATCH + 0x100;
const HEADER = SCRATCH + 0x200;
const WORD = SCRATCH + 0x300;
const TS = SCRATCH + 0x400;

/** A process of uid and gid 1000 (testProcess), or root. */
function processAs(uid: number): { p: Process; diagnostics: string[] } {
  const p = testProcess();
  p.identity.assign(new Credentials({ uid, euid: uid, gid: uid, egid: uid }));
  const diagnostics: string[] = [];
  p.diagnose = (m) => diagnostics.push(m);
  return { p, diagnostics };
}

function sys(p: Process, name: string, ...args: (number | bigint)[]): number {
  return call(p, K[name], ...args);
}

function u32s(p: Process, addr: number, count: number): number[] {
  const b = p.mem.readBytes(addr, 4 * count);
  return Array.from({ length: count }, (_, k) => new DataView(b.buffer).getUint32(4 * k, true));
}

function statusLine(p: Process, key: string): string {
  const text = String(procNode(p, [String(p.pid), 'status'])!.content!());
  return new RegExp(`^${key}:\\t(.*)$`, 'm').exec(text)![1];
}

describe('credentials of a process that is not root', () => {
  it('cannot take ids it does not hold, groups or capabilities', () => {
    const { p } = processAs(1000);
    expect(sys(p, 'setuid', 0)).toBe(-Errno.EPERM);
    expect(sys(p, 'setgid', 0)).toBe(-Errno.EPERM);
    expect(sys(p, 'setreuid', -1, 0)).toBe(-Errno.EPERM);
    expect(sys(p, 'setresgid', 0, -1, -1)).toBe(-Errno.EPERM);
    expect(sys(p, 'setgroups', 0, 0)).toBe(-Errno.EPERM);
    expect(sys(p, 'setuid', -1)).toBe(-Errno.EINVAL);
    // setfsuid never fails: the old file-system uid, and no change.
    expect(sys(p, 'setfsuid', 0)).toBe(1000);
    expect(statusLine(p, 'Uid')).toBe('1000\t1000\t1000\t1000');
    p.mem.writeBytes(HEADER, new Uint8Array([0x22, 0x05, 0x08, 0x20, 0, 0, 0, 0]));
    p.mem.writeBytes(BUF, new Uint8Array(24).fill(0).map((_, k) => (k === 4 ? 0x20 : 0)));
    expect(sys(p, 'capset', HEADER, BUF)).toBe(-Errno.EPERM);
    expect(sys(p, 'sethostname', putString(p, BUF, 'x'), 1)).toBe(-Errno.EPERM);
  });

  it('getgroups gives its own group, as /proc/self/status does', () => {
    const { p } = processAs(1000);
    expect(sys(p, 'getgroups', 0, 0)).toBe(1);
    expect(sys(p, 'getgroups', 4, BUF)).toBe(1);
    expect(u32s(p, BUF, 1)).toEqual([1000]);
    expect(statusLine(p, 'Groups')).toBe('1000 ');
  });

  it('raises no hard limit, lowers its nice value only as far as RLIMIT_NICE allows, gets no real-time policy', () => {
    const { p } = processAs(1000);
    p.mem.writeBytes(BUF, new Uint8Array(new BigUint64Array([1024n, 4096n]).buffer));
    expect(sys(p, 'setrlimit', 7, BUF)).toBe(0);
    p.mem.writeBytes(BUF, new Uint8Array(new BigUint64Array([1024n, 8192n]).buffer));
    expect(sys(p, 'setrlimit', 7, BUF)).toBe(-Errno.EPERM);
    expect(sys(p, 'prlimit64', 0, 7, BUF, 0)).toBe(-Errno.EPERM);
    expect(sys(p, 'setpriority', 0, 0, 10)).toBe(0);
    expect(sys(p, 'setpriority', 0, 0, 9)).toBe(-Errno.EACCES);
    expect(sys(p, 'getpriority', 0, 0)).toBe(10);
    // RLIMIT_NICE 15 allows nice values down to 20 - 15 = 5.
    p.limits[13] = [15n, 15n];
    expect(sys(p, 'setpriority', 0, 0, 5)).toBe(0);
    expect(sys(p, 'setpriority', 0, 0, 4)).toBe(-Errno.EACCES);
    p.mem.writeBytes(BUF, new Uint8Array([1, 0, 0, 0]));
    expect(sys(p, 'sched_setscheduler', 0, 1, BUF)).toBe(-Errno.EPERM);
    // RLIMIT_RTPRIO allows real-time priorities up to it.
    p.limits[14] = [10n, 10n];
    expect(sys(p, 'sched_setscheduler', 0, 1, BUF)).toBe(0);
    expect(sys(p, 'sched_getscheduler', 0)).toBe(1);
    p.mem.writeBytes(BUF, new Uint8Array([11, 0, 0, 0]));
    expect(sys(p, 'sched_setparam', 0, BUF)).toBe(-Errno.EPERM);
    expect(sys(p, 'ioprio_set', 1, 0, 1 << 13)).toBe(-Errno.EPERM);
  });
});

describe('credentials of root', () => {
  it('changes show in the getters, /proc/self/status, file permissions and dumpability', () => {
    const { p } = processAs(0);
    expect(statusLine(p, 'CapEff')).toBe(CAP_FULL_SET.toString(16).padStart(16, '0'));
    const rootsFile = { mode: 0o600, uid: 0, gid: 0 };
    expect(mayAccess(p, rootsFile, R_OK, { guestOwned: true })).toBe(true);
    expect(sys(p, 'setresuid', -1, 1000, -1)).toBe(0);
    expect(sys(p, 'geteuid')).toBe(1000);
    expect(sys(p, 'getuid')).toBe(0);
    expect(statusLine(p, 'Uid')).toBe('0\t1000\t0\t1000');
    expect(statusLine(p, 'CapEff')).toBe('0000000000000000');
    expect(mayAccess(p, rootsFile, R_OK, { guestOwned: true })).toBe(false);
    expect(sys(p, 'prctl', 3)).toBe(0); // PR_GET_DUMPABLE
    // The saved uid is still 0: the effective uid may go back, and the capabilities with it.
    expect(sys(p, 'setuid', 0)).toBe(0);
    expect(statusLine(p, 'CapEff')).toBe(CAP_FULL_SET.toString(16).padStart(16, '0'));
    // A file-system uid other than 0 takes the file capabilities (CAP_FS_MASK) away.
    expect(sys(p, 'setfsuid', 1000)).toBe(0);
    expect(statusLine(p, 'CapEff')).toBe((CAP_FULL_SET & ~0x10800001fn).toString(16).padStart(16, '0'));
    expect(sys(p, 'setfsuid', 0)).toBe(1000);
    // Groups are kept sorted.
    p.mem.writeBytes(BUF, new Uint8Array(new Uint32Array([30, 10, 20]).buffer));
    expect(sys(p, 'setgroups', 3, BUF)).toBe(0);
    expect(sys(p, 'getgroups', 3, BUF + 0x20)).toBe(3);
    expect(u32s(p, BUF + 0x20, 3)).toEqual([10, 20, 30]);
    expect(sys(p, 'getgroups', 2, BUF + 0x20)).toBe(-Errno.EINVAL);
    expect(statusLine(p, 'Groups')).toBe('10 20 30 ');
    // Dropping every uid 0 drops the capabilities for good.
    expect(sys(p, 'setresuid', 1000, 1000, 1000)).toBe(0);
    expect(statusLine(p, 'CapPrm')).toBe('0000000000000000');
    expect(sys(p, 'setuid', 0)).toBe(-Errno.EPERM);
  });

  it('raises hard limits; setrlimit and prlimit64 share the limits, and RLIMIT_NOFILE bounds descriptors', () => {
    const { p } = processAs(0);
    p.mem.writeBytes(BUF, new Uint8Array(new BigUint64Array([100n, 2_000_000n]).buffer));
    expect(sys(p, 'setrlimit', 7, BUF)).toBe(-Errno.EPERM); // beyond fs.nr_open
    p.mem.writeBytes(BUF, new Uint8Array(new BigUint64Array([100n, 1_048_576n]).buffer));
    expect(sys(p, 'setrlimit', 7, BUF)).toBe(0);
    expect(sys(p, 'prlimit64', 0, 7, 0, BUF + 0x20)).toBe(0);
    expect([u64(p, BUF + 0x20), u64(p, BUF + 0x28)]).toEqual([100n, 1_048_576n]);
    p.mem.writeBytes(BUF, new Uint8Array(new BigUint64Array([50n, 60n]).buffer));
    expect(sys(p, 'prlimit64', 0, 7, BUF, 0)).toBe(0);
    expect(sys(p, 'getrlimit', 7, BUF + 0x20)).toBe(0);
    expect([u64(p, BUF + 0x20), u64(p, BUF + 0x28)]).toEqual([50n, 60n]);
    expect(p.fds.limit).toBe(50);
    p.mem.writeBytes(BUF, new Uint8Array(new BigUint64Array([70n, 60n]).buffer));
    expect(sys(p, 'setrlimit', 7, BUF)).toBe(-Errno.EINVAL);
    expect(sys(p, 'setrlimit', 16, BUF)).toBe(-Errno.EINVAL);
  });

  it('capset: root may drop, never raise what it dropped', () => {
    const { p } = processAs(0);
    p.mem.writeBytes(HEADER, new Uint8Array(new Uint32Array([0x20080522, 0]).buffer));
    p.mem.writeBytes(BUF, new Uint8Array(new Uint32Array([1 << 5, 1 << 5, 0, 0, 0, 0]).buffer));
    expect(sys(p, 'capset', HEADER, BUF)).toBe(0);
    p.mem.writeBytes(BUF, new Uint8Array(new Uint32Array([1 << 5, (1 << 5) | (1 << 7), 0, 0, 0, 0]).buffer));
    expect(sys(p, 'capset', HEADER, BUF)).toBe(-Errno.EPERM);
    expect(sys(p, 'capget', HEADER, BUF + 0x40)).toBe(0);
    expect(u32s(p, BUF + 0x40, 6)).toEqual([1 << 5, 1 << 5, 0, 0, 0, 0]);
    // Without CAP_SETUID root's uid 0 no longer lets it set any id.
    expect(sys(p, 'setuid', 5)).toBe(-Errno.EPERM);
    // An unknown version: the kernel's own is written back.
    p.mem.writeBytes(HEADER, new Uint8Array(8));
    expect(sys(p, 'capget', HEADER, 0)).toBe(0);
    expect(u32s(p, HEADER, 1)).toEqual([0x20080522]);
  });

  it('sethostname and setdomainname change uname and /proc/sys/kernel', () => {
    const { p } = processAs(0);
    expect(sys(p, 'sethostname', putString(p, BUF, 'somewhere'), 4)).toBe(0);
    expect(sys(p, 'setdomainname', putString(p, BUF, 'example.org'), 65)).toBe(-Errno.EINVAL);
    expect(sys(p, 'uname', BUF)).toBe(0);
    expect(Buffer.from(p.mem.readBytes(BUF + 65, 65)).toString('latin1').replace(/\0+$/, '')).toBe('some');
    expect(String(procNode(p, ['sys', 'kernel', 'hostname'])!.content!())).toBe('some\n');
  });
});

describe('scheduling, process groups and personality (Linux 6.1 answers)', () => {
  it('one CPU: affinity masks, sizes, slices, priority ranges', () => {
    const { p } = processAs(1000);
    expect(sys(p, 'sched_getaffinity', 0, 64, BUF)).toBe(8);
    expect([...p.mem.readBytes(BUF, 8)]).toEqual([1, 0, 0, 0, 0, 0, 0, 0]);
    expect(sys(p, 'sched_getaffinity', 0, 4, BUF)).toBe(-Errno.EINVAL);
    expect(sys(p, 'sched_getaffinity', 0, 0x20000000, BUF)).toBe(-Errno.EINVAL); // len * 8 wraps to 0
    expect(sys(p, 'sched_getaffinity', 1000, 8, BUF)).toBe(8);
    expect(sys(p, 'sched_getaffinity', 1001, 8, BUF)).toBe(-Errno.ESRCH);
    p.mem.writeBytes(BUF, new Uint8Array([2, 0, 0, 0, 0, 0, 0, 0]));
    expect(sys(p, 'sched_setaffinity', 0, 8, BUF)).toBe(-Errno.EINVAL);
    p.mem.writeBytes(BUF, new Uint8Array([3]));
    expect(sys(p, 'sched_setaffinity', 0, 1, BUF)).toBe(0);
    expect(sys(p, 'sched_get_priority_max', 7)).toBe(-Errno.EINVAL); // no SCHED_EXT in 6.1
    expect(sys(p, 'sched_get_priority_max', 2)).toBe(99);
    expect(sys(p, 'ioprio_set', 1, 0, (2 << 13) | 8)).toBe(-Errno.EINVAL); // BE has levels 0..7
    expect(sys(p, 'sched_rr_get_interval', 0, TS)).toBe(0);
    expect([u64(p, TS), u64(p, TS + 8)]).toEqual([0n, 4_000_000n]);
  });

  it('the process leads its own group in its parent session: setsid is refused', () => {
    const { p } = processAs(1000);
    expect(sys(p, 'getpgrp')).toBe(1000);
    expect(sys(p, 'getsid', 0)).toBe(999);
    expect(sys(p, 'setpgid', 0, 0)).toBe(0);
    expect(sys(p, 'setpgid', 0, 999)).toBe(-Errno.EPERM);
    expect(sys(p, 'setpgid', 0, -1)).toBe(-Errno.EINVAL);
    expect(sys(p, 'setsid')).toBe(-Errno.EPERM);
    expect(sys(p, 'getpriority', 1, 0)).toBe(20); // PRIO_PGRP 0: its own group
    expect(sys(p, 'getpriority', 2, 1000)).toBe(20); // PRIO_USER 1000: its own user
    expect(sys(p, 'getpriority', 2, 1001)).toBe(-Errno.ESRCH);
  });

  it('personality keeps any persona; UNAME26 makes uname report a 2.6 release', () => {
    const { p } = processAs(1000);
    expect(sys(p, 'personality', 0xffffffff)).toBe(0);
    expect(sys(p, 'personality', 0x0020000)).toBe(0);
    expect(sys(p, 'uname', BUF)).toBe(0);
    expect(Buffer.from(p.mem.readBytes(BUF + 130, 65)).toString('latin1').replace(/\0+$/, '')).toBe('2.6.61-emtrace');
    expect(sys(p, 'personality', 0xdeadbeef)).toBe(0x0020000);
    expect(sys(p, 'personality', 0xffffffff)).toBe(0xdeadbeef);
  });
});

describe('futex on one thread', () => {
  const WAIT_PRIVATE = 128;
  const WAIT_BITSET_PRIVATE = 9 | 128;
  const CLOCK_REALTIME_FLAG = 256;

  it('a wait with a timeout sleeps on the virtual clock and times out', () => {
    const { p } = processAs(1000);
    p.mem.writeBytes(WORD, new Uint8Array(4));
    putTimespec(p, TS, 0, 5_000_000);
    const start = p.clock.monotonicNs();
    expect(sys(p, 'futex', WORD, WAIT_PRIVATE, 0, TS)).toBe(-110);
    expect(p.clock.monotonicNs() - start).toBe(5_000_000n);
    // An absolute deadline on the monotonic clock, then on the real-time one.
    const deadline = p.clock.monotonicNs() + 3_000_000n;
    putTimespec(p, TS, deadline / 1_000_000_000n, deadline % 1_000_000_000n);
    expect(sys(p, 'futex', WORD, WAIT_BITSET_PRIVATE, 0, TS, 0, 0xffffffff)).toBe(-110);
    expect(p.clock.monotonicNs()).toBe(deadline);
    const realDeadline = p.clock.realtimeNs() + 2_000_000n;
    putTimespec(p, TS, realDeadline / 1_000_000_000n, realDeadline % 1_000_000_000n);
    expect(sys(p, 'futex', WORD, WAIT_BITSET_PRIVATE | CLOCK_REALTIME_FLAG, 0, TS, 0, 0xffffffff)).toBe(-110);
    expect(p.clock.realtimeNs()).toBe(realDeadline);
    // A word that changed: no sleep.
    p.mem.writeBytes(WORD, new Uint8Array([7, 0, 0, 0]));
    const before = p.clock.monotonicNs();
    expect(sys(p, 'futex', WORD, WAIT_PRIVATE, 0, TS)).toBe(-Errno.EAGAIN);
    expect(p.clock.monotonicNs()).toBe(before);
  });

  it('a signal ends the wait (alarm): a restart without a timeout, EINTR after a handler with one', () => {
    const { p } = processAs(1000);
    p.mem.writeBytes(WORD, new Uint8Array(4));
    const start = p.clock.monotonicNs();
    expect(sys(p, 'alarm', 2)).toBe(0);
    expect(sys(p, 'futex', WORD, WAIT_PRIVATE, 0, 0)).toBe(-ERESTARTSYS);
    expect(p.clock.monotonicNs() - start).toBe(2_000_000_000n);
    expect(p.signals.allPending().map((s) => s.signo)).toEqual([SIGALRM]);
    p.signals.group.pending.length = 0;
    expect(sys(p, 'alarm', 1)).toBe(0);
    putTimespec(p, TS, 10, 0);
    expect(sys(p, 'futex', WORD, WAIT_PRIVATE, 0, TS)).toBe(-ERESTART_RESTARTBLOCK);
    expect(p.clock.monotonicNs() - start).toBe(3_000_000_000n);
  });

  it('a wait nothing can end gets EDEADLK and a diagnostic, as pause does', () => {
    const { p, diagnostics } = processAs(1000);
    p.mem.writeBytes(WORD, new Uint8Array(4));
    expect(sys(p, 'futex', WORD, WAIT_PRIVATE, 0, 0)).toBe(-Errno.EDEADLK);
    expect(diagnostics).toEqual(['futex wait would block forever (nothing in this process can end the wait): the guest gets EDEADLK']);
  });

  it('the priority-inheritance operations are ENOSYS, with a diagnostic once', () => {
    const { p, diagnostics } = processAs(1000);
    expect(sys(p, 'futex', WORD, 6 | 128, 0, 0)).toBe(-Errno.ENOSYS);
    expect(sys(p, 'futex', WORD, 6 | 128, 0, 0)).toBe(-Errno.ENOSYS);
    expect(diagnostics).toEqual(['futex FUTEX_LOCK_PI is not implemented: the guest gets ENOSYS']);
  });

  it('wait queues (for threads to come): wake and requeue count and move by bitset', () => {
    const table = new FutexTable();
    const a = table.enqueue(0x1000, 1);
    const b = table.enqueue(0x1000, 2);
    const c = table.enqueue(0x1000, 3);
    expect(table.wake(0x1000, 5, 2)).toBe(2);
    expect([a.woken, b.woken, c.woken]).toEqual([false, true, true]);
    const d = table.enqueue(0x1000, 0xffffffff);
    const e = table.enqueue(0x1000, 0xffffffff);
    // A wake of 0 still wakes one; a requeue of 0 wakes none.
    expect(table.requeue(0x1000, 0x2000, 0, 1)).toBe(1);
    expect([a.woken, a.key]).toEqual([false, 0x2000]);
    expect(table.requeue(0x1000, 0x2000, 1, 5)).toBe(2);
    expect([d.woken, e.woken, e.key]).toEqual([true, false, 0x2000]);
    expect(table.wake(0x2000, 0)).toBe(1);
    expect(table.wake(0x2000, 9)).toBe(1);
    expect([a.woken, e.woken]).toEqual([true, true]);
    expect(table.wake(0x1000, 1)).toBe(0);
  });
});
