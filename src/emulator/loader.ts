// Maps an ELF executable into a fresh address space and builds the initial stack the x86-64
// System V ABI and Linux's binfmt_elf give a new program: argc, argv, envp, the auxiliary vector
// and the strings they point to, at a fixed (non-randomised) layout.
import { cpuid } from './cpu/cpuid.js';
import { ElfImage, ET_DYN, PF_R, PF_W, PF_X, PT_GNU_STACK, PT_LOAD, PT_PHDR } from './elf.js';
import { AddressSpace, PAGE_SIZE, PROT_EXEC, PROT_READ, PROT_WRITE } from './memory.js';
import { VDSO_BASE, VDSO_SIZE, vdsoImage, VVAR_BASE, VVAR_SIZE } from './vdso.js';

/** Where a static-PIE (ET_DYN) image goes: Linux's ELF_ET_DYN_BASE with randomisation off. */
export const PIE_BASE = 0x555555554000;
/** The top of the initial stack (Linux: TASK_SIZE - one page, randomisation off). */
export const STACK_TOP = 0x7ffffffff000;
/** The stack's maximum size: the default RLIMIT_STACK. */
export const STACK_SIZE = 8 * 1024 * 1024;
/** What Linux maps below the argument strings at exec (setup_arg_pages' stack_expand): the
 *  stack mapping grows down from there as it is used (kernel/mm.ts). */
export const STACK_EXPAND = 128 * 1024;
/** The vsyscall page: fixed, above user space, executed only through emulation
 *  (vsyscall=xonly). It has no pages; the kernel emulates its three entries. */
export const VSYSCALL_BASE = 0xffffffffff600000;

export const AT_NULL = 0;
export const AT_PHDR = 3;
export const AT_PHENT = 4;
export const AT_PHNUM = 5;
export const AT_PAGESZ = 6;
export const AT_BASE = 7;
export const AT_FLAGS = 8;
export const AT_ENTRY = 9;
export const AT_UID = 11;
export const AT_EUID = 12;
export const AT_GID = 13;
export const AT_EGID = 14;
export const AT_PLATFORM = 15;
export const AT_HWCAP = 16;
export const AT_CLKTCK = 17;
export const AT_SECURE = 23;
export const AT_RANDOM = 25;
export const AT_HWCAP2 = 26;
export const AT_EXECFN = 31;
export const AT_SYSINFO_EHDR = 33;

export interface ProcessIdentity {
  uid: number;
  euid: number;
  gid: number;
  egid: number;
}

/** A string for the new program: text (UTF-8) or the bytes execve copied. */
export type GuestString = string | Uint8Array;

export interface LoadOptions {
  argv: GuestString[];
  envp: GuestString[];
  /** The path the program was started by (AT_EXECFN), as given to execve. */
  execfn: GuestString;
  /** 16 bytes for AT_RANDOM (seeded: determinism). */
  random: Uint8Array;
  identity: ProcessIdentity;
  /** Map the vDSO and name it in AT_SYSINFO_EHDR (default true). */
  vdso?: boolean;
}

export interface LoadedProgram {
  entry: number;
  stackPointer: number;
  /** Start of the heap: the page after the highest loaded segment. */
  brk: number;
  /** The load bias (0 for ET_EXEC). */
  base: number;
  auxv: [number, number][];
}

export function loadElf(mem: AddressSpace, image: ElfImage, options: LoadOptions): LoadedProgram {
  const base = image.type === ET_DYN ? PIE_BASE : 0;
  let highest = 0;
  for (const segment of image.programs) {
    if (segment.type !== PT_LOAD || segment.memsz === 0) continue;
    mapSegment(mem, image, base, segment);
    highest = Math.max(highest, base + segment.vaddr + segment.memsz);
  }
  const brk = pageUp(highest);

  const stackFlags = image.programs.find((p) => p.type === PT_GNU_STACK)?.flags ?? PF_R | PF_W | PF_X;
  mem.map(STACK_TOP - STACK_SIZE, STACK_SIZE, protOf(stackFlags) | PROT_READ | PROT_WRITE, { name: '[stack]', growsDown: true });

  const vdso = options.vdso ?? true;
  if (vdso) {
    mem.map(VVAR_BASE, VVAR_SIZE, PROT_READ, { name: '[vvar]' });
    mem.map(VDSO_BASE, VDSO_SIZE, PROT_READ | PROT_EXEC, { name: '[vdso]' });
    mem.writeForced(VDSO_BASE, vdsoImage());
  }
  mem.map(VSYSCALL_BASE, PAGE_SIZE, PROT_EXEC, { name: '[vsyscall]', pseudo: true });

  const auxv: [number, number][] = [
    ...(vdso ? [[AT_SYSINFO_EHDR, VDSO_BASE] as [number, number]] : []),
    [AT_HWCAP, cpuid(1, 0)[3] >>> 0],
    [AT_PAGESZ, PAGE_SIZE],
    [AT_CLKTCK, 100],
    [AT_PHDR, base + phdrAddress(image)],
    [AT_PHENT, 56],
    [AT_PHNUM, image.phnum],
    [AT_BASE, 0],
    [AT_FLAGS, 0],
    [AT_ENTRY, base + image.entry],
    [AT_UID, options.identity.uid],
    [AT_EUID, options.identity.euid],
    [AT_GID, options.identity.gid],
    [AT_EGID, options.identity.egid],
    [AT_SECURE, 0],
    [AT_RANDOM, 0], // filled in by buildStack
    [AT_HWCAP2, 0],
    [AT_EXECFN, 0],
    [AT_PLATFORM, 0],
  ];
  const { sp: stackPointer, stringsLow } = buildStack(mem, options, auxv);
  // Linux's initial stack mapping: the argument pages and STACK_EXPAND below them.
  const stackLow = Math.min(pageDown(stringsLow) - STACK_EXPAND, pageDown(stackPointer));
  mem.unmap(STACK_TOP - STACK_SIZE, stackLow - (STACK_TOP - STACK_SIZE));
  return { entry: base + image.entry, stackPointer, brk, base, auxv };
}

function protOf(flags: number): number {
  return (flags & PF_R ? PROT_READ : 0) | (flags & PF_W ? PROT_WRITE : 0) | (flags & PF_X ? PROT_EXEC : 0);
}

function pageDown(addr: number): number {
  return addr - (addr % PAGE_SIZE);
}

function pageUp(addr: number): number {
  return Math.ceil(addr / PAGE_SIZE) * PAGE_SIZE;
}

/** Maps one PT_LOAD segment as binfmt_elf does: whole file pages (so the bytes around the
 *  segment on its first and last page are the file's), then zeroes after p_filesz when the
 *  segment has a bss part, and anonymous zero pages for the rest of p_memsz. */
function mapSegment(mem: AddressSpace, image: ElfImage, base: number, segment: ElfImage['programs'][number]): void {
  const start = pageDown(base + segment.vaddr);
  const end = pageUp(base + segment.vaddr + segment.memsz);
  const prot = protOf(segment.flags);
  const leading = base + segment.vaddr - start;
  const fileStart = segment.offset - leading;
  mem.map(start, end - start, prot, { name: image.path, fileOffset: fileStart, device: '00:00', inode: 1 });
  const fileBytesEnd = Math.min(pageUp(leading + segment.filesz), image.data.length - fileStart, end - start);
  const bytes = image.data.subarray(fileStart, fileStart + fileBytesEnd);
  // The kernel writes into the segment regardless of its protection.
  writeIgnoringProtection(mem, start, bytes);
  if (segment.memsz > segment.filesz) {
    const bssStart = base + segment.vaddr + segment.filesz;
    const zeroEnd = Math.min(pageUp(bssStart), start + fileBytesEnd);
    if (zeroEnd > bssStart) writeIgnoringProtection(mem, bssStart, new Uint8Array(zeroEnd - bssStart));
  }
}

function writeIgnoringProtection(mem: AddressSpace, addr: number, bytes: Uint8Array): void {
  mem.writeForced(addr, bytes);
}

/** The program headers' address: PT_PHDR when present, else where e_phoff falls in a segment. */
function phdrAddress(image: ElfImage): number {
  const phdr = image.programs.find((p) => p.type === PT_PHDR);
  if (phdr) return phdr.vaddr;
  const holder = image.programs.find((p) => p.type === PT_LOAD && p.offset <= image.phoff && image.phoff < p.offset + p.filesz);
  return holder ? holder.vaddr + (image.phoff - holder.offset) : 0;
}

/** Lays out the initial stack (highest address first): the execfn string, the envp and argv
 *  strings, the platform string, the 16 random bytes, then, 16-byte aligned, argc, argv[], NULL,
 *  envp[], NULL, auxv pairs, AT_NULL. Returns the initial RSP (pointing at argc) and the lowest
 *  address of the argument strings. */
function buildStack(mem: AddressSpace, options: LoadOptions, auxv: [number, number][]): { sp: number; stringsLow: number } {
  let p = STACK_TOP - 8;
  const pushString = (text: GuestString): number => {
    const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
    p -= bytes.length + 1;
    mem.writeBytes(p, bytes);
    mem.write8(p + bytes.length, 0);
    return p;
  };
  // Linux copies the last string first, downwards, so each array ends up in ascending order,
  // the argv strings below the envp strings.
  const pushAll = (strings: GuestString[]): number[] => {
    const addrs = new Array<number>(strings.length);
    for (let k = strings.length - 1; k >= 0; k--) addrs[k] = pushString(strings[k]);
    return addrs;
  };
  const execfnAddr = pushString(options.execfn);
  const envAddrs = pushAll(options.envp);
  const argAddrs = pushAll(options.argv);
  const stringsLow = p;

  p = p - (p % 16);
  const platformAddr = pushString('x86_64');
  p -= 16;
  p = p - (p % 16);
  const randomAddr = p;
  mem.writeBytes(randomAddr, options.random);

  for (const entry of auxv) {
    if (entry[0] === AT_RANDOM) entry[1] = randomAddr;
    if (entry[0] === AT_EXECFN) entry[1] = execfnAddr;
    if (entry[0] === AT_PLATFORM) entry[1] = platformAddr;
  }
  const words: number[] = [options.argv.length, ...argAddrs, 0, ...envAddrs, 0];
  for (const [type, value] of auxv) words.push(type, value);
  words.push(AT_NULL, 0);

  let sp = p - words.length * 8;
  sp -= sp % 16;
  const table = new Uint8Array(words.length * 8);
  const view = new DataView(table.buffer);
  words.forEach((w, k) => {
    view.setUint32(8 * k, w % 4294967296, true);
    view.setUint32(8 * k + 4, Math.floor(w / 4294967296), true);
  });
  mem.writeBytes(sp, table);
  return { sp, stringsLow };
}
