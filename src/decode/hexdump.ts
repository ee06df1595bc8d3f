// strace's dumpstr: the hex and ASCII dump printed after a line for -e read= and -e write=.
//
//  | 00000  68 65 6c 6c 6f 20 77 6f  72 6c 64 0a              hello world.     |

const HEX = '0123456789abcdef';

/** One line per 16 bytes: offset, the bytes in hex in two groups of 8, the printable ones. */
export function hexDumpLines(data: Uint8Array): string[] {
  const lines: string[] = [];
  for (let at = 0; at < data.length; at += 16) {
    let hex = '';
    let ascii = '';
    for (let k = 0; k < 16; k++) {
      if (k === 8) hex += ' ';
      const b = at + k < data.length ? data[at + k] : -1;
      hex += b < 0 ? '   ' : HEX[b >> 4] + HEX[b & 15] + ' ';
      ascii += b < 0 ? ' ' : b >= 0x20 && b <= 0x7e ? String.fromCharCode(b) : '.';
    }
    lines.push(' | ' + at.toString(16).padStart(5, '0') + '  ' + hex + ' ' + ascii + ' |');
  }
  return lines;
}
