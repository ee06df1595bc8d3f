// The kernel's errno numbers and the formatter's errno table must agree, and every syscall the
// kernel implements must exist in the syscall table under that name.
import { describe, expect, it } from 'vitest';
import { errnoName, syscallByName } from '../../src/decode/index.js';
import { Errno } from '../../src/emulator/kernel/errno.js';
import { SYSCALL_FAMILIES } from '../../src/emulator/kernel/kernel.js';

describe('kernel tables', () => {
  it.each(Object.entries(Errno))('%s is errno %i in the formatter too', (name, number) => {
    expect(errnoName(number)).toBe(name);
  });

  const implemented = SYSCALL_FAMILIES.flatMap((family) => Object.keys(family));
  it.each(implemented)('%s is in the syscall table', (name) => {
    expect(syscallByName(name)?.name).toBe(name);
  });
});
