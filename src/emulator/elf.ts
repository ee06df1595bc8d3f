// Reading an x86-64 ELF executable: validates the file before handing it to elfy (which trusts
// its input, misreads the 64-bit section fields addralign/entsize and throws on files without a
// section-name table), then returns what the loader and the symboliser need.
import elfy from 'elfy';
import { UserError } from '../errors.js';

export const PT_LOAD = 1;
export const PT_INTERP = 3;
export const PT_PHDR = 6;
export const PT_TLS = 7;
export const PT_GNU_STACK = 0x6474e551;

export const PF_X = 1;
export const PF_W = 2;
export const PF_R = 4;

export const ET_EXEC = 2;
export const ET_DYN = 3;

const EM_X86_64 = 62;
const ELF64_HEADER_SIZE = 64;
const ELF64_PHDR_SIZE = 56;
const ELF64_SHDR_SIZE = 64;

export interface ProgramHeader {
  type: number;
  flags: number;
  offset: number;
  vaddr: number;
  filesz: number;
  memsz: number;
  align: number;
}

export interface SectionHeader {
  name: string;
  type: number;
  addr: number;
  offset: number;
  size: number;
  link: number;
  entsize: number;
}

export interface ElfSymbol {
  name: string;
  value: number;
  size: number;
  /** STT_FUNC, STT_OBJECT, ... */
  type: number;
}

export interface ElfImage {
  path: string;
  data: Buffer;
  type: number;
  entry: number;
  phoff: number;
  phnum: number;
  programs: ProgramHeader[];
  sections: SectionHeader[];
}

/** Parses and validates an executable; throws UserError with a one-line reason. */
export function parseElf(path: string, data: Buffer): ElfImage {
  const fail = (why: string): never => {
    throw new UserError(path, why);
  };
  if (data.length < 4 || data.readUInt32BE(0) !== 0x7f454c46) fail('not an ELF file');
  if (data.length < 16) fail('truncated ELF file (no identification header)');
  if (data[4] === 1) fail('32-bit ELF file: only x86-64 (ELF64) executables are supported');
  if (data[4] !== 2) fail(`invalid ELF class ${data[4]}`);
  if (data[5] !== 1) fail('big-endian ELF file: only x86-64 executables are supported');
  if (data.length < ELF64_HEADER_SIZE) fail('truncated ELF file (header cut short)');
  const type = data.readUInt16LE(16);
  const machine = data.readUInt16LE(18);
  if (machine !== EM_X86_64) fail(`ELF file for machine ${machine} (${MACHINE_NAMES[machine] ?? 'unknown'}): only x86-64 is supported`);
  if (type !== ET_EXEC && type !== ET_DYN) fail(`ELF file of type ${type} is not an executable`);
  const entry = readU64(data, 24);
  const phoff = readU64(data, 32);
  const shoff = readU64(data, 40);
  const phentsize = data.readUInt16LE(54);
  const phnum = data.readUInt16LE(56);
  const shentsize = data.readUInt16LE(58);
  const shnum = data.readUInt16LE(60);
  const shstrndx = data.readUInt16LE(62);

  if (phnum === 0) fail('ELF file has no program headers');
  if (phentsize !== ELF64_PHDR_SIZE) fail(`unexpected program header size ${phentsize}`);
  if (phoff + phnum * phentsize > data.length) fail('truncated ELF file (program headers past the end of the file)');

  // Hand elfy only a section table it can read; otherwise let it skip sections entirely.
  const sectionsUsable =
    shnum > 0 &&
    shentsize === ELF64_SHDR_SIZE &&
    shoff + shnum * shentsize <= data.length &&
    shstrndx > 0 &&
    shstrndx < shnum &&
    data.readUInt32LE(shoff + shstrndx * ELF64_SHDR_SIZE + 4) === 3; // SHT_STRTAB
  const forElfy = sectionsUsable ? data : withoutSections(data);
  let parsed: ElfyResult;
  try {
    parsed = elfy.parse(forElfy) as ElfyResult;
  } catch (e) {
    return fail(`malformed ELF file (${(e as Error).message})`);
  }

  const programs: ProgramHeader[] = parsed.body.programs.map((p, k) => {
    const base = phoff + k * ELF64_PHDR_SIZE;
    return {
      type: data.readUInt32LE(base),
      flags: data.readUInt32LE(base + 4),
      offset: p.offset,
      vaddr: p.vaddr,
      filesz: p.filesz,
      memsz: p.memsz,
      align: p.align,
    };
  });
  programs.forEach((p, k) => {
    if (p.type !== PT_LOAD) return;
    if (p.offset + p.filesz > data.length) fail(`truncated ELF file (segment ${k} extends past the end of the file)`);
    if (p.filesz > p.memsz) fail(`malformed ELF file (segment ${k} has more file bytes than memory bytes)`);
    if (p.vaddr % 4096 !== p.offset % 4096) fail(`malformed ELF file (segment ${k} is not page-aligned with its file offset)`);
    if (p.vaddr + p.memsz > 0x7ffffffff000) fail(`malformed ELF file (segment ${k} lies outside user space)`);
  });
  if (!programs.some((p) => p.type === PT_LOAD)) fail('ELF file has no loadable segments');
  if (programs.some((p) => p.type === PT_INTERP))
    fail('dynamically linked executable: only static executables are supported so far (link with -static)');

  const sections: SectionHeader[] = sectionsUsable
    ? parsed.body.sections.map((s, k) => {
        const base = shoff + k * ELF64_SHDR_SIZE;
        return {
          name: s.name,
          type: data.readUInt32LE(base + 4),
          addr: readU64(data, base + 16),
          offset: readU64(data, base + 24),
          size: readU64(data, base + 32),
          link: data.readUInt32LE(base + 40),
          // elfy reads addralign/entsize at the wrong offsets: read entsize ourselves.
          entsize: readU64(data, base + 56),
        };
      })
    : [];

  return { path, data, type, entry, phoff, phnum, programs, sections };
}

/** The function and object symbols of .symtab, sorted by address (for naming RIPs). */
export function readSymbols(image: ElfImage): ElfSymbol[] {
  const symtab = image.sections.find((s) => s.type === 2 /* SHT_SYMTAB */);
  if (!symtab || symtab.entsize !== 24) return [];
  const strtab = image.sections[symtab.link];
  if (!strtab || strtab.offset + strtab.size > image.data.length) return [];
  const symbols: ElfSymbol[] = [];
  const end = Math.min(symtab.offset + symtab.size, image.data.length);
  for (let at = symtab.offset; at + 24 <= end; at += 24) {
    const nameOffset = image.data.readUInt32LE(at);
    const info = image.data[at + 4];
    const value = readU64(image.data, at + 8);
    const size = readU64(image.data, at + 16);
    const type = info & 0xf;
    if ((type !== 1 && type !== 2) || value === 0) continue; // STT_OBJECT, STT_FUNC
    const nameStart = strtab.offset + nameOffset;
    const nameEnd = image.data.indexOf(0, nameStart);
    if (nameEnd < 0) continue;
    symbols.push({ name: image.data.toString('latin1', nameStart, nameEnd), value, size, type });
  }
  return symbols.sort((a, b) => a.value - b.value);
}

function readU64(data: Buffer, offset: number): number {
  return data.readUInt32LE(offset + 4) * 4294967296 + data.readUInt32LE(offset);
}

/** A copy of the file with a minimal section table of its own (a null section and the
 *  section-name table), for files whose own table is missing or unusable: elfy cannot parse a
 *  file without a section-name table. */
function withoutSections(data: Buffer): Buffer {
  const names = Buffer.from('\0.shstrtab\0', 'latin1');
  const tableOffset = Math.ceil(data.length / 8) * 8;
  const namesOffset = tableOffset + 2 * ELF64_SHDR_SIZE;
  const copy = Buffer.alloc(namesOffset + names.length);
  data.copy(copy);
  const strtab = tableOffset + ELF64_SHDR_SIZE;
  copy.writeUInt32LE(1, strtab); // sh_name: ".shstrtab"
  copy.writeUInt32LE(3, strtab + 4); // SHT_STRTAB
  copy.writeUInt32LE(namesOffset, strtab + 24); // sh_offset
  copy.writeUInt32LE(names.length, strtab + 32); // sh_size
  names.copy(copy, namesOffset);
  copy.writeUInt32LE(tableOffset, 40); // e_shoff
  copy.writeUInt32LE(0, 44);
  copy.writeUInt16LE(ELF64_SHDR_SIZE, 58); // e_shentsize
  copy.writeUInt16LE(2, 60); // e_shnum
  copy.writeUInt16LE(1, 62); // e_shstrndx
  return copy;
}

interface ElfyResult {
  body: {
    programs: { offset: number; vaddr: number; filesz: number; memsz: number; align: number }[];
    sections: { name: string }[];
  };
}

const MACHINE_NAMES: Record<number, string> = {
  3: 'i386',
  8: 'MIPS',
  20: 'PowerPC',
  21: 'PowerPC64',
  22: 'S/390',
  40: 'ARM',
  43: 'SPARC v9',
  50: 'IA-64',
  183: 'AArch64',
  243: 'RISC-V',
  258: 'LoongArch',
};
