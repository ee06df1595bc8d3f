// The -c / -C observer: counts the selected calls as they finish.
import type { CallOrigin, SyscallEvent } from '../event.js';
import type { SyscallObserver, SyscallOutcome } from '../observer.js';
import { SyscallCounts } from './counts.js';

export class SummarySink implements SyscallObserver {
  readonly counts = new SyscallCounts();

  constructor(
    private readonly selected: (nr: number, origin?: CallOrigin) => boolean,
    /** -w: count the time from entry to exit. By default strace counts the system CPU time a
     *  call used; the emulated kernel uses none of the guest's (its CPU clocks count guest
     *  instructions, and getrusage's ru_stime stays 0), so that time is always zero. */
    private readonly wall = false,
  ) {}

  wants(nr: number, origin?: CallOrigin): boolean {
    return this.selected(nr, origin);
  }

  enter(): void {}

  exit(ev: SyscallEvent, _mem: unknown, outcome: SyscallOutcome): void {
    this.counts.add(ev, this.wall ? (outcome.elapsedNs ?? 0) : 0);
  }

  signal(): void {}

  processExit(): void {}
}
