// A process's IPC namespace: its POSIX message queues (and, later, its System V objects).
// Kept beside the process (unshare(CLONE_NEWIPC) gives it a fresh one).
import type { Process } from './process.js';
import { MessageQueueRegistry } from './mqueue.js';

export class IpcNamespace {
  readonly queues = new MessageQueueRegistry();
}

const namespaces = new WeakMap<Process, IpcNamespace>();

export function ipcNamespace(proc: Process): IpcNamespace {
  let ns = namespaces.get(proc);
  if (!ns) namespaces.set(proc, (ns = new IpcNamespace()));
  return ns;
}

export function newIpcNamespace(proc: Process): void {
  namespaces.set(proc, new IpcNamespace());
}
