// Which CPU the caller runs on: getcpu (the vDSO's getcpu and vsyscall's answer it too). The
// emulated machine has one CPU and one NUMA node.
import { argUlong } from '../../../trace/event.js';
import type { SyscallContext, SyscallHandler } from '../context.js';
import { StructWriter } from '../context.js';

function getcpu(c: SyscallContext): number {
  const cpu = argUlong(c.args, 0);
  const node = argUlong(c.args, 1);
  if (cpu) c.proc.mem.writeBytes(cpu, new StructWriter(4).u32(0, 0).bytes);
  if (node) c.proc.mem.writeBytes(node, new StructWriter(4).u32(0, 0).bytes);
  return 0;
}

export const CPU_SYSCALLS: Record<string, SyscallHandler> = { getcpu };
