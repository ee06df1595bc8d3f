// FdTable.fork() and closeOnExec(): a forked child's fds refer to the parent's descriptions
// (shared offsets and status flags), each description closes with its last fd in any table, the
// close-on-exec bits are copied and then each table's own, record locks keep Linux's owners
// (POSIX locks the pid's, OFD locks the description's), and execve closes what is marked.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Errno } from '../../src/emulator/kernel/errno.js';
import { FdTable, HostFile, O_NONBLOCK, O_RDONLY, O_RDWR, O_WRONLY, OpenFile, SEEK_CUR, StatInfo } from '../../src/emulator/kernel/files.js';
import { F_WRLCK, RecordLocks } from '../../src/emulator/kernel/locks.js';
import { Pipe, PipeEnd, WOULD_BLOCK_FOREVER } from '../../src/emulator/kernel/pipes.js';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'emtrace-fdfork-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

/** A description that counts its closes. */
class Counted implements OpenFile {
  readonly kind = 'regular';
  readonly hostFd = null;
  flags = O_RDWR;
  closes = 0;
  constructor(readonly path: string) {}
  read(): number {
    return 0;
  }
  write(data: Uint8Array): number {
    return data.length;
  }
  pread(): number {
    return 0;
  }
  pwrite(): number {
    return 0;
  }
  seek(): number {
    return 0;
  }
  stat(): StatInfo | number {
    return -Errno.ENOSYS;
  }
  hostKey(): null {
    return null;
  }
  close(): void {
    this.closes++;
  }
}

function hostFile(name: string, contents: string): HostFile {
  const file = path.join(scratch, name);
  fs.writeFileSync(file, contents);
  return new HostFile(fs.openSync(file, 'r+'), file, O_RDWR, true);
}

function read(file: OpenFile, n: number): string {
  const buf = new Uint8Array(n);
  const got = file.read(buf);
  return got < 0 ? `error ${got}` : Buffer.from(buf.subarray(0, got)).toString('latin1');
}

describe('FdTable.fork', () => {
  it('gives the child the same fds on the same descriptions, with shared offsets and flags', () => {
    const parent = new FdTable();
    const file = hostFile('shared-offset', 'abcdefgh');
    expect(parent.allocate(file, false)).toBe(0);
    const child = parent.fork();
    expect(child.openFds()).toEqual([0]);
    expect(child.get(0)).toBe(parent.get(0));
    expect(read(child.get(0)!, 3)).toBe('abc');
    expect(read(parent.get(0)!, 3)).toBe('def'); // the child's read moved the parent's offset
    expect(parent.get(0)!.seek(0, SEEK_CUR)).toBe(6);
    child.get(0)!.flags |= O_NONBLOCK; // F_SETFL in the child
    expect(parent.get(0)!.flags & O_NONBLOCK).toBe(O_NONBLOCK);
    parent.closeAll();
    child.closeAll();
  });

  it('a close in one table leaves the description open for the other; the last close closes it', () => {
    const parent = new FdTable();
    const file = new Counted('/f');
    parent.allocate(file, false);
    parent.allocate(file, false); // dup: fds 0 and 1
    const child = parent.fork();
    expect(parent.refs.count(file)).toBe(4);
    child.close(0);
    child.close(1);
    expect(file.closes).toBe(0);
    expect(parent.get(0)).toBe(file);
    parent.close(1);
    expect(file.closes).toBe(0);
    parent.close(0);
    expect(file.closes).toBe(1);
    expect(parent.refs.count(file)).toBe(0);
  });

  it('closes in either order, over grandchildren, and through install (dup2) and closeAll', () => {
    const a = new FdTable();
    const file = new Counted('/g');
    a.allocate(file, false);
    const b = a.fork();
    const c = b.fork();
    a.closeAll();
    b.install(0, new Counted('/other'), false); // dup2 over fd 0
    expect(file.closes).toBe(0);
    c.closeAll();
    expect(file.closes).toBe(1);
  });

  it('keeps a pipe open for reading while any process still holds its write end', () => {
    const parent = new FdTable();
    const pipe = new Pipe(1n, 'pipe:[1]', { uid: 0, gid: 0 }, 0n);
    const reader = parent.allocate(new PipeEnd(pipe, O_RDONLY), false);
    const writer = parent.allocate(new PipeEnd(pipe, O_WRONLY), false);
    const child = parent.fork();
    parent.close(writer);
    child.get(writer)!.write(Buffer.from('hi'));
    expect(read(parent.get(reader)!, 10)).toBe('hi');
    // A writer is left (the child's): an empty pipe blocks rather than ending.
    expect(parent.get(reader)!.read(new Uint8Array(1))).toBe(WOULD_BLOCK_FOREVER);
    child.close(writer);
    expect(read(parent.get(reader)!, 10)).toBe(''); // end of file
  });

  it('copies the close-on-exec bits and the limit, then each table keeps its own', () => {
    const parent = new FdTable();
    parent.limit = 10;
    parent.allocate(new Counted('/a'), true);
    parent.allocate(new Counted('/b'), false);
    const child = parent.fork();
    expect(child.limit).toBe(10);
    expect([child.isCloseOnExec(0), child.isCloseOnExec(1)]).toEqual([true, false]);
    child.setCloseOnExec(1, true);
    expect(parent.isCloseOnExec(1)).toBe(false);
    // The child's new fds are its own.
    const fd = child.allocate(new Counted('/c'), false);
    expect(fd).toBe(2);
    expect(parent.get(2)).toBeUndefined();
  });
});

describe('FdTable.closeOnExec', () => {
  it('closes exactly the marked fds, in order, leaving shared descriptions open elsewhere', () => {
    const parent = new FdTable();
    const files = ['/0', '/1', '/2', '/3', '/4'].map((p) => new Counted(p));
    files.forEach((f, k) => parent.allocate(f, k % 2 === 1));
    parent.setCloseOnExec(4, true);
    const child = parent.fork();
    expect(child.closeOnExec()).toEqual([1, 3, 4]);
    expect(child.openFds()).toEqual([0, 2]);
    expect(files.map((f) => f.closes)).toEqual([0, 0, 0, 0, 0]); // the parent still has them
    expect(parent.closeOnExec()).toEqual([1, 3, 4]);
    expect(files.map((f) => f.closes)).toEqual([0, 1, 0, 1, 1]);
    expect(child.closeOnExec()).toEqual([]);
  });
});

describe('record locks across fork', () => {
  /** Two tables wired as Process wires its own: POSIX locks by pid, OFD locks by description. */
  function processes(): { locks: RecordLocks; parent: FdTable; child: FdTable; file: OpenFile; key: string } {
    const locks = new RecordLocks();
    const parent = new FdTable();
    const file = hostFile('locked', 'data');
    parent.allocate(file, false);
    parent.onClose = (f, last) => locks.closed(1000, f, last);
    const child = parent.fork();
    child.onClose = (f, last) => locks.closed(1001, f, last);
    return { locks, parent, child, file, key: locks.keyOf(file) };
  }

  it("the child's close leaves the parent's POSIX lock; the parent's own close drops it", () => {
    const { locks, parent, child, key } = processes();
    locks.set(key, 1000, F_WRLCK, 0, 9);
    child.close(0);
    expect(locks.conflict(key, 1001, F_WRLCK, 0, 0)?.owner).toBe(1000);
    parent.close(0);
    expect(locks.conflict(key, 1001, F_WRLCK, 0, 0)).toBeNull();
  });

  it("an OFD lock stays while any process has an fd of its description", () => {
    const { locks, parent, child, file, key } = processes();
    locks.set(key, file, F_WRLCK, 0, 9);
    parent.close(0);
    expect(locks.conflict(key, 1001, F_WRLCK, 0, 0)?.owner).toBe(file);
    child.close(0);
    expect(locks.conflict(key, 1001, F_WRLCK, 0, 0)).toBeNull();
  });
});
