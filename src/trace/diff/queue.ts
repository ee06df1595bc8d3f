// FIFO queues of lines waiting to be aligned. The aligner keeps at most a window of lines per
// side and process; lines pile up beyond that only when the two inputs interleave their
// processes differently (A runs process 2 long before B does). Past a global budget, queues
// append to temporary files instead of memory, so memory stays bounded whatever the inputs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';

const CHUNK = 64 * 1024;

/** The lines held in memory by all queues, and where spilled ones go. */
export class LineBudget {
  used = 0;
  private dir: string | null = null;
  private files = 0;

  constructor(readonly limit: number) {}

  get full(): boolean {
    return this.used >= this.limit;
  }

  /** A new temporary file (its directory is made on first use and removed by dispose()). */
  tempFile(): string {
    if (this.dir === null) this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'emtrace-diff-'));
    return path.join(this.dir, `queue-${this.files++}`);
  }

  dispose(): void {
    if (this.dir !== null) fs.rmSync(this.dir, { recursive: true, force: true });
    this.dir = null;
  }
}

/** Lines appended to a file and read back in order. */
class SpillFile {
  private readonly fd: number;
  private writeAt = 0;
  private readAt = 0;
  private pendingWrite: string[] = [];
  private pendingBytes = 0;
  private readonly decoder = new StringDecoder('utf8');
  private readBuffer = '';
  private readonly chunk = Buffer.alloc(CHUNK);

  constructor(file: string) {
    this.fd = fs.openSync(file, 'w+');
  }

  append(line: string): void {
    this.pendingWrite.push(line, '\n');
    this.pendingBytes += line.length + 1;
    if (this.pendingBytes >= CHUNK) this.flush();
  }

  private flush(): void {
    if (this.pendingWrite.length === 0) return;
    const data = Buffer.from(this.pendingWrite.join(''), 'utf8');
    for (let done = 0; done < data.length; ) done += fs.writeSync(this.fd, data, done, data.length - done, this.writeAt + done);
    this.writeAt += data.length;
    this.pendingWrite = [];
    this.pendingBytes = 0;
  }

  /** The next line (the caller knows one is there). */
  read(): string {
    for (;;) {
      const nl = this.readBuffer.indexOf('\n');
      if (nl >= 0) {
        const line = this.readBuffer.slice(0, nl);
        this.readBuffer = this.readBuffer.slice(nl + 1);
        return line;
      }
      this.flush();
      const n = fs.readSync(this.fd, this.chunk, 0, CHUNK, this.readAt);
      if (n === 0) throw new Error('emtrace diff: spill file ended early');
      this.readAt += n;
      this.readBuffer += this.decoder.write(this.chunk.subarray(0, n));
    }
  }

  /** Everything written has been read: start over at the beginning of the file. */
  reset(): void {
    this.writeAt = 0;
    this.readAt = 0;
    this.readBuffer = '';
  }

  close(): void {
    fs.closeSync(this.fd);
  }
}

export class LineQueue {
  private items: string[] = [];
  private head = 0;
  private spill: SpillFile | null = null;
  private spilled = 0;

  constructor(private readonly budget: LineBudget) {}

  get length(): number {
    return this.items.length - this.head + this.spilled;
  }

  push(line: string): void {
    if (this.spilled > 0 || this.budget.full) {
      this.spill ??= new SpillFile(this.budget.tempFile());
      this.spill.append(line);
      this.spilled++;
      return;
    }
    this.items.push(line);
    this.budget.used++;
  }

  /** Makes the first `n` lines (or all there are) readable with at(). */
  load(n: number): void {
    while (this.items.length - this.head < n && this.spilled > 0) {
      this.items.push(this.spill!.read());
      this.budget.used++;
      if (--this.spilled === 0) this.spill!.reset();
    }
  }

  /** Line k from the head; k below what load() made readable. */
  at(k: number): string {
    return this.items[this.head + k];
  }

  shift(): string {
    this.load(1);
    const line = this.items[this.head++];
    this.budget.used--;
    if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return line;
  }

  close(): void {
    this.spill?.close();
    this.spill = null;
  }
}
