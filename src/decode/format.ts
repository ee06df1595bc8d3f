// The strace line formatter. Two phases, as in strace: beginCall() at syscall entry formats the
// arguments the kernel reads (their memory may change during the call), finishCall() at exit
// formats the arguments it wrote and the result. joinLine() aligns them as strace does.

import { argHex } from '../trace/event.js';
import type { GuestMemoryReader, SyscallEvent } from '../trace/event.js';
import { RET_DEC } from './arg-kinds.js';
import { errnoMessage, errnoName } from './constants/errno.js';
import { eventName, returnsFd, rowOf } from './syscalls.js';
import { printFd } from './fds.js';
import { DEFAULT_STYLE, withStyle } from './style.js';
import { hex } from './xlat.js';
import type { ArgSpec, Call, FormatOptions, SyscallRow } from './types.js';

/** The column where strace starts `= result` (its -a default). */
export const RESULT_COLUMN = 40;

const DEFAULTS: Required<FormatOptions> = {
  stringLimit: 32,
  cpusetSize: 128,
  textStyle: DEFAULT_STYLE,
  abbreviate: true,
  verbose: true,
  raw: false,
  decodeFds: 0,
};

function withDefaults(opts?: FormatOptions): Required<FormatOptions> {
  if (opts === undefined) return DEFAULTS;
  return {
    stringLimit: opts.stringLimit ?? DEFAULTS.stringLimit,
    cpusetSize: opts.cpusetSize ?? DEFAULTS.cpusetSize,
    textStyle: opts.textStyle ?? DEFAULTS.textStyle,
    abbreviate: opts.abbreviate ?? DEFAULTS.abbreviate,
    verbose: opts.verbose ?? DEFAULTS.verbose,
    raw: opts.raw ?? DEFAULTS.raw,
    decodeFds: opts.decodeFds ?? DEFAULTS.decodeFds,
  };
}

/** A call whose entry has been formatted. */
export interface PendingCall {
  readonly nr: number;
  readonly name: string;
  /** The text strace has printed at entry: `read(3, ` (or `write(1, "hi", 2` when every argument
   *  is an input). */
  readonly entry: string;
  /** Printed arguments in order; undefined where an argument waits for the exit. */
  readonly parts: (string | undefined)[];
  /** Index (into the row's args) of each printed argument. */
  readonly argIndex: number[];
  /** Values the arguments' `capture` read at entry, by argument index. */
  readonly captured?: (number | undefined)[];
}

/** A finished call: `call` is `write(1, "hi\n", 3)`, `result` is `= 3`. */
export interface FinishedCall {
  readonly call: string;
  readonly result: string;
}

function printsAtEntry(spec: ArgSpec, args: Int32Array): boolean {
  if (spec.at !== undefined) return (typeof spec.at === 'function' ? spec.at(args) : spec.at) === 'entry';
  const dir = typeof spec.dir === 'function' ? spec.dir(args) : spec.dir;
  return dir === 'in';
}

/** What strace has printed at entry: the arguments up to the first one printed at exit, or up
 *  to and with the first one that adds to its text at exit (`[10]` of `[10] => [14]`: the rest
 *  is printed at exit, `<... sendfile resumed> => [14], 4)`). */
function entryText(name: string, parts: (string | undefined)[], suffixed: number, separatorAtExit: (k: number) => boolean): string {
  let k = 0;
  while (k < parts.length && parts[k] !== undefined && k !== suffixed) k++;
  if (k === suffixed && parts[k] !== undefined) return name + '(' + parts.slice(0, k + 1).join(', ');
  const head = name + '(' + parts.slice(0, k).join(', ');
  if (k === parts.length) return head;
  return k === 0 || separatorAtExit(k) ? head : head + ', ';
}

/** Formats a syscall's input arguments at entry. */
export function beginCall(ev: SyscallEvent, mem: GuestMemoryReader, opts?: FormatOptions): PendingCall {
  const c: Call = { ev, mem, opts: withDefaults(opts), exiting: false };
  return withStyle(c.opts.textStyle, () => formatEntry(c));
}

function formatEntry(c: Call): PendingCall {
  const ev = c.ev;
  const row = rowOf(ev);
  const name = eventName(ev);
  const parts: (string | undefined)[] = [];
  const argIndex: number[] = [];
  let captured: (number | undefined)[] | undefined;
  // Undecoded (strace -e raw=): every argument in hex.
  if (row === undefined || row.args === undefined || c.opts.raw) {
    const n = row === undefined ? 6 : row.nargs;
    for (let i = 0; i < n; i++) {
      parts.push(argHex(ev.args, i));
      argIndex.push(i);
    }
  } else {
    const specs = row.args;
    for (let i = 0; i < specs.length; i++) {
      const spec = specs[i];
      if (spec.capture !== undefined) (captured ??= [])[i] = spec.capture(c, i);
      if (spec.show !== undefined && !spec.show(ev.args)) continue;
      argIndex.push(i);
      parts.push(printsAtEntry(spec, ev.args) ? spec.fmt(c, i) : undefined);
    }
  }
  const specs = row?.args === undefined || c.opts.raw ? [] : argIndex.map((i) => row.args![i]);
  const suffixed = specs.findIndex((spec) => spec.suffix !== undefined);
  const entry = entryText(name, parts, suffixed, (k) => specs[k]?.separatorAtExit === true);
  return { nr: ev.nr, name, entry, parts, argIndex, captured };
}

const RESTART_TEXT: Readonly<Record<number, string>> = {
  512: '? ERESTARTSYS (To be restarted if SA_RESTART is set)',
  513: '? ERESTARTNOINTR (To be restarted)',
  514: '? ERESTARTNOHAND (To be restarted if no handler)',
  516: '? ERESTART_RESTARTBLOCK (Interrupted by signal)',
};

/** The result text strace prints after `= ` for a failure with `errno`. */
export function errorText(errno: number): string {
  const r = RESTART_TEXT[errno];
  if (r !== undefined) return r;
  const name = errnoName(errno);
  return name === undefined ? '-1 (errno ' + errno + ')' : '-1 ' + name + ' (' + errnoMessage(errno) + ')';
}

/** A successful result: hex under -e raw=, a descriptor with -y, else the row's way. */
function successText(row: SyscallRow | undefined, c: Call): string {
  if (c.opts.raw) return hex(c.ev.ret);
  if (c.opts.decodeFds > 0 && returnsFd(c.ev)) return printFd(c, c.ev.ret);
  return (row?.ret ?? RET_DEC)(c);
}

function resultText(row: SyscallRow | undefined, c: Call): string {
  // A call strace cannot see (a vDSO or vsyscall function) is marked after its result; a result
  // a fault injection gave, after that.
  const via = c.ev.via === undefined ? '' : ' <' + c.ev.via + '>';
  const injected = c.ev.injected ? ' (INJECTED)' : '';
  if (Number.isNaN(c.ev.ret)) return '= ?' + via + injected;
  if (c.ev.errno !== 0) return '= ' + errorText(c.ev.errno) + via + injected;
  return '= ' + successText(row, c) + via + injected;
}

/**
 * Formats the output arguments and the result at exit. `ev.ret` NaN means the call did not
 * return: exit/exit_group print `= ?`; any other call shows `<unfinished ...>` after the arguments
 * printed at entry when some were still to come, else the whole call.
 */
export function finishCall(
  p: PendingCall,
  ev: SyscallEvent,
  mem: GuestMemoryReader,
  opts?: FormatOptions,
): FinishedCall {
  const c: Call = { ev, mem, opts: withDefaults(opts), exiting: true, captured: p.captured };
  return withStyle(c.opts.textStyle, () => formatExit(p, c));
}

function formatExit(p: PendingCall, c: Call): FinishedCall {
  const ev = c.ev;
  const row = rowOf(ev);
  if (Number.isNaN(ev.ret) && !row?.noReturn) {
    // The process died inside the call: strace shows `<unfinished ...>` where arguments were
    // still to be printed at exit, and the complete call when all were printed at entry.
    if (!p.parts.includes(undefined) && p.entry === p.name + '(' + p.parts.join(', ')) return { call: p.entry + ')', result: '= ?' };
    return { call: p.entry + ' <unfinished ...>)', result: '= ?' };
  }
  let parts = p.parts;
  if (row?.args !== undefined && !c.opts.raw && (parts.includes(undefined) || row.args.some((spec) => spec.suffix))) {
    const specs = row.args;
    parts = parts.map((s, k) => {
      const spec = specs[p.argIndex[k]];
      if (s === undefined) return spec.fmt(c, p.argIndex[k]);
      return spec.suffix ? s + spec.suffix(c, p.argIndex[k]) : s;
    });
  }
  return { call: p.name + '(' + parts.join(', ') + ')', result: resultText(row, c) };
}

/**
 * One strace line: the call, a space, spaces up to `column` (strace -a; 40 by default), counting
 * `startColumn` characters already on the line (a `[pid N] ` or timestamp prefix), then the result.
 */
export function joinLine(call: string, result: string, startColumn = 0, column = RESULT_COLUMN): string {
  const col = startColumn + call.length + 1;
  return col < column ? call + ' '.repeat(column - col + 1) + result : call + ' ' + result;
}

/** The `<... read resumed>` line strace prints when another line interrupted this call. */
export function resumedText(p: PendingCall, done: FinishedCall): string {
  const rest = done.call.startsWith(p.entry) ? done.call.slice(p.entry.length) : done.call;
  return '<... ' + p.name + ' resumed>' + rest;
}

/** Both phases at once, over one memory view (a recorded trace, or a call with no outputs). */
export function formatSyscall(ev: SyscallEvent, mem: GuestMemoryReader, opts?: FormatOptions): string {
  const done = finishCall(beginCall(ev, mem, opts), ev, mem, opts);
  return joinLine(done.call, done.result);
}
