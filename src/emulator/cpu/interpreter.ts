// The execution loop: decodes guest code once into basic blocks (cached by start address, dropped
// when their code pages are written), then runs blocks until the kernel asks to stop, the
// instruction budget runs out, or an instruction faults (the exception propagates to the caller,
// which turns it into a signal).
// Self-modifying code takes effect at the next block: a block that rewrites its own later
// instructions still runs the old ones to its end.
import { DecodedInsn, OpcodeMap, RepPrefix, Segment } from './decoded.js';
import { decode, isDecodeFailure } from './decoder.js';
import { bind, endsBlock } from './bind.js';
import { CpuException, invalidOpcode } from './faults.js';
import { Insn } from './insn.js';
import type { Cpu } from './state.js';
import { MemoryFault, PAGE_SIZE } from '../memory.js';

const MAX_BLOCK_INSNS = 64;
const FAST_CACHE_SIZE = 8192;

interface Block {
  readonly start: number;
  /** Address after the last instruction: where execution continues when it does not branch. */
  readonly end: number;
  readonly insns: Insn[];
  /** Pages the block's bytes lie on. */
  readonly pages: number[];
}

export class Interpreter {
  private readonly blocks = new Map<number, Block>();
  private readonly blocksByPage = new Map<number, Block[]>();
  private readonly fastTag = new Float64Array(FAST_CACHE_SIZE).fill(-1);
  private readonly fastBlock: Block[] = new Array(FAST_CACHE_SIZE);
  private readonly window = new Uint8Array(15);
  /** Set by the kernel (exit, a signal to deliver, ...) to leave run() after the current block. */
  stopRequested = false;

  constructor(private readonly cpu: Cpu) {
    cpu.mem.onCodeWrite = (page) => this.invalidatePage(page);
  }

  /** Runs until stopRequested is set or cpu.icount reaches `until`. Faults propagate as
   *  CpuException or MemoryFault with cpu.rip at the faulting instruction. */
  run(until: number): void {
    const cpu = this.cpu;
    this.stopRequested = false;
    while (!this.stopRequested && cpu.icount < until) {
      const rip = cpu.rip;
      const slot = rip & (FAST_CACHE_SIZE - 1);
      let block = this.fastTag[slot] === rip ? this.fastBlock[slot] : this.lookup(rip);
      const insns = block.insns;
      const n = insns.length;
      cpu.icount += n;
      cpu.rip = block.end;
      let k = 0;
      try {
        for (; k < n; k++) insns[k].exec(cpu, insns[k]);
      } catch (e) {
        if (e instanceof CpuException && e.trap) cpu.icount -= n - k - 1;
        else {
          cpu.icount -= n - k;
          cpu.rip = insns[k].rip;
        }
        throw e;
      }
    }
  }

  private lookup(rip: number): Block {
    let block = this.blocks.get(rip);
    if (!block) block = this.translate(rip);
    const slot = rip & (FAST_CACHE_SIZE - 1);
    this.fastTag[slot] = rip;
    this.fastBlock[slot] = block;
    return block;
  }

  /** Decodes the basic block starting at rip. */
  private translate(start: number): Block {
    const insns: Insn[] = [];
    const pages = new Set<number>();
    let rip = start;
    while (insns.length < MAX_BLOCK_INSNS) {
      let available: number;
      try {
        available = this.cpu.mem.fetchCode(rip, this.window, 15);
      } catch (fault) {
        // An unfetchable first instruction faults now; later ones end the block here and fault
        // when (and if) execution reaches them.
        if (insns.length === 0) throw fault;
        break;
      }
      const result = decode(this.window, 0, available, rip);
      if (isDecodeFailure(result)) {
        if (result.reason === 'truncated') {
          if (insns.length > 0) break;
          // The instruction runs into a page that cannot be fetched.
          throw new MemoryFault(rip + available, 'exec', this.cpu.mem.isMapped(rip + available));
        }
        insns.push(invalidInsn(rip, result.length || 1, this.window));
        pages.add(Math.floor(rip / PAGE_SIZE));
        break;
      }
      const insn = bind(result);
      insns.push(insn);
      pages.add(Math.floor(rip / PAGE_SIZE));
      pages.add(Math.floor((rip + result.length - 1) / PAGE_SIZE));
      rip += result.length;
      if (endsBlock(insn)) break;
    }
    const block: Block = { start, end: rip, insns, pages: [...pages] };
    this.blocks.set(start, block);
    for (const page of block.pages) {
      const list = this.blocksByPage.get(page);
      if (list) list.push(block);
      else this.blocksByPage.set(page, [block]);
    }
    return block;
  }

  /** Drops every block with bytes on the page (its code was written or unmapped). */
  invalidatePage(page: number): void {
    const list = this.blocksByPage.get(page);
    if (!list) return;
    this.blocksByPage.delete(page);
    for (const block of list) {
      if (this.blocks.get(block.start) === block) this.blocks.delete(block.start);
      const slot = block.start & (FAST_CACHE_SIZE - 1);
      if (this.fastTag[slot] === block.start) this.fastTag[slot] = -1;
    }
  }

  /** Drops all decoded code (after execve or when the address space is replaced). */
  flush(): void {
    this.blocks.clear();
    this.blocksByPage.clear();
    this.fastTag.fill(-1);
  }
}

/** An instruction the decoder rejects: executing it raises SIGILL naming its bytes. */
function invalidInsn(rip: number, length: number, bytes: Uint8Array): Insn {
  const hex = Array.from(bytes.subarray(0, Math.max(1, length)), (b) => b.toString(16).padStart(2, '0')).join(' ');
  const d: DecodedInsn = {
    rip,
    length,
    lock: false,
    rep: RepPrefix.None,
    opsizePrefix: false,
    addrsizePrefix: false,
    segment: Segment.None,
    rex: 0,
    vex: 0,
    map: OpcodeMap.Primary,
    opcode: bytes[0],
    hasModrm: false,
    mod: 0,
    reg: 0,
    regField: 0,
    rmReg: -1,
    memBase: -1,
    memIndex: -1,
    memScale: 1,
    disp: 0,
    moffsHigh: 0,
    ripRelative: false,
    immSize: 0,
    imm: 0,
    immHigh: 0,
    imm2: 0,
    imm2Size: 0,
    operandSize: 4,
  };
  return new Insn(d, () => {
    throw invalidOpcode(rip, hex);
  });
}
