// A buffered writer to a file descriptor, for output emtrace produces in bulk (diffs,
// instruction logs); flush() before anything else writes to the same descriptor.
import fs from 'node:fs';

/** Buffered, synchronous writes to a file descriptor (stdout may be a non-blocking pipe). A
 *  closed pipe (`| head`) ends the output quietly. */
export class FdWriter {
  private chunks: string[] = [];
  private size = 0;
  private broken = false;

  constructor(private readonly fd: number) {}

  readonly write = (text: string): void => {
    this.chunks.push(text);
    this.size += text.length;
    if (this.size >= 64 * 1024) this.flush();
  };

  flush(): void {
    const data = Buffer.from(this.chunks.join(''), 'utf8');
    this.chunks = [];
    this.size = 0;
    let done = 0;
    while (done < data.length && !this.broken) {
      try {
        done += fs.writeSync(this.fd, data, done, data.length - done);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EPIPE') this.broken = true;
        else if (code === 'EAGAIN') Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
        else throw e;
      }
    }
  }
}
