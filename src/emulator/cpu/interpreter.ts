// The execution loop: decodes guest code once into basic blocks (cached by start address, dropped
// when their code pages are written), then runs blocks until the kernel asks to stop, the
// instruction budget runs out, or an instruction faults (the exception propagates to the caller,
// which turns it into a signal).
// Self-modifying code takes effect at the next block: a block that rewrites its own later
// instructions still runs the old ones to its end.
import { syntheticInsn } from './decoded.js';
import { decode, isDecodeFailure } from './decoder.js';
import { bind, endsBlock } from './bind.js';
import { CompiledBlock, compileBlock, SELF_LOOP_ITERATIONS } from './jit/compile.js';
import { CpuException, invalidOpcode } from './faults.js';
import { Insn } from './insn.js';
import type { Cpu } from './state.js';
import { MemoryFault, PAGE_SIZE } from '../memory.js';

const MAX_BLOCK_INSNS = 64;
const FAST_CACHE_SIZE = 8192;

/** Executions after which a block is compiled to a JS function (jit/compile.ts): code that runs
 *  rarely (start-up, error paths) is not worth V8's compile time. */
const HOT_BLOCK_RUNS = 16;

interface Block {
  readonly start: number;
  /** Address after the last instruction: where execution continues when it does not branch. */
  readonly end: number;
  readonly insns: Insn[];
  /** Pages the block's bytes lie on. */
  readonly pages: number[];
  runs: number;
  compiled: CompiledBlock | null;
}

export class Interpreter {
  private readonly blocks = new Map<number, Block>();
  private readonly blocksByPage = new Map<number, Block[]>();
  private readonly fastTag = new Float64Array(FAST_CACHE_SIZE).fill(-1);
  private readonly fastBlock: Block[] = new Array(FAST_CACHE_SIZE);
  private readonly window = new Uint8Array(15);
  /** Set by the kernel (exit, a signal to deliver, ...) to leave run() after the current block. */
  stopRequested = false;

  constructor(
    private readonly cpu: Cpu,
    /** Runs of a block before it is compiled (1: at once; Infinity: never). */
    private readonly hotBlockRuns = HOT_BLOCK_RUNS,
  ) {
    const mem = cpu.mem;
    mem.codeWatchers.add(this.invalidate);
    mem.onCodeWrite = (page) => {
      for (const invalidate of mem.codeWatchers) invalidate(page);
    };
  }

  /** When set, called before every instruction with cpu.rip at it (an instruction log); the
   *  machine then runs one instruction at a time, without compiled blocks. */
  beforeInstruction: ((cpu: Cpu) => void) | null = null;

  /** Runs until stopRequested is set or cpu.icount reaches `until`. Faults propagate as
   *  CpuException or MemoryFault with cpu.rip at the faulting instruction. */
  run(until: number): void {
    const cpu = this.cpu;
    this.stopRequested = false;
    if (this.beforeInstruction) return this.step(until, this.beforeInstruction);
    // The rest of a block an earlier run stopped inside (unless the program went elsewhere).
    const partial = this.partial;
    this.partial = null;
    if (partial && cpu.rip === partial.block.insns[partial.next].rip && this.blocks.get(partial.block.start) === partial.block && cpu.icount < until) {
      this.runPart(partial.block, partial.next, Math.min(partial.block.insns.length, partial.next + until - cpu.icount));
    }
    while (!this.stopRequested && cpu.icount < until) {
      const rip = cpu.rip;
      const slot = rip & (FAST_CACHE_SIZE - 1);
      let block = this.fastTag[slot] === rip ? this.fastBlock[slot] : this.lookup(rip);
      const insns = block.insns;
      const n = insns.length;
      // A block that would run past `until` runs only up to it: the run stops at exactly that
      // instruction (a timer's expiry), whatever the block structure.
      if (cpu.icount + n > until) {
        this.runPart(block, 0, until - cpu.icount);
        continue;
      }
      cpu.icount += n;
      cpu.rip = block.end;
      if (block.compiled === null && ++block.runs >= this.hotBlockRuns) block.compiled = compileBlock(insns);
      // (A compiled inner loop goes round many times in one call: near `until`, interpret.)
      if (block.compiled !== null && cpu.icount + n * SELF_LOOP_ITERATIONS <= until) {
        try {
          block.compiled(cpu);
        } catch (e) {
          this.unwind(block, cpu.faultIndex, e);
        }
        continue;
      }
      let k = 0;
      try {
        for (; k < n; k++) insns[k].exec(cpu, insns[k]);
      } catch (e) {
        this.unwind(block, k, e);
      }
    }
  }

  /** Where a run stopped inside a block: the block and its next instruction. */
  private partial: { block: Block; next: number } | null = null;

  /** Runs instructions [from, to) of the block and stops before instruction `to` (remembered,
   *  so the next run goes on with the same block). Meanwhile cpu.icount counts the whole
   *  block, as in a whole run (RDTSC reads it): stopping part way changes nothing the guest
   *  sees. */
  private runPart(block: Block, from: number, to: number): void {
    const cpu = this.cpu;
    const insns = block.insns;
    const start = cpu.icount - from;
    cpu.icount = start + insns.length;
    cpu.rip = block.end;
    let k = from;
    try {
      for (; k < to; k++) insns[k].exec(cpu, insns[k]);
    } catch (e) {
      this.unwind(block, k, e);
    }
    if (to === insns.length) return;
    cpu.icount = start + to;
    cpu.rip = insns[to].rip;
    this.partial = { block, next: to };
  }

  /** The run loop one instruction at a time, telling `hook` before each. */
  private step(until: number, hook: (cpu: Cpu) => void): void {
    const cpu = this.cpu;
    while (!this.stopRequested && cpu.icount < until) {
      const block = this.lookup(cpu.rip);
      for (const insn of block.insns) {
        cpu.rip = insn.rip;
        if (cpu.icount >= until) return;
        hook(cpu);
        cpu.rip = insn === block.insns[block.insns.length - 1] ? block.end : insn.next;
        cpu.icount++;
        try {
          insn.exec(cpu, insn);
        } catch (e) {
          if (!(e instanceof CpuException && e.trap)) {
            cpu.icount--;
            cpu.rip = insn.rip;
          }
          throw e;
        }
      }
    }
  }

  /** Instruction k of the block raised e: retire what ran before it, point RIP at it (or past it
   *  for a trap), and pass the exception on. */
  private unwind(block: Block, k: number, e: unknown): never {
    const cpu = this.cpu;
    const n = block.insns.length;
    if (e instanceof CpuException && e.trap) cpu.icount -= n - k - 1;
    else {
      cpu.icount -= n - k;
      cpu.rip = block.insns[k].rip;
    }
    throw e;
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
    const block: Block = { start, end: rip, insns, pages: [...pages], runs: 0, compiled: null };
    this.blocks.set(start, block);
    for (const page of block.pages) {
      const list = this.blocksByPage.get(page);
      if (list) list.push(block);
      else this.blocksByPage.set(page, [block]);
    }
    return block;
  }

  /** The CPU runs no more (its thread ended): writes to code no longer concern it. */
  detach(): void {
    this.cpu.mem.codeWatchers.delete(this.invalidate);
  }

  private readonly invalidate = (page: number): void => this.invalidatePage(page);

  /** Drops every block with bytes on the page (its code was written or unmapped). */
  invalidatePage(page: number): void {
    const list = this.blocksByPage.get(page);
    if (!list) return;
    this.cpu.codeVersion++;
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
  const d = syntheticInsn({ rip, length, opcode: bytes[0] });
  return new Insn(d, () => {
    throw invalidOpcode(rip, hex);
  });
}
