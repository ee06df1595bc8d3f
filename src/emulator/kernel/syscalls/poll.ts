// Waiting for descriptors: poll, ppoll, select, pselect6. How a wait ends (readiness, the
// virtual clock, signals) is in waiting.ts, shared with the epoll waits.
import { argInt, argUint, argUlong } from '../../../trace/event.js';
import { NSEC_PER_SEC } from '../clock.js';
import type { SyscallContext, SyscallHandler } from '../context.js';
import { StructWriter } from '../context.js';
import { Errno } from '../errno.js';
import { ERESTART_RESTARTBLOCK, ERESTARTNOHAND } from '../signals.js';
import { firstWake, hostMayWake, readiness, waitFor, withMask } from '../waiting.js';
import { readMask } from './signal.js';
import { O_PATH, POLLERR, POLLHUP, POLLIN, POLLOUT, POLLPRI, POLLRDNORM, POLLWRNORM } from '../files.js';

// ---------------------------------------------------------------- poll

/** struct pollfd: int fd; short events; short revents. */
function pollFds(c: SyscallContext, addr: number, nfds: number, timeoutNs: bigint | null, interrupted: number): { n: number; sleptNs: bigint } {
  if (nfds > c.proc.fds.limit) return { n: -Errno.EINVAL, sleptNs: 0n };
  const raw = nfds > 0 ? c.proc.mem.readBytes(addr, nfds * 8) : new Uint8Array(0);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const entries = Array.from({ length: nfds }, (_, k) => ({ fd: view.getInt32(8 * k, true), events: view.getUint16(8 * k + 4, true) }));
  const revents = new Array<number>(nfds).fill(0);
  const check = (): number => {
    let count = 0;
    entries.forEach((e, k) => {
      revents[k] = e.fd < 0 ? 0 : readiness(c.proc.fds.get(e.fd), e.events);
      if (revents[k]) count++;
    });
    return count;
  };
  const hostWakes = entries.some((e) => e.fd >= 0 && hostMayWake(c.proc.fds.get(e.fd)));
  const nextWake = (): bigint | null => firstWake(entries.map((e) => (e.fd >= 0 ? c.proc.fds.get(e.fd) : undefined)));
  const result = waitFor(c, 'poll', check, timeoutNs, hostWakes, interrupted, nextWake);
  if (result.n >= 0 && nfds > 0) {
    revents.forEach((r, k) => view.setUint16(8 * k + 6, r, true));
    c.proc.mem.writeBytes(addr, raw);
  }
  return result;
}

function poll(c: SyscallContext): number {
  const timeoutMs = argInt(c.args, 2);
  const timeoutNs = timeoutMs < 0 ? null : BigInt(timeoutMs) * 1_000_000n;
  // Interrupted, poll resumes through restart_syscall with the time left, whatever its timeout.
  // nfds is an unsigned int: the kernel ignores the upper half of the register.
  return pollFds(c, argUlong(c.args, 0), argUint(c.args, 1), timeoutNs, ERESTART_RESTARTBLOCK).n;
}

/** A struct timespec timeout: null for NULL, -EINVAL when invalid. */
export function readTimespec(c: SyscallContext, addr: number): bigint | null | number {
  if (addr === 0) return null;
  const raw = c.proc.mem.readBytes(addr, 16);
  const view = new DataView(raw.buffer, raw.byteOffset, 16);
  const sec = view.getBigInt64(0, true);
  const nsec = view.getBigInt64(8, true);
  if (sec < 0n || nsec < 0n || nsec >= NSEC_PER_SEC) return -Errno.EINVAL;
  return sec * NSEC_PER_SEC + nsec;
}

/** The time left of a timeout, written back (ppoll, pselect6 and select update it). */
function writeRemaining(c: SyscallContext, addr: number, timeoutNs: bigint, sleptNs: bigint, micro: boolean): void {
  const left = timeoutNs > sleptNs ? timeoutNs - sleptNs : 0n;
  const sec = left / NSEC_PER_SEC;
  const frac = left % NSEC_PER_SEC;
  c.proc.mem.writeBytes(addr, new StructWriter(16).u64(0, sec).u64(8, micro ? frac / 1000n : frac).bytes);
}

const SIGSET_SIZE = 8;

function ppoll(c: SyscallContext): number {
  const tsAddr = argUlong(c.args, 2);
  const timeout = readTimespec(c, tsAddr);
  if (typeof timeout === 'number') return timeout;
  // set_user_sigmask: the size is checked only when there is a mask.
  if (argUlong(c.args, 3) !== 0 && argUlong(c.args, 4) !== SIGSET_SIZE) return -Errno.EINVAL;
  // nfds is an unsigned int (Linux ignores the upper half of the register; strace's ppoll test
  // fills it with garbage).
  const maskAddr = argUlong(c.args, 3);
  const result = withMask(c, maskAddr !== 0 ? readMask(c.proc, maskAddr) : null, () => pollFds(c, argUlong(c.args, 0), argUint(c.args, 1), timeout, ERESTARTNOHAND));
  if ((result.n >= 0 || result.n === -ERESTARTNOHAND) && timeout !== null) writeRemaining(c, tsAddr, timeout, result.sleptNs, false);
  return result.n;
}

// ---------------------------------------------------------------- select

const READ_SET = POLLIN | POLLRDNORM | POLLHUP | POLLERR;
const WRITE_SET = POLLOUT | POLLWRNORM | POLLERR;
const EXCEPT_SET = POLLPRI;

/** select over fd_set bitmaps (longs of 64 bits, as the kernel reads them). */
function selectFds(c: SyscallContext, timeoutNs: bigint | null): { n: number; sleptNs: bigint } {
  const nfds = argInt(c.args, 0);
  if (nfds < 0) return { n: -Errno.EINVAL, sleptNs: 0n };
  const n = Math.min(nfds, c.proc.fds.limit);
  const bytes = Math.ceil(n / 64) * 8;
  const addrs = [argUlong(c.args, 1), argUlong(c.args, 2), argUlong(c.args, 3)];
  const sets = addrs.map((addr) => (addr !== 0 && bytes > 0 ? c.proc.mem.readBytes(addr, bytes) : null));
  const wanted = [READ_SET, WRITE_SET, EXCEPT_SET];
  const asked: { fd: number; set: number }[] = [];
  let hostWakes = false;
  for (let fd = 0; fd < n; fd++) {
    for (let s = 0; s < 3; s++) {
      const set = sets[s];
      if (!set || !(set[fd >> 3] & (1 << (fd & 7)))) continue;
      const file = c.proc.fds.get(fd);
      if (!file || file.flags & O_PATH) return { n: -Errno.EBADF, sleptNs: 0n };
      if (s === 0 && hostMayWake(file)) hostWakes = true;
      asked.push({ fd, set: s });
    }
  }
  const results = sets.map((set) => (set ? new Uint8Array(set.length) : null));
  const check = (): number => {
    let count = 0;
    results.forEach((r) => r?.fill(0));
    for (const { fd, set } of asked) {
      const ready = readiness(c.proc.fds.get(fd), wanted[set]);
      if (ready & wanted[set]) {
        results[set]![fd >> 3] |= 1 << (fd & 7);
        count++;
      }
    }
    return count;
  };
  const nextWake = (): bigint | null => firstWake(asked.map(({ fd }) => c.proc.fds.get(fd)));
  const result = waitFor(c, 'select', check, timeoutNs, hostWakes, ERESTARTNOHAND, nextWake);
  if (result.n >= 0) results.forEach((r, s) => r && c.proc.mem.writeBytes(addrs[s], r));
  return result;
}

function select(c: SyscallContext): number {
  const tvAddr = argUlong(c.args, 4);
  let timeout: bigint | null = null;
  if (tvAddr !== 0) {
    const raw = c.proc.mem.readBytes(tvAddr, 16);
    const view = new DataView(raw.buffer, raw.byteOffset, 16);
    const sec = view.getBigInt64(0, true);
    const usec = view.getBigInt64(8, true);
    if (sec < 0n || usec < 0n || usec >= 1_000_000n) return -Errno.EINVAL;
    timeout = sec * NSEC_PER_SEC + usec * 1000n;
  }
  const result = selectFds(c, timeout);
  if ((result.n >= 0 || result.n === -ERESTARTNOHAND) && timeout !== null) writeRemaining(c, tvAddr, timeout, result.sleptNs, true);
  return result.n;
}

function pselect6(c: SyscallContext): number {
  const tsAddr = argUlong(c.args, 4);
  const timeout = readTimespec(c, tsAddr);
  if (typeof timeout === 'number') return timeout;
  // The sixth argument points to { const sigset_t *ss; size_t ss_len; }.
  const maskAddr = argUlong(c.args, 5);
  let sigmask = 0;
  if (maskAddr !== 0) {
    const raw = c.proc.mem.readBytes(maskAddr, 16);
    const view = new DataView(raw.buffer, raw.byteOffset, 16);
    if (view.getBigUint64(0, true) !== 0n && view.getBigUint64(8, true) !== BigInt(SIGSET_SIZE)) return -Errno.EINVAL;
    sigmask = Number(view.getBigUint64(0, true));
  }
  const result = withMask(c, sigmask !== 0 ? readMask(c.proc, sigmask) : null, () => selectFds(c, timeout));
  if ((result.n >= 0 || result.n === -ERESTARTNOHAND) && timeout !== null) writeRemaining(c, tsAddr, timeout, result.sleptNs, false);
  return result.n;
}

export const POLL_SYSCALLS: Record<string, SyscallHandler> = { poll, ppoll, select, pselect6 };
