// arch_prctl(2): the second argument depends on the code.

import { argLong, argUint } from '../../trace/event.js';
import { argAddr, printStruct, type StructSpec } from '../arg-kinds.js';
import { u64 } from '../bytes.js';
import { ARCH_CODES, X86_XFEATURE_BITS, X86_XFEATURES } from '../constants/process.js';
import { KPTR } from '../structs.js';
import type { ArgSpec, Call, Dir, MemRule, RetFormatter } from '../types.js';
import { flagNames, hex, printXval, sprintFlags, udec, xlookup } from '../xlat.js';

const GET_FS = 0x1003;
const GET_GS = 0x1004;
const GET_CPUID = 0x1011;
const GET_XCOMP_SUPP = 0x1021;
const GET_XCOMP_PERM = 0x1022;
const REQ_XCOMP_PERM = 0x1023;
const GET_XCOMP_GUEST_PERM = 0x1024;
const REQ_XCOMP_GUEST_PERM = 0x1025;

/** `0x… /* NAMES *\/`, strace's verbose flag style used for XSAVE masks. */
function verboseFlags(v: number): string {
  const { names, rest } = flagNames(X86_XFEATURES, v);
  if (names.length === 0) return v === 0 ? '0' : hex(v) + ' /* XFEATURE_MASK_??? */';
  if (rest !== '') names.push(rest);
  return hex(v) + ' /* ' + names.join('|') + ' */';
}

const XFEATURE_MASK: StructSpec = {
  kind: 'u64',
  size: 8,
  print: (b) => '[' + verboseFlags(u64(b, 0)) + ']',
};

function outSpec(code: number): StructSpec | undefined {
  switch (code) {
    case GET_FS:
    case GET_GS:
      return KPTR;
    case GET_XCOMP_SUPP:
    case GET_XCOMP_PERM:
    case GET_XCOMP_GUEST_PERM:
      return XFEATURE_MASK;
  }
  return undefined;
}

function fmtArg(c: Call, i: number): string {
  const code = argUint(c.ev.args, 0);
  const s = outSpec(code);
  if (s !== undefined) return printStruct(c, argAddr(c.ev.args, i), s);
  const v = argLong(c.ev.args, i);
  if (code === REQ_XCOMP_PERM || code === REQ_XCOMP_GUEST_PERM) {
    const name = xlookup(X86_XFEATURE_BITS, v);
    return hex(v) + ' /* ' + (name ?? 'XFEATURE_???') + ' */';
  }
  return hex(v);
}

/** arch_prctl's code. */
export const archCode = (name: string): ArgSpec => ({
  name,
  kind: 'arch_code',
  dir: 'in',
  fmt: (c, i) => printXval(ARCH_CODES, argUint(c.ev.args, i), 'ARCH_???'),
});

/** arch_prctl's address argument: written for the get codes, a value otherwise. */
export const archArg = (name: string): ArgSpec => ({
  name,
  kind: 'arch_arg',
  dir: (args): Dir => (outSpec(argUint(args, 0)) ? 'out' : 'in'),
  mem: (args): MemRule | undefined =>
    outSpec(argUint(args, 0)) ? { kind: 'buffer', dir: 'out', size: { fixed: 8 } } : undefined,
  show: (args) => argUint(args, 0) !== GET_CPUID,
  fmt: fmtArg,
});

/** ARCH_REQ_XCOMP_PERM's positive result names the features. */
export const archRet: RetFormatter = (c) => {
  const code = argUint(c.ev.args, 0);
  if ((code === REQ_XCOMP_PERM || code === REQ_XCOMP_GUEST_PERM) && c.ev.ret > 0) {
    const aux = sprintFlags('', X86_XFEATURES, c.ev.ret);
    return aux === undefined ? hex(c.ev.ret) : hex(c.ev.ret) + ' (' + aux + ')';
  }
  return udec(c.ev.ret);
};

