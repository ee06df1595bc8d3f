// strace's fault injection: `-e inject=SET:error=ERRNO|retval=N[:signal=SIG][:when=EXPR]` and
// `-e fault=SET[:error=ERRNO][:when=EXPR]` (error ENOSYS by default), turned into the injector the
// emulated kernel consults before a call runs (emulator/kernel/injection.ts). As in strace 6.1:
// only calls that are traced (-e trace=) are touched; invocations are counted per syscall and
// process; the last expression naming a syscall is the one that applies to it.

import { errnoByName } from '../decode/constants/errno.js';
import type { SyscallInjector, Tampering } from '../emulator/kernel/injection.js';
import type { SyscallEvent } from './event.js';
import { FilterError, parseTraceExpression, splitQualifier } from './filter.js';
import type { SyscallPredicate } from './filter.js';
import { parseSignal } from './strace-options.js';

/** One `-e inject=` expression. */
interface Injection {
  calls: SyscallPredicate;
  /** The result instead of running the call (-errno for error=). */
  result?: number;
  signal?: number;
  /** when=first[..last][+[step]]: the 1-based invocations injected; step 0 means only `first`. */
  first: number;
  last: number;
  step: number;
}

const MAX_ERRNO = 4095;

/** `first[..last][+[step]]`, or null when malformed or out of strace's ranges. */
function parseWhen(text: string): { first: number; last: number; step: number } | null {
  const m = /^(\d+)(?:\.\.(\d+))?(\+(\d+)?)?$/.exec(text);
  if (!m) return null;
  const first = Number(m[1]);
  const last = m[2] === undefined ? Infinity : Number(m[2]);
  // `first` alone injects once; a range or a `+` steps by one unless told otherwise.
  const step = m[4] !== undefined ? Number(m[4]) : m[3] !== undefined || m[2] !== undefined ? 1 : 0;
  if (first < 1 || first > 65535 || (m[2] !== undefined && (last < first || last > 65534)) || (m[4] !== undefined && (step < 1 || step > 65535))) return null;
  return { first, last, step };
}

/** One `inject=` or `fault=` value. */
function parseInjection(value: string, fault: boolean): Injection {
  const [set, ...options] = value.split(':');
  const calls = parseTraceExpression(set);
  const bad = (): never => {
    throw new FilterError(`invalid ${fault ? 'fault' : 'inject'} argument '${value}'`);
  };
  const injection: Injection = { calls, first: 1, last: Infinity, step: 1 };
  let error: number | undefined;
  let retval: number | undefined;
  for (const option of options) {
    const eq = option.indexOf('=');
    const key = eq < 0 ? option : option.slice(0, eq);
    const arg = option.slice(eq + 1);
    if (key === 'error' && error === undefined && retval === undefined) {
      error = /^\d+$/.test(arg) ? Number(arg) : errnoByName(arg);
      if (error === undefined || error < 1 || error > MAX_ERRNO) bad();
    } else if (key === 'retval' && !fault && error === undefined && retval === undefined) {
      retval = /^\d+$/.test(arg) ? Number(arg) : NaN;
      if (!Number.isSafeInteger(retval)) bad();
    } else if (key === 'signal' && !fault && injection.signal === undefined) {
      injection.signal = parseSignal(arg) ?? bad();
    } else if (key === 'when') {
      Object.assign(injection, parseWhen(arg) ?? bad());
    } else bad();
  }
  if (fault && error === undefined) error = 38; // ENOSYS
  if (error === undefined && retval === undefined && injection.signal === undefined) bad();
  if (error !== undefined) injection.result = -error;
  if (retval !== undefined) injection.result = retval;
  return injection;
}

/** The injections of a command line's `-e` arguments, or null when there are none. */
export function parseInjections(expressions: readonly string[], traced: SyscallPredicate): SyscallInjector | null {
  const injections: Injection[] = [];
  for (const e of expressions) {
    const { qualifier, value } = splitQualifier(e);
    if (qualifier === 'inject' || qualifier === 'fault') injections.push(parseInjection(value, qualifier === 'fault'));
  }
  return injections.length === 0 ? null : new Injector(injections, traced);
}

class Injector implements SyscallInjector {
  /** Invocations so far, per process and syscall (`pid/abi/nr`). */
  private readonly counts = new Map<string, number>();

  constructor(
    private readonly injections: readonly Injection[],
    private readonly traced: SyscallPredicate,
  ) {}

  tamper(ev: SyscallEvent): Tampering | null {
    if (!this.traced(ev.nr, ev)) return null;
    let injection: Injection | undefined;
    for (let k = this.injections.length - 1; k >= 0 && !injection; k--) if (this.injections[k].calls(ev.nr, ev)) injection = this.injections[k];
    if (!injection) return null;
    const key = `${ev.pid}/${ev.abi ?? ''}/${ev.nr}`;
    const n = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, n);
    const { first, last, step } = injection;
    if (n < first || n > last || (step === 0 ? n !== first : (n - first) % step !== 0)) return null;
    return { result: injection.result, signal: injection.signal };
  }
}
