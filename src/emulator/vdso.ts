// The emulator's vDSO: a real ELF shared object, generated here, that the loader maps at a fixed
// address and names in the auxiliary vector (AT_SYSINFO_EHDR), as Linux does. glibc's
// dl_vdso_vsym and musl's __vdsosym find its functions the way they find Linux's: through the
// program headers (PT_LOAD, PT_DYNAMIC, PT_NOTE with the Linux version), the dynamic section
// (DT_HASH, DT_SYMTAB, DT_STRTAB, DT_VERSYM, DT_VERDEF, DT_SONAME) and version LINUX_2.6.
//
// Each function is `mov $nr, %eax; syscall; ret`. The kernel recognises a SYSCALL instruction at
// one of these addresses as a vDSO call (by its address alone: RAX is not trusted): it answers it
// from the virtual clock like the syscall `nr`, without seccomp (a real vDSO call never enters the
// kernel), and the trace shows it as a vDSO call. A clock Linux's vDSO does not read itself is
// the syscall it falls back to, traced (and filtered) as one. A [vvar] area (read-only, zero; nothing reads it)
// sits below, as on Linux.
import { PAGE_SIZE } from './memory.js';

/** [vvar]: four read-only pages below the vDSO (Linux 6.1's layout with randomisation off). */
export const VVAR_BASE = 0x7ffff7ff9000;
export const VVAR_SIZE = 4 * PAGE_SIZE;
/** [vdso]: two pages, at the top of the mmap area. */
export const VDSO_BASE = 0x7ffff7ffd000;
export const VDSO_SIZE = 2 * PAGE_SIZE;
/** The Linux version the vDSO's note announces (6.1.0, as uname reports). */
export const VDSO_LINUX_VERSION = (6 << 16) | (1 << 8) | 0;

/** The functions the vDSO exports (with the `__vdso_` prefix and, weak, without it), and the
 *  syscall each one is. */
export const VDSO_FUNCTIONS: readonly { readonly name: string; readonly nr: number }[] = [
  { name: 'clock_gettime', nr: 228 },
  { name: 'gettimeofday', nr: 96 },
  { name: 'time', nr: 201 },
  { name: 'getcpu', nr: 309 },
  { name: 'clock_getres', nr: 229 },
];

const SONAME = 'linux-vdso.so.1';
const VERSION = 'LINUX_2.6';
/** Where the functions start in the image, and the bytes between two of them. */
const TEXT_OFFSET = 0xc00;
const FUNCTION_STRIDE = 16;
/** Offset of the SYSCALL instruction in each function (after `mov $nr, %eax`). */
const SYSCALL_OFFSET = 5;

/** The syscall number a vDSO call at `rip` (the address of its SYSCALL instruction) stands for,
 *  or -1 when rip is not one of the vDSO's traps. */
export function vdsoTrap(rip: number): number {
  const offset = rip - VDSO_BASE - TEXT_OFFSET - SYSCALL_OFFSET;
  if (offset < 0 || offset % FUNCTION_STRIDE !== 0) return -1;
  return VDSO_FUNCTIONS[offset / FUNCTION_STRIDE]?.nr ?? -1;
}

/** The clocks Linux's vDSO reads itself (REALTIME, MONOTONIC, MONOTONIC_RAW, the COARSE pair,
 *  BOOTTIME, TAI); for any other id clock_gettime and clock_getres fall back to the syscall. */
const VDSO_CLOCKS = new Set([0, 1, 4, 5, 6, 7, 11]);
const CLOCK_FUNCTIONS = new Set([228, 229]);

/** Whether the vDSO function `nr` answers a call whose first argument is `firstArg` itself;
 *  false when it falls back to a real syscall, as Linux's does for CPU-time and invalid clocks. */
export function vdsoAnswers(nr: number, firstArg: number): boolean {
  return !CLOCK_FUNCTIONS.has(nr) || VDSO_CLOCKS.has(firstArg | 0);
}

// ELF constants.
const PT_LOAD = 1;
const PT_DYNAMIC = 2;
const PT_NOTE = 4;
const PF_X = 1;
const PF_R = 4;
const DT_NULL = 0;
const DT_HASH = 4;
const DT_STRTAB = 5;
const DT_SYMTAB = 6;
const DT_STRSZ = 10;
const DT_SYMENT = 11;
const DT_SONAME = 14;
const DT_VERSYM = 0x6ffffff0;
const DT_VERDEF = 0x6ffffffc;
const DT_VERDEFNUM = 0x6ffffffd;
const STB_GLOBAL = 1;
const STB_WEAK = 2;
const STT_FUNC = 2;
const SHT_PROGBITS = 1;
const SHT_STRTAB = 3;
const SHT_HASH = 5;
const SHT_DYNAMIC = 6;
const SHT_NOTE = 7;
const SHT_DYNSYM = 11;
const SHT_GNU_VERDEF = 0x6ffffffd;
const SHT_GNU_VERSYM = 0x6fffffff;
const SHF_ALLOC = 2;
const SHF_EXECINSTR = 4;
const VER_FLG_BASE = 1;

/** The System V ELF hash (DT_HASH, vd_hash). */
export function elfHash(name: string): number {
  let h = 0;
  for (const ch of Buffer.from(name, 'latin1')) {
    h = ((h << 4) + ch) >>> 0;
    const g = h & 0xf0000000;
    if (g) h ^= g >>> 24;
    h &= ~g >>> 0;
    h >>>= 0;
  }
  return h >>> 0;
}

/** A little-endian writer over a growing image. */
class Image {
  readonly bytes = new Uint8Array(VDSO_SIZE);
  private readonly view = new DataView(this.bytes.buffer);
  u8(at: number, v: number): void {
    this.view.setUint8(at, v);
  }
  u16(at: number, v: number): void {
    this.view.setUint16(at, v, true);
  }
  u32(at: number, v: number): void {
    this.view.setUint32(at, v >>> 0, true);
  }
  u64(at: number, v: number): void {
    this.view.setBigUint64(at, BigInt(v), true);
  }
  text(at: number, s: string): void {
    this.bytes.set(Buffer.from(s + '\0', 'latin1'), at);
  }
}

/** A string table being built: offsets of each string. */
class Strings {
  text = '\0';
  add(s: string): number {
    const existing = this.text.indexOf(s + '\0');
    if (existing > 0 || (existing === 0 && s === '')) return existing;
    const at = this.text.length;
    this.text += s + '\0';
    return at;
  }
}

function align(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}

let cached: Uint8Array | null = null;

/** The vDSO image (VDSO_SIZE bytes, linked at address 0: glibc and musl add the load bias). */
export function vdsoImage(): Uint8Array {
  if (cached) return cached;
  const img = new Image();
  const dynstr = new Strings();
  const sonameAt = dynstr.add(SONAME);
  const versionAt = dynstr.add(VERSION);

  // The symbols: for each function the weak plain name and the global __vdso_ one.
  interface Sym {
    name: number;
    bind: number;
    value: number;
  }
  const syms: Sym[] = [];
  VDSO_FUNCTIONS.forEach((f, k) => {
    const value = TEXT_OFFSET + k * FUNCTION_STRIDE;
    syms.push({ name: dynstr.add(f.name), bind: STB_WEAK, value });
    syms.push({ name: dynstr.add('__vdso_' + f.name), bind: STB_GLOBAL, value });
  });
  const names = [''].concat(VDSO_FUNCTIONS.flatMap((f) => [f.name, '__vdso_' + f.name]));
  const nsyms = syms.length + 1;

  // Layout after the headers.
  const PHNUM = 3;
  const phoff = 64;
  let at = phoff + PHNUM * 56;
  const hashOff = (at = align(at, 8));
  const nbucket = 3;
  at += 4 * (2 + nbucket + nsyms);
  const dynsymOff = (at = align(at, 8));
  at += 24 * nsyms;
  const dynstrOff = at;
  at += dynstr.text.length;
  const versymOff = (at = align(at, 2));
  at += 2 * nsyms;
  const verdefOff = (at = align(at, 4));
  at += 2 * 28;
  const noteOff = (at = align(at, 4));
  const noteSize = 12 + 8 + 4;
  at += noteSize;
  const dynamicOff = (at = align(at, 8));
  const dynamic: [number, number][] = [
    [DT_HASH, hashOff],
    [DT_STRTAB, dynstrOff],
    [DT_SYMTAB, dynsymOff],
    [DT_STRSZ, dynstr.text.length],
    [DT_SYMENT, 24],
    [DT_SONAME, sonameAt],
    [DT_VERSYM, versymOff],
    [DT_VERDEF, verdefOff],
    [DT_VERDEFNUM, 2],
    [DT_NULL, 0],
  ];
  at += 16 * dynamic.length;
  if (at > TEXT_OFFSET) throw new Error('vDSO: the tables overrun the text');
  const textEnd = TEXT_OFFSET + VDSO_FUNCTIONS.length * FUNCTION_STRIDE;

  // Section headers (for tools: readelf, gdb), after the text.
  const shstr = new Strings();
  const sections = [
    { name: '', type: 0, flags: 0, addr: 0, size: 0, link: 0, info: 0, align: 0, entsize: 0 },
    { name: '.hash', type: SHT_HASH, flags: SHF_ALLOC, addr: hashOff, size: 4 * (2 + nbucket + nsyms), link: 2, info: 0, align: 8, entsize: 4 },
    { name: '.dynsym', type: SHT_DYNSYM, flags: SHF_ALLOC, addr: dynsymOff, size: 24 * nsyms, link: 3, info: 1, align: 8, entsize: 24 },
    { name: '.dynstr', type: SHT_STRTAB, flags: SHF_ALLOC, addr: dynstrOff, size: dynstr.text.length, link: 0, info: 0, align: 1, entsize: 0 },
    { name: '.gnu.version', type: SHT_GNU_VERSYM, flags: SHF_ALLOC, addr: versymOff, size: 2 * nsyms, link: 2, info: 0, align: 2, entsize: 2 },
    { name: '.gnu.version_d', type: SHT_GNU_VERDEF, flags: SHF_ALLOC, addr: verdefOff, size: 56, link: 3, info: 2, align: 4, entsize: 0 },
    { name: '.note', type: SHT_NOTE, flags: SHF_ALLOC, addr: noteOff, size: noteSize, link: 0, info: 0, align: 4, entsize: 0 },
    { name: '.dynamic', type: SHT_DYNAMIC, flags: SHF_ALLOC, addr: dynamicOff, size: 16 * dynamic.length, link: 3, info: 0, align: 8, entsize: 16 },
    { name: '.text', type: SHT_PROGBITS, flags: SHF_ALLOC | SHF_EXECINSTR, addr: TEXT_OFFSET, size: textEnd - TEXT_OFFSET, link: 0, info: 0, align: 16, entsize: 0 },
    { name: '.shstrtab', type: SHT_STRTAB, flags: 0, addr: 0, size: 0, link: 0, info: 0, align: 1, entsize: 0 },
  ];
  const TEXT_SECTION = 8;
  const nameOffsets = sections.map((s) => shstr.add(s.name));
  const shstrOff = textEnd;
  sections[sections.length - 1].size = shstr.text.length;
  const shoff = align(shstrOff + shstr.text.length, 8);
  if (shoff + 64 * sections.length > VDSO_SIZE) throw new Error('vDSO: the image overruns its pages');

  // ELF header.
  img.bytes.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0], 0); // ELFCLASS64, little-endian, version 1, SysV
  img.u16(16, 3); // ET_DYN
  img.u16(18, 62); // EM_X86_64
  img.u32(20, 1);
  img.u64(24, TEXT_OFFSET); // e_entry: the first function (Linux's vDSO points at its text too)
  img.u64(32, phoff);
  img.u64(40, shoff);
  img.u32(48, 0);
  img.u16(52, 64);
  img.u16(54, 56);
  img.u16(56, PHNUM);
  img.u16(58, 64);
  img.u16(60, sections.length);
  img.u16(62, sections.length - 1);

  // Program headers: the whole image as one R+X segment, the dynamic section, the note.
  const phdr = (k: number, type: number, flags: number, offset: number, size: number, alignment: number) => {
    const p = phoff + 56 * k;
    img.u32(p, type);
    img.u32(p + 4, flags);
    img.u64(p + 8, offset);
    img.u64(p + 16, offset); // p_vaddr
    img.u64(p + 24, offset); // p_paddr
    img.u64(p + 32, size);
    img.u64(p + 40, size);
    img.u64(p + 48, alignment);
  };
  phdr(0, PT_LOAD, PF_R | PF_X, 0, VDSO_SIZE, PAGE_SIZE);
  phdr(1, PT_DYNAMIC, PF_R, dynamicOff, 16 * dynamic.length, 8);
  phdr(2, PT_NOTE, PF_R, noteOff, noteSize, 4);

  // DT_HASH: buckets and chains over the symbol table.
  img.u32(hashOff, nbucket);
  img.u32(hashOff + 4, nsyms);
  const buckets = new Array<number>(nbucket).fill(0);
  const chains = new Array<number>(nsyms).fill(0);
  for (let i = 1; i < nsyms; i++) {
    const b = elfHash(names[i]) % nbucket;
    chains[i] = buckets[b];
    buckets[b] = i;
  }
  buckets.forEach((v, k) => img.u32(hashOff + 8 + 4 * k, v));
  chains.forEach((v, k) => img.u32(hashOff + 8 + 4 * nbucket + 4 * k, v));

  // .dynsym (entry 0 is the null symbol) and .gnu.version (LINUX_2.6 is version index 2).
  syms.forEach((s, k) => {
    const e = dynsymOff + 24 * (k + 1);
    img.u32(e, s.name);
    img.u8(e + 4, (s.bind << 4) | STT_FUNC);
    img.u8(e + 5, 0);
    img.u16(e + 6, TEXT_SECTION);
    img.u64(e + 8, s.value);
    img.u64(e + 16, FUNCTION_STRIDE);
    img.u16(versymOff + 2 * (k + 1), 2);
  });
  img.bytes.set(Buffer.from(dynstr.text, 'latin1'), dynstrOff);

  // .gnu.version_d: the base definition (the soname) and LINUX_2.6.
  const verdef = (k: number, flags: number, ndx: number, name: string, nameAt: number, last: boolean) => {
    const d = verdefOff + 28 * k;
    img.u16(d, 1);
    img.u16(d + 2, flags);
    img.u16(d + 4, ndx);
    img.u16(d + 6, 1);
    img.u32(d + 8, elfHash(name));
    img.u32(d + 12, 20);
    img.u32(d + 16, last ? 0 : 28);
    img.u32(d + 20, nameAt);
    img.u32(d + 24, 0);
  };
  verdef(0, VER_FLG_BASE, 1, SONAME, sonameAt, false);
  verdef(1, 0, 2, VERSION, versionAt, true);

  // The Linux version note (what glibc's _dl_discover_osversion looks for).
  img.u32(noteOff, 6);
  img.u32(noteOff + 4, 4);
  img.u32(noteOff + 8, 0);
  img.text(noteOff + 12, 'Linux');
  img.u32(noteOff + 20, VDSO_LINUX_VERSION);

  dynamic.forEach(([tag, value], k) => {
    img.u64(dynamicOff + 16 * k, tag);
    img.u64(dynamicOff + 16 * k + 8, value);
  });

  // The functions: mov $nr, %eax; syscall; ret; padded with int3.
  img.bytes.fill(0xcc, TEXT_OFFSET, textEnd);
  VDSO_FUNCTIONS.forEach((f, k) => {
    const p = TEXT_OFFSET + k * FUNCTION_STRIDE;
    img.u8(p, 0xb8);
    img.u32(p + 1, f.nr);
    img.bytes.set([0x0f, 0x05, 0xc3], p + SYSCALL_OFFSET);
  });

  img.bytes.set(Buffer.from(shstr.text, 'latin1'), shstrOff);
  sections.forEach((s, k) => {
    const h = shoff + 64 * k;
    img.u32(h, nameOffsets[k]);
    img.u32(h + 4, s.type);
    img.u64(h + 8, s.flags);
    img.u64(h + 16, s.addr);
    img.u64(h + 24, k === sections.length - 1 ? shstrOff : s.addr);
    img.u64(h + 32, s.size);
    img.u32(h + 40, s.link);
    img.u32(h + 44, s.info);
    img.u64(h + 48, s.align);
    img.u64(h + 56, s.entsize);
  });
  cached = img.bytes;
  return cached;
}
