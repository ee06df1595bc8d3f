// Extended attributes, kept inside the emulator for the run (Node has no xattr API): by file
// identity (the same FileKey the times use, so hard links share them), in the order they were
// set. Files start with none; what the guest sets it gets back, the host's files are unchanged.
import type { FileKey } from './metadata.js';

export class XattrStore {
  private readonly byFile = new Map<FileKey, Map<string, Uint8Array>>();

  get(key: FileKey, name: string): Uint8Array | undefined {
    return this.byFile.get(key)?.get(name);
  }

  names(key: FileKey): string[] {
    return [...(this.byFile.get(key)?.keys() ?? [])];
  }

  set(key: FileKey, name: string, value: Uint8Array): void {
    let attrs = this.byFile.get(key);
    if (!attrs) this.byFile.set(key, (attrs = new Map()));
    attrs.set(name, value);
  }

  /** Whether the attribute was there. */
  remove(key: FileKey, name: string): boolean {
    const attrs = this.byFile.get(key);
    if (!attrs?.delete(name)) return false;
    if (attrs.size === 0) this.byFile.delete(key);
    return true;
  }
}
