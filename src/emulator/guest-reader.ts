// Live guest memory as a formatter reads it: faults become null instead of exceptions.
import type { GuestMemoryReader } from '../trace/event.js';
import { AddressSpace, MemoryFault } from './memory.js';

export class LiveMemoryReader implements GuestMemoryReader {
  constructor(private readonly mem: AddressSpace) {}

  readBytes(addr: number, len: number): Uint8Array | null {
    try {
      return this.mem.readBytes(addr, len);
    } catch (e) {
      if (e instanceof MemoryFault) return null;
      throw e;
    }
  }

  readCString(addr: number, max: number): { bytes: Uint8Array; terminated: boolean } | null {
    try {
      const s = this.mem.readCString(addr, max);
      return { bytes: s.bytes, terminated: s.terminated };
    } catch (e) {
      if (e instanceof MemoryFault) return null;
      throw e;
    }
  }
}
