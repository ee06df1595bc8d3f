// ioctl(2): the request's name, and the third argument for the tty requests strace decodes.

import { argInt, argLong, argUint, argExact } from '../../trace/event.js';
import { argAddr, printStruct, type StructSpec } from '../arg-kinds.js';
import { u32 } from '../bytes.js';
import { IOC_DIRS, ioctlNames, TIO } from '../constants/ioctl.js';
import { MODEM_FLAGS, TCFLSH_QUEUES, TCXONC_ACTIONS } from '../constants/termios.js';
import { printBuffer } from '../strings.js';
import { INT_REF, TERMIO, TERMIOS, WINSIZE } from '../structs.js';
import type { ArgSpec, Call, Dir, MemRule } from '../types.js';
import { hex, printFlags, printXval } from '../xlat.js';
import { styled } from '../style.js';

/** strace's print of the request: every known name (`A or B`), else `_IOC(dir, type, nr, size)`. */
export function printIoctlRequest(code: number): string {
  const names = ioctlNames(code);
  if (names.length > 0) return styled(hex(code), names.join(' or '));
  return (
    '_IOC(' + printFlags(IOC_DIRS, code >>> 30, '_IOC_???') + ', ' + hex((code >>> 8) & 0xff) + ', ' +
    hex(code & 0xff) + ', ' + hex((code >>> 16) & 0x3fff) + ')'
  );
}

const MODEM_REF: StructSpec = {
  kind: 'modem_flags',
  size: 4,
  print: (b) => '[' + printFlags(MODEM_FLAGS, u32(b, 0), 'TIOCM_???') + ']',
};

/** How one decoded request's argument travels and prints. */
type ArgDecoder =
  | { readonly t: 'struct'; readonly dir: Dir; readonly s: StructSpec }
  | { readonly t: 'none' }
  | { readonly t: 'int' }
  | { readonly t: 'xval'; readonly table: typeof TCXONC_ACTIONS }
  | { readonly t: 'char' };

const DECODERS = new Map<number, ArgDecoder>();
function def(codes: number[], d: ArgDecoder): void {
  for (const c of codes) DECODERS.set(c, d);
}
def([TIO.TCGETS, TIO.TIOCGLCKTRMIOS], { t: 'struct', dir: 'out', s: TERMIOS });
def([TIO.TCSETS, TIO.TCSETSW, TIO.TCSETSF, TIO.TIOCSLCKTRMIOS], { t: 'struct', dir: 'in', s: TERMIOS });
def([TIO.TCGETA], { t: 'struct', dir: 'out', s: TERMIO });
def([TIO.TCSETA, TIO.TCSETAW, TIO.TCSETAF], { t: 'struct', dir: 'in', s: TERMIO });
def([TIO.TIOCGWINSZ], { t: 'struct', dir: 'out', s: WINSIZE });
def([TIO.TIOCSWINSZ], { t: 'struct', dir: 'in', s: WINSIZE });
def([TIO.TCXONC], { t: 'xval', table: TCXONC_ACTIONS });
def([TIO.TCFLSH], { t: 'xval', table: TCFLSH_QUEUES });
def([TIO.TCSBRK, TIO.TCSBRKP, TIO.TIOCSCTTY], { t: 'int' });
def([TIO.TIOCMGET], { t: 'struct', dir: 'out', s: MODEM_REF });
def([TIO.TIOCMBIS, TIO.TIOCMBIC, TIO.TIOCMSET], { t: 'struct', dir: 'in', s: MODEM_REF });
def(
  [TIO.TIOCGPGRP, TIO.TIOCGSID, TIO.TIOCGETD, TIO.TIOCGSOFTCAR, TIO.TIOCGPTN, TIO.FIONREAD, TIO.TIOCOUTQ,
    TIO.TIOCGEXCL, TIO.TIOCGDEV],
  { t: 'struct', dir: 'out', s: INT_REF },
);
def(
  [TIO.TIOCSPGRP, TIO.TIOCSETD, TIO.FIONBIO, TIO.FIOASYNC, TIO.TIOCPKT, TIO.TIOCSSOFTCAR, TIO.TIOCSPTLCK],
  { t: 'struct', dir: 'in', s: INT_REF },
);
def([TIO.TIOCSTI], { t: 'char' });
def(
  [TIO.TIOCSBRK, TIO.TIOCCBRK, TIO.TIOCCONS, TIO.TIOCNOTTY, TIO.TIOCEXCL, TIO.TIOCNXCL, TIO.FIOCLEX,
    TIO.FIONCLEX, TIO.TIOCVHANGUP, TIO.TIOCSSERIAL],
  { t: 'none' },
);

function decoderOf(args: Int32Array): ArgDecoder | undefined {
  return DECODERS.get(argUint(args, 1));
}

/** ioctl's request argument. */
export const ioctlRequest = (name: string): ArgSpec => ({
  name,
  kind: 'ioctl_request',
  dir: 'in',
  fmt: (c, i) => printIoctlRequest(argUint(c.ev.args, i)),
});

/** Decoded output structs print at exit; everything else (including unknown requests, printed
 *  as a plain hex value) at entry. */
function argAt(args: Int32Array): 'entry' | 'exit' {
  const d = decoderOf(args);
  return d !== undefined && d.t === 'struct' && d.dir === 'out' ? 'exit' : 'entry';
}

/**
 * The memory the third argument covers: the decoded struct, or for other requests what the
 * _IOC encoding of the request announces (_IOC_READ: the kernel writes _IOC_SIZE bytes).
 */
function argMem(args: Int32Array): Extract<MemRule, { kind: 'buffer' }> | undefined {
  const d = decoderOf(args);
  if (d !== undefined) {
    if (d.t === 'struct') return { kind: 'buffer', dir: d.dir, size: { fixed: d.s.size } };
    if (d.t === 'char') return { kind: 'buffer', dir: 'in', size: { fixed: 1 } };
    return undefined;
  }
  const code = argUint(args, 1);
  const size = (code >>> 16) & 0x3fff;
  const dirBits = code >>> 30;
  if (size === 0 || dirBits === 0) return undefined;
  const dir: Dir = dirBits === 3 ? 'inout' : dirBits === 2 ? 'out' : 'in';
  return { kind: 'buffer', dir, size: { fixed: size } };
}

function fmtArg(c: Call, i: number): string {
  const d = decoderOf(c.ev.args);
  if (d === undefined) return hex(argExact(c.ev.args, i));
  switch (d.t) {
    case 'struct':
      return printStruct(c, argAddr(c.ev.args, i), d.s);
    case 'int':
      return String(argInt(c.ev.args, i));
    case 'xval':
      return printXval(d.table, argExact(c.ev.args, i), 'TC???');
    case 'char':
      return printBuffer(c, argAddr(c.ev.args, i), 1);
    case 'none':
      return '';
  }
}

/** ioctl's third argument: decoded for the tty requests, hex otherwise, absent for some. */
export const ioctlArg = (name: string): ArgSpec => ({
  name,
  kind: 'ioctl_arg',
  dir: (args): Dir => argMem(args)?.dir ?? 'in',
  at: argAt,
  mem: argMem,
  show: (args) => decoderOf(args)?.t !== 'none',
  fmt: fmtArg,
});

