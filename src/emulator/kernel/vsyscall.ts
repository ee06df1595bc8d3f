// The legacy vsyscall page at 0xffffffffff600000, as Linux's vsyscall=xonly has it: old static
// binaries call its three entries (gettimeofday at +0x0, time at +0x400, getcpu at +0x800); the
// page has no readable contents, so executing an entry faults and the kernel emulates the call,
// then returns to the caller as the entry's RET would. Anything else there is a SIGSEGV.
//
// The CPU keeps a kernel-half RIP as the negative number of its 64-bit two's complement
// (-0xa00000 is 0xffffffffff600000), which is exact; either form is accepted here.

/** The page's address as a signed 64-bit number. */
const VSYSCALL_SIGNED = -0xa00000;
const PAGE = 4096;

/** The three entries and the syscall each is. */
const ENTRIES: readonly number[] = [
  96, // gettimeofday
  201, // time
  309, // getcpu
];

/** What an instruction fetch at `addr` means: null when it is not in the vsyscall page; else the
 *  syscall number (-1 for an address that is not an entry) and the entry's address. */
export function vsyscallEntry(addr: number): { nr: number; addr: number } | null {
  const signed = addr >= 2 ** 63 ? addr - 2 ** 64 : addr;
  const offset = signed - VSYSCALL_SIGNED;
  if (!(offset >= 0 && offset < PAGE)) return null;
  const nr = offset % 0x400 === 0 ? (ENTRIES[offset / 0x400] ?? -1) : -1;
  return { nr, addr: signed };
}
