// strace -k for a static binary: the frame of the call, ` > /path/prog(function+0x17) [0x1047]`,
// named from the ELF symbol table as strace's libunwind does it (the nearest function symbol at
// or below the address, the first of equals in table order; the address as an offset in the
// file). strace's unwinder finds no caller frames in these binaries: it prints this one frame,
// and so does emtrace.
import fs from 'node:fs';
import path from 'node:path';
import { ET_DYN, readSymbols } from '../emulator/elf.js';
import type { ElfImage, ElfSymbol, ProgramHeader } from '../emulator/elf.js';
import { PIE_BASE } from '../emulator/loader.js';

const PT_LOAD = 1;
const STT_FUNC = 2;
const PAGE = 4096;

export class Symbolizer {
  private readonly functions: ElfSymbol[];
  private readonly segments: ProgramHeader[];
  private readonly file: string;
  /** Where the image is loaded: 0 for ET_EXEC, the fixed PIE base for static-PIE. */
  private readonly bias: number;

  constructor(image: ElfImage) {
    this.functions = readSymbols(image).filter((s) => s.type === STT_FUNC);
    this.segments = image.programs.filter((p) => p.type === PT_LOAD);
    this.bias = image.type === ET_DYN ? PIE_BASE : 0;
    // strace names the mapped file as /proc/PID/maps does: its absolute, resolved path.
    try {
      this.file = fs.realpathSync(image.path);
    } catch {
      this.file = path.resolve(image.path);
    }
  }

  /** The frame line of an address in the program. */
  frame(addr: number): string {
    const vaddr = addr - this.bias;
    const segment = this.segments.find((p) => vaddr >= p.vaddr && vaddr < p.vaddr + p.memsz);
    const offset = segment ? vaddr - (segment.vaddr - (segment.vaddr % PAGE)) + (segment.offset - (segment.offset % PAGE)) : vaddr;
    const at = ' [0x' + offset.toString(16) + ']';
    let best: ElfSymbol | undefined;
    for (const s of this.functions) {
      if (s.value > vaddr) break;
      if (best === undefined || s.value > best.value) best = s;
    }
    return best === undefined ? ` > ${this.file}()${at}` : ` > ${this.file}(${best.name}+0x${(vaddr - best.value).toString(16)})${at}`;
  }
}
