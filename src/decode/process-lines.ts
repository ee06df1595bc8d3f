// The lines strace prints about a process rather than a syscall: signal delivery and the end.

import { i32, i64dec, u32, u64, u64x } from './bytes.js';
import { errnoName } from './constants/errno.js';
import {
  AUDIT_ARCH, CLD_EXITED, printSignal, SI_CODES, SI_CODES_BY_SIGNAL, SI_SIGIO, SI_TIMER, SI_TKILL, SI_USER,
} from './constants/signals.js';
import { signalName } from './constants/signals.js';
import { styled } from './style.js';
import { syscallByNumber } from './syscalls.js';
import { hex, printXval, xlookup } from './xlat.js';

/** `+++ exited with 0 +++` */
export function exitedLine(status: number): string {
  return '+++ exited with ' + status + ' +++';
}

/** `[ Process PID=1000 runs in 32 bit mode. ]`: a process switched between the x86-64 ABI and the
 *  i386 one (INT 0x80), as strace announces it. */
export function personalityLine(pid: number, abi: 'x86_64' | 'i386'): string {
  return '[ Process PID=' + pid + ' runs in ' + (abi === 'i386' ? '32' : '64') + ' bit mode. ]';
}

/** `+++ killed by SIGSEGV +++`, or `+++ killed by SIGSEGV (core dumped) +++`. */
export function killedLine(sig: number, coreDumped = false): string {
  return '+++ killed by ' + signalTitle(sig) + ' ' + (coreDumped ? '(core dumped) ' : '') + '+++';
}

/** The fields of a siginfo_t that strace prints (a subset is meaningful for each signal/code). */
export interface SigInfo {
  signo: number;
  code: number;
  errno?: number;
  /** Sender (kill, sigqueue, SIGCHLD). */
  pid?: number;
  uid?: number;
  /** SIGCHLD: exit status or signal; user and system time in clock ticks. */
  status?: number;
  utime?: number;
  stime?: number;
  /** Faulting address (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP). */
  addr?: number;
  /** sigqueue's value. */
  int?: number;
  ptr?: number | bigint;
  /** POSIX timers. */
  timerid?: number;
  overrun?: number;
  /** SIGIO / SIGPOLL. */
  band?: number;
  fd?: number;
  /** SIGSYS from seccomp. */
  callAddr?: number;
  syscall?: number;
  arch?: number;
  /** SEGV_BNDERR bounds, SEGV_PKUERR key, BUS_MCEERR_* lsb. */
  lower?: number;
  upper?: number;
  pkey?: number;
  addrLsb?: number;
}

/** Reads the fields of an x86-64 siginfo_t (128 bytes) as the kernel lays it out. */
export function siginfoFromBytes(b: Uint8Array): SigInfo {
  const si: SigInfo = { signo: i32(b, 0), errno: i32(b, 4), code: i32(b, 8) };
  // The union starts at offset 16; every view is read, the printer picks what applies.
  si.pid = i32(b, 16);
  si.uid = u32(b, 20);
  si.addr = u64(b, 16);
  si.timerid = i32(b, 16);
  si.overrun = i32(b, 20);
  si.int = i32(b, 24);
  si.ptr = u64x(b, 24);
  si.status = i32(b, 24);
  si.utime = Number(i64dec(b, 32));
  si.stime = Number(i64dec(b, 40));
  si.band = Number(i64dec(b, 16));
  si.fd = i32(b, 24);
  si.callAddr = u64(b, 16);
  si.syscall = i32(b, 24);
  si.arch = u32(b, 28);
  si.addrLsb = (b[24] | (b[25] << 8)) << 16 >> 16;
  si.lower = u64(b, 32);
  si.upper = u64(b, 40);
  si.pkey = u32(b, 32);
  return si;
}

const addr = (v: number | bigint | undefined): string => (v ? hex(v) : 'NULL');
const dec = (v: number | undefined): string => String(v ?? 0);

function siCode(code: number, signo: number): string {
  const s = xlookup(SI_CODES, code) ?? (SI_CODES_BY_SIGNAL[signo] ? xlookup(SI_CODES_BY_SIGNAL[signo], code) : undefined);
  return s === undefined ? hex(code >>> 0) : styled(hex(code >>> 0), s);
}

/** A signal's name in the lines about a process (`--- SIGSEGV {`, `+++ killed by SIGSEGV`),
 *  which -X leaves as names. */
function signalTitle(sig: number): string {
  return signalName(sig) ?? String(sig);
}

/** strace's printsiginfo: `{si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=0x10}`. */
export function formatSiginfo(si: SigInfo): string {
  if (!si.signo) return '{}';
  const f: string[] = ['si_signo=' + printSignal(si.signo), 'si_code=' + siCode(si.code, si.signo)];
  if (si.errno) f.push('si_errno=' + (errnoName(si.errno) ?? String(si.errno)));
  const source = (): void => {
    f.push('si_pid=' + dec(si.pid), 'si_uid=' + dec(si.uid));
  };
  const value = (): void => {
    f.push('si_int=' + dec(si.int), 'si_ptr=' + addr(si.ptr));
  };
  if (si.code <= 0) {
    switch (si.code) {
      case SI_USER:
      case SI_TKILL:
        source();
        break;
      case SI_TIMER:
        f.push('si_timerid=' + hex(si.timerid ?? 0), 'si_overrun=' + dec(si.overrun));
        value();
        break;
      case SI_SIGIO:
        f.push('si_band=' + dec(si.band), 'si_fd=' + dec(si.fd));
        break;
      default:
        source();
        if (si.ptr) value();
        break;
    }
    return '{' + f.join(', ') + '}';
  }
  switch (si.signo) {
    case 17: // SIGCHLD
      source();
      f.push('si_status=' + (si.code === CLD_EXITED ? dec(si.status) : printSignal(si.status ?? 0)));
      f.push('si_utime=' + dec(si.utime), 'si_stime=' + dec(si.stime));
      break;
    case 4: // SIGILL
    case 8: // SIGFPE
    case 5: // SIGTRAP
      f.push('si_addr=' + addr(si.addr));
      break;
    case 7: // SIGBUS
      f.push('si_addr=' + addr(si.addr));
      if (si.code === 4 || si.code === 5) f.push('si_addr_lsb=' + hex(si.addrLsb ?? 0));
      break;
    case 11: // SIGSEGV
      f.push('si_addr=' + addr(si.addr));
      if (si.code === 3) f.push('si_lower=' + addr(si.lower), 'si_upper=' + addr(si.upper));
      else if (si.code === 4) f.push('si_pkey=' + dec(si.pkey));
      break;
    case 29: // SIGIO
      if (si.code >= 1 && si.code <= 6) f.push('si_band=' + dec(si.band), 'si_fd=' + dec(si.fd));
      break;
    case 31: { // SIGSYS
      f.push('si_call_addr=' + addr(si.callAddr));
      const nr = si.syscall ?? 0;
      const row = si.arch === 0xc000003e ? syscallByNumber(nr) : undefined;
      f.push('si_syscall=' + (row ? '__NR_' + row.name : String(nr)));
      f.push('si_arch=' + printXval(AUDIT_ARCH, si.arch ?? 0, 'AUDIT_ARCH_???'));
      break;
    }
    default:
      if (si.pid || si.uid) source();
      if (si.ptr) value();
  }
  return '{' + f.join(', ') + '}';
}

/** `--- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=0x10} ---`; without siginfo,
 *  `--- stopped by SIGSTOP ---`. */
export function signalLine(sig: number, info?: SigInfo): string {
  if (info === undefined) return '--- stopped by ' + signalTitle(sig) + ' ---';
  return '--- ' + signalTitle(sig) + ' ' + formatSiginfo(info) + ' ---';
}

